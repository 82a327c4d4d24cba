// IndexedDB refusing writes. Each browser test file runs in its own page, and the cache
// warns once per page, so this file counts the warnings of every test in it.
import { expect } from '@open-wc/testing';
import { createCachedSource } from '../../../packages/core/src/cache/index.js';
import type { CacheStatusEvent } from '../../../packages/core/src/cache/index.js';
import { FakeServerSource, observation } from './support/fake-server-source.js';
import { rawEntries, uniqueDatabase } from './support/raw-idb.js';

const warnings: string[] = [];
const originalWarn = console.warn;
const originalPut = IDBObjectStore.prototype.put;

/** Stubs the object store's put (idb-keyval's set) to throw `name` for sealed entries. */
function refuseEntryWrites(name: string): void {
  IDBObjectStore.prototype.put = function put(this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (value instanceof ArrayBuffer) throw new DOMException('The quota has been exceeded.', name);
    return originalPut.call(this, value, key);
  };
}

describe('createCachedSource: storage refusing writes', () => {
  before(() => {
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  });
  after(() => {
    console.warn = originalWarn;
  });
  afterEach(() => {
    IDBObjectStore.prototype.put = originalPut;
  });

  it('keeps loading, uncached, when the store refuses writes with QuotaExceededError (stubbed put)', async () => {
    refuseEntryWrites('QuotaExceededError');
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    server.put(observation('o2', { status: 'amended' }));
    const cached = createCachedSource(server, { databaseName });
    const statuses: CacheStatusEvent[] = [];
    cached.addEventListener('status', (event) => statuses.push(event));

    const first = await cached.search('Observation', { patient: 'p1' });
    const second = await cached.search('Observation', { patient: 'p1', status: 'amended' });
    const third = await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    expect(first.resources.map((r) => r.id)).to.deep.equal(['o1', 'o2']);
    expect(second.resources.map((r) => r.id)).to.deep.equal(['o2']);
    expect(third.resources.map((r) => r.id)).to.deep.equal(['o1', 'o2']);
    expect(third.cache).to.equal(undefined); // straight from the server
    expect(server.count('search')).to.equal(3);
    expect(cached.storage).to.equal('unavailable');
    expect(statuses.map((event) => [event.storage, (event.error as DOMException).name])).to.deep.equal([['unavailable', 'QuotaExceededError']]);
    expect(await rawEntries(databaseName)).to.deep.equal([]);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('QuotaExceededError');
    expect(warnings[0]).to.include('without caching');
  });

  it('keeps loading when another source of the page meets DataCloneError (stubbed put), without a second warning', async () => {
    refuseEntryWrites('DataCloneError');
    const server = new FakeServerSource({ patientId: 'p2' });
    server.put(observation('o1', { subject: { reference: 'Patient/p2' } }));
    const cached = createCachedSource(server, { databaseName: uniqueDatabase() });
    const read = await cached.read('Observation', 'o1');
    await cached.settled();
    expect(read.id).to.equal('o1');
    await cached.read('Observation', 'o1');
    expect(server.count('read')).to.equal(2);
    expect(cached.storage).to.equal('unavailable');
    expect(warnings).to.have.length(1);
  });
});

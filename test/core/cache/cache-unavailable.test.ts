// No IndexedDB or no WebCrypto (private modes, sandboxed frames, plain http). Each browser
// test file runs in its own page, and the cache warns once per page: this file counts the
// warnings of every test in it.
import { expect } from '@open-wc/testing';
import { clearAll, createCachedSource } from '../../../packages/core/src/cache/index.js';
import { FakeServerSource, observation } from './support/fake-server-source.js';
import { uniqueDatabase } from './support/raw-idb.js';

const warnings: string[] = [];
const originalWarn = console.warn;

/** Replaces a property of `target` (own or inherited) for the length of `run`. */
async function replacing<T>(target: object, name: string, value: unknown, run: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { configurable: true, get: () => value });
  try {
    return await run();
  } finally {
    if (own) Object.defineProperty(target, name, own);
    else delete (target as Record<string, unknown>)[name];
  }
}

async function loadsTwiceUncached(patientId: string) {
  const server = new FakeServerSource({ patientId });
  server.put(observation('o1', { subject: { reference: `Patient/${patientId}` } }));
  const cached = createCachedSource(server, { databaseName: uniqueDatabase() });
  const first = await cached.search('Observation', { patient: patientId });
  const second = await cached.search('Observation', { patient: patientId });
  await cached.settled();
  expect(first.resources.map((r) => r.id)).to.deep.equal(['o1']);
  expect(second.resources.map((r) => r.id)).to.deep.equal(['o1']);
  expect(server.count('search')).to.equal(2);
  expect(cached.storage).to.equal('unavailable');
  return cached;
}

describe('createCachedSource: no IndexedDB, no WebCrypto', () => {
  before(() => {
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  });
  after(() => {
    console.warn = originalWarn;
  });

  it('works uncached when indexedDB is missing (stubbed), and warns once', async () => {
    await replacing(globalThis, 'indexedDB', undefined, async () => {
      const cached = await loadsTwiceUncached('p1');
      await cached.destroyPartition();
      await clearAll();
    });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('without caching');
  });

  it('works uncached when opening the database throws SecurityError (stubbed open), without another warning', async () => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = () => {
      throw new DOMException('Access to IndexedDB is denied in this context.', 'SecurityError');
    };
    try {
      await loadsTwiceUncached('p2');
    } finally {
      IDBFactory.prototype.open = open;
    }
    expect(warnings).to.have.length(1);
  });

  it('works uncached without crypto.subtle (not a secure context, stubbed), without another warning', async () => {
    await replacing(crypto, 'subtle', undefined, () => loadsTwiceUncached('p3'));
    expect(warnings).to.have.length(1);
  });
});

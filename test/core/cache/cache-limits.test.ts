import { expect } from '@open-wc/testing';
import type { Observation } from '@medplum/fhirtypes';
import type { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import { createCachedSource } from '../../../packages/core/src/cache/index.js';
import { FakeServerSource, networkDown, observation } from './support/fake-server-source.js';
import { rawEntries, rawRecords, testClock, uniqueDatabase } from './support/raw-idb.js';

const HOUR = 3_600_000;

/** Text that deflate cannot shrink much, so each entry's size is known within a few percent. */
function noise(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(random, (byte) => String.fromCharCode(33 + (byte % 90))).join('');
}

async function entrySizes(databaseName: string): Promise<number[]> {
  const entries = await rawEntries(databaseName);
  return entries.map((entry) => (entry.value as ArrayBuffer).byteLength);
}

describe('createCachedSource: maxAge', () => {
  it('never shows data older than maxAge (injected clock, fake server down), and deletes it', async () => {
    const databaseName = uniqueDatabase();
    const clock = testClock();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    const cached = createCachedSource(server, { databaseName, now: clock.now, maxAge: 24 * HOUR });
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();

    clock.advance(23 * HOUR);
    server.failure = networkDown();
    const young = await cached.search('Observation', { patient: 'p1' });
    expect(young.resources.map((r) => r.id)).to.deep.equal(['o1']);
    await cached.settled();

    clock.advance(2 * HOUR);
    const error = await cached.search('Observation', { patient: 'p1' }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as FhirError).kind).to.equal('network');
    await cached.settled();
    expect(await rawEntries(databaseName)).to.deep.equal([]);
  });

  it('deletes expired entries and idle partitions of every partition when any partition writes', async () => {
    const databaseName = uniqueDatabase();
    const clock = testClock();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    const yesterday = createCachedSource(server, { databaseName, now: clock.now });
    await yesterday.search('Observation', { patient: 'p1' });
    await yesterday.settled();
    expect(await rawEntries(databaseName)).to.have.length(1);

    clock.advance(30 * HOUR);
    const other = createCachedSource(new FakeServerSource({ patientId: 'p2', resources: [observation('x', { subject: { reference: 'Patient/p2' } })] }), {
      databaseName,
      now: clock.now,
    });
    await other.search('Observation', { patient: 'p2' });
    await other.settled();
    const records = await rawRecords(databaseName);
    expect(records.filter((record) => record.value instanceof ArrayBuffer)).to.have.length(1);
    // The idle, empty partition of p1 lost its keys too.
    expect(records.filter((record) => record.key.startsWith('k:'))).to.have.length(1);
  });
});

describe('createCachedSource: size budget', () => {
  it('evicts the least recently used entries across partitions under a tiny budget', async () => {
    const databaseName = uniqueDatabase();
    const clock = testClock();
    const server = new FakeServerSource({ patientId: 'p1' });
    for (const status of ['final', 'amended', 'preliminary'] as const) {
      server.put(observation(`o-${status}`, { status, note: [{ text: noise(3000) }] }));
    }
    // Room for two entries of about 2.8 KB (3,000 random characters, deflated and sealed), not three.
    const budget = 2.5 * 3000;
    const cached = createCachedSource(server, { databaseName, now: clock.now, maxBytes: budget, revalidateAfter: HOUR });

    await cached.search('Observation', { patient: 'p1', status: 'final' });
    clock.advance(1000);
    await cached.search('Observation', { patient: 'p1', status: 'amended' });
    clock.advance(1000);
    await cached.search('Observation', { patient: 'p1', status: 'final' }); // used again: now the most recent
    clock.advance(1000);
    await cached.search('Observation', { patient: 'p1', status: 'preliminary' });
    await cached.settled();

    const sizes = await entrySizes(databaseName);
    expect(sizes).to.have.length(2);
    expect(sizes.reduce((a, b) => a + b, 0)).to.be.at.most(budget);
    const before = server.count('search');
    await cached.search('Observation', { patient: 'p1', status: 'final' });
    await cached.search('Observation', { patient: 'p1', status: 'preliminary' });
    expect(server.count('search')).to.equal(before);
    const amended = await cached.search<Observation>('Observation', { patient: 'p1', status: 'amended' });
    expect(server.count('search')).to.equal(before + 1);
    expect(amended.resources.map((r) => r.id)).to.deep.equal(['o-amended']);
  });

  it('does not store an answer larger than the whole budget, and still answers', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('big', { note: [{ text: noise(20_000) }] }));
    const cached = createCachedSource(server, { databaseName, maxBytes: 5000 });
    const result = await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    expect(result.resources.map((r) => r.id)).to.deep.equal(['big']);
    expect(await rawEntries(databaseName)).to.deep.equal([]);
    expect(cached.storage).to.equal('encrypted');
  });
});

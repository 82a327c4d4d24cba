import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import { clearAll, createCachedSource } from '../../../packages/core/src/cache/index.js';
import type { CacheStatusEvent, CacheUpdateEvent } from '../../../packages/core/src/cache/index.js';
import { FakeServerSource, networkDown, observation } from './support/fake-server-source.js';
import { putRaw, rawEntries, rawRecords, rawText, rewriteRaw, testClock, uniqueDatabase } from './support/raw-idb.js';

const NAME = 'Quixotica';
const GIVEN = 'Zebulonne';
const MRN = 'MRN-77889911';
const SECRET_IDS = ['pat-secret-4471', 'obs-secret-8810', 'cond-secret-5532'];

function patient(): Patient {
  return {
    resourceType: 'Patient',
    id: SECRET_IDS[0],
    identifier: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: MRN }],
    name: [{ family: NAME, given: [GIVEN] }],
    birthDate: '1961-07',
  };
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('Expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** The stored bytes are AES-GCM ciphertext: inflating them (as if only compressed) yields no JSON. */
async function inflates(buffer: ArrayBuffer): Promise<boolean> {
  try {
    const stream = new Blob([new Uint8Array(buffer).slice(13)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const text = await new Response(stream).text();
    return text.includes('resourceType');
  } catch {
    return false;
  }
}

describe('createCachedSource: encrypted at rest', () => {
  it('leaves no patient name, identifier or resource id readable in any raw IndexedDB key or value', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: SECRET_IDS[0], userKey: 'Practitioner/u1' });
    server.put(patient());
    server.put(observation(SECRET_IDS[1], { subject: { reference: `Patient/${SECRET_IDS[0]}` }, note: [{ text: `${GIVEN} ${NAME} felt well` }] }));
    server.put({ resourceType: 'Condition', id: SECRET_IDS[2], subject: { reference: `Patient/${SECRET_IDS[0]}` }, code: { text: 'Asthma' } });
    const cached = createCachedSource(server, { databaseName });
    await cached.read('Patient', SECRET_IDS[0]);
    await cached.search('Observation', { patient: SECRET_IDS[0] });
    await cached.search('Condition', { patient: SECRET_IDS[0] });
    await cached.settled();

    const records = await rawRecords(databaseName);
    const entries = records.filter((record) => record.value instanceof ArrayBuffer);
    expect(entries).to.have.length(3);
    for (const record of records) {
      const text = rawText(record);
      for (const secret of [NAME, GIVEN, MRN, ...SECRET_IDS, 'Patient/', 'Observation', server.server.baseUrl, 'Practitioner/u1']) {
        expect(text, `raw record ${record.key}`).not.to.include(secret);
      }
    }
    for (const entry of entries) expect(await inflates(entry.value as ArrayBuffer)).to.equal(false);
    // Keys are CryptoKeys that cannot be exported.
    const keys = records.flatMap((record) =>
      record.value instanceof CryptoKey ? [record.value] : Object.values(record.value as object).filter((value) => value instanceof CryptoKey),
    ) as CryptoKey[];
    expect(keys.length).to.be.greaterThan(0);
    for (const key of keys) expect(key.extractable).to.equal(false);
  });

  it('discards an entry whose ciphertext was altered and fetches it again, without an error or a warning', async () => {
    const databaseName = uniqueDatabase();
    const clock = testClock();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    const cached = createCachedSource(server, { databaseName, now: clock.now });
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();

    const flipped = await rewriteRaw(databaseName, ({ value }) => {
      if (!(value instanceof ArrayBuffer)) return undefined;
      const bytes = new Uint8Array(value.slice(0));
      bytes[bytes.length - 20] ^= 0xff;
      return bytes.buffer;
    });
    expect(flipped).to.equal(1);

    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const again = await cached.search<Observation>('Observation', { patient: 'p1' });
      expect(again.resources.map((r) => r.id)).to.deep.equal(['o1']);
      expect(again.cache?.state).to.equal('fresh');
      await cached.settled();
    } finally {
      console.warn = original;
    }
    expect(server.count('search')).to.equal(2);
    expect(warnings).to.deep.equal([]);
    expect(cached.storage).to.equal('encrypted');
  });

  it('refuses an entry copied under another query key (authenticated data) and refetches', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    server.put(observation('o2', { status: 'amended' }));
    const cached = createCachedSource(server, { databaseName });
    await cached.search('Observation', { patient: 'p1', status: 'final' });
    await cached.search('Observation', { patient: 'p1', status: 'amended' });
    await cached.settled();
    const [first, second] = await rawEntries(databaseName);
    await putRaw(databaseName, second.key, first.value);

    const finals = await cached.search('Observation', { patient: 'p1', status: 'final' });
    const amended = await cached.search('Observation', { patient: 'p1', status: 'amended' });
    expect(finals.resources.map((r) => r.id)).to.deep.equal(['o1']);
    expect(amended.resources.map((r) => r.id)).to.deep.equal(['o2']);
    expect(server.count('search')).to.equal(3); // exactly one of the two was refetched
  });
});

describe('createCachedSource: partitions', () => {
  it("never gives user B user A's cached data (same server, same patient; B's fake server is down)", async () => {
    const databaseName = uniqueDatabase();
    const serverA = new FakeServerSource({ patientId: 'p1', userKey: 'Practitioner/a' });
    serverA.put(observation('seen-by-a'));
    const asA = createCachedSource(serverA, { databaseName });
    await asA.search('Observation', { patient: 'p1' });
    await asA.settled();

    const serverB = new FakeServerSource({ patientId: 'p1', userKey: 'Practitioner/b' });
    serverB.failure = networkDown();
    const asB = createCachedSource(serverB, { databaseName });
    const error = await rejection(asB.search('Observation', { patient: 'p1' }));
    expect((error as FhirError).kind).to.equal('network');

    serverB.failure = undefined;
    serverB.put(observation('seen-by-b'));
    const b = await asB.search('Observation', { patient: 'p1' });
    expect(b.resources.map((r) => r.id)).to.deep.equal(['seen-by-b']);
  });

  it('keeps a portal-given user id apart from another one over the same source', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    const first = createCachedSource(server, { databaseName, userKey: 'portal-user-1' });
    await first.search('Observation', { patient: 'p1' });
    await first.settled();
    const second = createCachedSource(server, { databaseName, userKey: 'portal-user-2' });
    expect(second.userKey).to.equal('portal-user-2');
    await second.search('Observation', { patient: 'p1' });
    expect(server.count('search')).to.equal(2);
  });

  it("never answers a question about patient 2 with patient 1's cached answer to the same question (fake server down)", async () => {
    const databaseName = uniqueDatabase();
    const org = { resourceType: 'Organization', id: 'org1', name: 'Clinic of patient 1' } as const;
    const forP1 = new FakeServerSource({ patientId: 'p1', userKey: 'Practitioner/u' });
    forP1.put(org);
    const cachedP1 = createCachedSource(forP1, { databaseName });
    await cachedP1.read('Organization', 'org1');
    await cachedP1.settled();

    const forP2 = new FakeServerSource({ patientId: 'p2', userKey: 'Practitioner/u' });
    forP2.failure = networkDown();
    const cachedP2 = createCachedSource(forP2, { databaseName });
    expect(((await rejection(cachedP2.read('Organization', 'org1'))) as FhirError).kind).to.equal('network');
  });

  it('caches nothing for a source that reads with a token but names no user: two users of one browser never share a partition', async () => {
    const databaseName = uniqueDatabase();
    const first = new FakeServerSource({ patientId: 'p1', authenticated: true });
    first.put(observation('seen-by-someone'));
    const asSomeone = createCachedSource(first, { databaseName });
    expect(asSomeone.storage).to.equal('off');
    await asSomeone.search('Observation', { patient: 'p1' });
    await asSomeone.settled();

    const second = new FakeServerSource({ patientId: 'p1', authenticated: true });
    second.failure = networkDown();
    const asSomeoneElse = createCachedSource(second, { databaseName });
    expect(((await rejection(asSomeoneElse.search('Observation', { patient: 'p1' }))) as FhirError).kind).to.equal('network');
    // With a user named, the same source is cached.
    expect(createCachedSource(first, { databaseName, userKey: 'portal-user-1' }).storage).to.not.equal('off');
  });

  it('keeps two servers apart (the second fake server is down)', async () => {
    const databaseName = uniqueDatabase();
    const one = new FakeServerSource({ patientId: 'p1', baseUrl: 'https://one.example.test/fhir' });
    one.put(observation('o1'));
    await createCachedSource(one, { databaseName }).search('Observation', { patient: 'p1' });
    const two = new FakeServerSource({ patientId: 'p1', baseUrl: 'https://two.example.test/fhir' });
    two.failure = networkDown();
    expect(((await rejection(createCachedSource(two, { databaseName }).search('Observation', { patient: 'p1' }))) as FhirError).kind).to.equal(
      'network',
    );
  });
});

describe('createCachedSource: purging', () => {
  it('destroyPartition (logout) deletes the keys and data of that partition only, and works uncached after (fake server down for the old copy)', async () => {
    const databaseName = uniqueDatabase();
    const serverA = new FakeServerSource({ patientId: 'p1', userKey: 'Practitioner/a' });
    serverA.put(observation('o1'));
    const asA = createCachedSource(serverA, { databaseName });
    await asA.search('Observation', { patient: 'p1' });
    const serverB = new FakeServerSource({ patientId: 'p1', userKey: 'Practitioner/b' });
    serverB.put(observation('o1'));
    const asB = createCachedSource(serverB, { databaseName });
    await asB.search('Observation', { patient: 'p1' });
    await Promise.all([asA.settled(), asB.settled()]);
    const before = await rawRecords(databaseName);
    const partitionKeys = (records: typeof before) => records.filter((record) => record.key.startsWith('k:'));
    expect(partitionKeys(before)).to.have.length(2);
    expect(before.filter((record) => record.value instanceof ArrayBuffer)).to.have.length(2);

    const off = oneEvent(asA, 'status') as Promise<unknown>;
    await asA.destroyPartition();
    expect(((await off) as CacheStatusEvent).storage).to.equal('off');

    const after = await rawRecords(databaseName);
    // B's key and entry remain; of A nothing is left, not even a key that could decrypt a copy.
    expect(partitionKeys(after)).to.have.length(1);
    expect(after.filter((record) => record.value instanceof ArrayBuffer)).to.have.length(1);
    const removed = before.filter((record) => !after.some((kept) => kept.key === record.key)).map((record) => record.key.slice(0, 2));
    expect(removed.sort()).to.deep.equal(['e:', 'i:', 'k:']);

    // A copy taken before the logout cannot be decrypted by a new session of A (new keys).
    const entryOfA = before.find((record) => record.value instanceof ArrayBuffer && !after.some((kept) => kept.key === record.key))!;
    const again = createCachedSource(serverA, { databaseName });
    await again.search('Observation', { patient: 'p1' });
    await again.settled();
    await putRaw(databaseName, (await rawEntries(databaseName)).find((record) => !after.some((kept) => kept.key === record.key))!.key, entryOfA.value);
    serverA.failure = networkDown();
    const result = await rejection(again.search('Observation', { patient: 'p1' }));
    expect((result as FhirError).kind).to.equal('network');

    // The logged-out source keeps working, straight from the server.
    serverA.failure = undefined;
    const searches = serverA.count('search');
    await asA.search('Observation', { patient: 'p1' });
    expect(serverA.count('search')).to.equal(searches + 1);
  });

  it('clear() deletes the cached answers of this partition', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1' });
    server.put(observation('o1'));
    const cached = createCachedSource(server, { databaseName });
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    await cached.clear();
    expect(await rawEntries(databaseName)).to.deep.equal([]);
    await cached.search('Observation', { patient: 'p1' });
    expect(server.count('search')).to.equal(2);
  });

  it('clearAll() deletes every partition and every key, and live sources start afresh', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1', userKey: 'u1' });
    server.put(observation('o1'));
    const one = createCachedSource(server, { databaseName });
    const two = createCachedSource(new FakeServerSource({ patientId: 'p2', userKey: 'u2' }), { databaseName });
    await one.search('Observation', { patient: 'p1' });
    await two.search('Observation', { patient: 'p2' });
    await Promise.all([one.settled(), two.settled()]);
    await clearAll({ databaseName });
    expect(await rawRecords(databaseName)).to.deep.equal([]);

    const again = await one.search('Observation', { patient: 'p1' });
    expect(again.resources.map((r) => r.id)).to.deep.equal(['o1']);
    expect(server.count('search')).to.equal(2);
    await one.settled();
    expect(await rawEntries(databaseName)).to.have.length(1);
  });
});

describe('createCachedSource: several tabs', () => {
  // Two cached sources of one partition in one page talk over BroadcastChannel exactly as two tabs do.
  it('announces update in one tab when another tab stored fresher data', async () => {
    const databaseName = uniqueDatabase();
    const clock = testClock();
    const server = new FakeServerSource({ patientId: 'p1', userKey: 'u1' });
    server.put(observation('o1'));
    const tabA = createCachedSource(server, { databaseName, now: clock.now, revalidateAfter: 1000 });
    const tabB = createCachedSource(server, { databaseName, now: clock.now, revalidateAfter: 1000 });
    await tabA.search('Observation', { patient: 'p1' });
    await tabA.settled();
    await tabB.search('Observation', { patient: 'p1' });
    expect(server.count('search')).to.equal(1); // B found A's entry

    server.put(observation('o1', { status: 'amended' }));
    clock.advance(5000);
    const update = oneEvent(tabA, 'update') as Promise<unknown>;
    await tabB.search('Observation', { patient: 'p1' });
    await tabB.settled();
    const event = (await update) as CacheUpdateEvent;
    expect([event.key, event.reason]).to.deep.equal(['Observation?patient=p1', 'other-tab']);
    const inA = await tabA.search<Observation>('Observation', { patient: 'p1' });
    expect(inA.resources[0].status).to.equal('amended');
  });

  it('stops caching in every tab when one tab logs the partition out', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1', userKey: 'u1' });
    server.put(observation('o1'));
    const tabA = createCachedSource(server, { databaseName });
    const tabB = createCachedSource(server, { databaseName });
    await tabA.search('Observation', { patient: 'p1' });
    await tabB.search('Observation', { patient: 'p1' });
    await Promise.all([tabA.settled(), tabB.settled()]);
    await tabA.destroyPartition();
    await waitUntil(() => tabB.storage === 'off', 'the other tab stops caching');
    await tabB.search('Observation', { patient: 'p1' });
    await tabB.settled();
    expect(await rawEntries(databaseName)).to.deep.equal([]);
  });

  it('survives two tabs writing the same entries at once (read back with the fake server down)', async () => {
    const databaseName = uniqueDatabase();
    const server = new FakeServerSource({ patientId: 'p1', userKey: 'u1' });
    for (let i = 0; i < 20; i++) server.put(observation(`o${i}`));
    const tabs = [createCachedSource(server, { databaseName }), createCachedSource(server, { databaseName })];
    await Promise.all(tabs.flatMap((tab) => ['final', 'amended', undefined].map((status) => tab.search('Observation', { patient: 'p1', status }))));
    await Promise.all(tabs.map((tab) => tab.settled()));
    server.failure = new FhirError('network', 'down');
    const third = createCachedSource(server, { databaseName, revalidateAfter: 60_000 });
    const all = await third.search('Observation', { patient: 'p1' });
    expect(all.resources).to.have.length(20);
    expect(await rawEntries(databaseName)).to.have.length(3);
  });
});

import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import { cacheProvenance, createCachedSource } from '../../../packages/core/src/cache/index.js';
import type { CachedSource, CacheOptions, CacheStatusEvent, CacheUpdateEvent } from '../../../packages/core/src/cache/index.js';
import { FakeServerSource, networkDown, observation } from './support/fake-server-source.js';
import { rawEntries, testClock, uniqueDatabase } from './support/raw-idb.js';

const VITALS = { patient: 'p1', category: 'vital-signs' };

function setup(options: CacheOptions = {}, server = new FakeServerSource({ patientId: 'p1', userKey: 'Practitioner/u1' })) {
  const clock = testClock();
  const cached = createCachedSource(server, { databaseName: uniqueDatabase(), now: clock.now, ...options });
  return { server, cached, clock };
}

function recordEvents(cached: CachedSource) {
  const updates: CacheUpdateEvent[] = [];
  const statuses: CacheStatusEvent[] = [];
  cached.addEventListener('update', (event) => updates.push(event));
  cached.addEventListener('status', (event) => statuses.push(event));
  return { updates, statuses };
}

function ids(result: { resources: { id?: string }[] }): string[] {
  return result.resources.map((resource) => resource.id!);
}

describe('createCachedSource: stale-while-revalidate', () => {
  it('serves the second load from the cache while the fake server holds its answer', async () => {
    const { server, cached, clock } = setup({ revalidateAfter: 1000 });
    server.put(observation('o1'));
    server.put(observation('o2'));
    const first = await cached.search<Observation>('Observation', VITALS);
    expect(ids(first)).to.deep.equal(['o1', 'o2']);
    expect(first.cache?.state).to.equal('fresh');
    await cached.settled();

    clock.advance(5000);
    server.hold();
    // The server answers nothing until released, yet the load resolves: the answer comes from IndexedDB.
    const second = await cached.search<Observation>('Observation', VITALS);
    expect(ids(second)).to.deep.equal(['o1', 'o2']);
    expect(second.cache).to.deep.equal({ asOf: first.cache!.asOf, state: 'revalidating' });
    expect(second.resources[0].valueQuantity?.value).to.equal(72);
    // The first load, then the background check, held: what changed, and what changed for the patient.
    expect(server.calls.slice(1).map((call) => call.params.get('_lastUpdated'))).to.deep.equal([
      `ge${first.resources[1].meta!.lastUpdated}`,
      `ge${first.resources[1].meta!.lastUpdated}`,
    ]);
    server.release();
    await cached.settled();
  });

  it('answers without asking the server again within revalidateAfter', async () => {
    const { server, cached, clock } = setup({ revalidateAfter: 10_000 });
    server.put(observation('o1'));
    await cached.search('Observation', VITALS);
    await cached.settled();
    clock.advance(2000);
    const again = await cached.search('Observation', { category: 'vital-signs', patient: 'p1' }); // the same question, parameters in another order
    await cached.settled();
    expect(ids(again)).to.deep.equal(['o1']);
    expect(again.cache?.state).to.equal('fresh');
    expect(server.count('search')).to.equal(1);
  });

  it('dispatches update when the fake server has changed data, and the reload gets it from the cache', async () => {
    const { server, cached, clock } = setup({ revalidateAfter: 1000, incremental: false });
    const { updates } = recordEvents(cached);
    server.put(observation('o1'));
    await cached.search('Observation', VITALS);
    await cached.settled();

    server.put(observation('o1', { valueQuantity: { value: 118, unit: '/min' } }));
    clock.advance(5000);
    const stale = await cached.search<Observation>('Observation', VITALS);
    expect(stale.resources[0].valueQuantity?.value).to.equal(72);
    await cached.settled();
    expect(updates.map((event) => [event.key, event.resourceType, event.reason])).to.deep.equal([
      ['Observation?category=vital-signs&patient=p1', 'Observation', 'revalidated'],
    ]);

    server.hold(); // the reload must not need the server
    const fresh = await cached.search<Observation>('Observation', VITALS);
    expect(fresh.resources[0].valueQuantity?.value).to.equal(118);
    expect(fresh.resources[0].meta?.versionId).to.equal('2');
    expect(fresh.cache?.state).to.equal('fresh');
    server.release();
  });

  it('dispatches no update when the fake server has the same data', async () => {
    const { server, cached, clock } = setup({ revalidateAfter: 1000, incremental: false });
    const { updates, statuses } = recordEvents(cached);
    server.put(observation('o1'));
    const first = await cached.search('Observation', VITALS);
    await cached.settled();
    clock.advance(5000);
    await cached.search('Observation', VITALS);
    await cached.settled();
    expect(server.count('search')).to.equal(2);
    expect(updates).to.deep.equal([]);
    expect(statuses).to.deep.equal([]);
    // The confirmation moved the data's "as of" time forward.
    const third = await cached.search('Observation', VITALS);
    expect(Date.parse(third.cache!.asOf)).to.be.greaterThan(Date.parse(first.cache!.asOf));
  });

  for (const [what, failure, connection, state] of [
    ['the fake server is unreachable', networkDown(), 'offline', 'offline'],
    ['the fake server fails with 503', new FhirError('server', 'The FHIR server reported an error (503).', { status: 503 }), 'offline', 'offline'],
    ['the session expired (401 from the fake server)', new FhirError('unauthorized', 'Your session has expired (401).', { status: 401 }), 'unauthorized', 'expired'],
  ] as const) {
    it(`keeps serving cached data and reports ${connection} when ${what}`, async () => {
      const { server, cached, clock } = setup({ revalidateAfter: 1000 });
      const { updates } = recordEvents(cached);
      server.put(observation('o1'));
      await cached.search('Observation', VITALS);
      await cached.settled();

      server.failure = failure;
      clock.advance(5000);
      const offline = oneEvent(cached, 'status') as Promise<unknown>;
      const served = await cached.search('Observation', VITALS);
      expect(ids(served)).to.deep.equal(['o1']);
      const status = (await offline) as CacheStatusEvent;
      expect(status.status).to.equal(connection);
      expect(status.error).to.equal(failure);
      expect(cached.status).to.equal(connection);
      await cached.settled();
      expect(updates).to.deep.equal([]);

      clock.advance(5000);
      const later = await cached.search('Observation', VITALS);
      expect(ids(later)).to.deep.equal(['o1']);
      expect(later.cache?.state).to.equal(state);
      await cached.settled();

      server.failure = undefined;
      clock.advance(5000);
      const online = oneEvent(cached, 'status') as Promise<unknown>;
      await cached.search('Observation', VITALS);
      expect(((await online) as CacheStatusEvent).status).to.equal('online');
      await cached.settled();
    });
  }

  it('rejects a read with nothing cached while the fake server is unreachable', async () => {
    const { server, cached } = setup();
    server.failure = networkDown();
    const error = await cached.read('Patient', 'p1').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).to.be.instanceOf(FhirError);
    expect((error as FhirError).kind).to.equal('network');
    expect(cached.status).to.equal('offline');
  });

  it('caches reads, with their provenance (fake server down for the second)', async () => {
    const { server, cached, clock } = setup({ revalidateAfter: 1000 });
    server.put({ resourceType: 'Patient', id: 'p1', name: [{ family: 'Okafor', given: ['Ada'] }] } satisfies Patient);
    const first = await cached.read<Patient>('Patient', 'p1');
    expect(cacheProvenance(first)?.state).to.equal('fresh');
    await cached.settled();
    server.failure = networkDown();
    clock.advance(5000);
    const second = await cached.read<Patient>('Patient', 'p1');
    expect(second.name?.[0].family).to.equal('Okafor');
    expect(cacheProvenance(second)?.state).to.be.oneOf(['revalidating', 'offline']);
    expect(server.count('read')).to.equal(2);
    await cached.settled();
  });

  it('deletes a cached read the fake server now answers 404 for, and announces it', async () => {
    const { server, cached, clock } = setup({ revalidateAfter: 1000 });
    const { updates } = recordEvents(cached);
    server.put(observation('o1'));
    await cached.read('Observation', 'o1');
    await cached.settled();
    server.delete('Observation', 'o1');
    clock.advance(5000);
    await cached.read('Observation', 'o1');
    await cached.settled();
    expect(updates.map((event) => [event.key, event.reason])).to.deep.equal([['Observation/o1', 'removed']]);
    const error = await cached.read('Observation', 'o1').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as FhirError).kind).to.equal('not-found');
  });

  it('asks the server once when two callers ask the same question at the same time', async () => {
    const { server, cached } = setup();
    server.put(observation('o1'));
    server.hold();
    const a = cached.search<Observation>('Observation', VITALS);
    const b = cached.search<Observation>('Observation', VITALS);
    await waitUntil(() => server.calls.length === 1, 'the request reaches the server');
    server.release();
    const [first, second] = await Promise.all([a, b]);
    expect(server.count('search')).to.equal(1);
    expect(ids(first)).to.deep.equal(['o1']);
    expect(ids(second)).to.deep.equal(['o1']);
    // Each caller gets its own objects.
    first.resources[0].status = 'cancelled';
    expect(second.resources[0].status).to.equal('final');
  });

  it('rejects an aborted caller while another caller of the same question still gets the data', async () => {
    const { server, cached } = setup();
    server.put(observation('o1'));
    server.hold();
    const controller = new AbortController();
    const aborted = cached.search('Observation', VITALS, { signal: controller.signal });
    const kept = cached.search('Observation', VITALS);
    await waitUntil(() => server.calls.length === 1, 'the request reaches the server');
    controller.abort();
    const error = await aborted.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as FhirError).kind).to.equal('aborted');
    server.release();
    expect(ids(await kept)).to.deep.equal(['o1']);
  });

  it('starts a new request for a caller that comes after every earlier caller aborted', async () => {
    const { server, cached } = setup();
    server.put(observation('o1'));
    server.hold();
    const controller = new AbortController();
    const abandoned = cached.search('Observation', VITALS, { signal: controller.signal }).catch((error: unknown) => error);
    await waitUntil(() => server.calls.length === 1, 'the first request reaches the server');
    controller.abort();
    expect(((await abandoned) as FhirError).kind).to.equal('aborted');
    const next = cached.search('Observation', VITALS);
    // While the cancelled request is still held, the new caller makes its own.
    await waitUntil(() => server.calls.length === 2, 'the new caller asks the server again');
    server.release();
    expect(ids(await next)).to.deep.equal(['o1']);
    expect(server.count('search')).to.equal(2);
  });

  it('reports paging progress of a network load to the caller', async () => {
    const { server, cached } = setup();
    server.put(observation('o1'));
    const progress: number[] = [];
    await cached.search('Observation', VITALS, { onProgress: (p) => progress.push(p.loaded) });
    expect(progress).to.deep.equal([1]);
  });

  it('delegates identity to the wrapped source', () => {
    const { cached } = setup();
    expect(cached.server.baseUrl).to.equal('https://fhir.example.test/r4');
    expect(cached.patientId).to.equal('p1');
    expect(cached.userKey).to.equal('Practitioner/u1');
  });
});

describe('createCachedSource: policies', () => {
  it('network-first: asks the fake server first, and shows the cached copy only when it is unreachable', async () => {
    const { server, cached } = setup({ policy: 'network-first' });
    server.put(observation('o1'));
    await cached.search('Observation', VITALS);
    await cached.settled();
    server.put(observation('o2'));
    const second = await cached.search('Observation', VITALS);
    expect(ids(second)).to.deep.equal(['o1', 'o2']);
    expect(second.cache?.state).to.equal('fresh');
    await cached.settled();

    server.failure = networkDown();
    const offline = await cached.search('Observation', VITALS);
    expect(ids(offline)).to.deep.equal(['o1', 'o2']);
    expect(offline.cache?.state).to.equal('offline');
    expect(server.count('search')).to.equal(3);
  });

  it('network-first: a 403 from the fake server is shown as the error, not hidden behind cached data', async () => {
    const { server, cached } = setup({ policy: 'network-first' });
    server.put(observation('o1'));
    await cached.search('Observation', VITALS);
    await cached.settled();
    server.failure = new FhirError('forbidden', 'You do not have permission (403).', { status: 403 });
    const error = await cached.search('Observation', VITALS).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as FhirError).kind).to.equal('forbidden');
  });

  it('no-store: stores nothing and always asks the server', async () => {
    const { server, cached } = setup({ policy: 'no-store' });
    server.put(observation('o1'));
    const first = await cached.search('Observation', VITALS);
    await cached.search('Observation', VITALS);
    await cached.settled();
    expect(first.cache).to.equal(undefined);
    expect(cached.storage).to.equal('off');
    expect(server.count('search')).to.equal(2);
  });

  it('works over a BundleSource (in-memory record), keeping partial dates as they are', async () => {
    const source = new BundleSource({
      resources: [
        { resourceType: 'Patient', id: 'b1', birthDate: '1970-03' },
        { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/b1' }, onsetDateTime: '2019', code: { text: 'Asthma' } },
      ],
      latency: 30,
    });
    const databaseName = uniqueDatabase();
    const cached = createCachedSource(source, { databaseName });
    const first = await cached.search('Condition', { patient: 'b1' });
    await cached.settled();
    const second = await cached.search('Condition', { patient: 'b1' });
    expect(second.cache).to.deep.equal(first.cache); // the same fetch, served from the cache
    expect(second.resources).to.deep.equal(first.resources);
    expect((second.resources[0] as { onsetDateTime?: string }).onsetDateTime).to.equal('2019');
    expect(await rawEntries(databaseName)).to.have.length(1);
  });
});

import { expect } from '@open-wc/testing';
import type { Observation } from '@medplum/fhirtypes';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import type { FhirSource } from '../../../packages/core/src/source/fhir-source.js';
import { searchParamEntries } from '../../../packages/core/src/source/paging.js';
import { createCachedSource } from '../../../packages/core/src/cache/index.js';
import type { CacheOptions, CacheUpdateEvent } from '../../../packages/core/src/cache/index.js';
import { FakeServerSource, observation } from './support/fake-server-source.js';
import { testClock, uniqueDatabase } from './support/raw-idb.js';

const MINUTE = 60_000;

function setup(options: CacheOptions = {}) {
  const server = new FakeServerSource({ patientId: 'p1' });
  const clock = testClock();
  const cached = createCachedSource(server, { databaseName: uniqueDatabase(), now: clock.now, revalidateAfter: MINUTE, ...options });
  const updates: CacheUpdateEvent[] = [];
  cached.addEventListener('update', (event) => updates.push(event));
  /** Loads (a hit that starts a background check), waits for the check, and loads again. */
  const revalidate = async (params: Record<string, string>) => {
    clock.advance(2 * MINUTE);
    await cached.search('Observation', params);
    await cached.settled();
    return cached.search<Observation>('Observation', params);
  };
  return { server, cached, clock, updates, revalidate };
}

const versions = (result: { resources: Observation[] }) => result.resources.map((r) => `${r.id}@${r.meta?.versionId}`);

describe('createCachedSource: incremental refresh', () => {
  it('asks the fake server only for changes (_lastUpdated) and merges them by type/id', async () => {
    const { server, cached, updates, revalidate } = setup();
    server.put(observation('o1'));
    server.put(observation('o2'));
    server.put(observation('o3'));
    const first = await cached.search<Observation>('Observation', { patient: 'p1' });
    await cached.settled();

    server.put(observation('o2', { valueQuantity: { value: 99, unit: '/min' } }));
    server.put(observation('o4'));
    const calls = server.calls.length;
    const merged = await revalidate({ patient: 'p1' });

    const check = server.calls.slice(calls);
    expect(check.map((call) => call.params.toString())).to.deep.equal([
      new URLSearchParams({ patient: 'p1', _lastUpdated: `ge${first.resources[2].meta!.lastUpdated}` }).toString(),
    ]);
    expect(versions(merged)).to.deep.equal(['o1@1', 'o2@2', 'o3@1', 'o4@1']);
    expect(merged.total).to.equal(4);
    expect(updates.map((event) => event.reason)).to.deep.equal(['revalidated']);
    // What a full search answers now.
    expect(versions(await server.search<Observation>('Observation', { patient: 'p1' }))).to.deep.equal(versions(merged));
  });

  it('announces nothing when only the newest cached record comes back unchanged', async () => {
    const { server, cached, updates, revalidate } = setup();
    server.put(observation('o1'));
    server.put(observation('o2'));
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    const again = await revalidate({ patient: 'p1' });
    expect(versions(again)).to.deep.equal(['o1@1', 'o2@1']);
    expect(updates).to.deep.equal([]);
  });

  it('removes a record that changed so that it no longer matches the filter', async () => {
    const { server, cached, revalidate } = setup();
    server.put(observation('o1'));
    server.put(observation('o2'));
    await cached.search('Observation', { patient: 'p1', status: 'final' });
    await cached.settled();

    server.put(observation('o1', { status: 'entered-in-error' }));
    const calls = server.calls.length;
    const merged = await revalidate({ patient: 'p1', status: 'final' });
    expect(versions(merged)).to.deep.equal(['o2@1']);
    // The second question lists the patient's changed records, ids only.
    expect(server.calls.slice(calls).map((call) => [call.params.get('status'), call.params.get('_elements')])).to.deep.equal([
      ['final', null],
      [null, 'id,meta'],
    ]);
  });

  it('falls back to a full search when the fake server rejects _lastUpdated (400), and stops asking', async () => {
    const { server, cached, revalidate } = setup();
    server.lastUpdated = 'rejected';
    server.put(observation('o1'));
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    server.put(observation('o2'));
    const first = await revalidate({ patient: 'p1' });
    expect(versions(first)).to.deep.equal(['o1@1', 'o2@1']);
    await revalidate({ patient: 'p1' });
    expect(server.calls.map((call) => call.params.has('_lastUpdated'))).to.deep.equal([
      false, // the first load
      true, // refused with 400
      false, // the full search instead
      false, // the next check goes straight to a full search
    ]);
    expect(cached.status).to.equal('online');
  });

  it('refreshes incrementally over a BundleSource (it answers _lastUpdated)', async () => {
    const clock = testClock();
    const requests: string[] = [];
    const bundle = new BundleSource({
      resources: [{ resourceType: 'Patient', id: 'p1' }, { ...observation('o1'), meta: { lastUpdated: '2026-05-01T00:00:00Z' } }],
    });
    const counting: FhirSource = {
      server: bundle.server,
      patientId: bundle.patientId,
      read: (type, id, options) => bundle.read(type, id, options),
      search: (type, params, options) => {
        requests.push(new URLSearchParams(searchParamEntries(params)).toString());
        return bundle.search(type, params, options);
      },
    };
    const cached = createCachedSource(counting, { databaseName: uniqueDatabase(), now: clock.now, revalidateAfter: MINUTE });
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    clock.advance(2 * MINUTE);
    const result = await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    expect(result.resources.map((r) => r.id)).to.deep.equal(['o1']);
    expect(requests).to.deep.equal(['patient=p1', 'patient=p1&_lastUpdated=ge2026-05-01T00%3A00%3A00Z']);
  });

  it('takes the whole answer of a fake server that ignores _lastUpdated, so a deletion is seen', async () => {
    const { server, cached, revalidate } = setup();
    server.lastUpdated = 'ignored';
    server.put(observation('o1'));
    server.put(observation('o2'));
    server.put(observation('o3'));
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    server.delete('Observation', 'o3');
    // It sends o1 and o2, older than the `since` asked for: the cache sees the parameter was ignored.
    const result = await revalidate({ patient: 'p1' });
    expect(versions(result)).to.deep.equal(['o1@1', 'o2@1']);
  });

  it('makes a full refresh after fullRefreshEvery incremental ones, dropping deleted records', async () => {
    const { server, cached, revalidate } = setup({ fullRefreshEvery: 1 });
    server.put(observation('o1'));
    server.put(observation('o2'));
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    server.delete('Observation', 'o1');

    const incremental = await revalidate({ patient: 'p1' });
    expect(versions(incremental)).to.deep.equal(['o1@1', 'o2@1']); // a deletion is invisible to _lastUpdated
    expect(server.calls.at(-1)?.params.has('_lastUpdated')).to.equal(true);

    const full = await revalidate({ patient: 'p1' });
    expect(server.calls.at(-1)?.params.has('_lastUpdated')).to.equal(false);
    expect(versions(full)).to.deep.equal(['o2@1']);
  });

  it('makes a full refresh once fullRefreshInterval has passed', async () => {
    const { server, cached, clock, revalidate } = setup({ fullRefreshInterval: 10 * MINUTE });
    server.put(observation('o1'));
    await cached.search('Observation', { patient: 'p1' });
    await cached.settled();
    await revalidate({ patient: 'p1' });
    expect(server.calls.at(-1)?.params.has('_lastUpdated')).to.equal(true);
    clock.advance(10 * MINUTE);
    await revalidate({ patient: 'p1' });
    expect(server.calls.at(-1)?.params.has('_lastUpdated')).to.equal(false);
  });
});

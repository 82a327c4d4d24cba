import { expect } from '@open-wc/testing';
import type { Observation, Resource } from '@medplum/fhirtypes';
import type { SearchResult } from '../../../packages/core/src/source/fhir-source.js';
import { readQueryKey, searchQueryKey } from '../../../packages/core/src/cache/index.js';
import { mergeIncremental, planIncremental } from '../../../packages/core/src/cache/incremental.js';
import { resultDigest } from '../../../packages/core/src/cache/query-key.js';

const T0 = '2026-06-01T10:00:00.000Z';
const T1 = '2026-06-01T11:00:00.000Z';
const T2 = '2026-06-01T12:00:00.000Z';
const FALLBACK = '2026-06-01T09:00:00.000Z';

function obs(id: string, lastUpdated: string, versionId = '1', extra: Partial<Observation> = {}): Observation {
  return { resourceType: 'Observation', id, status: 'final', code: { text: id }, meta: { versionId, lastUpdated }, ...extra };
}

function result(resources: Resource[], extra: Partial<SearchResult> = {}): SearchResult {
  return { resources, included: [], complete: true, outcomes: [], ...extra };
}

const entries = (params: Record<string, string>) => Object.entries(params) as [string, string][];
const tags = (outcome: ReturnType<typeof mergeIncremental>) =>
  outcome === 'full' ? 'full' : outcome.result.resources.map((r) => `${r.id}@${r.meta?.versionId}`);

describe('searchQueryKey / readQueryKey', () => {
  it('keys a search by type and its sorted parameters, whatever their order', () => {
    expect(searchQueryKey('Observation', { patient: 'p1', category: 'laboratory' })).to.equal('Observation?category=laboratory&patient=p1');
    expect(searchQueryKey('Observation', new URLSearchParams('patient=p1&category=laboratory'))).to.equal(
      'Observation?category=laboratory&patient=p1',
    );
    expect(searchQueryKey('Observation', { date: ['le2021', 'ge2020'], patient: 'p1' })).to.equal('Observation?date=ge2020&date=le2021&patient=p1');
    expect(searchQueryKey('Condition')).to.equal('Condition?');
  });

  it('keeps limits that cut an answer short in the key, and never meets a read key', () => {
    expect(searchQueryKey('Observation', { patient: 'p1' }, { limit: 100 })).to.equal('Observation?patient=p1#limit=100');
    expect(searchQueryKey('Observation', { patient: 'p1' }, { pageLimit: 2 })).to.equal('Observation?patient=p1#pageLimit=2');
    expect(readQueryKey('Patient', 'p1')).to.equal('Patient/p1');
  });
});

describe('resultDigest', () => {
  it('changes with a new version, an added record or the order, not with equal data', () => {
    const base = resultDigest(result([obs('a', T0), obs('b', T0)]));
    expect(resultDigest(result([obs('a', T0), obs('b', T0)]))).to.equal(base);
    expect(resultDigest(result([obs('a', T0), obs('b', T1, '2')]))).not.to.equal(base);
    expect(resultDigest(result([obs('b', T0), obs('a', T0)]))).not.to.equal(base);
    expect(resultDigest(result([obs('a', T0), obs('b', T0), obs('c', T0)]))).not.to.equal(base);
  });

  it('compares content when records carry no meta (in-memory bundles)', () => {
    const plain = (status: Observation['status']): Observation => ({ resourceType: 'Observation', id: 'a', status, code: {} });
    expect(resultDigest(result([plain('final')]))).to.equal(resultDigest(result([plain('final')])));
    expect(resultDigest(result([plain('final')]))).not.to.equal(resultDigest(result([plain('amended')])));
  });
});

describe('planIncremental', () => {
  it('asks for changes since the newest cached lastUpdated (the server clock), with ge', () => {
    const plan = planIncremental(entries({ patient: 'p1' }), result([obs('a', T0), obs('b', T1)]), FALLBACK);
    expect(plan).to.deep.equal({ changes: [['patient', 'p1'], ['_lastUpdated', `ge${T1}`]], since: T1, sorted: false });
  });

  it('uses the fallback time for an empty cached set', () => {
    expect(planIncremental(entries({ patient: 'p1' }), result([]), FALLBACK)?.since).to.equal(FALLBACK);
  });

  it("dates an empty cached set's question by the server's clock (Bundle.meta.lastUpdated), not the device's", () => {
    const serverTime = '2026-06-01T09:00:00.000Z'; // the device clock may be hours ahead
    const plan = planIncremental(entries({ patient: 'p1' }), { ...result([]), serverTime }, FALLBACK);
    expect(plan?.since).to.equal(serverTime);
    expect(plan?.changes).to.deep.include(['_lastUpdated', `ge${serverTime}`]);
  });

  it('never merges a typed chained parameter (subject:Patient.name)', () => {
    expect(planIncremental(entries({ 'subject:Patient.name': 'Shaw' }), result([obs('a', T0)]), FALLBACK)).to.equal(undefined);
  });

  it('adds the patient-wide list of changed ids when the search filters on more than the patient', () => {
    const plan = planIncremental(entries({ patient: 'p1', status: 'active', _count: '50' }), result([obs('a', T0)]), FALLBACK);
    expect(plan?.changedInCompartment).to.deep.equal([
      ['patient', 'p1'],
      ['_lastUpdated', `ge${T0}`],
      ['_elements', 'id,meta'],
    ]);
  });

  it('refuses searches a merge cannot keep right', () => {
    const cached = result([obs('a', T0)]);
    for (const params of <Record<string, string>[]>[
      { patient: 'p1', _revinclude: 'Provenance:target' },
      { patient: 'p1', _has: 'Observation:patient:code=1234' },
      { 'subject.name': 'peter' },
      { code: '1234' }, // a filter without a patient: the whole server's changes would be needed
      { patient: 'p1', _lastUpdated: 'ge2020' },
      { patient: 'p1', _summary: 'count' },
    ]) {
      expect(planIncremental(entries(params), cached, FALLBACK), JSON.stringify(params)).to.equal(undefined);
    }
    expect(planIncremental(entries({ patient: 'p1' }), result([obs('a', T0)], { complete: false }), FALLBACK)).to.equal(undefined);
  });
});

describe('mergeIncremental', () => {
  const plan = planIncremental(entries({ patient: 'p1' }), result([obs('a', T0), obs('b', T1)]), FALLBACK)!;

  it('replaces newer versions in place and appends new records', () => {
    const merged = mergeIncremental(result([obs('a', T0), obs('b', T1)], { total: 2 }), plan, result([obs('b', T1), obs('a', T2, '2'), obs('c', T2)]), undefined);
    expect(tags(merged)).to.deep.equal(['a@2', 'b@1', 'c@1']);
    expect(merged !== 'full' && merged.result.total).to.equal(3);
  });

  it('keeps the cached copy when the answer holds an older version', () => {
    const cached = result([obs('a', T2, '3')]);
    const since = planIncremental(entries({ patient: 'p1' }), cached, FALLBACK)!;
    expect(tags(mergeIncremental(cached, since, result([obs('a', T2, '3')]), undefined))).to.deep.equal(['a@3']);
  });

  it('drops cached records that changed and no longer match', () => {
    const filtered = planIncremental(entries({ patient: 'p1', status: 'final' }), result([obs('a', T0), obs('b', T1)]), FALLBACK)!;
    const merged = mergeIncremental(result([obs('a', T0), obs('b', T1)]), filtered, result([obs('b', T1)]), result([obs('a', T2, '2'), obs('b', T1)]));
    expect(tags(merged)).to.deep.equal(['b@1']);
  });

  it('takes a full answer from a server that ignored _lastUpdated', () => {
    const merged = mergeIncremental(result([obs('a', T0), obs('b', T1)]), plan, result([obs('a', T0)]), undefined);
    expect(merged !== 'full' && merged.full).to.equal(true);
    expect(tags(merged)).to.deep.equal(['a@1']);
  });

  it('asks for a full search when a sorted set changed, when an answer was cut short, or when a limit is passed', () => {
    const sorted = planIncremental(entries({ patient: 'p1', _sort: '-date' }), result([obs('a', T0)]), FALLBACK)!;
    expect(mergeIncremental(result([obs('a', T0)]), sorted, result([obs('c', T2)]), undefined)).to.equal('full');
    expect(tags(mergeIncremental(result([obs('a', T0)]), sorted, result([obs('a', T0)]), undefined))).to.deep.equal(['a@1']);
    expect(mergeIncremental(result([obs('a', T0)]), plan, result([obs('c', T2)], { complete: false }), undefined)).to.equal('full');
    expect(mergeIncremental(result([obs('a', T0)]), plan, result([obs('c', T2)]), undefined, 1)).to.equal('full');
  });

  it('merges included records by type/id without repeating a match', () => {
    const org = (name: string, lastUpdated: string): Resource => ({ resourceType: 'Organization', id: 'org', name, meta: { lastUpdated } });
    const merged = mergeIncremental(
      result([obs('a', T0), obs('b', T1)], { included: [org('Old name', T0)] }),
      plan,
      result([obs('b', T1)], { included: [org('New name', T2), obs('a', T0)] }),
      undefined,
    );
    expect(merged !== 'full' && merged.result.included).to.deep.equal([org('New name', T2)]);
  });
});

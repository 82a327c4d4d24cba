import type { Resource } from '@medplum/fhirtypes';
import type { SearchResult } from '../source/fhir-source.js';

/**
 * How to ask a server only for what changed in a cached search (FHIR R4
 * search.html#lastUpdated), and how to fold the answer into the cached set.
 *
 * Three questions decide whether a merge gives exactly what a full search would:
 * 1. New or updated matches: the search again with `_lastUpdated=ge<since>`, where `since`
 *    is the newest `meta.lastUpdated` in the cached set. It is the server's own clock, so
 *    skew between device and server cannot hide a change; `ge` rather than `gt` so a
 *    change in the same instant as the newest cached record is not missed (the one
 *    repeated record is merged away).
 * 2. Records that changed so that they no longer match (a MedicationRequest that became
 *    `stopped` under `status=active`): when the search filters on anything beyond the
 *    patient, the changed records of the patient are listed too (`_elements=id,meta`),
 *    and cached ones among them that are not in (1) are dropped.
 * 3. What cannot be seen this way: deletions, and changes to `_include`d records. A
 *    periodic full refresh (the cache's `fullRefreshInterval` / `fullRefreshEvery`)
 *    catches them.
 * Searches whose answer can change without their own records changing (`_has`,
 * `_revinclude`, chained parameters, `_text`...) are never merged: they are refetched.
 */
export interface IncrementalPlan {
  /** The search's own parameters plus `_lastUpdated=ge<since>`. */
  readonly changes: [string, string][];
  /** The patient's changed records of the type, ids and meta only; absent when the search has no filter to stop matching. */
  readonly changedInCompartment?: [string, string][];
  /** The `_lastUpdated` lower bound, as the server wrote it (or an ISO instant). */
  readonly since: string;
  /** A `_sort`ed search: the order of new records is the server's to decide, so any change means a full refresh. */
  readonly sorted: boolean;
}

/** Parameters that shape the answer's form, not which records match. */
const CONTROL = new Set(['_count', '_include', '_total', '_elements', '_format', '_pretty', '_summary']);
/** Parameters that place a search in the patient compartment. */
const COMPARTMENT = new Set(['patient', 'subject']);
/** Parameters whose matches can change without the matched record changing, or that a merge cannot express. */
const NOT_MERGEABLE = new Set([
  '_lastUpdated',
  '_revinclude',
  '_has',
  '_list',
  '_query',
  '_filter',
  '_text',
  '_content',
  '_type',
  '_contained',
  '_containedType',
]);

/** A timestamp of `meta.lastUpdated`, or NaN. */
function lastUpdatedOf(resource: Resource | undefined): number {
  const value = resource?.meta?.lastUpdated;
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

function keyOf(resource: Resource | undefined): string | undefined {
  return resource && typeof resource.id === 'string' && resource.id ? `${String(resource.resourceType)}/${resource.id}` : undefined;
}

/**
 * The incremental questions for a cached search, or undefined when only a full search
 * gives a right answer. `fallbackSince` is used when no cached record carries
 * `meta.lastUpdated` (an empty set): the device time of the last fetch minus a margin.
 */
export function planIncremental(entries: readonly [string, string][], cached: SearchResult, fallbackSince: string): IncrementalPlan | undefined {
  if (!cached.complete) return undefined;
  const compartment: [string, string][] = [];
  let filters = 0;
  let sorted = false;
  for (const [rawName, value] of entries) {
    const name = rawName.split(':', 1)[0];
    // A chained parameter (`subject.name`, `subject:Patient.name`) reaches into other resources.
    if (NOT_MERGEABLE.has(name) || rawName.includes('.')) return undefined;
    if (name === '_summary' && value === 'count') return undefined;
    if (name === '_sort') sorted = true;
    else if (COMPARTMENT.has(name)) compartment.push([rawName, value]);
    else if (!CONTROL.has(name)) filters += 1;
  }
  // A filtered search outside a patient would need the whole server's changes to find records that stopped matching.
  if (filters > 0 && compartment.length === 0) return undefined;

  // An empty set has no record to date the question from: the server's own time of the
  // cached answer, when it gave one, else the device's time minus a margin.
  const serverTime = typeof cached.serverTime === 'string' && Number.isFinite(Date.parse(cached.serverTime)) ? cached.serverTime : undefined;
  let since = serverTime ?? fallbackSince;
  let newest = Number.NEGATIVE_INFINITY;
  for (const resource of cached.resources) {
    const time = lastUpdatedOf(resource);
    if (Number.isFinite(time) && time > newest) {
      newest = time;
      since = resource.meta!.lastUpdated!;
    }
  }
  const bound: [string, string] = ['_lastUpdated', `ge${since}`];
  return {
    changes: [...entries, bound],
    ...(filters > 0 ? { changedInCompartment: [...compartment, bound, ['_elements', 'id,meta']] } : {}),
    since,
    sorted,
  };
}

/** True when two copies are the same version (same `versionId` / `lastUpdated`, or same content without them). */
function sameVersion(a: Resource, b: Resource): boolean {
  const metaA = a.meta ?? {};
  const metaB = b.meta ?? {};
  if (metaA.versionId || metaA.lastUpdated || metaB.versionId || metaB.lastUpdated) {
    return metaA.versionId === metaB.versionId && metaA.lastUpdated === metaB.lastUpdated;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when `incoming` should replace `current`: it is newer, or its age cannot be told (the server's latest answer wins). */
function isNewer(incoming: Resource, current: Resource): boolean {
  const a = lastUpdatedOf(incoming);
  const b = lastUpdatedOf(current);
  if (Number.isFinite(a) && Number.isFinite(b) && a !== b) return a > b;
  const va = incoming.meta?.versionId;
  const vb = current.meta?.versionId;
  if (va && vb && /^\d+$/.test(va) && /^\d+$/.test(vb) && va !== vb) return Number(va) > Number(vb);
  return true;
}

/** True when a server ignored `_lastUpdated` (lenient handling of an unknown parameter): it sent records older than asked, or records it cannot date. */
function ignoredSince(answer: SearchResult, since: string): boolean {
  const bound = Date.parse(since);
  if (!Number.isFinite(bound)) return true;
  return answer.resources.some((resource) => {
    const time = lastUpdatedOf(resource);
    return !Number.isFinite(time) || time < bound;
  });
}

export type MergeOutcome =
  /** The merged set (or, when the server ignored `_lastUpdated`, its full answer). */
  | { readonly result: SearchResult; readonly full: boolean }
  /** Only a full search gives a right answer now. */
  | 'full';

/**
 * Folds the answers to an {@link IncrementalPlan} into the cached set, by type/id:
 * newer versions replace older ones in place, new matches are appended, changed records
 * that no longer match are removed. `limit` is the search's resource limit, if any.
 */
export function mergeIncremental(
  cached: SearchResult,
  plan: IncrementalPlan,
  changes: SearchResult,
  changedInCompartment: SearchResult | undefined,
  limit?: number,
): MergeOutcome {
  if (!changes.complete || (changedInCompartment && !changedInCompartment.complete)) return 'full';
  if (ignoredSince(changes, plan.since)) {
    // The server answered the search as if `_lastUpdated` were not there: a full answer.
    return { result: changes, full: true };
  }
  if (changedInCompartment && ignoredSince(changedInCompartment, plan.since)) return 'full';

  const resources = [...cached.resources];
  const position = new Map<string, number>();
  resources.forEach((resource, index) => {
    const key = keyOf(resource);
    if (key) position.set(key, index);
  });

  let changed = false;
  const matched = new Set<string>();
  for (const resource of changes.resources) {
    const key = keyOf(resource);
    if (!key) return 'full';
    matched.add(key);
    const at = position.get(key);
    if (at === undefined) {
      position.set(key, resources.length);
      resources.push(resource);
      changed = true;
    } else if (!sameVersion(resource, resources[at]) && isNewer(resource, resources[at])) {
      resources[at] = resource;
      changed = true;
    }
  }

  const removed = new Set<string>();
  for (const resource of changedInCompartment?.resources ?? []) {
    const key = keyOf(resource);
    if (key && position.has(key) && !matched.has(key)) removed.add(key);
  }
  if (plan.sorted && (changed || removed.size > 0)) return 'full';
  const kept = removed.size ? resources.filter((resource) => !removed.has(keyOf(resource) ?? '')) : resources;
  if (limit !== undefined && kept.length > limit) return 'full';

  const matchKeys = new Set(kept.map(keyOf));
  const included = cached.included.filter((resource) => !matchKeys.has(keyOf(resource)));
  const includedAt = new Map<string, number>();
  included.forEach((resource, index) => {
    const key = keyOf(resource);
    if (key) includedAt.set(key, index);
  });
  for (const resource of changes.included) {
    const key = keyOf(resource);
    if (!key || matchKeys.has(key)) continue;
    const at = includedAt.get(key);
    if (at === undefined) {
      includedAt.set(key, included.length);
      included.push(resource);
    } else if (!sameVersion(resource, included[at]) && isNewer(resource, included[at])) {
      included[at] = resource;
    }
  }

  return {
    result: {
      resources: kept,
      included,
      ...(cached.total !== undefined ? { total: kept.length } : {}),
      complete: true,
      outcomes: cached.outcomes,
      ...((changes.serverTime ?? cached.serverTime) ? { serverTime: changes.serverTime ?? cached.serverTime } : {}),
    },
    full: false,
  };
}

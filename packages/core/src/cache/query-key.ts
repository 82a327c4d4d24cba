import type { Resource } from '@medplum/fhirtypes';
import type { SearchParams, SearchResult } from '../source/fhir-source.js';
import { searchParamEntries } from '../source/paging.js';

/** The paging limits that change what a search returns, so they are part of its key. */
export interface SearchKeyLimits {
  readonly limit?: number;
  readonly pageLimit?: number;
}

/**
 * The cache key of a search: `Type?` and its parameters sorted by name then value
 * (`Observation?category=laboratory&patient=p1`), so the same question asked with the
 * parameters in another order shares one entry. Repeated parameters are ANDed in FHIR
 * (R4 search.html#combining), so their order does not change the answer either. Limits
 * that cut the answer short follow a `#`.
 */
export function searchQueryKey(resourceType: string, params?: SearchParams, limits: SearchKeyLimits = {}): string {
  const entries = searchParamEntries(params).sort(compareEntries);
  let key = `${resourceType}?${new URLSearchParams(entries).toString()}`;
  const extras: string[] = [];
  if (limits.limit !== undefined) extras.push(`limit=${Math.max(0, Math.floor(limits.limit))}`);
  if (limits.pageLimit !== undefined) extras.push(`pageLimit=${Math.max(1, Math.floor(limits.pageLimit))}`);
  return extras.length ? `${key}#${extras.join('&')}` : key;
}

/** The cache key of a read: `Type/id` (never contains `?`, so it cannot meet a search key). */
export function readQueryKey(resourceType: string, id: string): string {
  return `${resourceType}/${id}`;
}

function compareEntries([nameA, valueA]: [string, string], [nameB, valueB]: [string, string]): number {
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  if (valueA !== valueB) return valueA < valueB ? -1 : 1;
  return 0;
}

/**
 * What identifies one version of a resource: type, id, `meta.versionId` and
 * `meta.lastUpdated` (FHIR R4 resource.html#Meta: a server changes them on every update).
 * A resource with neither (some servers, in-memory bundles) is identified by its content.
 */
function versionTag(resource: Resource | undefined): string {
  if (!resource || typeof resource !== 'object') return 'null';
  const meta = (resource as { meta?: { versionId?: unknown; lastUpdated?: unknown } }).meta;
  const versionId = typeof meta?.versionId === 'string' ? meta.versionId : '';
  const lastUpdated = typeof meta?.lastUpdated === 'string' ? meta.lastUpdated : '';
  const head = `${String(resource.resourceType)}/${String(resource.id)}`;
  return versionId || lastUpdated ? `${head}/${versionId}/${lastUpdated}` : `${head}#${JSON.stringify(resource)}`;
}

/**
 * A cheap digest of a search answer: the version tags of its matches and includes, in
 * order, with its total and completeness. Two answers with the same digest show the same
 * data, so a revalidation that finds the same digest changes nothing on screen.
 */
export function resultDigest(result: Pick<SearchResult, 'resources' | 'included' | 'total' | 'complete'>): string {
  const parts: string[] = [`total=${result.total ?? ''}`, `complete=${result.complete}`];
  for (const resource of result.resources ?? []) parts.push(versionTag(resource));
  parts.push('|included');
  for (const resource of result.included ?? []) parts.push(versionTag(resource));
  return hash(parts.join('\n'));
}

/** The digest of one resource (a cached read). */
export function resourceDigest(resource: Resource): string {
  return hash(versionTag(resource));
}

/**
 * A fast non-cryptographic 106-bit hash (two 53-bit cyrb53 lanes). It is kept inside the
 * encrypted entry and only compares a cached answer with a new one, so it needs to be
 * collision-resistant by chance, not against an adversary.
 */
function hash(text: string): string {
  const lane = (seed: number): string => {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  };
  return `${lane(0)}.${lane(0x9e3779b9)}`;
}

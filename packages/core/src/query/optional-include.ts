import type { Resource } from '@medplum/fhirtypes';
import type { FhirSource, SearchOptions, SearchParams, SearchResult } from '../source/fhir-source.js';

/**
 * Per source, the `_include` searches its server refused (HTTP 400): not asked again. Keyed
 * by the source's `server` identity object rather than the source itself: elements hand
 * queries a fresh wrapper of their source on every load (to note cache provenance), and a
 * wrapper passes the same `server` through, so the refusal is remembered across loads.
 */
const refusedIncludes = new WeakMap<object, Set<string>>();

function memoryKey(source: FhirSource): object {
  const server: unknown = source.server;
  return typeof server === 'object' && server !== null ? server : source;
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A search whose `_include` is a nicety, not a need (FHIR R4 search §3.1.1.5.4: a server
 * may not support every `_include`). Tries `params` with `include` added; falls back to
 * `params` alone when:
 * - the server refuses the include (400): remembered per source, so later loads skip the
 *   refused request (and a cache never sees a request it can never answer);
 * - the include search fails otherwise (network down, 5xx): the plain search may still be
 *   answered, e.g. by the cache when offline; if it fails too, its error is thrown.
 */
export async function searchWithOptionalInclude<T extends Resource>(
  source: FhirSource,
  resourceType: string,
  params: Record<string, string | number | readonly (string | number)[] | undefined>,
  include: Record<string, string | readonly string[]>,
  options: SearchOptions = {},
): Promise<SearchResult<T>> {
  const key = `${resourceType}?${JSON.stringify(include)}`;
  const server = memoryKey(source);
  if (!refusedIncludes.get(server)?.has(key)) {
    try {
      return await source.search<T>(resourceType, { ...params, ...include } as SearchParams, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (statusOf(error) === 400) {
        const refused = refusedIncludes.get(server) ?? new Set<string>();
        refused.add(key);
        refusedIncludes.set(server, refused);
      }
    }
  }
  return source.search<T>(resourceType, params as SearchParams, options);
}

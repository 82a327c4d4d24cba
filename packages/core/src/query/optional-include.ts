import type { Resource } from '@medplum/fhirtypes';
import type { FhirSource, SearchOptions, SearchParams, SearchResult } from '../source/fhir-source.js';

/** Per source, the `_include` searches its server refused (HTTP 400): not asked again. */
const refusedIncludes = new WeakMap<FhirSource, Set<string>>();

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
  if (!refusedIncludes.get(source)?.has(key)) {
    try {
      return await source.search<T>(resourceType, { ...params, ...include } as SearchParams, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (statusOf(error) === 400) {
        const refused = refusedIncludes.get(source) ?? new Set<string>();
        refused.add(key);
        refusedIncludes.set(source, refused);
      }
    }
  }
  return source.search<T>(resourceType, params as SearchParams, options);
}

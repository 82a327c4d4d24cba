// Small FhirSource wrappers for states BundleSource does not model on its own.
import type { FhirSource, LaunchContext, SearchResult } from '@ehr-elements/core';

/** `source` as if a SMART launch had given `launchContext` (e.g. need_patient_banner: false). */
export function withLaunchContext(source: FhirSource, launchContext: LaunchContext): FhirSource {
  return {
    server: source.server,
    patientId: source.patientId,
    launchContext,
    read: (resourceType, id, options) => source.read(resourceType, id, options),
    search: (resourceType, params, options) => source.search(resourceType, params, options),
  };
}

/** A server that never answers: the pending state, held still. */
export function stalledSource(patientId: string): FhirSource {
  const never = <T>() => new Promise<T>(() => {});
  return {
    server: { baseUrl: 'https://stalled.example/fhir', label: 'A server that never answers' },
    patientId,
    read: () => never(),
    search: <T>() => never<SearchResult<T & never>>(),
  } as FhirSource;
}

import type { DiagnosticReport, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { referenceKey } from '../model/codeable.js';
import type { FhirSource, SearchProgress, SearchResult } from '../source/fhir-source.js';
import { abortedError } from '../source/http.js';
import { sortMatches, type ClinicalQueryFailure, type ClinicalQueryOptions, type ClinicalRecords } from './condition.js';
import { searchWithOptionalInclude } from './optional-include.js';

/** Page size of the DiagnosticReport search. */
export const LAB_REPORT_PAGE_SIZE = 100;
/** Page size of the Observation search: lab results come by the thousand in long records. */
export const LAB_RESULT_PAGE_SIZE = 200;
/** Pages followed at most per search: 200 x 200 = 40,000 results. */
export const LAB_PAGE_LIMIT = 200;
/** Ids per follow-up `Observation?_id=` search: short enough for any server's URL limit. */
const RESULT_BATCH = 50;

/** The searches {@link loadLabs} makes, for a server's logs or a test. */
export function labSearches(patientId: string): { readonly reports: Record<string, string | number>; readonly results: Record<string, string | number> } {
  return {
    // US Core DiagnosticReport for Laboratory Results Reporting: patient + category SHALL be
    // supported; category is sent without a system so servers indexing it either way match
    // (its codes are v2-0074's, "LAB").
    reports: { patient: patientId, category: 'LAB', _include: 'DiagnosticReport:result', _count: LAB_REPORT_PAGE_SIZE },
    // US Core Laboratory Result Observation: patient + category=laboratory SHALL be supported.
    results: { patient: patientId, category: 'laboratory', _count: LAB_RESULT_PAGE_SIZE },
  };
}

/**
 * A patient's laboratory results: lab DiagnosticReports with the Observations they list
 * (`DiagnosticReport?patient=<id>&category=LAB&_include=DiagnosticReport:result`) and every
 * laboratory Observation (`Observation?patient=<id>&category=laboratory`), searched in
 * parallel and de-duplicated by type and id, with the Patient (best effort: its birth date
 * and sex pick age- and sex-specific reference ranges; a refused read changes nothing).
 *
 * - A server that rejects the `_include` (HTTP 400) is asked again without it (see
 *   `searchWithOptionalInclude`); the results then come from the Observation search, and the
 *   report results it did not return (an Observation without the laboratory category) are
 *   read by id (`Observation?_id=a,b,c`), from the same server only.
 * - When one of the two searches fails and the other succeeds, what loaded is returned with
 *   the failure in `failures`, so the element shows it with a warning and a Retry. When
 *   both fail (or the load is cancelled) it rejects with the FhirError.
 * - Records the server returned for another patient are dropped and counted.
 */
export async function loadLabs(source: FhirSource, patientId: string, options: ClinicalQueryOptions = {}): Promise<ClinicalRecords> {
  const { signal } = options;
  const progress: Record<string, SearchProgress | undefined> = { DiagnosticReport: undefined, Observation: undefined };
  const report = (resourceType: string) => (update: SearchProgress) => {
    progress[resourceType] = update;
    options.onProgress?.(combine(Object.values(progress)));
  };
  const searches = labSearches(patientId);
  const searchReports = (): Promise<SearchResult<DiagnosticReport>> => {
    // The `_include` saves a round trip, nothing more: a server that refuses it (400) is asked
    // again without it (and not asked with it again), and the results come from the
    // Observation search and the reads by id below.
    const { _include, ...params } = searches.reports;
    return searchWithOptionalInclude<DiagnosticReport>(source, 'DiagnosticReport', params, { _include: String(_include) }, {
      signal,
      onProgress: report('DiagnosticReport'),
      pageLimit: LAB_PAGE_LIMIT,
    });
  };
  const searchResults = () =>
    source.search<Observation>('Observation', searches.results, { signal, onProgress: report('Observation'), pageLimit: LAB_PAGE_LIMIT });
  const readPatient = async (): Promise<Patient | undefined> => {
    try {
      return await source.read<Patient>('Patient', patientId, { signal });
    } catch {
      return undefined; // only refines range selection
    }
  };

  const [reports, results, patient] = await Promise.allSettled([searchReports(), searchResults(), readPatient()]);
  if (signal?.aborted) throw abortedError(undefined, signal.reason);

  const failures: ClinicalQueryFailure[] = [];
  const loaded: SearchResult[] = [];
  const matches: Resource[] = [];
  const related: Resource[] = [];
  let otherPatient = 0;
  for (const [resourceType, outcome] of [
    ['DiagnosticReport', reports],
    ['Observation', results],
  ] as const) {
    if (outcome.status === 'rejected') {
      failures.push({ resourceType, error: outcome.reason });
      continue;
    }
    loaded.push(outcome.value);
    const sorted = sortMatches(outcome.value, resourceType, patientId);
    matches.push(...sorted.matches);
    related.push(...sorted.related);
    otherPatient += sorted.otherPatient;
  }
  if (loaded.length === 0) throw failures[0]!.error;

  // De-duplicated by type and id: an Observation comes both included and matched. The two
  // copies may be of different versions (a corrected result whose report was not touched,
  // an include answered from an older cached page): the newer version wins, and when the
  // versions cannot be told apart, the matched copy (the search asked for it directly).
  const byKey = new Map<string, Resource>();
  const anonymous: Resource[] = [];
  for (const resource of [...matches, ...related]) {
    if (!resource.id) {
      anonymous.push(resource);
      continue;
    }
    const key = `${resource.resourceType}/${resource.id}`;
    const kept = byKey.get(key);
    if (!kept || isNewerVersion(resource, kept)) byKey.set(key, resource);
  }
  // Included Observations about another patient are dropped too.
  for (const [key, resource] of byKey) {
    const subject = (resource as { subject?: { reference?: unknown } }).subject?.reference;
    if (resource.resourceType === 'Observation' && typeof subject === 'string' && aboutAnother(subject, patientId)) {
      byKey.delete(key);
      otherPatient += 1;
    }
  }

  const missing = missingResults([...byKey.values()], byKey, source.server.baseUrl);
  const fetched = await readResults(source, missing, signal, patientId);
  for (const observation of fetched) byKey.set(`Observation/${observation.id}`, observation);
  if (patient.status === 'fulfilled' && patient.value?.resourceType === 'Patient') byKey.set(`Patient/${patientId}`, patient.value);

  const resources = [...byKey.values(), ...anonymous];
  return {
    resources,
    matches: resources.filter((resource) => resource.resourceType === 'Observation').length,
    complete: loaded.every((result) => result.complete !== false),
    failures,
    otherPatient,
  };
}

function aboutAnother(reference: string, patientId: string): boolean {
  const key = referenceKey(reference);
  return key !== undefined && key.type === 'Patient' && key.id !== patientId;
}

/** Ids of the Observations reports list that are not at hand: relative references, or absolute ones on this server. */
function missingResults(resources: readonly Resource[], byKey: ReadonlyMap<string, Resource>, baseUrl: string): string[] {
  const ids = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType !== 'DiagnosticReport') continue;
    for (const result of (resource as DiagnosticReport).result ?? []) {
      const reference = typeof result?.reference === 'string' ? result.reference : undefined;
      if (!reference || reference.startsWith('#')) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(reference) && !reference.startsWith(`${baseUrl.replace(/\/+$/, '')}/`)) continue;
      const key = referenceKey(reference);
      if (key?.type === 'Observation' && !byKey.has(`Observation/${key.id}`)) ids.add(key.id);
    }
  }
  return [...ids];
}

/** Reads Observations by id, in batches; what cannot be read stays missing (the report says so). */
async function readResults(source: FhirSource, ids: string[], signal: AbortSignal | undefined, patientId: string): Promise<Observation[]> {
  const found: Observation[] = [];
  for (let start = 0; start < ids.length; start += RESULT_BATCH) {
    const batch = ids.slice(start, start + RESULT_BATCH);
    try {
      const result = await source.search<Observation>('Observation', { _id: batch.join(',') }, { signal, limit: batch.length });
      // A server that ignored `_id` would send other Observations: keep only the ones asked for, about this patient.
      found.push(
        ...result.resources.filter((observation) => {
          const subject = observation.subject?.reference;
          return observation.id !== undefined && batch.includes(observation.id) && !(typeof subject === 'string' && aboutAnother(subject, patientId));
        }),
      );
    } catch (error) {
      if (signal?.aborted || kindOf(error) === 'aborted') throw error;
      return found; // the reports name what is missing
    }
  }
  return found;
}

function combine(updates: (SearchProgress | undefined)[]): SearchProgress {
  const known = updates.filter((update): update is SearchProgress => update !== undefined);
  return {
    loaded: known.reduce((sum, update) => sum + update.loaded, 0),
    pages: known.reduce((sum, update) => sum + update.pages, 0),
    // A combined total only when both searches have reported theirs.
    ...(known.length === updates.length && known.every((update) => update.total !== undefined)
      ? { total: known.reduce((sum, update) => sum + update.total!, 0) }
      : {}),
  };
}

function kindOf(error: unknown): string | undefined {
  // By shape, not instanceof: a page may hold two copies of core's FhirError class.
  const kind = typeof error === 'object' && error !== null ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}

/** True when `candidate` is plainly a later version than `kept` (meta.lastUpdated, else a numeric meta.versionId). */
function isNewerVersion(candidate: Resource, kept: Resource): boolean {
  const updated = (resource: Resource) => {
    const value = resource.meta?.lastUpdated;
    const time = typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isFinite(time) ? time : undefined;
  };
  const a = updated(candidate);
  const b = updated(kept);
  if (a !== undefined && b !== undefined && a !== b) return a > b;
  const version = (resource: Resource) => {
    const value = resource.meta?.versionId;
    return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const va = version(candidate);
  const vb = version(kept);
  return va !== undefined && vb !== undefined && va > vb;
}

import { searchWithOptionalInclude } from './optional-include.js';
import type { Medication, MedicationRequest, MedicationStatement, Resource } from '@medplum/fhirtypes';
import { referenceKey } from '../model/codeable.js';
import { unresolvedMedicationReferences } from '../model/medication.js';
import type { FhirSource, SearchProgress, SearchResult } from '../source/fhir-source.js';
import { abortedError } from '../source/http.js';
import { CLINICAL_PAGE_SIZE, sortMatches, type ClinicalQueryFailure, type ClinicalQueryOptions, type ClinicalRecords } from './condition.js';

/** Ids per follow-up `Medication?_id=` search: short enough for any server's URL limit. */
const MEDICATION_BATCH = 50;
/** Reads in flight at once when a server cannot search Medication by `_id`. */
const READ_CONCURRENCY = 4;

/**
 * A patient's medications: MedicationRequests and MedicationStatements, searched in
 * parallel, each with the Medications they reference
 * (`MedicationRequest?patient=<id>&_include=MedicationRequest:medication`, and the same
 * for MedicationStatement; US Core requires servers to support that `_include`).
 *
 * A `medicationReference` that is neither contained nor included (a server that ignores
 * `_include`) is then read from the same server: all of them de-duplicated, in batches
 * (`Medication?_id=a,b,c`; one read each where that search is refused). A Medication
 * that still cannot be read is left out: the model falls back to the reference's display.
 * References to another server are never followed (the token must not leave its origin).
 *
 * When one of the two searches fails and the other succeeds, what loaded is returned
 * with the failure in `failures`, so the list says it is incomplete. When both fail (or
 * the load is cancelled) it rejects with the FhirError.
 */
export async function loadMedications(source: FhirSource, patientId: string, options: ClinicalQueryOptions = {}): Promise<ClinicalRecords> {
  const { signal } = options;
  const progress: Record<string, SearchProgress | undefined> = {};
  const report = (resourceType: string) => (update: SearchProgress) => {
    progress[resourceType] = update;
    options.onProgress?.(combine(Object.values(progress)));
  };
  const search = async <T extends Resource>(resourceType: 'MedicationRequest' | 'MedicationStatement') => {
    const params = { patient: patientId, _count: CLINICAL_PAGE_SIZE };
    const searchOptions = { signal, onProgress: report(resourceType) };
    // US Core requires `_include=<Type>:medication`; a server without it still gets its list
    // read, and the Medications are read after.
    return searchWithOptionalInclude<T>(source, resourceType, params, { _include: `${resourceType}:medication` }, searchOptions);
  };

  const settled = await Promise.allSettled([search<MedicationRequest>('MedicationRequest'), search<MedicationStatement>('MedicationStatement')]);
  if (signal?.aborted) throw abortedError(undefined, signal.reason);
  const types = ['MedicationRequest', 'MedicationStatement'] as const;
  const results: SearchResult[] = [];
  const failures: ClinicalQueryFailure[] = [];
  const matches: Resource[] = [];
  const related: Resource[] = [];
  let otherPatient = 0;
  settled.forEach((outcome, position) => {
    if (outcome.status === 'rejected') {
      failures.push({ resourceType: types[position]!, error: outcome.reason });
      return;
    }
    results.push(outcome.value);
    const sorted = sortMatches(outcome.value, types[position]!, patientId);
    matches.push(...sorted.matches);
    related.push(...sorted.related);
    otherPatient += sorted.otherPatient;
  });
  if (results.length === 0) throw failures[0]!.error;

  const loaded: Resource[] = [...matches, ...related];
  const wanted = unresolvedMedicationReferences(loaded)
    .filter((reference) => onServer(reference, source.server.baseUrl))
    .map((reference) => referenceKey(reference)!.id);
  const medications = await readMedications(source, [...new Set(wanted)], signal);
  return {
    resources: [...loaded, ...medications],
    matches: matches.length,
    complete: results.every((result) => result.complete !== false),
    failures,
    otherPatient,
  };
}

/** Relative references, and absolute ones under this server's base URL. */
function onServer(reference: string, baseUrl: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(reference)) return true;
  return reference.startsWith(`${baseUrl.replace(/\/+$/, '')}/`);
}

async function readMedications(source: FhirSource, ids: string[], signal: AbortSignal | undefined): Promise<Medication[]> {
  const found: Medication[] = [];
  for (let start = 0; start < ids.length; start += MEDICATION_BATCH) {
    const batch = ids.slice(start, start + MEDICATION_BATCH);
    try {
      const result = await source.search<Medication>('Medication', { _id: batch.join(',') }, { signal, limit: batch.length });
      // A server that ignored `_id` would send other Medications: keep only the ones asked for.
      found.push(...result.resources.filter((medication) => medication.id !== undefined && batch.includes(medication.id)));
    } catch (error) {
      if (signal?.aborted || kindOf(error) === 'aborted') throw error;
      // Offline or signed out: reading one by one would fail the same way.
      if (kindOf(error) === 'network' || kindOf(error) === 'unauthorized') return found;
      found.push(...(await readEach(source, batch, signal)));
    }
  }
  return found;
}

async function readEach(source: FhirSource, ids: string[], signal: AbortSignal | undefined): Promise<Medication[]> {
  const found: Medication[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        found.push(await source.read<Medication>('Medication', id, { signal }));
      } catch (error) {
        if (signal?.aborted || kindOf(error) === 'aborted') throw error;
        // Not found, forbidden...: this one stays unresolved and the list names it from the reference.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker));
  return found;
}

function combine(updates: (SearchProgress | undefined)[]): SearchProgress {
  const known = updates.filter((update): update is SearchProgress => update !== undefined);
  const totals = known.map((update) => update.total);
  return {
    loaded: known.reduce((sum, update) => sum + update.loaded, 0),
    pages: known.reduce((sum, update) => sum + update.pages, 0),
    // A combined total only when both searches have reported theirs.
    ...(known.length === updates.length && known.length === 2 && totals.every((total) => total !== undefined)
      ? { total: totals.reduce<number>((sum, total) => sum + total!, 0) }
      : {}),
  };
}


function kindOf(error: unknown): string | undefined {
  // By shape, not instanceof: a page may hold two copies of core's FhirError class.
  const kind = typeof error === 'object' && error !== null ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}

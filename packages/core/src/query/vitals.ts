import type { Observation } from '@medplum/fhirtypes';
import type { FhirSource, SearchProgress, SearchResult } from '../source/fhir-source.js';
import { sortMatches } from './condition.js';

/** Page size asked of the server. Servers may return fewer (US Core sets no minimum). */
export const VITALS_PAGE_SIZE = 200;

/** Pages followed at most: 500 x 200 = 100,000 Observations, years of ICU monitoring. */
export const VITALS_PAGE_LIMIT = 500;

export interface LoadVitalsOptions {
  readonly signal?: AbortSignal;
  /** Called after every page. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

/** Every vital-sign Observation of a patient, with how complete the answer is. */
export interface VitalsResult {
  readonly observations: Observation[];
  /** False when paging stopped early (see `incompleteReason`): the chart says so. */
  readonly complete: boolean;
  readonly incompleteReason?: SearchResult['incompleteReason'];
  /** `Bundle.total` when the server reported it. */
  readonly total?: number;
  /** Observations the server returned about another patient, left out (the chart says so). */
  readonly otherPatient: number;
}

/**
 * The patient's vital signs: `Observation?patient=<id>&category=vital-signs&_count=200`,
 * every page (US Core 3.1+ "Observation Vital Signs" search: patient + category, which
 * servers SHALL support). The category token is sent without a system so that servers
 * indexing it with or without one match. No `_sort`: the model orders by clinical date,
 * and not every server supports sorting. Observations whose subject names another patient
 * are dropped and counted, as every other loader does (see `sortMatches`). Rejects with a
 * FhirError.
 */
export async function loadVitals(source: FhirSource, patientId: string, options: LoadVitalsOptions = {}): Promise<VitalsResult> {
  const result = await source.search<Observation>(
    'Observation',
    { patient: patientId, category: 'vital-signs', _count: VITALS_PAGE_SIZE },
    { signal: options.signal, onProgress: options.onProgress, pageLimit: VITALS_PAGE_LIMIT },
  );
  const { matches, otherPatient } = sortMatches(result, 'Observation', patientId);
  return {
    observations: matches as Observation[],
    otherPatient,
    complete: result.complete,
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    ...(result.total !== undefined ? { total: result.total } : {}),
  };
}

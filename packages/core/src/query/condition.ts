import type { Condition, Reference, Resource } from '@medplum/fhirtypes';
import type { FhirSource, SearchProgress, SearchResult } from '../source/fhir-source.js';
import { isAboutAnotherPatient } from './allergy.js';

/** What a clinical list query is given besides the source and the patient. */
export interface ClinicalQueryOptions {
  /** Cancels the requests (a newer load, or the element leaving the page). */
  readonly signal?: AbortSignal;
  /** Called after every page, with the matching resources received so far. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

/** One search of a query that failed while the others succeeded. */
export interface ClinicalQueryFailure {
  /** The resource type whose search failed, e.g. `MedicationStatement`. */
  readonly resourceType: string;
  /** The FhirError (or whatever the source rejected with). */
  readonly error: unknown;
}

/**
 * What a clinical list query returns: the matching resources with everything loaded to
 * resolve their references, and an honest account of what could not be loaded.
 */
export interface ClinicalRecords {
  /** The matches, then the resources loaded to resolve their references (`_include`, follow-up reads). */
  readonly resources: readonly Resource[];
  /** Matching resources (without the ones loaded to resolve references). */
  readonly matches: number;
  /** False when paging stopped early (a page or resource limit, a refused `next` link): the list is incomplete. */
  readonly complete: boolean;
  /** Searches that failed while others succeeded: the list shows what loaded and says what is missing. */
  readonly failures: readonly ClinicalQueryFailure[];
  /** Matches the server returned for another patient (it ignored `patient=`): dropped, counted. */
  readonly otherPatient: number;
}

/**
 * Page size asked of the server. Servers cap it at their own maximum (R4 search.html#count);
 * a larger page means fewer round trips for a long problem list.
 */
export const CLINICAL_PAGE_SIZE = 100;

/**
 * A patient's Conditions: `GET [base]/Condition?patient=<id>`, every page (US Core
 * Condition search by patient). Every category and status is loaded; the model groups
 * and hides (entered-in-error) and the element filters by category, so changing the
 * filter never reloads. Rejects with the source's FhirError.
 */
export async function loadConditions(source: FhirSource, patientId: string, options: ClinicalQueryOptions = {}): Promise<ClinicalRecords> {
  const result = await source.search<Condition>(
    'Condition',
    { patient: patientId, _count: CLINICAL_PAGE_SIZE },
    { signal: options.signal, onProgress: options.onProgress },
  );
  const { matches, related, otherPatient } = sortMatches(result, 'Condition', patientId);
  return { resources: [...matches, ...related], matches: matches.length, complete: result.complete !== false, failures: [], otherPatient };
}

/**
 * The matches of a search that are of `resourceType` and about the patient. A server that
 * ignores `search.mode` may put included resources among the matches: they are kept to
 * resolve references. A record whose subject (or patient) plainly names another patient is
 * dropped and counted: showing another patient's record is worse than an error.
 */
export function sortMatches(
  result: SearchResult,
  resourceType: string,
  patientId: string,
): { matches: Resource[]; related: Resource[]; otherPatient: number } {
  const matches: Resource[] = [];
  const related: Resource[] = Array.isArray(result.included) ? [...result.included] : [];
  let otherPatient = 0;
  for (const resource of Array.isArray(result.resources) ? result.resources : []) {
    if (typeof resource !== 'object' || resource === null) continue;
    if (resource.resourceType !== resourceType) {
      related.push(resource);
      continue;
    }
    if (isAboutAnotherPatient(resource as { subject?: Reference; patient?: Reference }, patientId)) {
      otherPatient += 1;
      continue;
    }
    matches.push(resource);
  }
  return { matches, related, otherPatient };
}

import { searchWithOptionalInclude } from './optional-include.js';
import type { AllergyIntolerance, Resource } from '@medplum/fhirtypes';
import type { FhirSource, SearchProgress, SearchResult } from '../source/fhir-source.js';

export interface LoadAllergiesOptions {
  readonly signal?: AbortSignal;
  /** Called after every page. */
  readonly onProgress?: (progress: SearchProgress) => void;
  /**
   * Also ask for the recorders and asserters (`_include=AllergyIntolerance:recorder` and
   * `:asserter`), to name them when the references carry no display. A server that
   * refuses `_include` (HTTP 400) is asked again without it. Default false.
   */
  readonly includeParticipants?: boolean;
}

/** One patient's allergy records, as loaded. */
export interface AllergyData {
  /** The patient's AllergyIntolerance resources, every page, in server order. */
  readonly allergies: AllergyIntolerance[];
  /** Other resources the server sent (included Practitioners, PractitionerRoles, Organizations). */
  readonly included: Resource[];
  /** The server the records came from (`FhirSource.server.label`): their provenance. */
  readonly sourceLabel?: string;
  /** False when paging stopped early: the list may be incomplete and must say so. */
  readonly complete: boolean;
  readonly incompleteReason?: SearchResult['incompleteReason'];
  /** Records the server returned for another patient (it ignored `patient=`): dropped, counted. */
  readonly otherPatientCount: number;
}

/**
 * The search a patient's allergy list needs: every AllergyIntolerance of the patient
 * (US Core AllergyIntolerance: `patient` is the mandatory search parameter). No status
 * filter: refuted and resolved records are shown too, in their own groups, and filtering
 * entered-in-error on the server would depend on its support for `:not`.
 */
export function allergySearchParams(patientId: string, includeParticipants = false): Record<string, string | string[]> {
  return includeParticipants
    ? { patient: patientId, _include: ['AllergyIntolerance:recorder', 'AllergyIntolerance:asserter'] }
    : { patient: patientId };
}

/**
 * Loads every AllergyIntolerance of a patient, all pages. Robust to servers that ignore
 * parameters: a match of another type is dropped, and so is a record whose `patient`
 * names another patient (showing another patient's allergies is worse than an error).
 * Rejects with the source's FhirError: a failed load must never read as "no allergies".
 */
export async function loadAllergies(source: FhirSource, patientId: string, options: LoadAllergiesOptions = {}): Promise<AllergyData> {
  const { signal, onProgress } = options;
  // The recorders' and asserters' names are a nicety: a server that refuses the `_include`,
  // or is unreachable while the plain search is cached, still gets the list shown.
  const result: SearchResult<AllergyIntolerance> = options.includeParticipants
    ? await searchWithOptionalInclude<AllergyIntolerance>(
        source,
        'AllergyIntolerance',
        allergySearchParams(patientId),
        { _include: ['AllergyIntolerance:recorder', 'AllergyIntolerance:asserter'] },
        { signal, onProgress },
      )
    : await source.search<AllergyIntolerance>('AllergyIntolerance', allergySearchParams(patientId), { signal, onProgress });

  const allergies: AllergyIntolerance[] = [];
  const included: Resource[] = [...(Array.isArray(result.included) ? result.included : [])];
  let otherPatientCount = 0;
  for (const resource of Array.isArray(result.resources) ? result.resources : []) {
    if (!resource || typeof resource !== 'object') continue;
    if (resource.resourceType !== 'AllergyIntolerance') {
      // A server that ignores `search.mode` may put included resources among the matches.
      if (typeof resource.resourceType === 'string') included.push(resource as Resource);
      continue;
    }
    if (isAboutAnotherPatient(resource, patientId)) {
      otherPatientCount++;
      continue;
    }
    allergies.push(resource);
  }
  const label = source.server?.label;
  return {
    allergies,
    included,
    ...(label ? { sourceLabel: label } : {}),
    complete: result.complete !== false,
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    otherPatientCount,
  };
}

/**
 * True when a resource's `patient` reference plainly names a patient other than
 * `patientId` (relative, absolute or versioned `Patient/<id>`). A record with no
 * parsable reference is kept: the server matched it, and hiding an allergy is the
 * dangerous mistake.
 */
export function isAboutAnotherPatient(
  resource: { patient?: { reference?: unknown } | null; subject?: { reference?: unknown } | null } | null | undefined,
  patientId: string,
): boolean {
  // R4 names the patient `subject` in most resources and `patient` in some (AllergyIntolerance, Immunization).
  const reference = (resource?.subject ?? resource?.patient)?.reference;
  if (typeof reference !== 'string') return false;
  const path = reference.split(/[?#]/)[0]!.replace(/\/_history\/[^/]+$/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2 || parts[parts.length - 2] !== 'Patient') return false;
  const id = parts[parts.length - 1]!;
  let decoded = id;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    // a malformed escape: compare it as written
  }
  return id !== patientId && decoded !== patientId;
}


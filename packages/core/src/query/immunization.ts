import type { Immunization } from '@medplum/fhirtypes';
import type { FhirSource } from '../source/fhir-source.js';
import { CLINICAL_PAGE_SIZE, sortMatches, type ClinicalQueryOptions, type ClinicalRecords } from './condition.js';

/**
 * A patient's Immunizations: `GET [base]/Immunization?patient=<id>`, every page (US Core
 * Immunization search by patient). Every status is loaded; the model hides
 * entered-in-error and labels not-done. Rejects with the source's FhirError.
 */
export async function loadImmunizations(source: FhirSource, patientId: string, options: ClinicalQueryOptions = {}): Promise<ClinicalRecords> {
  const result = await source.search<Immunization>(
    'Immunization',
    { patient: patientId, _count: CLINICAL_PAGE_SIZE },
    { signal: options.signal, onProgress: options.onProgress },
  );
  const { matches, related, otherPatient } = sortMatches(result, 'Immunization', patientId);
  return { resources: [...matches, ...related], matches: matches.length, complete: result.complete !== false, failures: [], otherPatient };
}

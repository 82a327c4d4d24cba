// What a SMART grant lets a request see (SMART App Launch 2.2, "Scopes and Launch Context").
import type { R4Definitions } from './definitions.js';
import { isCompartmentType, type ParsedSearch } from './search.js';
import type { ResourceStore, StoredResource } from './store.js';

/** The grant an access token carries, as returned by FhirServerOptions.authorize. */
export interface Grant {
  /** Patient in context: a patient-level grant sees only this patient's compartment. */
  patient?: string;
  scopes: string[];
}

/** SMART v2 interactions this read-only server serves: read and search. */
export type ReadInteraction = 'r' | 's';

// `patient/Observation.rs`, `user/*.read`, `system/Patient.cruds?...` (the query part of a
// granular v2 scope is not enforced: the type-level permission is what this sandbox checks).
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)(?:\?.*)?$/;

/** Whether any scope grants `interaction` on `type` (v1 `read` and `*` count as v2 `rs`). */
export function scopesPermit(scopes: readonly string[], type: string, interaction: ReadInteraction): boolean {
  for (const scope of scopes) {
    const match = RESOURCE_SCOPE.exec(scope);
    if (!match) continue;
    const [, , scopeType, permissions] = match;
    if (scopeType !== '*' && scopeType !== type) continue;
    if (permissions === 'read' || permissions === '*') return true;
    if (/^c?r?u?d?s?$/.test(permissions) && permissions.includes(interaction)) return true;
  }
  return false;
}

/**
 * Whether a patient-level grant may see a stored resource: resources of compartment types only
 * in the patient's own compartment; shared resources (Practitioner, Organization, Medication,
 * Location...) always.
 */
export function patientMaySee(definitions: R4Definitions, grant: Grant, stored: StoredResource): boolean {
  if (grant.patient === undefined || !isCompartmentType(definitions, stored.type)) return true;
  return stored.patients.includes(grant.patient);
}

/**
 * The other patient a search names explicitly, if any: `Observation?patient=other`,
 * `subject=Patient/other`, `Patient?_id=other`. Such a search is refused with 403; a search
 * that names no patient is silently limited to the patient in context.
 */
export function otherPatientNamed(store: ResourceStore, grant: Grant, search: ParsedSearch): string | undefined {
  const patient = grant.patient;
  if (patient === undefined) return undefined;
  for (const filter of search.filters) {
    if (filter.missing !== undefined) continue;
    if (search.resourceType === 'Patient' && filter.param.code === '_id' && filter.modifier === '') {
      const ids = filter.values.map((value) => ('code' in value ? value.code : ''));
      if (!ids.includes(patient)) return ids[0];
    }
    if (filter.param.type !== 'reference') continue;
    for (const value of filter.values) {
      if (value.kind !== 'reference') continue;
      if (value.reference !== undefined) {
        const reference = store.normalizeReference(value.reference);
        if (reference.startsWith('Patient/') && reference !== `Patient/${patient}`) {
          return reference.slice('Patient/'.length);
        }
      } else if (value.id !== undefined && value.id !== patient) {
        const types = filter.referenceTypes ?? [];
        const onlyPatients = types.length === 1 && types[0] === 'Patient';
        if (onlyPatients || (types.includes('Patient') && store.get('Patient', value.id))) return value.id;
      }
    }
  }
  return undefined;
}

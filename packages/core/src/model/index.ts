export { toPatientView, UNNAMED_PATIENT, type PatientAgeView, type PatientDateView, type PatientView, type PatientViewOptions } from './patient.js';
export { maskSsn, toIdentifierView, toIdentifierViews, V2_0203_SYSTEMS, type IdentifierKind, type IdentifierView } from './identifier.js';
export { formatAddress, type ContactPointView } from './contact.js';
export { formatHumanName, type NameParts } from './human-name.js';

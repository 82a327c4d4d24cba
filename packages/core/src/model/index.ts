export { toPatientView, UNNAMED_PATIENT, type PatientAgeView, type PatientDateView, type PatientView, type PatientViewOptions } from './patient.js';
export { maskSsn, toIdentifierView, toIdentifierViews, V2_0203_SYSTEMS, type IdentifierKind, type IdentifierView } from './identifier.js';
export { formatAddress, type ContactPointView } from './contact.js';
export { formatHumanName, type NameParts } from './human-name.js';
export {
  isAnaphylaxis,
  noKnownAllergyLabel,
  noKnownAllergyScope,
  summarizeAllergies,
  toAllergyView,
  UNKNOWN_SUBSTANCE,
  type AllergyAlertLevel,
  type AllergyAlertReason,
  type AllergyAssertion,
  type AllergyCategory,
  type AllergyClinicalStatus,
  type AllergyCriticality,
  type AllergyDateView,
  type AllergyGroup,
  type AllergyListStatus,
  type AllergyOnsetView,
  type AllergyReactionView,
  type AllergySummary,
  type AllergyType,
  type AllergyVerificationStatus,
  type AllergyView,
  type AllergyViewOptions,
  type AllergyCodeLabel,
  type NoKnownAllergyScope,
  type ReactionSeverity,
} from './allergy.js';
export { buildTimeline, filterTimeline, groupTimeline, isEmptyTimelineFilter, prepareTimelineSearch, timelineKindOf, TIMELINE_KINDS, TIMELINE_KIND_LABELS, TIMELINE_RESOURCE_TYPES, TIMELINE_UNDATED_LABEL, TIMELINE_UNLINKED_LABEL, type Timeline, type TimelineEvent, type TimelineFilter, type TimelineFilterResult, type TimelineGroup, type TimelineGroupOptions, type TimelineGrouping, type TimelineKind, type TimelineOptions, type TimelineStatus } from './timeline.js';
export { abnormalFlag, DEFAULT_TIMELINE_OBSERVATION_RULE, isNotableObservation, timelineObservationCategories, US_CORE_OBSERVATION_CATEGORIES, type TimelineFlag, type TimelineObservationRule, type TimelineObservationSelection } from './timeline-observations.js';
export type { TimelineDate } from './timeline-dates.js';
export { CODE_SYSTEMS, codeSystemName, conceptLabel, IPS_ABSENT_UNKNOWN, referenceLabel, type ClinicalDateView, type ConceptLabel, type ConceptLabelSource, type NegationKind, type NegationSummary } from './codeable.js';
export { NO_INFORMATION_ABOUT_PROBLEMS, NO_KNOWN_PROBLEMS, toConditionList, toConditionView, UNSPECIFIED_CONDITION, type ConditionClinicalStatus, type ConditionGroup, type ConditionListOptions, type ConditionListView, type ConditionTimeView, type ConditionVerificationStatus, type ConditionView, type ConditionViewOptions } from './condition.js';
export { dosageText, MEDICATION_DETAILS_UNAVAILABLE, NO_INFORMATION_ABOUT_MEDICATIONS, NO_KNOWN_MEDICATIONS, toMedicationList, toMedicationView, UNSPECIFIED_MEDICATION, unresolvedMedicationReferences, type MedicationGroup, type MedicationListView, type MedicationNameSource, type MedicationRecordResource, type MedicationView, type MedicationViewOptions } from './medication.js';
export { groupImmunizationsByVaccine, immunizationStatus, NO_INFORMATION_ABOUT_IMMUNIZATIONS, NO_KNOWN_IMMUNIZATIONS, toImmunizationList, toImmunizationView, UNSPECIFIED_VACCINE, type ImmunizationGroupView, type ImmunizationListView, type ImmunizationStatus, type ImmunizationView, type ImmunizationViewOptions } from './immunization.js';
export { decimateVitalPoints, formatVitalDate, formatVitalNumber, formatVitalRange, formatVitalReading, formatVitalValue, parseVitalKinds, readingFlag, readingsBetween, toVitalsView, VITAL_CODES, VITAL_DEFINITIONS, VITAL_KINDS, vitalCodeOf, vitalDisplayUnit, vitalSignCodes, vitalUnitDisplay, type BloodPressureMeasure, type DecimationOptions, type VitalCode, type VitalCodeRole, type VitalDefinition, type VitalFlag, type VitalKind, type VitalMeasure, type VitalReading, type VitalSeries, type VitalsView, type VitalsViewOptions, type VitalUnitSystem, type VitalValue } from './vitals.js';
export { basicUnitConverter, convertUnit, FAST_PATH_UNITS, isFastPathUnit, loadUnitConverter, setUcumLoader, unitCodeFromText, type FastPathUnit, type UnitConverter, type UnitDimension } from './units.js';
export { DATA_ABSENT_REASON_LABELS, dataAbsentReasonText, interpretationOf, interpretationOfCode, OBSERVATION_INTERPRETATION_SYSTEMS, RESULT_STATUS_LABELS, resultStatus, type InterpretationDirection, type InterpretationSeverity, type InterpretationView, type ResultStatus } from './observation-value.js';
export { isLabObservation, isLabReport, loincCode, parseLabCodes, parseLabPanelSelection, selectLabPanels, toLabsView, type LabDateView, type LabFlagView, type LabPanelKind, type LabPanelSelection, type LabPanelView, type LabPatientFacts, type LabRangeView, type LabResultView, type LabSection, type LabSelection, type LabSelectionOptions, type LabsView, type LabsViewOptions, type LabTrend, type LabTrendGap, type LabTrendPoint, type LabTrendStanding, type LabValueKind, type LabValueView } from './labs.js';

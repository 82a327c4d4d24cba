// Queries: what each element asks a FhirSource for, as pure descriptions plus loaders.
// Data flows source -> query -> cache -> model -> element; the cache (when present) sits
// in the source, so a query never knows whether an answer came from the network.
export {};
export { allergySearchParams, isAboutAnotherPatient, loadAllergies, type AllergyData, type LoadAllergiesOptions } from './allergy.js';
export { loadTimeline, mergeTimelineLoads, timelineSearches, TIMELINE_PAGE_LIMIT, TIMELINE_PAGE_SIZE, type LoadTimelineOptions, type TimelineLoad, type TimelineSearch, type TimelineSearchOptions, type TimelineTypeResult } from './timeline.js';
export { CLINICAL_PAGE_SIZE, loadConditions, type ClinicalQueryFailure, type ClinicalQueryOptions, type ClinicalRecords } from './condition.js';
export { loadMedications } from './medication.js';
export { loadImmunizations } from './immunization.js';
export { loadVitals, VITALS_PAGE_LIMIT, VITALS_PAGE_SIZE, type LoadVitalsOptions, type VitalsResult } from './vitals.js';
export { LAB_PAGE_LIMIT, LAB_REPORT_PAGE_SIZE, LAB_RESULT_PAGE_SIZE, labSearches, loadLabs } from './labs.js';

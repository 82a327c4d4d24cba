// @ehr-elements/elements: the element classes, the context keys and the event classes.
// No side effects: importing this module registers no tag. Register with
// `import '@ehr-elements/elements/define.js'`, or define the classes under your own tags.
export { ContextElement } from './context/context.js';
export { ContextErrorEvent, ContextReadyEvent } from './context/events.js';
export { contextStatusContext, sourceContext, type ContextStatus } from './context/source-context.js';
export { PatientBannerElement, type PatientBannerLayout } from './patient-banner/patient-banner.js';
export { AllergyListElement } from './allergy-list/allergy-list.js';
export { AllergySelectEvent } from './allergy-list/events.js';
export { PatientBannerAllergiesEvent } from './patient-banner/events.js';
export { ConditionListElement } from './condition-list/condition-list.js';
export { ConditionSelectEvent } from './condition-list/events.js';
export { MedicationListElement } from './medication-list/medication-list.js';
export { MedicationSelectEvent } from './medication-list/events.js';
export { ImmunizationListElement, type ImmunizationGrouping } from './immunization-list/immunization-list.js';
export { ImmunizationSelectEvent } from './immunization-list/events.js';
export { VitalsChartElement, VITALS_TABLE_PAGE_SIZE } from './vitals-chart/vitals-chart.js';
export { VitalsChartRangeChangeEvent, VitalsChartViewChangeEvent, type VitalsChartView, type VitalsRange } from './vitals-chart/events.js';
export { TimelineElement, type TimelineFilterState } from './timeline/timeline.js';
export { TimelineSelectEvent } from './timeline/events.js';
export { RecordElement, RECORD_SECTIONS, parseRecordSections, type RecordSection } from './record/record.js';
export { LabResultsElement, LAB_PANELS_PAGE_SIZE } from './lab-results/lab-results.js';
export { LabResultsSelectEvent } from './lab-results/events.js';

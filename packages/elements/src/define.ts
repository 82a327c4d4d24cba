// Registers every ehr-* element. The package's only module with side effects
// (`sideEffects` in package.json names it): `import '@ehr-elements/elements/define.js'`.
import { ContextElement } from './context/context.js';
import type { ContextErrorEvent, ContextReadyEvent } from './context/events.js';
import { PatientBannerElement } from './patient-banner/patient-banner.js';
import { AllergyListElement } from './allergy-list/allergy-list.js';
import type { AllergySelectEvent } from './allergy-list/events.js';
import type { PatientBannerAllergiesEvent } from './patient-banner/events.js';
import { ConditionListElement } from './condition-list/condition-list.js';
import type { ConditionSelectEvent } from './condition-list/events.js';
import { MedicationListElement } from './medication-list/medication-list.js';
import type { MedicationSelectEvent } from './medication-list/events.js';
import { ImmunizationListElement } from './immunization-list/immunization-list.js';
import type { ImmunizationSelectEvent } from './immunization-list/events.js';
import { VitalsChartElement } from './vitals-chart/vitals-chart.js';
import type { VitalsChartRangeChangeEvent, VitalsChartViewChangeEvent } from './vitals-chart/events.js';
import { TimelineElement } from './timeline/timeline.js';
import { RecordElement } from './record/record.js';
import type { TimelineSelectEvent } from './timeline/events.js';
import { LabResultsElement } from './lab-results/lab-results.js';
import type { LabResultsSelectEvent } from './lab-results/events.js';

/**
 * Defines `tag` unless the page already has it: a second copy of this package, or a host
 * page that registered its own subclass first, must not make `customElements.define` throw.
 */
export function defineOnce(tag: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, constructor);
}

defineOnce('ehr-context', ContextElement);
defineOnce('ehr-patient-banner', PatientBannerElement);
defineOnce('ehr-allergy-list', AllergyListElement);
defineOnce('ehr-condition-list', ConditionListElement);
defineOnce('ehr-medication-list', MedicationListElement);
defineOnce('ehr-immunization-list', ImmunizationListElement);
defineOnce('ehr-vitals-chart', VitalsChartElement);
defineOnce('ehr-timeline', TimelineElement);
defineOnce('ehr-record', RecordElement);
defineOnce('ehr-lab-results', LabResultsElement);

declare global {
  interface HTMLElementTagNameMap {
    'ehr-context': ContextElement;
    'ehr-patient-banner': PatientBannerElement;
    'ehr-allergy-list': AllergyListElement;
    'ehr-condition-list': ConditionListElement;
    'ehr-medication-list': MedicationListElement;
    'ehr-immunization-list': ImmunizationListElement;
    'ehr-vitals-chart': VitalsChartElement;
    'ehr-timeline': TimelineElement;
    'ehr-record': RecordElement;
    'ehr-lab-results': LabResultsElement;
  }
  interface HTMLElementEventMap {
    'ehr-context-ready': ContextReadyEvent;
    'ehr-context-error': ContextErrorEvent;
    'ehr-allergy-select': AllergySelectEvent;
    'ehr-patient-banner-allergies': PatientBannerAllergiesEvent;
    'ehr-condition-select': ConditionSelectEvent;
    'ehr-medication-select': MedicationSelectEvent;
    'ehr-immunization-select': ImmunizationSelectEvent;
    'ehr-vitals-chart-range-change': VitalsChartRangeChangeEvent;
    'ehr-vitals-chart-view-change': VitalsChartViewChangeEvent;
    'ehr-timeline-select': TimelineSelectEvent;
    'ehr-lab-results-select': LabResultsSelectEvent;
  }
}

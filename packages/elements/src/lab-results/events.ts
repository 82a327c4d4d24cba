import type { Observation } from '@medplum/fhirtypes';
import type { LabResultView, LabTrend } from '@ehr-elements/core';

/**
 * `ehr-lab-results-select`: the user activated a test's name in `<ehr-lab-results>` (click,
 * Enter or Space). Cancelable: `preventDefault()` keeps the element's own history of the
 * analyte closed (the host page shows its own).
 */
export class LabResultsSelectEvent extends Event {
  static readonly eventName = 'ehr-lab-results-select';
  /** The Observation of the activated row, as the server sent it. */
  readonly observation: Observation;
  /** Every Observation of the same analyte (LOINC code, else name), newest first. */
  readonly observations: readonly Observation[];
  /** The result as the element shows it (name, value, flag, range...). */
  readonly result: LabResultView;
  /** The analyte's trend and history. */
  readonly trend?: LabTrend;

  constructor(result: LabResultView, trend: LabTrend | undefined) {
    super(LabResultsSelectEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.result = result;
    this.observation = result.resource;
    this.trend = trend;
    this.observations = trend ? trend.results.map((item) => item.resource) : [result.resource];
  }
}

import type { MedicationRecordResource, MedicationView } from '@ehr-elements/core';

/** `ehr-medication-select`: the user activated a medication in `<ehr-medication-list>` (click, Enter or Space). */
export class MedicationSelectEvent extends Event {
  static readonly eventName = 'ehr-medication-select';
  /** The MedicationRequest or MedicationStatement, as the server sent it. */
  readonly resource: MedicationRecordResource;
  /** The medication as the list shows it (name, status, dose...). */
  readonly medication: MedicationView;

  constructor(medication: MedicationView) {
    super(MedicationSelectEvent.eventName, { bubbles: true, composed: true });
    this.medication = medication;
    this.resource = medication.resource;
  }
}

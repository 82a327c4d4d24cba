import type { Immunization } from '@medplum/fhirtypes';
import type { ImmunizationView } from '@ehr-elements/core';

/** `ehr-immunization-select`: the user activated an immunization in `<ehr-immunization-list>` (click, Enter or Space). */
export class ImmunizationSelectEvent extends Event {
  static readonly eventName = 'ehr-immunization-select';
  /** The Immunization resource, as the server sent it. */
  readonly resource: Immunization;
  /** The immunization as the list shows it (vaccine, date, dose...). */
  readonly immunization: ImmunizationView;

  constructor(immunization: ImmunizationView) {
    super(ImmunizationSelectEvent.eventName, { bubbles: true, composed: true });
    this.immunization = immunization;
    this.resource = immunization.resource;
  }
}

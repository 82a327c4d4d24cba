import type { AllergyIntolerance } from '@medplum/fhirtypes';
import type { AllergyView } from '@ehr-elements/core';

/** `ehr-allergy-select`: the user activated an allergy in `<ehr-allergy-list>` (click, Enter or Space). */
export class AllergySelectEvent extends Event {
  static readonly eventName = 'ehr-allergy-select';
  /** The AllergyIntolerance resource, as the server sent it. */
  readonly resource: AllergyIntolerance;
  /** The allergy as the list shows it (substance, alert level, reactions...). */
  readonly allergy: AllergyView;

  constructor(allergy: AllergyView) {
    super(AllergySelectEvent.eventName, { bubbles: true, composed: true });
    this.allergy = allergy;
    this.resource = allergy.resource;
  }
}

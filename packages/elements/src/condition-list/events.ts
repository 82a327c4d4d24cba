import type { Condition } from '@medplum/fhirtypes';
import type { ConditionView } from '@ehr-elements/core';

/** `ehr-condition-select`: the user activated a condition in `<ehr-condition-list>` (click, Enter or Space). */
export class ConditionSelectEvent extends Event {
  static readonly eventName = 'ehr-condition-select';
  /** The Condition resource, as the server sent it. */
  readonly resource: Condition;
  /** The condition as the list shows it (name, status, onset...). */
  readonly condition: ConditionView;

  constructor(condition: ConditionView) {
    super(ConditionSelectEvent.eventName, { bubbles: true, composed: true });
    this.condition = condition;
    this.resource = condition.resource;
  }
}

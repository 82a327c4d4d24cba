import type { Resource } from '@medplum/fhirtypes';
import type { TimelineEvent } from '@ehr-elements/core';

/**
 * `ehr-timeline-select`: the user chose an event (click, or Enter or Space on a focused
 * row). The page shows its details: `resource` is the FHIR resource behind it.
 */
export class TimelineSelectEvent extends Event {
  static readonly eventName = 'ehr-timeline-select';
  /** The timeline event chosen (title, dates, kind, status, encounter...). */
  readonly event: TimelineEvent;
  /** The resource it comes from (`event.resource`). */
  readonly resource: Resource;

  constructor(event: TimelineEvent) {
    super(TimelineSelectEvent.eventName, { bubbles: true, composed: true });
    this.event = event;
    this.resource = event.resource;
  }
}

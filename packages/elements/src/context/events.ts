import type { FhirSource } from '@ehr-elements/core';

/** `ehr-context-ready`: `<ehr-context>` now provides `source` to the elements inside it. */
export class ContextReadyEvent extends Event {
  static readonly eventName = 'ehr-context-ready';
  /** The source now provided. */
  readonly source: FhirSource;

  constructor(source: FhirSource) {
    super(ContextReadyEvent.eventName, { bubbles: true, composed: true });
    this.source = source;
  }
}

/** `ehr-context-error`: `<ehr-context>` could not set up a source (a SMART launch failed, a server address was unusable). */
export class ContextErrorEvent extends Event {
  static readonly eventName = 'ehr-context-error';
  /** What went wrong; a FhirError of kind `launch` when a SMART launch failed. */
  readonly error: unknown;

  constructor(error: unknown) {
    super(ContextErrorEvent.eventName, { bubbles: true, composed: true });
    this.error = error;
  }
}

import type { AllergySummary } from '@ehr-elements/core';

/**
 * `ehr-patient-banner-allergies`: the user activated the banner's allergy alert, which is a
 * button when the banner has no `allergies-href`. The page shows its allergy list.
 */
export class PatientBannerAllergiesEvent extends Event {
  static readonly eventName = 'ehr-patient-banner-allergies';
  /** The allergies the alert summed up; undefined when they could not be loaded. */
  readonly summary?: AllergySummary;

  constructor(summary: AllergySummary | undefined) {
    super(PatientBannerAllergiesEvent.eventName, { bubbles: true, composed: true });
    this.summary = summary;
  }
}

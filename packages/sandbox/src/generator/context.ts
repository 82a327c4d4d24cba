/** What every part of a record needs to know about the patient being generated. */
import type { RecordBuilder, AnyReference } from './builder.js';
import type { OrganizationKey, PractitionerKey } from './directory.js';
import type { ConditionPlan, ProfileName, ProfileSpec } from './profiles.js';
import type { ConditionName } from './terminology.js';
import { DAY, YEAR } from './time.js';

/** A condition placed on the timeline. */
export interface TimedCondition {
  plan: ConditionPlan;
  onset: number;
  /** When it resolved, if it did. */
  resolved?: number;
  /** When its first treatment started, if any. */
  treated?: number;
}

export interface PatientContext {
  builder: RecordBuilder;
  profile: ProfileName;
  spec: ProfileSpec;
  /** The seed every random stream of this record derives from. */
  seed: number;
  /** Position in a cohort, when the record is part of one. */
  index?: number;
  birth: number;
  /** The end of the record: now, or the moment of death. */
  end: number;
  /** Sex used for growth curves and sex-specific reference ranges. */
  sex: 'male' | 'female';
  patient: AnyReference;
  home: OrganizationKey;
  pcp: PractitionerKey;
  conditions: TimedCondition[];
  /** Per-patient physiology the vital signs are drawn around. */
  heightFactor: number;
  weightFactor: number;
  heartRateOffset: number;
  systolic: number;
  diastolic: number;
  /** A slow sinusoid phase so adult weight wanders rather than jitters. */
  weightPhase: number;
}

export function ageInYears(context: PatientContext, at: number): number {
  return (at - context.birth) / YEAR;
}

export function ageInDays(context: PatientContext, at: number): number {
  return (at - context.birth) / DAY;
}

/** True if a (not refuted, not erroneous) condition is present at `at`. */
export function hasCondition(context: PatientContext, name: ConditionName, at: number): boolean {
  return context.conditions.some(
    (condition) =>
      condition.plan.name === name &&
      condition.plan.verification !== 'refuted' &&
      condition.plan.verification !== 'entered-in-error' &&
      condition.onset <= at &&
      (condition.resolved === undefined || condition.resolved > at),
  );
}

/** True if the condition is present and its treatment has started by `at`. */
export function isTreated(context: PatientContext, name: ConditionName, at: number): boolean {
  return context.conditions.some(
    (condition) => condition.plan.name === name && condition.treated !== undefined && condition.treated <= at,
  );
}

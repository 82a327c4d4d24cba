/** The common shape of every Observation the generator writes. */
import type { CodeableConcept, Observation, Quantity } from '@medplum/fhirtypes';
import type { AnyReference } from './builder.js';
import type { PatientContext } from './context.js';
import { SYSTEM, coding } from './terminology.js';
import { MINUTE, dateTime, instant } from './time.js';

export type ObservationCategory = 'vital-signs' | 'laboratory' | 'social-history' | 'survey';

const CATEGORY_DISPLAY: Record<ObservationCategory, string> = {
  'vital-signs': 'Vital Signs',
  laboratory: 'Laboratory',
  'social-history': 'Social History',
  survey: 'Survey',
};

export interface ObservationArgs {
  category: ObservationCategory;
  code: CodeableConcept;
  at: number;
  /** Minutes from effective time to issued (results take longer than vitals). */
  issuedAfter: number;
  encounter?: AnyReference;
  performer?: AnyReference[];
  profile?: string;
  status?: Observation['status'];
}

export function observation(context: PatientContext, args: ObservationArgs): Observation {
  const result: Observation = {
    resourceType: 'Observation',
    id: context.builder.id('obs'),
    meta: context.builder.meta(args.at, args.profile),
    status: args.status ?? 'final',
    category: [{ coding: [coding(SYSTEM.observationCategory, args.category, CATEGORY_DISPLAY[args.category])], text: CATEGORY_DISPLAY[args.category] }],
    code: args.code,
    subject: context.patient,
  };
  if (args.encounter) result.encounter = args.encounter;
  result.effectiveDateTime = dateTime(args.at);
  result.issued = instant(args.at + args.issuedAfter * MINUTE);
  if (args.performer) result.performer = args.performer;
  return result;
}

/** A UCUM quantity: `unit` is what people read, `code` what machines compare. */
export function quantity(value: number, [code, unit]: readonly [string, string]): Quantity {
  return { value, unit, system: SYSTEM.ucum, code };
}

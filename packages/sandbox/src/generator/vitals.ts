/**
 * Vital signs and body measures, shaped like US Core vital-signs profiles.
 * Values follow the patient: growth curves for children, a wandering adult
 * weight, blood pressure that rises before a hypertension diagnosis and
 * settles once treated.
 */
import type { Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import { round, type AnyReference } from './builder.js';
import { type PatientContext, ageInDays, ageInYears, hasCondition, isTreated } from './context.js';
import { observation, quantity } from './observations.js';
import type { Random } from './random.js';
import { SPO2_SECOND_CODING, SYSTEM, UNITS, VITALS, type VitalDefinition, coding } from './terminology.js';
import { YEAR } from './time.js';

/**
 * How a source system codes blood pressure: the US Core panel (85354-9), the
 * Synthea panel (55284-4), or two separate observations (8480-6 and 8462-4).
 */
export type BloodPressureStyle = 'panel' | 'synthea' | 'separate';

export type VitalSet = 'full' | 'triage' | 'spot' | 'home';

/** A deliberate defect a UI must cope with. */
export type VitalQuirk = 'missing-component' | 'no-code' | 'entered-in-error';

export interface VitalsOptions {
  at: number;
  encounter?: AnyReference;
  performer: AnyReference;
  set: VitalSet;
  style: BloodPressureStyle;
  units: 'metric' | 'us';
  fever?: boolean;
  /** Weigh the patient even in a spot check (daily weights on the ward). */
  weigh?: boolean;
  quirks?: readonly VitalQuirk[];
}

// Growth curves (roughly WHO/CDC 50th percentile, boys): [age in years, value].
const HEIGHT_CM: ReadonlyArray<readonly [number, number]> = [
  [0, 50], [0.25, 61], [0.5, 67.5], [1, 76], [1.5, 82], [2, 87.5], [3, 96], [4, 103], [5, 110], [6, 116],
  [8, 128], [10, 138], [12, 149], [14, 163], [16, 173], [18, 176],
];
const WEIGHT_KG: ReadonlyArray<readonly [number, number]> = [
  [0, 3.4], [0.083, 4.5], [0.25, 6.4], [0.5, 7.9], [0.75, 8.9], [1, 9.6], [1.5, 10.9], [2, 12.2], [3, 14.3],
  [4, 16.3], [5, 18.3], [6, 20.5], [8, 25.6], [10, 31.2], [12, 39.9], [14, 50.8], [16, 61.1], [18, 68],
];
const HEAD_CM: ReadonlyArray<readonly [number, number]> = [
  [0, 34.5], [0.25, 40.5], [0.5, 43.3], [0.75, 45], [1, 46.1], [1.5, 47.4], [2, 48.3], [3, 49.5],
];
const HEART_RATE: ReadonlyArray<readonly [number, number]> = [
  [0, 140], [0.25, 135], [1, 120], [2, 110], [4, 100], [6, 95], [10, 85], [14, 78], [18, 72], [90, 70],
];
const RESPIRATORY_RATE: ReadonlyArray<readonly [number, number]> = [
  [0, 45], [0.5, 35], [1, 30], [3, 24], [6, 21], [12, 18], [18, 15], [90, 16],
];
const CHILD_SYSTOLIC: ReadonlyArray<readonly [number, number]> = [[3, 95], [6, 100], [10, 106], [14, 112], [18, 116]];
const CHILD_DIASTOLIC: ReadonlyArray<readonly [number, number]> = [[3, 58], [6, 62], [10, 66], [14, 70], [18, 74]];

function curve(points: ReadonlyArray<readonly [number, number]>, x: number): number {
  if (x <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i];
    if (x <= x1) {
      const [x0, y0] = points[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1][1];
}

/** Girls track a little below the boys' curves, further apart after puberty. */
function sexFactor(context: PatientContext, age: number, pubertal: number, floor: number): number {
  if (context.sex === 'male') return 1;
  return age < 11 ? 0.985 : Math.max(floor, 0.985 - (age - 11) * pubertal);
}

export function heightCm(context: PatientContext, at: number): number {
  const age = ageInYears(context, at);
  const base = curve(HEIGHT_CM, Math.min(age, 18)) * sexFactor(context, age, 0.01, 0.925) * context.heightFactor;
  // Older adults lose about a centimetre a decade.
  return age > 60 ? base - (age - 60) * 0.1 : base;
}

export function weightKg(context: PatientContext, at: number): number {
  const age = ageInYears(context, at);
  if (age < 18) {
    let weight = curve(WEIGHT_KG, age) * sexFactor(context, age, 0.02, 0.84) * context.weightFactor;
    // Newborns lose ~7% by day 3-4 and are back to birth weight by two weeks.
    const days = ageInDays(context, at);
    if (days < 14) weight *= days <= 3.5 ? 1 - 0.02 * days : 0.93 + (0.07 * (days - 3.5)) / 10.5;
    return weight;
  }
  const metres = heightCm(context, at) / 100;
  const wander = 1 + 0.05 * Math.sin((2 * Math.PI * at) / (7 * YEAR) + context.weightPhase);
  const frailty = age > 78 ? (age - 78) * 0.5 : 0;
  return context.spec.bmi * context.weightFactor * metres * metres * wander - frailty;
}

export function headCircumferenceCm(context: PatientContext, at: number): number {
  const age = ageInYears(context, at);
  return curve(HEAD_CM, age) * (context.sex === 'female' ? 0.985 : 1) * (0.5 + context.heightFactor / 2);
}

function bloodPressure(context: PatientContext, at: number, rng: Random): [number, number] {
  const age = ageInYears(context, at);
  let systolic: number;
  let diastolic: number;
  if (age < 18) {
    systolic = curve(CHILD_SYSTOLIC, age);
    diastolic = curve(CHILD_DIASTOLIC, age);
  } else {
    systolic = context.systolic + Math.max(0, age - 40) * 0.4;
    diastolic = context.diastolic + Math.max(0, age - 40) * 0.1;
    const hypertension = context.conditions.find((condition) => condition.plan.name === 'hypertension');
    if (hypertension) {
      // Pressure creeps up for two years before the diagnosis and comes down once treated.
      const ramp = Math.min(1, Math.max(0, (at - (hypertension.onset - 2 * YEAR)) / (2 * YEAR)));
      const treated = isTreated(context, 'hypertension', at);
      systolic += ramp * (treated ? 8 : 20);
      diastolic += ramp * (treated ? 4 : 11);
    }
  }
  return [Math.round(rng.normal(systolic, 6)), Math.round(rng.normal(diastolic, 4))];
}

function spo2(context: PatientContext, at: number, rng: Random, fever: boolean): number {
  let mean = 98;
  if (hasCondition(context, 'copd', at)) mean = 93;
  else if (hasCondition(context, 'heartFailure', at)) mean = 95.5;
  if (fever && hasCondition(context, 'pneumonia', at)) mean -= 5;
  return Math.min(100, Math.round(rng.normal(mean, 1.1)));
}

function vital(context: PatientContext, definition: VitalDefinition, options: VitalsOptions, at: number, performer: AnyReference): Observation {
  return observation(context, {
    category: 'vital-signs',
    code: { coding: [coding(SYSTEM.loinc, definition.code, definition.display)], text: definition.text },
    at,
    issuedAfter: 2,
    encounter: options.encounter,
    performer: [performer],
    profile: definition.profile,
  });
}

function component(definition: VitalDefinition, value: Quantity): ObservationComponent {
  return { code: { coding: [coding(SYSTEM.loinc, definition.code, definition.display)], text: definition.text }, valueQuantity: value };
}

function bloodPressureObservations(
  context: PatientContext,
  options: VitalsOptions,
  at: number,
  [systolic, diastolic]: [number, number],
  missingDiastolic: boolean,
): Observation[] {
  const { performer, style } = options;
  if (style === 'separate') {
    const sys = vital(context, VITALS.systolic, options, at, performer);
    sys.valueQuantity = quantity(systolic, UNITS.mmHg);
    const dia = vital(context, VITALS.diastolic, options, at, performer);
    dia.valueQuantity = quantity(diastolic, UNITS.mmHg);
    return [sys, dia];
  }
  const panel = vital(context, style === 'panel' ? VITALS.bpPanel : VITALS.bpSynthea, options, at, performer);
  const diastolicComponent: ObservationComponent = missingDiastolic
    ? {
        code: { coding: [coding(SYSTEM.loinc, VITALS.diastolic.code, VITALS.diastolic.display)], text: VITALS.diastolic.text },
        dataAbsentReason: { coding: [coding(SYSTEM.dataAbsentReason, 'error', 'Error')], text: 'Cuff error; diastolic not recorded' },
      }
    : component(VITALS.diastolic, quantity(diastolic, UNITS.mmHg));
  panel.component = [component(VITALS.systolic, quantity(systolic, UNITS.mmHg)), diastolicComponent];
  return [panel];
}

/** One set of vital signs taken at `options.at`. */
export function vitalSigns(context: PatientContext, rng: Random, options: VitalsOptions): Observation[] {
  const { at, set, units } = options;
  const quirks = options.quirks ?? [];
  const age = ageInYears(context, at);
  const us = units === 'us';
  const out: Observation[] = [];
  const performer = options.performer;

  if (age >= 3) {
    if (quirks.includes('missing-component')) {
      // A first reading that failed, then the repeat a few minutes later.
      out.push(...bloodPressureObservations(context, { ...options, style: 'panel' }, at - 240_000, bloodPressure(context, at, rng), true));
    }
    out.push(...bloodPressureObservations(context, options, at, bloodPressure(context, at, rng), false));
  }

  const heartRate = vital(context, VITALS.heartRate, options, at, performer);
  const rate = Math.round(rng.normal(curve(HEART_RATE, age) + context.heartRateOffset + (options.fever ? 14 : 0), 5));
  // A feed that sent the unit as text only, with no UCUM code.
  heartRate.valueQuantity = quirks.includes('no-code') ? { value: rate, unit: 'beats/minute' } : quantity(rate, UNITS.perMinute);
  out.push(heartRate);

  if (set !== 'home') {
    const respiratory = vital(context, VITALS.respiratoryRate, options, at, performer);
    respiratory.valueQuantity = quantity(Math.round(rng.normal(curve(RESPIRATORY_RATE, age) + (options.fever ? 3 : 0), 1.5)), UNITS.perMinute);
    out.push(respiratory);

    const temperature = vital(context, VITALS.temperature, options, at, performer);
    const celsius = rng.normal(options.fever ? 38.5 : 36.8, options.fever ? 0.4 : 0.22);
    temperature.valueQuantity = us ? quantity(round(celsius * 1.8 + 32, 1), UNITS.fahrenheit) : quantity(round(celsius, 1), UNITS.celsius);
    out.push(temperature);
  }

  if (set === 'spot' || set === 'triage' || (set === 'full' && rng.chance(0.5))) {
    const oximetry = vital(context, VITALS.spo2, options, at, performer);
    oximetry.code.coding?.push(SPO2_SECOND_CODING);
    oximetry.valueQuantity = quantity(spo2(context, at, rng, options.fever ?? false), UNITS.percent);
    out.push(oximetry);
  }

  const weighs = set === 'full' || set === 'home' || options.weigh || (set === 'triage' && rng.chance(0.5));
  let kilograms = 0;
  if (weighs) {
    kilograms = Math.max(0.5, weightKg(context, at) + rng.normal(0, age < 2 ? 0.05 : 0.4));
    const weight = vital(context, VITALS.weight, options, at, performer);
    weight.valueQuantity = age < 1 ? quantity(Math.round(kilograms * 1000), UNITS.g) : us ? quantity(round(kilograms * 2.20462, 1), UNITS.lb) : quantity(round(kilograms, 1), UNITS.kg);
    out.push(weight);
    if (quirks.includes('entered-in-error')) {
      // Keyed with a slipped decimal point, then marked as an error by the nurse.
      const wrong = vital(context, VITALS.weight, options, at - 60_000, performer);
      wrong.status = 'entered-in-error';
      wrong.valueQuantity = quantity(round(kilograms * 10, 1), UNITS.kg);
      wrong.note = [{ text: 'Decimal point slipped on entry; see corrected weight.' }];
      out.push(wrong);
    }
  }

  if (set === 'full') {
    const centimetres = heightCm(context, at) + rng.normal(0, 0.3);
    const height = vital(context, VITALS.height, options, at, performer);
    height.valueQuantity = us && age >= 2 ? quantity(round(centimetres / 2.54, 1), UNITS.inch) : quantity(round(centimetres, 1), UNITS.cm);
    out.push(height);
    if (age >= 2 && kilograms > 0) {
      const bmi = vital(context, VITALS.bmi, options, at, performer);
      bmi.valueQuantity = quantity(round(kilograms / (centimetres / 100) ** 2, 1), UNITS.bmi);
      out.push(bmi);
    }
    if (age < 3) {
      const head = vital(context, VITALS.headCircumference, options, at, performer);
      head.valueQuantity = quantity(round(headCircumferenceCm(context, at) + rng.normal(0, 0.2), 1), UNITS.cm);
      out.push(head);
    }
  }
  return out;
}

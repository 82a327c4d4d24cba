// The LOINC codes of vital signs and their common variants, in one table. FHIR R4's
// vital signs profiles (observation-vitalsigns) require the generic code (8310-5 body
// temperature, 8867-4 heart rate ...) and allow a more specific one beside it; real feeds
// often send only the specific one (Synthea: 8331-1 oral temperature alone), so every
// variant below maps to its vital. Variants come from LOINC's vital-sign groups.
import type { UnitDimension } from './units.js';

/** The vitals this library charts, in the order a clinician reads them. */
export type VitalKind = 'bp' | 'hr' | 'rr' | 'temp' | 'spo2' | 'weight' | 'height' | 'bmi' | 'head';

export const VITAL_KINDS: readonly VitalKind[] = ['bp', 'hr', 'rr', 'temp', 'spo2', 'weight', 'height', 'bmi', 'head'];

/** Blood pressure halves: what a BP component or a separate BP Observation measures. */
export type BloodPressureMeasure = 'systolic' | 'diastolic';

export interface VitalDefinition {
  readonly kind: VitalKind;
  /** "Blood pressure". */
  readonly label: string;
  readonly dimension: UnitDimension;
  /** UCUM display unit by default (`units="metric"`). */
  readonly metricUnit: string;
  /** UCUM display unit with `units="us"`. */
  readonly usUnit: string;
}

export const VITAL_DEFINITIONS: Readonly<Record<VitalKind, VitalDefinition>> = {
  bp: { kind: 'bp', label: 'Blood pressure', dimension: 'pressure', metricUnit: 'mm[Hg]', usUnit: 'mm[Hg]' },
  hr: { kind: 'hr', label: 'Heart rate', dimension: 'rate', metricUnit: '/min', usUnit: '/min' },
  rr: { kind: 'rr', label: 'Respiratory rate', dimension: 'rate', metricUnit: '/min', usUnit: '/min' },
  temp: { kind: 'temp', label: 'Temperature', dimension: 'temperature', metricUnit: 'Cel', usUnit: '[degF]' },
  spo2: { kind: 'spo2', label: 'Oxygen saturation', dimension: 'fraction', metricUnit: '%', usUnit: '%' },
  weight: { kind: 'weight', label: 'Weight', dimension: 'mass', metricUnit: 'kg', usUnit: '[lb_av]' },
  height: { kind: 'height', label: 'Height', dimension: 'length', metricUnit: 'cm', usUnit: '[in_i]' },
  bmi: { kind: 'bmi', label: 'BMI', dimension: 'bmi', metricUnit: 'kg/m2', usUnit: 'kg/m2' },
  head: { kind: 'head', label: 'Head circumference', dimension: 'length', metricUnit: 'cm', usUnit: '[in_i]' },
};

/** What a LOINC code is, for this library. */
export type VitalCodeRole =
  | { readonly role: 'value'; readonly kind: Exclude<VitalKind, 'bp'> }
  | { readonly role: 'bp-panel' }
  | {
      readonly role: 'bp-part';
      readonly measure: BloodPressureMeasure;
      /**
       * The posture or method the code names ("Sitting", "Standing", "Supine", "Noninvasive",
       * "By palpation"); undefined for the plain codes 8480-6 and 8462-4. A systolic is paired
       * only with a diastolic of the same variant: an orthostatic set (sitting and standing at
       * the same moment) must never be crossed.
       */
      readonly variant?: string;
    };

export interface VitalCode {
  readonly code: string;
  readonly display: string;
  readonly is: VitalCodeRole;
  /**
   * Also a laboratory code (arterial blood gas saturation): taken as a vital sign only when
   * the Observation is in the vital-signs category or has no category.
   */
  readonly alsoLaboratory?: boolean;
}

const value = (kind: Exclude<VitalKind, 'bp'>) => ({ role: 'value', kind }) as const;
const part = (measure: BloodPressureMeasure, variant?: string) => ({ role: 'bp-part', measure, ...(variant ? { variant } : {}) }) as const;
const panel = { role: 'bp-panel' } as const;

/** LOINC codes of vital signs and their common variants. */
export const VITAL_CODES: readonly VitalCode[] = [
  // Blood pressure: panels whose components carry systolic and diastolic (FHIR R4 vitalsigns: 85354-9;
  // Synthea and older feeds: 55284-4; 35094-2 in some national profiles).
  { code: '85354-9', display: 'Blood pressure panel with all children optional', is: panel },
  { code: '55284-4', display: 'Blood pressure systolic and diastolic', is: panel },
  { code: '35094-2', display: 'Blood pressure panel', is: panel },
  { code: '8480-6', display: 'Systolic blood pressure', is: part('systolic') },
  { code: '8459-0', display: 'Systolic blood pressure--sitting', is: part('systolic', 'Sitting') },
  { code: '8460-8', display: 'Systolic blood pressure--standing', is: part('systolic', 'Standing') },
  { code: '8461-6', display: 'Systolic blood pressure--supine', is: part('systolic', 'Supine') },
  { code: '76534-7', display: 'Systolic blood pressure by Noninvasive', is: part('systolic', 'Noninvasive') },
  // Palpation gives the systolic alone.
  { code: '8479-8', display: 'Systolic blood pressure by palpation', is: part('systolic', 'By palpation') },
  { code: '8462-4', display: 'Diastolic blood pressure', is: part('diastolic') },
  { code: '8453-3', display: 'Diastolic blood pressure--sitting', is: part('diastolic', 'Sitting') },
  { code: '8454-1', display: 'Diastolic blood pressure--standing', is: part('diastolic', 'Standing') },
  { code: '8455-8', display: 'Diastolic blood pressure--supine', is: part('diastolic', 'Supine') },
  { code: '76535-4', display: 'Diastolic blood pressure by Noninvasive', is: part('diastolic', 'Noninvasive') },
  // Heart rate
  { code: '8867-4', display: 'Heart rate', is: value('hr') },
  { code: '8889-8', display: 'Heart rate by Pulse oximetry', is: value('hr') },
  { code: '8893-0', display: 'Heart rate Peripheral artery by Palpation', is: value('hr') },
  // Respiratory rate
  { code: '9279-1', display: 'Respiratory rate', is: value('rr') },
  // Body temperature, by site (skin and surface temperatures are not body temperature: left out)
  { code: '8310-5', display: 'Body temperature', is: value('temp') },
  { code: '8331-1', display: 'Oral temperature', is: value('temp') },
  { code: '8328-7', display: 'Axillary temperature', is: value('temp') },
  { code: '8332-9', display: 'Rectal temperature', is: value('temp') },
  { code: '8333-7', display: 'Tympanic membrane temperature', is: value('temp') },
  { code: '8329-5', display: 'Body temperature - Core', is: value('temp') },
  { code: '60836-4', display: 'Esophageal temperature', is: value('temp') },
  { code: '60838-0', display: 'Nasopharyngeal temperature', is: value('temp') },
  { code: '75539-7', display: 'Body temperature - Temporal artery', is: value('temp') },
  { code: '76010-8', display: 'Nasal temperature', is: value('temp') },
  { code: '76011-6', display: 'Ear temperature', is: value('temp') },
  // Oxygen saturation (US Core pulse oximetry: 59408-5 with 2708-6 beside it)
  { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', is: value('spo2') },
  { code: '2708-6', display: 'Oxygen saturation in Arterial blood', is: value('spo2'), alsoLaboratory: true },
  { code: '2710-2', display: 'Oxygen saturation in Capillary blood by Oximetry', is: value('spo2') },
  { code: '20564-1', display: 'Oxygen saturation in Blood', is: value('spo2'), alsoLaboratory: true },
  // Body weight
  { code: '29463-7', display: 'Body weight', is: value('weight') },
  { code: '3141-9', display: 'Body weight Measured', is: value('weight') },
  { code: '3142-7', display: 'Body weight Stated', is: value('weight') },
  { code: '8335-2', display: 'Body weight Estimated', is: value('weight') },
  // Body height (8306-3: lying length, for infants)
  { code: '8302-2', display: 'Body height', is: value('height') },
  { code: '8306-3', display: 'Body height --lying', is: value('height') },
  { code: '8308-9', display: 'Body height --standing', is: value('height') },
  { code: '3137-7', display: 'Body height Measured', is: value('height') },
  { code: '3138-5', display: 'Body height Stated', is: value('height') },
  // BMI (percentiles are not BMI values: left out)
  { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', is: value('bmi') },
  // Head circumference
  { code: '9843-4', display: 'Head Occipital-frontal circumference', is: value('head') },
  { code: '8287-5', display: 'Head Occipital-frontal circumference by Tape measure', is: value('head') },
];

/**
 * SNOMED CT 75367002 |Blood pressure (observable entity)|: some feeds code the panel with it
 * alone (its components in LOINC); it is read as a blood pressure panel. Not in the table
 * above, which is LOINC only (a `code=` search sends LOINC codes).
 */
export const SNOMED_BLOOD_PRESSURE: VitalCode = { code: '75367002', display: 'Blood pressure', is: panel };

/** The table above, by code. */
export const VITAL_CODE_INDEX: ReadonlyMap<string, VitalCode> = new Map(VITAL_CODES.map((entry) => [entry.code, entry]));

/** Every code that makes an Observation a vital sign here, for a `code=` search or a filter. */
export function vitalSignCodes(kinds: readonly VitalKind[] = VITAL_KINDS): string[] {
  return VITAL_CODES.filter((entry) => kinds.includes(entry.is.role === 'value' ? entry.is.kind : 'bp')).map((entry) => entry.code);
}

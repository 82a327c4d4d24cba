/**
 * Clinical profiles: who the patient is and what has happened to them. The
 * record generator turns a profile plus a seed into resources; everything
 * random (exact dates, values, names) comes from the seed, everything that
 * makes the profile what it is (a penicillin anaphylaxis, a death) is fixed here.
 */
import type { OrganizationKey, PractitionerKey } from './directory.js';
import type { ConditionName, MedicationName, MedicationProductName, ProcedureName, SmokingStatus } from './terminology.js';

export type Gender = 'male' | 'female' | 'other' | 'unknown';

export type VisitKind = 'checkup' | 'followup' | 'sick' | 'emergency' | 'inpatient' | 'birth';

export type AllergySet = 'rich' | 'nka' | 'nkda' | 'none' | 'pollen' | 'peanut' | 'bee' | 'elderly' | 'penicillin-rash' | 'complex' | 'bulk';

/** A medication started for a condition. */
export interface MedicationPlan {
  /** An RxNorm concept written as medicationCodeableConcept... */
  med?: MedicationName;
  /** ...or a separate Medication resource referenced by medicationReference. */
  product?: MedicationProductName;
  /** active: still taken; stopped: discontinued early; completed: a finished course. */
  status: 'active' | 'stopped' | 'completed';
  /** Days after the diagnosis that it was started (default 0). */
  startAfterDays?: number;
  /** For stopped and completed: days it was taken. */
  days?: number;
}

export interface ConditionPlan {
  name: ConditionName;
  /** Onset as years before the end of the record... */
  yearsAgo?: number;
  /** ...or as the patient's age in years. */
  age?: number;
  /** How the onset is written (default dateTime). */
  onsetAs?: 'dateTime' | 'date' | 'age' | 'string';
  onsetText?: string;
  /** Resolved this many days after onset (clinicalStatus resolved + abatementDateTime). */
  resolvedAfterDays?: number;
  /** In remission (clinicalStatus inactive). */
  inactive?: boolean;
  verification?: 'confirmed' | 'provisional' | 'differential' | 'unconfirmed' | 'refuted' | 'entered-in-error';
  severity?: 'mild' | 'moderate' | 'severe';
  /** The kind of visit that diagnosed it (default followup for chronic, sick for acute). */
  visit?: VisitKind;
  /** Who manages it, if not the primary care provider. */
  specialist?: PractitionerKey;
  meds?: MedicationPlan[];
  /** Days the inpatient stay for this diagnosis lasts. */
  stayDays?: number;
}

export interface ProcedurePlan {
  name: ProcedureName;
  yearsAgo?: number;
  age?: number;
  /** An inpatient stay (performedPeriod) rather than an office procedure (performedDateTime). */
  inpatient?: boolean;
  reason?: ConditionName;
}

export interface StatementPlan {
  /** An RxNorm medication, or free text when the patient names something uncoded. */
  med?: MedicationName;
  text?: string;
  status: 'active' | 'completed';
  yearsAgo: number;
  days?: number;
  dosage: string;
}

export interface ProfileSpec {
  /** Age at the end of the record (today, or death) in days. */
  ageDays: readonly [number, number];
  /** A fixed, possibly partial, birth date (YYYY-MM) instead of ageDays. */
  birthDate?: string;
  gender?: Gender;
  /** Years of visits before the end of the record (capped at birth). */
  historyYears: number;
  deceased?: boolean;
  pcp: PractitionerKey;
  home: OrganizationKey;
  conditions: ConditionPlan[];
  procedures: ProcedurePlan[];
  statements: StatementPlan[];
  allergies: AllergySet;
  /** Visits per year besides check-ups, before any density scaling. */
  rates: { followup: number; sick: number; emergency: number; inpatient: number };
  /** Probability that a yearly check-up is skipped. */
  skipCheckup: number;
  smoking?: SmokingStatus;
  /** Adult body-mass index the weights are built around. */
  bmi: number;
  /** Identity details that exercise the patient banner. */
  identity: {
    nickname?: boolean;
    photo?: boolean;
    prefix?: string;
    suffix?: string;
    maidenName?: boolean;
    /** A newborn's placeholder name kept as an `old` name. */
    babyName?: boolean;
    languages?: string[];
    maritalStatus?: 'M' | 'S' | 'W' | 'D';
  };
  /** The demo patient: carries the deliberate data quirks (three BP codings up front, a missing component, ...). */
  quirks?: boolean;
}

const YEAR_DAYS = 365;

export const PROFILES = {
  'adult-anaphylaxis': {
    ageDays: [34 * YEAR_DAYS, 42 * YEAR_DAYS],
    gender: 'female',
    historyYears: 8,
    pcp: 'family',
    home: 'clinic',
    conditions: [
      { name: 'allergicRhinitis', age: 8, onsetAs: 'string', onsetText: 'Childhood', meds: [] },
      { name: 'asthma', age: 12, onsetAs: 'age', severity: 'mild', meds: [{ med: 'albuterol', status: 'active' }, { med: 'fluticasone', status: 'active', startAfterDays: 30 }] },
      { name: 'anaphylaxis', yearsAgo: 4.6, resolvedAfterDays: 1, visit: 'emergency', severity: 'severe', meds: [{ med: 'epinephrine', status: 'active' }] },
      { name: 'migraine', yearsAgo: 6, severity: 'moderate', visit: 'sick', meds: [{ med: 'sumatriptan', status: 'active' }] },
      { name: 'bronchitis', yearsAgo: 3.2, resolvedAfterDays: 16, visit: 'sick', meds: [{ med: 'azithromycin', status: 'completed', days: 5 }] },
      { name: 'ankleSprain', yearsAgo: 1.6, resolvedAfterDays: 45, visit: 'emergency', meds: [{ med: 'ibuprofen', status: 'completed', days: 14 }] },
      { name: 'gerd', yearsAgo: 0.4, verification: 'provisional', visit: 'sick', meds: [{ med: 'omeprazole', status: 'active' }] },
    ],
    procedures: [
      { name: 'appendectomy', age: 19, inpatient: true },
      { name: 'spirometry', yearsAgo: 2.1, reason: 'asthma' },
    ],
    statements: [
      { med: 'cetirizine', status: 'active', yearsAgo: 5, dosage: '1 tablet daily in spring and summer' },
      { med: 'acetaminophen', status: 'completed', yearsAgo: 1.6, days: 10, dosage: '2 tablets every 6 hours as needed' },
    ],
    allergies: 'rich',
    rates: { followup: 1, sick: 0.4, emergency: 0, inpatient: 0 },
    skipCheckup: 0.1,
    smoking: 'former',
    bmi: 23.5,
    identity: { nickname: true, photo: true, languages: ['en-US', 'es'], maritalStatus: 'M' },
    quirks: true,
  },
  newborn: {
    ageDays: [21, 42],
    gender: 'female',
    historyYears: 1,
    pcp: 'pediatrician',
    home: 'pediatrics',
    conditions: [{ name: 'neonatalJaundice', age: 2 / 365, resolvedAfterDays: 12, visit: 'birth', severity: 'mild', meds: [] }],
    procedures: [],
    statements: [],
    allergies: 'none',
    rates: { followup: 0, sick: 0, emergency: 0, inpatient: 0 },
    skipCheckup: 0,
    bmi: 0,
    identity: { babyName: true, languages: ['en-US'] },
  },
  infant: {
    ageDays: [230, 320],
    gender: 'male',
    historyYears: 1,
    pcp: 'pediatrician',
    home: 'pediatrics',
    conditions: [
      { name: 'eczema', age: 0.25, severity: 'mild', meds: [{ med: 'hydrocortisoneCream', status: 'active' }] },
      { name: 'otitis', age: 0.55, resolvedAfterDays: 10, visit: 'sick', meds: [{ med: 'amoxicillinSuspension', status: 'completed', days: 10 }] },
    ],
    procedures: [],
    statements: [{ text: 'Vitamin D3 drops 400 IU', status: 'active', yearsAgo: 0.6, dosage: '1 mL by mouth daily' }],
    allergies: 'nkda',
    rates: { followup: 0, sick: 1.2, emergency: 0, inpatient: 0 },
    skipCheckup: 0,
    bmi: 0,
    identity: { languages: ['en-US'] },
  },
  child: {
    ageDays: [4 * YEAR_DAYS + 60, 6 * YEAR_DAYS],
    gender: 'female',
    historyYears: 8,
    pcp: 'pediatrician',
    home: 'pediatrics',
    conditions: [
      { name: 'otitis', age: 1.4, resolvedAfterDays: 10, visit: 'sick', meds: [{ med: 'amoxicillinSuspension', status: 'completed', days: 10 }] },
      { name: 'viralUri', age: 3.1, resolvedAfterDays: 8, visit: 'sick', meds: [] },
      { name: 'eczema', age: 0.7, inactive: true, onsetAs: 'string', onsetText: 'Infancy', meds: [] },
    ],
    procedures: [],
    statements: [],
    allergies: 'peanut',
    rates: { followup: 0, sick: 0.6, emergency: 0, inpatient: 0 },
    skipCheckup: 0.05,
    bmi: 0,
    identity: { languages: ['vi', 'en-US'] },
  },
  adolescent: {
    ageDays: [14 * YEAR_DAYS + 30, 16 * YEAR_DAYS],
    gender: 'male',
    historyYears: 9,
    pcp: 'pediatrician',
    home: 'pediatrics',
    conditions: [
      { name: 'asthma', age: 6, inactive: true, meds: [{ med: 'albuterol', status: 'stopped', days: 900 }] },
      { name: 'adhd', age: 9, meds: [{ med: 'methylphenidate', status: 'active' }] },
      { name: 'fracture', age: 12.3, resolvedAfterDays: 42, visit: 'emergency', meds: [{ med: 'ibuprofen', status: 'completed', days: 10 }] },
    ],
    procedures: [],
    statements: [],
    allergies: 'bee',
    rates: { followup: 1, sick: 0.4, emergency: 0, inpatient: 0 },
    skipCheckup: 0.15,
    smoking: 'never',
    bmi: 0,
    identity: { languages: ['en-US'] },
  },
  adult: {
    ageDays: [40 * YEAR_DAYS, 50 * YEAR_DAYS],
    gender: 'other',
    historyYears: 7,
    pcp: 'familyDo',
    home: 'clinic',
    conditions: [
      { name: 'depression', yearsAgo: 7.5, inactive: true, meds: [{ med: 'sertraline', status: 'stopped', days: 700 }] },
      { name: 'hypertension', yearsAgo: 5, meds: [{ med: 'hydrochlorothiazide', status: 'stopped', days: 320 }, { med: 'lisinopril', status: 'active', startAfterDays: 320 }] },
      { name: 'gerd', yearsAgo: 4, meds: [{ med: 'omeprazole', status: 'stopped', days: 200 }] },
      { name: 'strep', yearsAgo: 2.5, resolvedAfterDays: 10, visit: 'sick', meds: [{ med: 'amoxicillin', status: 'completed', days: 10 }] },
      { name: 'prediabetes', yearsAgo: 2, onsetAs: 'date', meds: [] },
    ],
    procedures: [{ name: 'depressionScreening', yearsAgo: 1.1 }],
    statements: [{ med: 'ibuprofen', status: 'completed', yearsAgo: 3, days: 7, dosage: '2 tablets as needed for back pain' }],
    allergies: 'pollen',
    rates: { followup: 1.2, sick: 0.3, emergency: 0, inpatient: 0 },
    skipCheckup: 0.2,
    smoking: 'current',
    bmi: 29,
    identity: { prefix: 'Mx.', languages: ['en-US'], maritalStatus: 'S' },
  },
  nka: {
    ageDays: [24 * YEAR_DAYS, 31 * YEAR_DAYS],
    gender: 'male',
    historyYears: 6,
    pcp: 'nursePractitioner',
    home: 'clinic',
    conditions: [
      { name: 'ankleSprain', yearsAgo: 3.3, resolvedAfterDays: 30, visit: 'sick', meds: [] },
      { name: 'viralUri', yearsAgo: 0.8, resolvedAfterDays: 9, visit: 'sick', meds: [] },
    ],
    procedures: [],
    statements: [],
    allergies: 'nka',
    rates: { followup: 0, sick: 0.2, emergency: 0, inpatient: 0 },
    skipCheckup: 0.35,
    smoking: 'never',
    bmi: 23,
    identity: { languages: ['es', 'en-US'], maritalStatus: 'S' },
  },
  elderly: {
    ageDays: [74 * YEAR_DAYS, 82 * YEAR_DAYS],
    gender: 'female',
    historyYears: 7,
    pcp: 'family',
    home: 'clinic',
    conditions: [
      { name: 'hypertension', yearsAgo: 21, onsetAs: 'date', meds: [{ med: 'amlodipine', status: 'active' }] },
      { name: 'hyperlipidemia', yearsAgo: 15, meds: [{ med: 'simvastatin', status: 'stopped', days: 3000 }, { med: 'atorvastatin', status: 'active', startAfterDays: 3000 }] },
      { name: 'hypothyroidism', yearsAgo: 12, meds: [{ med: 'levothyroxine', status: 'active' }] },
      { name: 'osteoarthritisKnee', yearsAgo: 9, severity: 'moderate', meds: [] },
      { name: 'atrialFibrillation', yearsAgo: 3, visit: 'emergency', specialist: 'cardiologist', meds: [{ product: 'apixaban', status: 'active' }] },
      { name: 'ckd3', yearsAgo: 2, meds: [] },
      { name: 'pneumonia', yearsAgo: 1.2, resolvedAfterDays: 21, visit: 'inpatient', stayDays: 4, severity: 'moderate', meds: [{ med: 'ceftriaxone', status: 'completed', days: 4 }, { med: 'azithromycin', status: 'completed', days: 5 }] },
    ],
    procedures: [
      { name: 'kneeReplacement', yearsAgo: 4, inpatient: true, reason: 'osteoarthritisKnee' },
      { name: 'mammogram', yearsAgo: 1.5 },
    ],
    statements: [{ med: 'acetaminophen', status: 'active', yearsAgo: 9, dosage: '2 tablets up to three times a day for knee pain' }],
    allergies: 'elderly',
    rates: { followup: 1.5, sick: 0.2, emergency: 0.1, inpatient: 0 },
    skipCheckup: 0.1,
    smoking: 'former',
    bmi: 27,
    identity: { prefix: 'Mrs.', maidenName: true, languages: ['en-US'], maritalStatus: 'W' },
  },
  'elderly-deceased': {
    ageDays: [84 * YEAR_DAYS, 90 * YEAR_DAYS],
    gender: 'male',
    historyYears: 6,
    deceased: true,
    pcp: 'family',
    home: 'hospital',
    conditions: [
      { name: 'copd', yearsAgo: 11, meds: [{ med: 'tiotropium', status: 'active' }, { med: 'albuterol', status: 'active' }] },
      { name: 'heartFailure', yearsAgo: 5.5, severity: 'severe', visit: 'inpatient', stayDays: 5, specialist: 'cardiologist', meds: [{ med: 'furosemide', status: 'active' }, { med: 'lisinopril', status: 'active' }] },
      { name: 'atrialFibrillation', yearsAgo: 4.5, specialist: 'cardiologist', meds: [{ product: 'warfarin', status: 'active' }] },
      { name: 'alzheimers', yearsAgo: 3, meds: [{ med: 'donepezil', status: 'active' }] },
      // The final admission: diagnosed 9 days before death, never resolved.
      { name: 'pneumonia', yearsAgo: 9 / 365, visit: 'inpatient', stayDays: 9, severity: 'severe', meds: [{ med: 'ceftriaxone', status: 'stopped', days: 8 }] },
    ],
    procedures: [{ name: 'ecg', yearsAgo: 4.5, reason: 'atrialFibrillation' }],
    statements: [],
    allergies: 'penicillin-rash',
    rates: { followup: 2, sick: 0.1, emergency: 0.2, inpatient: 0.1 },
    skipCheckup: 0.2,
    smoking: 'former',
    bmi: 23,
    identity: { prefix: 'Mr.', suffix: 'Sr.', languages: ['en-US'], maritalStatus: 'M' },
  },
  complex: {
    ageDays: [0, 0],
    birthDate: '1961-04',
    gender: 'male',
    historyYears: 9,
    pcp: 'familyDo',
    home: 'clinic',
    conditions: [
      { name: 'obesity', yearsAgo: 16, onsetAs: 'string', onsetText: 'Adulthood', meds: [] },
      { name: 'hypertension', yearsAgo: 14, meds: [{ med: 'lisinopril', status: 'active' }, { med: 'amlodipine', status: 'active', startAfterDays: 1100 }] },
      { name: 'diabetes', yearsAgo: 12, severity: 'moderate', specialist: 'endocrinologist', meds: [{ med: 'metformin', status: 'active' }, { product: 'insulinGlargine', status: 'active', startAfterDays: 1900 }] },
      { name: 'hyperlipidemia', yearsAgo: 10, meds: [{ med: 'atorvastatin', status: 'active' }] },
      { name: 'gerd', yearsAgo: 8, resolvedAfterDays: 800, meds: [{ med: 'omeprazole', status: 'completed', days: 700 }] },
      { name: 'depression', yearsAgo: 6, meds: [{ med: 'sertraline', status: 'active' }] },
      { name: 'neuropathy', yearsAgo: 4, specialist: 'endocrinologist', meds: [{ med: 'gabapentin', status: 'active' }] },
      { name: 'ckd3', yearsAgo: 3, meds: [] },
      { name: 'atrialFibrillation', yearsAgo: 1.5, verification: 'refuted', visit: 'emergency', meds: [] },
      { name: 'chestPain', yearsAgo: 1.5, resolvedAfterDays: 1, visit: 'emergency', meds: [] },
      { name: 'anemia', yearsAgo: 1.8, meds: [{ med: 'ferrousSulfate', status: 'active' }] },
      { name: 'uti', yearsAgo: 0.7, verification: 'entered-in-error', meds: [] },
    ],
    procedures: [
      { name: 'colonoscopy', yearsAgo: 5 },
      { name: 'ecg', yearsAgo: 1.5, reason: 'chestPain' },
      { name: 'medicationReconciliation', yearsAgo: 0.3 },
    ],
    statements: [{ med: 'acetaminophen', status: 'active', yearsAgo: 3, dosage: '1 to 2 tablets as needed for pain' }],
    allergies: 'complex',
    rates: { followup: 2, sick: 0.3, emergency: 0.15, inpatient: 0.08 },
    skipCheckup: 0.1,
    smoking: 'former',
    bmi: 34,
    identity: { languages: ['en-US'], maritalStatus: 'D' },
  },
  bulk: {
    ageDays: [55 * YEAR_DAYS, 64 * YEAR_DAYS],
    gender: 'male',
    historyYears: 30,
    pcp: 'cardiologist',
    home: 'hospital',
    conditions: [
      { name: 'hypertension', yearsAgo: 22, meds: [{ med: 'amlodipine', status: 'active' }] },
      { name: 'diabetes', yearsAgo: 15, specialist: 'endocrinologist', meds: [{ med: 'metformin', status: 'active' }] },
      { name: 'heartFailure', yearsAgo: 8, severity: 'moderate', visit: 'inpatient', stayDays: 4, meds: [{ med: 'furosemide', status: 'active' }, { med: 'lisinopril', status: 'active' }] },
      { name: 'atrialFibrillation', yearsAgo: 6, meds: [{ product: 'warfarin', status: 'active' }] },
      { name: 'ckd3', yearsAgo: 5, meds: [] },
    ],
    procedures: [{ name: 'cardioversion', yearsAgo: 5.8, reason: 'atrialFibrillation' }],
    statements: [],
    allergies: 'bulk',
    rates: { followup: 3, sick: 0.3, emergency: 0.3, inpatient: 0.2 },
    skipCheckup: 0.1,
    smoking: 'former',
    bmi: 31,
    identity: { languages: ['en-US'], maritalStatus: 'M' },
  },
} satisfies Record<string, ProfileSpec>;

export type ProfileName = keyof typeof PROFILES;

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return Object.prototype.hasOwnProperty.call(PROFILES, name);
}

/**
 * Laboratory results and reports: CBC, metabolic and lipid panels as
 * Observations (valueQuantity with UCUM, a reference range, an
 * interpretation when out of range) grouped under a LAB DiagnosticReport;
 * a urinalysis with string and coded values; a chest X-ray report.
 */
import type { CodeableConcept, DiagnosticReport, Observation, ObservationReferenceRange, Resource } from '@medplum/fhirtypes';
import { base64, referenceTo, round, type AnyReference } from './builder.js';
import { type PatientContext, ageInDays, ageInYears, hasCondition, isTreated } from './context.js';
import { organizationId, organizationName, practitionerId, practitionerName } from './directory.js';
import { observation, quantity } from './observations.js';
import type { Random } from './random.js';
import {
  ANALYTES, type Analyte, type AnalyteName, INTERPRETATION, NEGATIVE, PANELS, type PanelName, SYSTEM, TRACE, coding, concept, loinc,
} from './terminology.js';
import { MINUTE, YEAR, dateTime, instant } from './time.js';

export const LAB_PERFORMER: AnyReference = { reference: `Organization/${organizationId('lab')}`, display: organizationName('lab') };

const LAB_CATEGORY: CodeableConcept = { coding: [coding(SYSTEM.diagnosticService, 'LAB', 'Laboratory')], text: 'Laboratory' };
const RAD_CATEGORY: CodeableConcept = { coding: [coding(SYSTEM.diagnosticService, 'RAD', 'Radiology')], text: 'Radiology' };

interface Distribution {
  mean: number;
  sd: number;
}

/** The patient's expected value for an analyte at a time, given their conditions and treatment. */
function expected(context: PatientContext, name: AnalyteName, at: number, infection: boolean): Distribution {
  const definition = ANALYTES[name];
  const has = (condition: Parameters<typeof hasCondition>[1]): boolean => hasCondition(context, condition, at);
  const treated = (condition: Parameters<typeof isTreated>[1]): boolean => isTreated(context, condition, at);
  const female = context.sex === 'female';
  const age = ageInYears(context, at);
  switch (name) {
    case 'glucose':
      if (has('diabetes')) return treated('diabetes') ? { mean: 150, sd: 30 } : { mean: 205, sd: 45 };
      if (has('prediabetes')) return { mean: 108, sd: 7 };
      return { mean: 86, sd: 7 };
    case 'a1c':
      if (has('diabetes')) return { mean: treated('diabetes') ? 7.4 : 8.9, sd: 0.6 };
      if (has('prediabetes')) return { mean: 6.0, sd: 0.2 };
      return { mean: 5.2, sd: 0.2 };
    case 'creatinine': {
      const ckd = context.conditions.find((condition) => condition.plan.name === 'ckd3');
      if (ckd && ckd.onset - YEAR <= at) return { mean: 1.45 + Math.max(0, (at - ckd.onset) / YEAR) * 0.07, sd: 0.12 };
      if (age < 12) return { mean: 0.4, sd: 0.05 };
      return { mean: female ? 0.8 : 1.0, sd: 0.1 };
    }
    case 'bun':
      return has('ckd3') ? { mean: 29, sd: 5 } : has('heartFailure') ? { mean: 24, sd: 4 } : { mean: 14, sd: 3 };
    case 'potassium':
      return has('ckd3') ? { mean: 4.9, sd: 0.35 } : { mean: 4.2, sd: 0.3 };
    case 'sodium':
      return has('heartFailure') ? { mean: 134, sd: 3 } : { mean: 140, sd: 2 };
    case 'hemoglobin':
      if (age < 12) return { mean: 11.8, sd: 0.7 };
      if (has('anemia')) return { mean: treated('anemia') ? 11.3 : 10.1, sd: 0.6 };
      return { mean: (female ? 13.6 : 15) - (has('ckd3') ? 1 : 0), sd: 0.8 };
    case 'hematocrit':
      return { mean: expected(context, 'hemoglobin', at, infection).mean * 3, sd: 1.2 };
    case 'rbc':
      return { mean: expected(context, 'hemoglobin', at, infection).mean / 3, sd: 0.2 };
    case 'mcv':
      return has('anemia') && !treated('anemia') ? { mean: 76, sd: 3 } : { mean: 90, sd: 4 };
    case 'wbc':
      return infection ? { mean: 13.5, sd: 2.5 } : { mean: 7, sd: 1.4 };
    case 'platelets':
      return { mean: 255, sd: 50 };
    case 'cholesterol':
      return has('hyperlipidemia') ? (treated('hyperlipidemia') ? { mean: 182, sd: 15 } : { mean: 248, sd: 18 }) : { mean: 178, sd: 20 };
    case 'ldl':
      return has('hyperlipidemia') ? (treated('hyperlipidemia') ? { mean: 96, sd: 12 } : { mean: 168, sd: 15 }) : { mean: 104, sd: 16 };
    case 'hdl':
      return { mean: female ? 58 : 48, sd: 8 };
    case 'triglycerides':
      return has('diabetes') ? { mean: 205, sd: 45 } : { mean: 120, sd: 35 };
    case 'tsh':
      return has('hypothyroidism') ? (treated('hypothyroidism') ? { mean: 2.3, sd: 0.8 } : { mean: 7.8, sd: 1.5 }) : { mean: 1.8, sd: 0.6 };
    case 'bnp':
      return has('heartFailure') ? { mean: 430, sd: 170 } : { mean: 40, sd: 18 };
    case 'inr':
      return has('atrialFibrillation') && context.spec.conditions.some((plan) => plan.meds?.some((med) => med.product === 'warfarin'))
        ? { mean: 2.5, sd: 0.45 }
        : { mean: 1.0, sd: 0.08 };
    case 'bilirubin': {
      const days = ageInDays(context, at);
      if (days < 30) {
        // Physiological jaundice: peaks around day four, gone by two to three weeks.
        const level = days <= 4 ? 3 + 2.6 * days : 13.4 * Math.exp(-(days - 4) / 5);
        return { mean: Math.max(0.8, level), sd: 0.6 };
      }
      return { mean: 0.6, sd: 0.2 };
    }
    case 'albumin':
      return has('heartFailure') ? { mean: 3.4, sd: 0.25 } : { mean: 4.2, sd: 0.25 };
    default:
      return { mean: definition.mean, sd: definition.sd * 0.6 };
  }
}

/** Ranges that differ by sex or age from the adult default. */
function range(context: PatientContext, name: AnalyteName, at: number): Pick<Analyte, 'low' | 'high'> {
  const definition = ANALYTES[name];
  const age = ageInYears(context, at);
  if (name === 'hemoglobin') {
    if (age < 12) return { low: 10.5, high: 13.5 };
    return context.sex === 'female' ? { low: 12, high: 15.5 } : { low: 13.5, high: 17.5 };
  }
  if (name === 'hematocrit' && age >= 12) return context.sex === 'female' ? { low: 36, high: 46 } : { low: 41, high: 53 };
  if (name === 'creatinine' && age < 12) return { low: 0.2, high: 0.7 };
  if (name === 'bilirubin' && ageInDays(context, at) < 30) return { low: 0.1, high: 12 };
  return { low: definition.low, high: definition.high };
}

function interpretationFor(value: number, low: number, high: number, definition: Analyte): keyof typeof INTERPRETATION {
  if (value <= definition.criticalLow) return 'LL';
  if (value >= definition.criticalHigh) return 'HH';
  if (value < low) return 'L';
  if (value > high) return 'H';
  return 'N';
}

export interface LabOptions {
  at: number;
  encounter?: AnyReference;
  /** Whether normal results carry an explicit N (some labs send it, some do not). */
  flagNormal: boolean;
  infection?: boolean;
}

/** One analyte as an Observation. */
export function labResult(context: PatientContext, rng: Random, name: AnalyteName, options: LabOptions): Observation {
  const definition = ANALYTES[name];
  const { mean, sd } = expected(context, name, options.at, options.infection ?? false);
  const value = round(Math.max(definition.decimals === 0 ? 1 : 0.01, rng.normal(mean, sd)), definition.decimals);
  const { low, high } = range(context, name, options.at);
  const result = observation(context, {
    category: 'laboratory',
    code: loinc(definition.code, definition.display, definition.text),
    at: options.at,
    issuedAfter: 90 + rng.int(0, 600),
    encounter: options.encounter,
    performer: [LAB_PERFORMER],
    profile: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab',
  });
  result.valueQuantity = quantity(value, [definition.unit, definition.unit]);
  const flag = interpretationFor(value, low, high, definition);
  if (flag !== 'N' || options.flagNormal) {
    result.interpretation = [{ coding: [coding(SYSTEM.interpretation, flag, INTERPRETATION[flag])], text: INTERPRETATION[flag] }];
  }
  const referenceRange: ObservationReferenceRange = {
    low: quantity(low, [definition.unit, definition.unit]),
    high: quantity(high, [definition.unit, definition.unit]),
  };
  result.referenceRange = [referenceRange];
  return result;
}

function labReport(context: PatientContext, code: CodeableConcept, results: Observation[], options: LabOptions): DiagnosticReport {
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: context.builder.id('dr'),
    meta: context.builder.meta(options.at, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-diagnosticreport-lab'),
    status: 'final',
    category: [LAB_CATEGORY],
    code,
    subject: context.patient,
  };
  if (options.encounter) report.encounter = options.encounter;
  report.effectiveDateTime = dateTime(options.at);
  report.issued = results.map((result) => result.issued as string).sort().at(-1);
  report.performer = [LAB_PERFORMER];
  report.result = results.map((result) => referenceTo(result, result.code.text));
  return report;
}

/** A panel's results, with a DiagnosticReport for multi-analyte panels. */
export function labPanel(context: PatientContext, rng: Random, panel: PanelName, options: LabOptions): Resource[] {
  const definition = PANELS[panel];
  const results = definition.analytes.map((name) => labResult(context, rng, name, options));
  // Single tests are sent as bare results, as many interfaces do.
  if (results.length === 1) return results;
  return [...results, labReport(context, loinc(definition.code, definition.display, definition.text), results, options)];
}

/** A dipstick urinalysis: colour and clarity as strings, the rest coded. */
export function urinalysis(context: PatientContext, rng: Random, options: LabOptions & { infection: boolean }): Resource[] {
  const base = { category: 'laboratory' as const, at: options.at, issuedAfter: 45, encounter: options.encounter, performer: [LAB_PERFORMER] };
  const color = observation(context, { ...base, code: loinc('5778-6', 'Color of Urine', 'Urine color') });
  color.valueString = rng.pick(['Yellow', 'Yellow', 'Straw', 'Amber']);
  const clarity = observation(context, { ...base, code: loinc('5767-9', 'Appearance of Urine', 'Urine appearance') });
  clarity.valueString = options.infection ? 'Cloudy' : 'Clear';
  const glucose = observation(context, { ...base, code: loinc('25428-4', 'Glucose [Presence] in Urine by Test strip', 'Urine glucose') });
  glucose.valueCodeableConcept = hasCondition(context, 'diabetes', options.at) && rng.chance(0.5) ? TRACE : NEGATIVE;
  const protein = observation(context, { ...base, code: loinc('20454-5', 'Protein [Presence] in Urine by Test strip', 'Urine protein') });
  protein.valueCodeableConcept = hasCondition(context, 'ckd3', options.at) ? TRACE : NEGATIVE;
  const nitrite = observation(context, { ...base, code: loinc('5802-4', 'Nitrite [Presence] in Urine by Test strip', 'Urine nitrite') });
  nitrite.valueCodeableConcept = options.infection ? concept(SYSTEM.snomed, '10828004', 'Positive') : NEGATIVE;
  if (options.infection) nitrite.interpretation = [{ coding: [coding(SYSTEM.interpretation, 'A', 'Abnormal')], text: 'Abnormal' }];
  const results = [color, clarity, glucose, protein, nitrite];
  return [...results, labReport(context, loinc('24357-6', 'Urinalysis macro (dipstick) panel - Urine', 'Urinalysis'), results, options)];
}

/** A SARS-CoV-2 PCR: a coded result with no quantity. */
export function covidTest(context: PatientContext, rng: Random, options: LabOptions): Observation {
  const result = observation(context, {
    category: 'laboratory',
    code: loinc('94500-6', 'SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory system specimen by NAA with probe detection', 'COVID-19 PCR'),
    at: options.at,
    issuedAfter: 240 + rng.int(0, 600),
    encounter: options.encounter,
    performer: [LAB_PERFORMER],
  });
  result.valueCodeableConcept = rng.chance(0.1) ? concept(SYSTEM.snomed, '260373001', 'Detected') : concept(SYSTEM.snomed, '260415000', 'Not detected');
  return result;
}

/** ABO and Rh typing, coded results that never change. */
export function bloodType(context: PatientContext, rng: Random, options: LabOptions): Observation[] {
  const base = { category: 'laboratory' as const, at: options.at, issuedAfter: 120, encounter: options.encounter, performer: [LAB_PERFORMER] };
  const abo = observation(context, { ...base, code: loinc('883-9', 'ABO group [Type] in Blood', 'Blood group') });
  abo.valueCodeableConcept = rng.pick([
    concept(SYSTEM.snomed, '112144000', 'Blood group A (finding)', 'A'),
    concept(SYSTEM.snomed, '58460004', 'Blood group O (finding)', 'O'),
    concept(SYSTEM.snomed, '112149005', 'Blood group B (finding)', 'B'),
  ]);
  const rh = observation(context, { ...base, code: loinc('10331-7', 'Rh [Type] in Blood', 'Rh type') });
  rh.valueCodeableConcept = rng.chance(0.85) ? concept(SYSTEM.snomed, '165747007', 'RhD positive (finding)', 'Rh positive') : concept(SYSTEM.snomed, '165746003', 'RhD negative (finding)', 'Rh negative');
  return [abo, rh];
}

/** A chest X-ray report with a conclusion and the full text as a base64 text/plain attachment. */
export function chestXray(context: PatientContext, rng: Random, at: number, encounter: AnyReference): DiagnosticReport {
  let conclusion = 'No acute cardiopulmonary process.';
  let findings = 'The lungs are clear. No pleural effusion or pneumothorax. Heart size is normal.';
  if (hasCondition(context, 'pneumonia', at)) {
    conclusion = 'Right lower lobe consolidation, consistent with pneumonia.';
    findings = 'Patchy airspace opacity in the right lower lobe. No pneumothorax. Small right pleural effusion.';
  } else if (hasCondition(context, 'heartFailure', at)) {
    conclusion = 'Cardiomegaly with mild pulmonary vascular congestion.';
    findings = 'The cardiac silhouette is enlarged. Cephalization of pulmonary vessels. No focal consolidation.';
  } else if (hasCondition(context, 'copd', at)) {
    conclusion = 'Hyperinflated lungs without focal consolidation.';
    findings = 'Flattened hemidiaphragms and increased retrosternal airspace. No focal consolidation.';
  }
  const read = at + rng.int(30, 180) * MINUTE;
  const text = [
    'EXAM: XR CHEST 2 VIEWS',
    `DATE: ${dateTime(at)}`,
    'INDICATION: Shortness of breath, cough.',
    'COMPARISON: None available.',
    `FINDINGS: ${findings}`,
    `IMPRESSION: ${conclusion}`,
    `Electronically signed by ${practitionerName('radiologist')} on ${dateTime(read)}.`,
  ].join('\n');
  return {
    resourceType: 'DiagnosticReport',
    id: context.builder.id('dr'),
    meta: context.builder.meta(at),
    status: 'final',
    category: [RAD_CATEGORY],
    code: loinc('36643-5', 'XR Chest 2 Views', 'Chest X-ray'),
    subject: context.patient,
    encounter,
    effectiveDateTime: dateTime(at),
    issued: instant(read),
    performer: [{ reference: `Organization/${organizationId('hospital')}`, display: organizationName('hospital') }],
    resultsInterpreter: [{ reference: `Practitioner/${practitionerId('radiologist')}`, display: practitionerName('radiologist') }],
    conclusion,
    presentedForm: [{ contentType: 'text/plain', language: 'en-US', data: base64(text), title: 'Chest X-ray report', creation: dateTime(read) }],
  };
}

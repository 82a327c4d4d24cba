// What an Observation says about its own value, shared by the models that show results
// (labs; vitals and the timeline read the same FHIR elements): the lab's interpretation
// (HL7 v3 ObservationInterpretation), why a value is absent (data-absent-reason), and the
// status labels of FHIR R4 Observation.status. Like read.ts, every function takes
// untrusted JSON and never throws.
import { conceptText, isObject, objects, text } from './read.js';

/** Code systems an interpretation code is read from: HL7 v3 ObservationInterpretation, and HL7 v2 table 0078 (the same codes). */
export const OBSERVATION_INTERPRETATION_SYSTEMS: readonly string[] = [
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v3/ObservationInterpretation',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
  'http://hl7.org/fhir/v2/0078',
];

/**
 * Systems that are not code systems but that senders put in Coding.system for the same
 * codes: the value set's canonical URL (FHIR R4 binds Observation.interpretation to the
 * value set http://hl7.org/fhir/ValueSet/observation-interpretation, whose codes are from
 * v3-ObservationInterpretation) and the code system's OID. Their codes are read as v3 codes.
 */
export const OBSERVATION_INTERPRETATION_MISSPELLED_SYSTEMS: readonly string[] = [
  'http://hl7.org/fhir/ValueSet/observation-interpretation',
  'http://terminology.hl7.org/ValueSet/observation-interpretation',
  'http://hl7.org/fhir/ValueSet/v3-ObservationInterpretation',
  'http://terminology.hl7.org/ValueSet/v3-ObservationInterpretation',
  'urn:oid:2.16.840.1.113883.5.83',
];

/** How much attention an interpretation asks for. */
export type InterpretationSeverity = 'critical' | 'abnormal' | 'normal' | 'other';

/** Which side of normal an interpretation says the value is on. */
export type InterpretationDirection = 'high' | 'low' | 'none';

/** An interpretation of a result, in words (never a colour alone). */
export interface InterpretationView {
  /** The v3 ObservationInterpretation code (`H`, `LL`, `POS`...), upper-cased; undefined when only text or a code this table does not know was given. */
  readonly code?: string;
  /** "High", "Critically low", "Positive"...: the label of a known code, else the coding's display or the concept's text. */
  readonly label: string;
  readonly severity: InterpretationSeverity;
  readonly direction: InterpretationDirection;
}

interface KnownInterpretation {
  readonly label: string;
  readonly severity: InterpretationSeverity;
  readonly direction: InterpretationDirection;
}

// FHIR R4 valueset-observation-interpretation (v3 ObservationInterpretation). HH, LL and AA
// are the critical ("panic") values; H> and L< (R4's "significantly" high or low, spelled
// with those characters) and HU and LU (their later names) are abnormal but not critical
// by the code system's definitions. R4 spells the synergy codes SYN-R and SYN-S; SYN_R and
// SYN_S are read too. MS and VS (moderately, very susceptible) are R4 codes deprecated later.
const INTERPRETATIONS: Readonly<Record<string, KnownInterpretation>> = {
  HH: { label: 'Critically high', severity: 'critical', direction: 'high' },
  LL: { label: 'Critically low', severity: 'critical', direction: 'low' },
  AA: { label: 'Critically abnormal', severity: 'critical', direction: 'none' },
  H: { label: 'High', severity: 'abnormal', direction: 'high' },
  L: { label: 'Low', severity: 'abnormal', direction: 'low' },
  A: { label: 'Abnormal', severity: 'abnormal', direction: 'none' },
  HU: { label: 'Significantly high', severity: 'abnormal', direction: 'high' },
  LU: { label: 'Significantly low', severity: 'abnormal', direction: 'low' },
  'H>': { label: 'Significantly high', severity: 'abnormal', direction: 'high' },
  'L<': { label: 'Significantly low', severity: 'abnormal', direction: 'low' },
  '>': { label: 'Above the measurable range', severity: 'abnormal', direction: 'high' },
  '<': { label: 'Below the measurable range', severity: 'abnormal', direction: 'low' },
  N: { label: 'Normal', severity: 'normal', direction: 'none' },
  NEG: { label: 'Negative', severity: 'normal', direction: 'none' },
  ND: { label: 'Not detected', severity: 'normal', direction: 'none' },
  POS: { label: 'Positive', severity: 'other', direction: 'none' },
  DET: { label: 'Detected', severity: 'other', direction: 'none' },
  IND: { label: 'Indeterminate', severity: 'other', direction: 'none' },
  E: { label: 'Equivocal', severity: 'other', direction: 'none' },
  S: { label: 'Susceptible', severity: 'other', direction: 'none' },
  R: { label: 'Resistant', severity: 'abnormal', direction: 'none' },
  I: { label: 'Intermediate', severity: 'other', direction: 'none' },
  NS: { label: 'Non-susceptible', severity: 'abnormal', direction: 'none' },
  SDD: { label: 'Susceptible-dose dependent', severity: 'other', direction: 'none' },
  MS: { label: 'Moderately susceptible', severity: 'other', direction: 'none' },
  VS: { label: 'Very susceptible', severity: 'other', direction: 'none' },
  'SYN-R': { label: 'Synergy resistant', severity: 'abnormal', direction: 'none' },
  'SYN-S': { label: 'Synergy susceptible', severity: 'other', direction: 'none' },
  SYN_R: { label: 'Synergy resistant', severity: 'abnormal', direction: 'none' },
  SYN_S: { label: 'Synergy susceptible', severity: 'other', direction: 'none' },
  EX: { label: 'Outside threshold', severity: 'abnormal', direction: 'none' },
  HX: { label: 'Above high threshold', severity: 'abnormal', direction: 'high' },
  LX: { label: 'Below low threshold', severity: 'abnormal', direction: 'low' },
  U: { label: 'Significant change up', severity: 'other', direction: 'none' },
  D: { label: 'Significant change down', severity: 'other', direction: 'none' },
  B: { label: 'Better', severity: 'other', direction: 'none' },
  W: { label: 'Worse', severity: 'other', direction: 'none' },
  IE: { label: 'Insufficient evidence', severity: 'other', direction: 'none' },
  NR: { label: 'Non-reactive', severity: 'normal', direction: 'none' },
  RR: { label: 'Reactive', severity: 'other', direction: 'none' },
  WR: { label: 'Weakly reactive', severity: 'other', direction: 'none' },
  CAR: { label: 'Carrier', severity: 'other', direction: 'none' },
};

const SEVERITY_RANK: Readonly<Record<InterpretationSeverity, number>> = { critical: 0, abnormal: 1, other: 2, normal: 3 };

/** A label and severity for a v3 ObservationInterpretation code; undefined for a code this table does not know. */
export function interpretationOfCode(code: unknown): InterpretationView | undefined {
  const key = text(code)?.toUpperCase();
  const known = key === undefined ? undefined : INTERPRETATIONS[key];
  return known && key ? { code: key, ...known } : undefined;
}

/**
 * The interpretation of a result (FHIR R4 Observation.interpretation, 0..*): of every
 * coding in an interpretation code system (or a known misspelling of one, or with no
 * system) that this table knows, the most severe (a critical code wins over "High"). A
 * concept with no known code is shown by its text, else a coding's display, else its code
 * ("other", no `code`): a caller may still derive a flag from the reference range. Undefined
 * when there is no interpretation at all.
 */
export function interpretationOf(interpretation: unknown): InterpretationView | undefined {
  const concepts = Array.isArray(interpretation) ? objects(interpretation) : isObject(interpretation) ? [interpretation] : [];
  let best: InterpretationView | undefined;
  let fallback: InterpretationView | undefined;
  for (const concept of concepts) {
    let unknownCode: string | undefined;
    for (const coding of objects(concept.coding)) {
      const system = text(coding.system);
      if (system !== undefined && !OBSERVATION_INTERPRETATION_SYSTEMS.includes(system) && !OBSERVATION_INTERPRETATION_MISSPELLED_SYSTEMS.includes(system)) continue;
      const found = interpretationOfCode(coding.code);
      if (found && (!best || SEVERITY_RANK[found.severity] < SEVERITY_RANK[best.severity])) best = found;
      if (!found) unknownCode ??= text(coding.code);
    }
    const label = conceptText(concept) ?? unknownCode;
    if (!fallback && label) fallback = { label, severity: 'other', direction: 'none' };
  }
  return best ?? fallback;
}

/** Labels of FHIR R4 data-absent-reason codes, for a dataAbsentReason with no text or display. */
export const DATA_ABSENT_REASON_LABELS: Readonly<Record<string, string>> = {
  unknown: 'Unknown',
  'asked-unknown': 'Asked but unknown',
  'temp-unknown': 'Temporarily unknown',
  'not-asked': 'Not asked',
  'asked-declined': 'Declined',
  masked: 'Masked',
  'not-applicable': 'Not applicable',
  unsupported: 'Not supported',
  'as-text': 'Recorded as text',
  error: 'Error',
  'not-a-number': 'Not a number',
  'negative-infinity': 'Negative infinity',
  'positive-infinity': 'Positive infinity',
  'not-performed': 'Not performed',
  'not-permitted': 'Not permitted',
};

/**
 * Why a value is absent, for people (FHIR R4 Observation.dataAbsentReason): the concept's
 * text or display, else the label of its data-absent-reason code, else the code itself.
 * Undefined when there is no dataAbsentReason.
 */
export function dataAbsentReasonText(reason: unknown): string | undefined {
  if (!isObject(reason)) return undefined;
  const label = conceptText(reason);
  if (label) return label;
  const code = objects(reason.coding)
    .map((coding) => text(coding.code))
    .find(Boolean);
  return code ? (DATA_ABSENT_REASON_LABELS[code] ?? code) : 'No value recorded';
}

/** FHIR R4 Observation.status and DiagnosticReport.status (observation-status, diagnostic-report-status). */
export type ResultStatus =
  | 'registered'
  | 'partial'
  | 'preliminary'
  | 'final'
  | 'amended'
  | 'corrected'
  | 'appended'
  | 'cancelled'
  | 'entered-in-error'
  | 'unknown';

/** Words for a result status that needs saying; `final` needs none. */
export const RESULT_STATUS_LABELS: Readonly<Record<Exclude<ResultStatus, 'final'>, string>> = {
  registered: 'Registered, no result yet',
  partial: 'Partial',
  preliminary: 'Preliminary',
  amended: 'Amended',
  corrected: 'Corrected',
  appended: 'Appended',
  cancelled: 'Cancelled',
  'entered-in-error': 'Entered in error',
  unknown: 'Status unknown',
};

/** A status code as given (lower-cased), when it is one of {@link ResultStatus}. */
export function resultStatus(value: unknown): ResultStatus | undefined {
  const code = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return code !== undefined && (code === 'final' || code in RESULT_STATUS_LABELS) ? (code as ResultStatus) : undefined;
}

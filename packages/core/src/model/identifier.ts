import type { CalendarDate } from '../format/fhir-date.js';
import { codesIn, conceptText, isCurrentPeriod, isObject, objects, text, type JsonObject } from './read.js';

/** What an identifier is, where it matters to how it is shown. */
export type IdentifierKind = 'mrn' | 'ssn' | 'other';

/** An identifier ready to show: a human label and a value safe to put on screen. */
export interface IdentifierView {
  /** "MRN", "SSN", "Driver's license", the type's text, or the system URI as a last resort. */
  readonly label: string;
  /** The value to display. For an SSN only the last four digits: "***-**-6789". */
  readonly value: string;
  readonly kind: IdentifierKind;
  /** True when `value` hides part of the real value. */
  readonly masked: boolean;
  /** Identifier.system, when given. */
  readonly system?: string;
  /** Identifier.assigner.display (the issuing organisation), when given. */
  readonly assigner?: string;
}

/** HL7 v2 table 0203 (identifier type), as used in Identifier.type. The older URI is still sent by some servers. */
export const V2_0203_SYSTEMS: readonly string[] = ['http://terminology.hl7.org/CodeSystem/v2-0203', 'http://hl7.org/fhir/v2/0203'];

// Labels for the v2-0203 codes a patient record carries in practice (US Core, Synthea,
// major EHR vendors). A code not listed falls back to the coding's display or type.text.
const V2_0203_LABELS: Readonly<Record<string, string>> = {
  MR: 'MRN',
  SS: 'SSN',
  DL: "Driver's license",
  PPN: 'Passport',
  MB: 'Member ID',
  PI: 'Patient internal ID',
  PT: 'Patient external ID',
  MA: 'Medicaid number',
  MC: 'Medicare number',
  MCN: 'Medicaid case number',
  NPI: 'NPI',
  TAX: 'Tax ID',
  SB: 'Social beneficiary ID',
  NI: 'National ID',
  NH: 'National health plan ID',
  JHN: 'Health card number',
  AN: 'Account number',
  BR: 'Birth registry number',
  DR: 'Donor registration number',
  EN: 'Employer number',
  PRN: 'Provider number',
  SR: 'State registry ID',
  ANON: 'Anonymous ID',
  U: 'Identifier',
};

// Identifier systems that name their kind without a type (FHIR R4 §2.14 "Identifier
// systems" and US Core examples).
const SYSTEM_LABELS: Readonly<Record<string, string>> = {
  'http://hl7.org/fhir/sid/us-ssn': 'SSN',
  'urn:oid:2.16.840.1.113883.4.1': 'SSN',
  'http://hl7.org/fhir/sid/us-npi': 'NPI',
  'urn:oid:2.16.840.1.113883.4.6': 'NPI',
  'http://hl7.org/fhir/sid/us-medicare': 'Medicare number',
  'http://hl7.org/fhir/sid/us-mbi': 'Medicare beneficiary ID',
  'http://hl7.org/fhir/sid/passport-USA': 'Passport',
};

// urn:oid:2.16.840.1.113883.4.3.<state FIPS>: US state driver's license numbers.
const DRIVERS_LICENSE_OID = /^urn:oid:2\.16\.840\.1\.113883\.4\.3\.\d+$/;
// A type given only as text that says it is a social security number is masked too:
// when unsure, hiding a number is the safe mistake.
const SSN_TEXT = /\b(ssn|social security)\b/i;
const MRN_TEXT = /^(mrn|medical record (number|no\.?))$/i;

/**
 * An Identifier for people, or undefined when it should not be shown: no value, use
 * `old`, or a period that has ended. Never throws on malformed input.
 */
export function toIdentifierView(identifier: unknown, today: CalendarDate): IdentifierView | undefined {
  if (!isObject(identifier)) return undefined;
  const value = text(identifier.value);
  if (!value || identifier.use === 'old' || !isCurrentPeriod(identifier.period, today)) return undefined;
  const system = text(identifier.system);
  const codes = codesIn(identifier.type, V2_0203_SYSTEMS).map((code) => code.toUpperCase());
  const typeText = conceptText(identifier.type);
  const systemLabel = system ? (SYSTEM_LABELS[system] ?? (DRIVERS_LICENSE_OID.test(system) ? "Driver's license" : undefined)) : undefined;

  const isSsn = codes.includes('SS') || systemLabel === 'SSN' || (typeText !== undefined && SSN_TEXT.test(typeText));
  const isMrn = !isSsn && (codes.includes('MR') || (typeText !== undefined && MRN_TEXT.test(typeText)));
  const kind: IdentifierKind = isSsn ? 'ssn' : isMrn ? 'mrn' : 'other';

  const v2Label = codes.map((code) => V2_0203_LABELS[code]).find(Boolean);
  const label =
    (kind === 'ssn' ? 'SSN' : kind === 'mrn' ? 'MRN' : undefined) ?? v2Label ?? typeText ?? systemLabel ?? system ?? 'Identifier';
  const assigner = isObject(identifier.assigner) ? text(identifier.assigner.display) : undefined;
  return {
    label,
    value: isSsn ? maskSsn(value) : value,
    kind,
    masked: isSsn,
    ...(system ? { system } : {}),
    ...(assigner ? { assigner } : {}),
  };
}

/**
 * The identifiers of a resource to show, MRNs first (official before usual before
 * others), then the rest in data order; exact duplicates removed.
 */
export function toIdentifierViews(identifiers: unknown, today: CalendarDate): IdentifierView[] {
  const rank = (identifier: JsonObject) => (identifier.use === 'official' ? 0 : identifier.use === 'usual' ? 1 : 2);
  const views: { view: IdentifierView; rank: number; index: number }[] = [];
  const seen = new Set<string>();
  objects(identifiers).forEach((identifier, index) => {
    const view = toIdentifierView(identifier, today);
    if (!view) return;
    const key = `${view.label}\u0000${view.system ?? ''}\u0000${view.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    views.push({ view, rank: rank(identifier), index });
  });
  const group = (view: IdentifierView) => (view.kind === 'mrn' ? 0 : 1);
  return views
    .sort((a, b) => group(a.view) - group(b.view) || (a.view.kind === 'mrn' ? a.rank - b.rank : 0) || a.index - b.index)
    .map(({ view }) => view);
}

/**
 * A US social security number with only its last four digits: "***-**-6789". A value
 * with fewer than four digits is hidden entirely. A banner must never show a full SSN.
 */
export function maskSsn(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `***-**-${digits.slice(-4)}` : '***-**-****';
}

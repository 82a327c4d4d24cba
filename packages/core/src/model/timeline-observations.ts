// Which Observations are notable enough for a timeline, and why. A record holds thousands
// of vital signs and normal lab values; a timeline that showed each would bury the visits,
// diagnoses and abnormal results a clinician scans it for.
import type { Observation } from '@medplum/fhirtypes';
import { isObject, objects, text, type JsonObject } from './read.js';

/** FHIR R4 observation-category codes (also the US Core Observation category value set). */
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** Every US Core observation category: what `loadTimeline` asks for when all Observations are wanted. */
export const US_CORE_OBSERVATION_CATEGORIES: readonly string[] = [
  'laboratory',
  'social-history',
  'vital-signs',
  'imaging',
  'procedure',
  'survey',
  'exam',
  'therapy',
  'activity',
];

/**
 * The rule that picks notable Observations:
 * - every Observation in one of `categories` (default: social history: smoking, alcohol, pregnancy);
 * - an abnormal result ({@link abnormalFlag}) in one of `abnormalIn` (default: laboratory),
 *   or in any category (or none) when `abnormalIn` holds `*`.
 */
export interface TimelineObservationRule {
  readonly categories: readonly string[];
  readonly abnormalIn: readonly string[];
}

/** Which Observations become timeline events: a rule, `all`, `none`, or a predicate of your own. */
export type TimelineObservationSelection = TimelineObservationRule | 'all' | 'none' | ((observation: Observation) => boolean);

export const DEFAULT_TIMELINE_OBSERVATION_RULE: TimelineObservationRule = Object.freeze({
  categories: Object.freeze(['social-history']),
  abnormalIn: Object.freeze(['laboratory']),
});

/** Why a result is flagged, in words (never a colour alone). */
export interface TimelineFlag {
  /** The HL7 v3 ObservationInterpretation code, or `H`/`L` derived from the reference range. */
  readonly code: string;
  /** "High", "Critically low", "Abnormal"... */
  readonly label: string;
  /** HH, LL, AA, HU, LU: a result that needs attention now. */
  readonly critical: boolean;
  /** Where the flag comes from: the lab's interpretation, or the value against its reference range. */
  readonly source: 'interpretation' | 'reference-range';
}

const INTERPRETATION_SYSTEMS = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v3/ObservationInterpretation',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
  'http://hl7.org/fhir/v2/0078',
]);

// HL7 v3 ObservationInterpretation (R4 valueset-observation-interpretation): the codes that
// say "outside normal". N (normal) is a judgement too: it is trusted over the range below.
const ABNORMAL: Readonly<Record<string, { label: string; critical: boolean }>> = {
  H: { label: 'High', critical: false },
  L: { label: 'Low', critical: false },
  A: { label: 'Abnormal', critical: false },
  HH: { label: 'Critically high', critical: true },
  LL: { label: 'Critically low', critical: true },
  AA: { label: 'Critically abnormal', critical: true },
  HU: { label: 'Significantly high', critical: true },
  LU: { label: 'Significantly low', critical: true },
};
const NORMAL = new Set(['N']);

// R4 referencerange-meaning: only the normal range (or an untyped one) says what is normal.
const NORMAL_RANGE_TYPES = new Set(['normal', 'recommended', 'treatment']);

/**
 * The abnormal flag of an Observation, if any. The lab's interpretation wins (FHIR R4
 * Observation.interpretation, HL7 v3 codes H/L/A/HH/LL/AA/HU/LU); an explicit `N` means the
 * lab judged it normal. Without an interpretation, a numeric `valueQuantity` below `low`
 * or above `high` of the first normal `referenceRange` is flagged, when both are in the
 * same unit (no unit conversion is attempted: a range in another unit is not compared).
 */
export function abnormalFlag(observation: unknown): TimelineFlag | undefined {
  if (!isObject(observation)) return undefined;
  let judgedNormal = false;
  // Plain loops: this runs for every lab result of a record, thousands of times.
  const interpretations = observation.interpretation;
  if (Array.isArray(interpretations)) {
    for (const concept of interpretations) {
      const codings = isObject(concept) ? concept.coding : undefined;
      if (!Array.isArray(codings)) continue;
      for (const coding of codings) {
        if (!isObject(coding) || typeof coding.code !== 'string') continue;
        const system = coding.system;
        if (typeof system === 'string' && !INTERPRETATION_SYSTEMS.has(system)) continue;
        const code = coding.code.trim().toUpperCase();
        const known = ABNORMAL[code];
        if (known) return { code, label: known.label, critical: known.critical, source: 'interpretation' };
        if (NORMAL.has(code)) judgedNormal = true;
      }
    }
  }
  if (judgedNormal) return undefined;
  return rangeFlag(observation);
}

function rangeFlag(observation: JsonObject): TimelineFlag | undefined {
  const quantity = observation.valueQuantity;
  if (!isObject(quantity) || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) return undefined;
  // A comparator ("<5") is not an exact value: it cannot be said to lie outside a range.
  if (quantity.comparator !== undefined) return undefined;
  const range = objects(observation.referenceRange).find((candidate) => {
    if (candidate.appliesTo !== undefined || candidate.age !== undefined) return false;
    const codes = isObject(candidate.type) ? objects(candidate.type.coding).map((coding) => coding.code) : [];
    return codes.length === 0 || codes.some((code) => typeof code === 'string' && NORMAL_RANGE_TYPES.has(code));
  });
  if (!range) return undefined;
  const value = quantity.value;
  const low = comparable(range.low, quantity);
  const high = comparable(range.high, quantity);
  if (low !== undefined && value < low) return { code: 'L', label: 'Low', critical: false, source: 'reference-range' };
  if (high !== undefined && value > high) return { code: 'H', label: 'High', critical: false, source: 'reference-range' };
  return undefined;
}

/** A range bound's value when it is in the value's unit (or either gives no unit). */
function comparable(bound: unknown, quantity: JsonObject): number | undefined {
  if (!isObject(bound) || typeof bound.value !== 'number' || !Number.isFinite(bound.value)) return undefined;
  const boundUnit = text(bound.code) ?? text(bound.unit);
  const valueUnit = text(quantity.code) ?? text(quantity.unit);
  if (boundUnit !== undefined && valueUnit !== undefined && boundUnit !== valueUnit) return undefined;
  return bound.value;
}

/** The observation-category codes of an Observation (codings of that system, or with no system). */
export function observationCategories(observation: JsonObject): string[] {
  const codes: string[] = [];
  const categories = observation.category;
  if (!Array.isArray(categories)) return codes;
  for (const concept of categories) {
    const codings = isObject(concept) ? concept.coding : undefined;
    if (!Array.isArray(codings)) continue;
    for (const coding of codings) {
      if (!isObject(coding) || typeof coding.code !== 'string' || coding.code === '') continue;
      if (coding.system !== undefined && coding.system !== OBSERVATION_CATEGORY_SYSTEM) continue;
      codes.push(coding.code);
    }
  }
  return codes;
}

/**
 * Whether an Observation is a timeline event under `selection` (default
 * {@link DEFAULT_TIMELINE_OBSERVATION_RULE}). Never throws: a throwing predicate counts as "no".
 */
export function isNotableObservation(observation: unknown, selection: TimelineObservationSelection = DEFAULT_TIMELINE_OBSERVATION_RULE): boolean {
  return notableObservationFlag(observation, selection) !== false;
}

/**
 * For the timeline: `false` when the Observation is not notable, else its abnormal flag
 * (undefined when it is notable for another reason, such as its category). One pass, so
 * the interpretation is read once per Observation.
 */
export function notableObservationFlag(observation: unknown, selection: TimelineObservationSelection): TimelineFlag | undefined | false {
  if (!isObject(observation)) return false;
  if (selection === 'none') return false;
  if (selection === 'all') return abnormalFlag(observation);
  if (typeof selection === 'function') {
    let keep = false;
    try {
      keep = selection(observation as unknown as Observation) === true;
    } catch {
      keep = false;
    }
    return keep ? abnormalFlag(observation) : false;
  }
  const categories = observationCategories(observation);
  for (const category of categories) if (selection.categories.includes(category)) return abnormalFlag(observation);
  if (!selection.abnormalIn.includes('*') && !categories.some((category) => selection.abnormalIn.includes(category))) return false;
  return abnormalFlag(observation) ?? false;
}

/**
 * The observation categories a server must be asked for to find every notable Observation:
 * undefined means every category (`all`, a predicate, or abnormal results in any category).
 */
export function timelineObservationCategories(selection: TimelineObservationSelection = DEFAULT_TIMELINE_OBSERVATION_RULE): readonly string[] | undefined {
  if (selection === 'none') return [];
  if (selection === 'all' || typeof selection === 'function') return undefined;
  if (selection.abnormalIn.includes('*')) return undefined;
  return [...new Set([...selection.categories, ...selection.abnormalIn])];
}

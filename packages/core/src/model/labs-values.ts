// One laboratory result's value, reference range and flag (FHIR R4 Observation, US Core
// Laboratory Result Observation). Part of the labs model (labs.ts); pure, never throws.
import { fhirDateBounds, formatFhirDate, parseFhirDate, type CalendarDate, type FhirDatePrecision, type ParsedFhirDate } from '../format/fhir-date.js';
import { CODE_SYSTEMS, conceptLabel, dateSortKey, periodText } from './codeable.js';
import { dataAbsentReasonText, interpretationOf, type InterpretationDirection, type InterpretationSeverity } from './observation-value.js';
import { conceptText, isObject, objects, text, type JsonObject } from './read.js';
import type { UnitConverter } from './units.js';

/** Which value[x] a result holds, or why it has none. */
export type LabValueKind =
  | 'quantity'
  | 'integer'
  | 'string'
  | 'concept'
  | 'boolean'
  | 'range'
  | 'ratio'
  | 'date-time'
  | 'time'
  | 'period'
  | 'components'
  | 'other'
  | 'absent'
  | 'none';

/** A result's value for people, and its number when it has one. */
export interface LabValueView {
  readonly kind: LabValueKind;
  /** What to show: "< 0.5 mg/dL", "Negative", "1:128", "Not performed". */
  readonly text: string;
  /** The number of a valueQuantity or valueInteger. */
  readonly number?: number;
  /** `<`, `<=`, `>=` or `>` (Quantity.comparator): the number is a bound, not a measurement. */
  readonly comparator?: '<' | '<=' | '>=' | '>';
  /** The unit for people: `Quantity.unit`, else its code. */
  readonly unit?: string;
  /** The unit to compare and convert by: a UCUM code (system UCUM or none), else the unit text. */
  readonly unitKey?: string;
}

/** The reference range that applies to a result. */
export interface LabRangeView {
  /** "13.5–17.5 g/dL", "≥ 60 mL/min", "Negative" (ReferenceRange.text); several ranges joined with "; " when none could be picked. */
  readonly text: string;
  readonly low?: number;
  readonly high?: number;
  /** The bounds' unit for people. */
  readonly unit?: string;
  /** The bounds' unit key (see {@link LabValueView.unitKey}); the value's when the bounds give none. */
  readonly unitKey?: string;
  /** Who or when the range is for, when the lab says: "female", "18–65 y", "therapeutic". */
  readonly qualifier?: string;
  /**
   * `yes`: it applies to this patient (the only range, or the one matching their age and sex).
   * `uncertain`: it is for an age or population the record does not let us check; it is shown
   * with its qualifier but never used to flag a value.
   */
  readonly applies: 'yes' | 'uncertain';
}

/** A result's flag: the lab's interpretation, or derived from the reference range. */
export interface LabFlagView {
  /** The v3 ObservationInterpretation code (`H`, `LL`...); `H` or `L` when derived. */
  readonly code?: string;
  /** "High", "Critically low", "Abnormal", "Positive"... */
  readonly label: string;
  readonly severity: InterpretationSeverity;
  readonly direction: InterpretationDirection;
  /**
   * `interpretation`: the lab said so (for an interpretation in words only, the label is
   * the lab's and the severity and code come from the range); `derived`: the value lies
   * outside its reference range and the lab gave no interpretation.
   */
  readonly source: 'interpretation' | 'derived';
}

/** Who the patient is, for picking a reference range by age or sex. */
export interface LabPatientFacts {
  /** Patient.birthDate (partial allowed). */
  readonly birthDate?: string;
  /** Patient.gender (administrative gender). */
  readonly gender?: string;
}

/** What value readers need besides the resource. */
export interface LabValueContext {
  readonly format: LabFormat;
  readonly converter: UnitConverter;
  /** Unit pairs the converter could not answer yet (`complete` false): converted again once UCUM is loaded. */
  readonly pending: Map<string, { readonly from: string; readonly to: string }>;
}

const UCUM = CODE_SYSTEMS.ucum[0];
const COMPARATORS = new Set(['<', '<=', '>=', '>']);

/** A Quantity's unit for people (`unit`, else `code`) and its key for comparisons. */
export function quantityUnit(quantity: unknown): { label?: string; key?: string } {
  if (!isObject(quantity)) return NO_UNIT;
  const unit = token(quantity.unit);
  const code = token(quantity.code);
  const system = token(quantity.system);
  const label = unit ?? code;
  // FHIR R4 Quantity: `code` is computable when `system` is given; UCUM is the system labs use.
  // A UCUM `unit` without a code (US Core's own examples) is still read as UCUM.
  const key = code !== undefined && (system === undefined || system === UCUM) ? code : (unit ?? code);
  if (label === undefined) return NO_UNIT;
  // Assigned, not spread: this runs several times for every result of a record.
  const found: { label?: string; key?: string } = { label };
  if (key !== undefined) found.key = key;
  return found;
}

const NO_UNIT: { readonly label?: string; readonly key?: string } = Object.freeze({});

/** A Quantity's unit for people (`unit`, else `code`), without the key. */
function unitLabel(quantity: unknown): string | undefined {
  return isObject(quantity) ? (token(quantity.unit) ?? token(quantity.code)) : undefined;
}

/** A trimmed string, undefined when empty: units, codes and systems (no inner whitespace to collapse). */
function token(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function comparatorOf(quantity: JsonObject): LabValueView['comparator'] {
  const comparator = text(quantity.comparator);
  return comparator !== undefined && COMPARATORS.has(comparator) ? (comparator as LabValueView['comparator']) : undefined;
}

/** "1–5 cells/HPF": a Range (valueRange), the unit said once when both ends share it. */
function rangeText(range: JsonObject, format: LabFormat): string | undefined {
  const low = isObject(range.low) ? finite(range.low.value) : undefined;
  const high = isObject(range.high) ? finite(range.high.value) : undefined;
  const lowUnit = unitLabel(range.low);
  const highUnit = unitLabel(range.high);
  const number = format.number;
  if (low !== undefined && high !== undefined) {
    if (lowUnit === highUnit || lowUnit === undefined || highUnit === undefined) {
      const unit = highUnit ?? lowUnit;
      return `${number(low)}–${number(high)}${unit ? ` ${unit}` : ''}`;
    }
    return `${number(low)} ${lowUnit} – ${number(high)} ${highUnit}`;
  }
  if (low !== undefined) return `≥ ${number(low)}${lowUnit ? ` ${lowUnit}` : ''}`;
  if (high !== undefined) return `≤ ${number(high)}${highUnit ? ` ${highUnit}` : ''}`;
  return undefined;
}

/** "1:128" for a titer; "3 mg / 1 L" when the terms carry units. */
function ratioText(ratio: JsonObject, format: LabFormat): string | undefined {
  const numerator = isObject(ratio.numerator) ? ratio.numerator : undefined;
  const denominator = isObject(ratio.denominator) ? ratio.denominator : undefined;
  const top = numerator ? finite(numerator.value) : undefined;
  const bottom = denominator ? finite(denominator.value) : undefined;
  if (top === undefined || bottom === undefined) return undefined;
  const topUnit = unitLabel(numerator);
  const bottomUnit = unitLabel(denominator);
  const number = format.number;
  if (topUnit === undefined && bottomUnit === undefined) return `${number(top)}:${number(bottom)}`;
  return `${quantityString(numerator!, format) ?? number(top)} / ${quantityString(denominator!, format) ?? number(bottom)}`;
}

/**
 * The value of an Observation (or a component) for people, by FHIR R4 value[x]: Quantity
 * (the comparator kept: "< 0.5 mg/dL"), string, CodeableConcept, boolean, integer, Range,
 * Ratio, dateTime, time, Period. A `dataAbsentReason` says why there is none
 * ("Not performed"). Components are listed when the Observation has no value of its own.
 */
export function labValue(holder: JsonObject, format: LabFormat): LabValueView {
  const absent = dataAbsentReasonText(holder.dataAbsentReason);
  if (isObject(holder.valueQuantity)) {
    const quantity = holder.valueQuantity;
    const number = finite(quantity.value);
    if (number !== undefined) {
      const { label, key } = quantityUnit(quantity);
      const comparator = comparatorOf(quantity);
      return {
        kind: 'quantity',
        text: quantityString(quantity, format) ?? String(number),
        number,
        ...(comparator ? { comparator } : {}),
        ...(label !== undefined ? { unit: label } : {}),
        ...(key !== undefined ? { unitKey: key } : {}),
      };
    }
  }
  const integer = finite(holder.valueInteger);
  if (integer !== undefined && Number.isInteger(integer)) {
    return { kind: 'integer', text: format.number(integer), number: integer };
  }
  const string = text(holder.valueString);
  if (string !== undefined) return { kind: 'string', text: string };
  if (isObject(holder.valueCodeableConcept)) {
    const label = conceptLabel(holder.valueCodeableConcept, [['http://snomed.info/sct'], ['http://loinc.org']]);
    if (label) return { kind: 'concept', text: label.text };
  }
  if (typeof holder.valueBoolean === 'boolean') return { kind: 'boolean', text: holder.valueBoolean ? 'Yes' : 'No' };
  if (isObject(holder.valueRange)) {
    const range = rangeText(holder.valueRange, format);
    if (range) return { kind: 'range', text: range };
  }
  if (isObject(holder.valueRatio)) {
    const ratio = ratioText(holder.valueRatio, format);
    if (ratio) return { kind: 'ratio', text: ratio };
  }
  const dateTime = text(holder.valueDateTime);
  if (dateTime !== undefined) return { kind: 'date-time', text: format.date(dateTime)?.display ?? dateTime };
  const time = text(holder.valueTime);
  if (time !== undefined) return { kind: 'time', text: time };
  if (isObject(holder.valuePeriod)) {
    const period = periodText(holder.valuePeriod, format.locale);
    if (period) return { kind: 'period', text: period };
  }
  if (absent !== undefined) return { kind: 'absent', text: absent };
  const components = objects(holder.component);
  if (components.length > 0) {
    const parts = components.map((component) => {
      const name = conceptText(component.code) ?? conceptLabel(component.code)?.text ?? 'Component';
      return `${name}: ${labValue(component, format).text}`;
    });
    return { kind: 'components', text: parts.join('; ') };
  }
  if (isObject(holder.valueSampledData) || isObject(holder.valueAttachment)) return { kind: 'other', text: 'Recorded as data that cannot be shown here' };
  return { kind: 'none', text: 'No value recorded' };
}

// ---------------------------------------------------------------------------
// Reference ranges

// FHIR R4 referencerange-meaning: `normal` (and an untyped range) says what is normal;
// the others are ranges for a treatment or a phase, shown with their meaning.
const MEANING_SYSTEM = 'http://terminology.hl7.org/CodeSystem/referencerange-meaning';
const NORMAL_MEANINGS = new Set(['normal', 'recommended']);
const MEANING_CODES = new Set([
  'type', 'normal', 'recommended', 'treatment', 'therapeutic', 'pre', 'post', 'endocrine', 'pre-puberty', 'follicular',
  'midcycle', 'luteal', 'postmenopausal',
]);

// Populations a range can be for (ReferenceRange.appliesTo): sex is the one a record lets us check.
const MALE = new Set(['248153007', 'male', 'm', 'men']);
const FEMALE = new Set(['248152002', 'female', 'f', 'women']);

interface RangeCandidate {
  readonly range: JsonObject;
  readonly index: number;
  readonly normal: boolean;
  /** true: it applies; false: it does not; undefined: cannot tell. */
  readonly applies: boolean | undefined;
  readonly qualifier?: string;
}

/** A meaning code of a range's `type` or of an `appliesTo` concept that is really a meaning (US Core's own examples put "normal" there). */
function meaningCodes(concept: unknown): string[] {
  if (!isObject(concept)) return [];
  return objects(concept.coding)
    .filter((coding) => text(coding.system) === MEANING_SYSTEM || (text(coding.system) === undefined && MEANING_CODES.has(text(coding.code) ?? '')))
    .map((coding) => text(coding.code)?.toLowerCase())
    .filter((code): code is string => code !== undefined);
}

function sexOf(concept: JsonObject): 'male' | 'female' | undefined {
  const codes = objects(concept.coding).map((coding) => text(coding.code)?.toLowerCase());
  const words = (text(concept.text)?.toLowerCase() ?? '').split(/[^a-z0-9]+/);
  if ([...codes, ...words].some((code) => code !== undefined && FEMALE.has(code))) return 'female';
  if ([...codes, ...words].some((code) => code !== undefined && MALE.has(code))) return 'male';
  return undefined;
}

const AGE_UNITS: Readonly<Record<string, 'year' | 'month' | 'week' | 'day'>> = {
  a: 'year', yr: 'year', yrs: 'year', y: 'year', year: 'year', years: 'year',
  mo: 'month', month: 'month', months: 'month',
  wk: 'week', week: 'week', weeks: 'week',
  d: 'day', day: 'day', days: 'day',
};
const AGE_SUFFIX = { year: 'y', month: 'mo', week: 'wk', day: 'd' } as const;

function ageUnitOf(quantity: unknown): 'year' | 'month' | 'week' | 'day' | undefined {
  if (!isObject(quantity)) return undefined;
  const code = text(quantity.code)?.toLowerCase() ?? text(quantity.unit)?.toLowerCase();
  return code === undefined ? 'year' : AGE_UNITS[code];
}

/** Whole completed units between two calendar days (`end` >= `start`). */
function completed(start: CalendarDate, end: CalendarDate, unit: 'year' | 'month' | 'week' | 'day'): number {
  const days = Math.round((Date.UTC(end.year, end.month - 1, end.day) - Date.UTC(start.year, start.month - 1, start.day)) / 86_400_000);
  if (unit === 'day') return days;
  if (unit === 'week') return Math.floor(days / 7);
  let months = (end.year - start.year) * 12 + (end.month - start.month);
  if (end.day < start.day) months -= 1;
  return unit === 'month' ? months : Math.floor(months / 12);
}

/**
 * Whether an age Range (ReferenceRange.age, bounds inclusive) holds the patient's age on the
 * result's day; undefined when the birth date or the result date is unknown, or when a
 * partial birth date leaves it open.
 */
function ageApplies(age: JsonObject, facts: LabPatientFacts | undefined, resultDate: string | undefined): boolean | undefined {
  const birth = parseFhirDate(facts?.birthDate);
  const on = parseFhirDate(resultDate);
  if (!birth || !on) return undefined;
  const { first: bornFirst, last: bornLast } = fhirDateBounds(birth);
  const { first: day } = fhirDateBounds(on);
  const check = (born: CalendarDate): boolean => {
    for (const [bound, inside] of [
      [age.low, (years: number, limit: number) => years >= limit],
      [age.high, (years: number, limit: number) => years <= limit],
    ] as const) {
      const limit = isObject(bound) ? finite(bound.value) : undefined;
      const unit = ageUnitOf(bound);
      if (limit === undefined || unit === undefined) continue;
      if (!inside(completed(born, day, unit), limit)) return false;
    }
    return true;
  };
  const oldest = check(bornFirst);
  const youngest = check(bornLast);
  return oldest === youngest ? oldest : undefined;
}

function ageQualifier(age: JsonObject, format: LabFormat): string | undefined {
  const bound = (quantity: unknown) => {
    const value = isObject(quantity) ? finite(quantity.value) : undefined;
    const unit = ageUnitOf(quantity);
    return value === undefined || unit === undefined ? undefined : { value: format.number(value), suffix: AGE_SUFFIX[unit] };
  };
  const low = bound(age.low);
  const high = bound(age.high);
  if (low && high) return low.suffix === high.suffix ? `${low.value}–${high.value} ${low.suffix}` : `${low.value} ${low.suffix} – ${high.value} ${high.suffix}`;
  if (low) return `${low.value} ${low.suffix} and older`;
  if (high) return `up to ${high.value} ${high.suffix}`;
  return undefined;
}

function candidateOf(range: JsonObject, index: number, facts: LabPatientFacts | undefined, resultDate: string | undefined, format: LabFormat): RangeCandidate {
  const populations = Array.isArray(range.appliesTo) ? objects(range.appliesTo) : [];
  const meanings = range.type === undefined && populations.length === 0 ? [] : [...meaningCodes(range.type), ...populations.flatMap(meaningCodes)];
  const normal = meanings.length === 0 || meanings.some((code) => NORMAL_MEANINGS.has(code));
  const qualifiers: string[] = [];
  let applies: boolean | undefined = true;
  for (const population of populations) {
    if (meaningCodes(population).length > 0) continue;
    const sex = sexOf(population);
    const label = conceptText(population) ?? sex;
    if (label) qualifiers.push(label);
    if (sex === undefined) applies = applies === false ? false : undefined;
    else if (facts?.gender !== 'male' && facts?.gender !== 'female') applies = applies === false ? false : undefined;
    else if (facts.gender !== sex) applies = false;
  }
  if (isObject(range.age)) {
    const label = ageQualifier(range.age, format);
    if (label) qualifiers.push(label);
    const byAge = ageApplies(range.age, facts, resultDate);
    if (byAge === false) applies = false;
    else if (byAge === undefined && applies !== false) applies = undefined;
  }
  if (!normal) {
    const meaning = conceptText(range.type) ?? meanings.find((code) => !NORMAL_MEANINGS.has(code));
    if (meaning) qualifiers.push(meaning);
  }
  return { range, index, normal, applies, ...(qualifiers.length ? { qualifier: qualifiers.join(', ') } : {}) };
}

function rangeView(candidate: RangeCandidate, value: LabValueView, format: LabFormat, applies: LabRangeView['applies']): LabRangeView | undefined {
  const { range } = candidate;
  const low = isObject(range.low) ? finite(range.low.value) : undefined;
  const high = isObject(range.high) ? finite(range.high.value) : undefined;
  const written = text(range.text);
  const numeric = rangeText(range, format);
  const shown = numeric ?? written;
  if (shown === undefined) return undefined;
  const unit = quantityUnit(isObject(range.low) && low !== undefined ? range.low : range.high);
  // FHIR R4: bounds with no unit are in the value's unit.
  const unitKey = unit.key ?? value.unitKey;
  return {
    text: shown,
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    ...(unit.label !== undefined ? { unit: unit.label } : {}),
    ...(unitKey !== undefined ? { unitKey } : {}),
    ...(candidate.qualifier ? { qualifier: candidate.qualifier } : {}),
    applies,
  };
}

/**
 * The reference range to show for a result (FHIR R4 Observation.referenceRange, 0..*):
 * normal (or untyped) ranges first; of those, the one for the patient's sex
 * (`appliesTo`) and their age on the result's day (`age`, bounds inclusive). When the
 * record cannot tell which of several applies (no birth date, an unknown population),
 * every candidate is listed as text with its qualifier ("12–15.5 g/dL (female);
 * 13.5–17.5 g/dL (male)") and none is used to flag the value.
 */
export function labRange(
  holder: JsonObject,
  value: LabValueView,
  facts: LabPatientFacts | undefined,
  resultDate: string | undefined,
  format: LabFormat,
): LabRangeView | undefined {
  const all = objects(holder.referenceRange).map((range, index) => candidateOf(range, index, facts, resultDate, format));
  if (all.length === 0) return undefined;
  const normal = all.filter((candidate) => candidate.normal);
  const pool = normal.length > 0 ? normal : all;
  const possible = pool.filter((candidate) => candidate.applies !== false);
  const sure = possible.find((candidate) => candidate.applies === true);
  if (sure) return rangeView(sure, value, format, 'yes');
  if (possible.length === 1) return rangeView(possible[0]!, value, format, 'uncertain');
  if (possible.length === 0) return undefined;
  const texts = possible
    .map((candidate) => {
      const view = rangeView(candidate, value, format, 'uncertain');
      return view ? `${view.text}${view.qualifier ? ` (${view.qualifier})` : ''}` : undefined;
    })
    .filter((line): line is string => line !== undefined);
  return texts.length ? { text: texts.join('; '), applies: 'uncertain' } : undefined;
}

// ---------------------------------------------------------------------------
// Flags

/** `value` (in unit `from`) in unit `to`, through the converter; notes a pair it cannot answer yet. */
export function convertValue(value: number, from: string | undefined, to: string | undefined, context: LabValueContext): number | undefined {
  if (from === to) return value;
  if (from === undefined || to === undefined) return undefined;
  const result = context.converter.convert(value, from, to);
  if (result === undefined && !context.converter.complete) context.pending.set(`${from}\u0000${to}`, { from, to });
  return result;
}

/**
 * The flag of a result: the lab's interpretation when it has a known code (FHIR R4
 * Observation.interpretation; an explicit Normal is trusted over the range). Without one,
 * a numeric value outside the applicable reference range is flagged High or Low,
 * `derived`. An interpretation in words only (text "High", or a code this model does not
 * know) does not hide the range: the value is still flagged from it, shown in the lab's
 * words. A bound ("< 5") is flagged only when every value it allows is outside. A range in
 * another unit is converted, never compared as is; a range that may not apply to this
 * patient flags nothing.
 */
export function labFlag(holder: JsonObject, value: LabValueView, range: LabRangeView | undefined, context: LabValueContext): LabFlagView | undefined {
  const interpretation = interpretationOf(holder.interpretation);
  if (interpretation?.code !== undefined) return { ...interpretation, source: 'interpretation' };
  const derived = rangeFlag(value, range, context);
  if (!interpretation) return derived;
  // The lab's words are kept as the label; how much attention it asks for comes from the range.
  return derived ? { ...derived, label: interpretation.label, source: 'interpretation' } : { ...interpretation, source: 'interpretation' };
}

/** High or Low from the applicable reference range (see {@link labFlag}). */
function rangeFlag(value: LabValueView, range: LabRangeView | undefined, context: LabValueContext): LabFlagView | undefined {
  if (value.number === undefined || !range || range.applies !== 'yes') return undefined;
  const low = range.low === undefined ? undefined : convertValue(range.low, range.unitKey, value.unitKey, context);
  const high = range.high === undefined ? undefined : convertValue(range.high, range.unitKey, value.unitKey, context);
  const number = value.number;
  const comparator = value.comparator;
  const below = low !== undefined && (comparator === '<' ? number <= low : comparator === '<=' ? number < low : comparator === undefined && number < low);
  const above = high !== undefined && (comparator === '>' ? number >= high : comparator === '>=' ? number > high : comparator === undefined && number > high);
  if (above) return { code: 'H', label: 'High', severity: 'abnormal', direction: 'high', source: 'derived' };
  if (below) return { code: 'L', label: 'Low', severity: 'abnormal', direction: 'low', source: 'derived' };
  return undefined;
}

// ---------------------------------------------------------------------------
// Dates

/** A clinical date of a result, as given and for people (with its time when it has one). */
export interface LabDateView {
  /** The FHIR value as given (`2024-03-01T09:30:00Z`, `2024-03`). */
  readonly value: string;
  readonly precision: FhirDatePrecision;
  /** "Mar 1, 2024, 9:30 AM"; "Mar 2024" for a partial date. */
  readonly display: string;
  /** The day alone: "Mar 1, 2024". */
  readonly day: string;
  /** Epoch milliseconds to order by: the moment of a dateTime with a zone, else the start of the (partial) day in UTC. */
  readonly time: number;
}

/**
 * Numbers and dates for people in one locale, with the formatters built once: a record of
 * thousands of results formats as many numbers and dates, and building an Intl formatter
 * (or resolving a locale) costs far more than using one.
 */
export interface LabFormat {
  readonly locale: string;
  /** "1,204", "0.25", "4.58": up to six fraction digits, as the lab gave them. */
  number(value: number): string;
  /** A FHIR date or dateTime; undefined when missing or malformed. */
  date(value: unknown): LabDateView | undefined;
}

/**
 * A date whose words are formatted on first use: a view of thousands of results formats
 * only the dates a person is shown.
 */
class LazyDateView implements LabDateView {
  readonly value: string;
  readonly precision: FhirDatePrecision;
  readonly time: number;
  private readonly parsed: ParsedFhirDate;
  private readonly locale: string;
  private shown?: string;
  private dayShown?: string;

  constructor(value: string, parsed: ParsedFhirDate, locale: string) {
    this.value = value;
    this.precision = parsed.precision;
    this.time = dateSortKey(parsed) ?? NaN;
    this.parsed = parsed;
    this.locale = locale;
  }

  get display(): string {
    return (this.shown ??= formatFhirDate(this.parsed, { locale: this.locale, time: true }) ?? this.value);
  }

  get day(): string {
    return (this.dayShown ??= formatFhirDate(this.parsed, { locale: this.locale }) ?? this.value);
  }

  toJSON(): LabDateView {
    return { value: this.value, precision: this.precision, display: this.display, day: this.day, time: this.time };
  }
}

/** A {@link LabFormat} for `locale` (already resolved). */
export function labFormat(locale: string): LabFormat {
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  // Lab values and range bounds repeat (every potassium range is 3.5–5.1): a lookup is
  // twenty times cheaper than formatting.
  const formatted = new Map<number, string>();
  const dates = new Map<string, LabDateView | null>();
  return {
    locale,
    number(value) {
      let shown = formatted.get(value);
      if (shown === undefined) {
        shown = numbers.format(value);
        if (formatted.size >= 20_000) formatted.clear();
        formatted.set(value, shown);
      }
      return shown;
    },
    date(value) {
      if (typeof value !== 'string') return undefined;
      let known = dates.get(value);
      if (known === undefined) {
        const parsed = parseFhirDate(value);
        known = parsed ? new LazyDateView(value.trim(), parsed, locale) : null;
        dates.set(value, known);
      }
      return known ?? undefined;
    },
  };
}

/** A Quantity for people: "< 0.5 mg/dL" (comparator kept; the unit text, else its code). */
function quantityString(quantity: JsonObject, format: LabFormat): string | undefined {
  const value = finite(quantity.value);
  if (value === undefined) return undefined;
  const comparator = comparatorOf(quantity);
  const unit = unitLabel(quantity);
  return `${comparator ? `${comparator} ` : ''}${format.number(value)}${unit ? ` ${unit}` : ''}`;
}

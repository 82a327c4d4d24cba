import { daysInMonth, fhirDateBounds, parseFhirDate, type CalendarDate } from './fhir-date.js';
import { isEnglish, resolveLocale } from './locale.js';
import { numberFormat } from './number-format.js';

/** The unit an age is stated in, by the clinical convention (see {@link calculateAge}). */
export type AgeUnit = 'day' | 'month' | 'year';

/** An age in whole completed units. */
export interface AgeValue {
  readonly value: number;
  readonly unit: AgeUnit;
}

/**
 * An age as precisely as the data allows. With a full birthDate `youngest` and `oldest`
 * are equal; with a partial one (`1961`, `1961-04`) they are the two ends of the
 * possible ages.
 */
export interface Age {
  /** The age if the patient was born on the last day the birthDate allows. */
  readonly youngest: AgeValue;
  /** The age if the patient was born on the first day the birthDate allows. */
  readonly oldest: AgeValue;
  /** True when every possible birth day gives the same age. */
  readonly exact: boolean;
  /** True when this is the age at death (a deceased date was given). */
  readonly atDeath: boolean;
}

export interface AgeOptions {
  /** The moment "today" is taken from (its local calendar day). Default: now. */
  readonly now?: Date;
  /**
   * `deceasedDateTime` (a FHIR date or dateTime, partial allowed): the age is the age
   * at death. When given but malformed there is no age: the current age of a deceased
   * patient must never be shown as if they were alive.
   */
  readonly deceasedDate?: unknown;
}

export interface FormatAgeOptions extends AgeOptions {
  /** BCP 47 locale. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /** `short` (default): "12 days", "14 mo", "52 y"; `long`: "12 days", "14 months", "52 years". */
  readonly style?: 'short' | 'long';
}

/**
 * A patient's age by the clinical convention: in days under one month, in months under
 * two years, in years from then on — always whole completed units, never rounded up.
 * An anniversary that falls on a day the month lacks (born Jan 31, born Feb 29) is
 * reached on that month's last day.
 *
 * A partial birthDate gives the range of possible ages ({@link Age.youngest} to
 * {@link Age.oldest}): born "1961", seen in June 2025, is 63 or 64. Nothing is guessed.
 *
 * Returns undefined for a missing or malformed birthDate, a birthDate after the end
 * date, or a malformed `deceasedDate`. Never throws.
 */
export function calculateAge(birthDate: unknown, options: AgeOptions = {}): Age | undefined {
  const birth = parseFhirDate(birthDate);
  if (!birth) return undefined;
  const atDeath = options.deceasedDate !== undefined && options.deceasedDate !== null;
  let endFirst: CalendarDate;
  let endLast: CalendarDate;
  if (atDeath) {
    const death = parseFhirDate(options.deceasedDate);
    if (!death) return undefined;
    ({ first: endFirst, last: endLast } = fhirDateBounds(death));
  } else {
    const now = options.now instanceof Date && !Number.isNaN(options.now.getTime()) ? options.now : new Date();
    endFirst = endLast = { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
  }

  const { first: birthFirst, last: birthLast } = fhirDateBounds(birth);
  if (compare(birthFirst, endLast) > 0) return undefined; // born after the end: bad data
  // Born in the current year or month: the latest possible birth is today, not later.
  const latestBirth = compare(birthLast, endFirst) > 0 ? endFirst : birthLast;
  const oldest = ageBetween(birthFirst, endLast);
  const youngest = ageBetween(latestBirth, endFirst);
  return { youngest, oldest, exact: sameAge(youngest, oldest), atDeath };
}

/**
 * The age to show: "12 days", "14 mo", "52 y" (see {@link calculateAge} for the rules).
 * A partial birthDate whose possible ages differ reads as a range, "63–64 y", never as
 * a single guessed number. Outside English, units come from Intl ("52 ans", "52 J").
 *
 * Returns undefined when there is no age to show. Never throws.
 */
export function formatAge(birthDate: unknown, options: FormatAgeOptions = {}): string | undefined {
  const age = calculateAge(birthDate, options);
  if (!age) return undefined;
  return formatAgeValue(age, options);
}

/** Formats an {@link Age} from {@link calculateAge}. */
export function formatAgeValue(age: Age, options: Pick<FormatAgeOptions, 'locale' | 'style'> = {}): string {
  const locale = resolveLocale(options.locale);
  const style = options.style ?? 'short';
  if (age.exact) return formatUnit(locale, style, age.oldest.unit, age.oldest.value);
  if (age.youngest.unit === age.oldest.unit) {
    return formatUnit(locale, style, age.oldest.unit, age.youngest.value, age.oldest.value);
  }
  // Different units at the two ends (a partial birthDate of a newborn): each end says its own unit.
  return `${formatUnit(locale, style, age.youngest.unit, age.youngest.value)}–${formatUnit(locale, style, age.oldest.unit, age.oldest.value)}`;
}

function formatUnit(locale: string, style: 'short' | 'long', unit: AgeUnit, value: number, upper?: number): string {
  // English clinical notes write "14 mo" and "52 y"; Intl's short English units are
  // "mths" and "yrs", so English short ages are spelled here. Days are always spelled out.
  if (style === 'short' && unit !== 'day' && isEnglish(locale)) {
    const numbers = numberFormat(locale);
    const amount = upper === undefined ? numbers.format(value) : numbers.formatRange(value, upper);
    return `${amount} ${unit === 'month' ? 'mo' : 'y'}`;
  }
  const unitDisplay = style === 'long' || unit === 'day' ? 'long' : 'short';
  const formatter = numberFormat(locale, { style: 'unit', unit, unitDisplay });
  return upper === undefined ? formatter.format(value) : formatter.formatRange(value, upper);
}

/** Whole completed units from `birth` to `end` (end >= birth), by the clinical convention. */
function ageBetween(birth: CalendarDate, end: CalendarDate): AgeValue {
  let months = (end.year - birth.year) * 12 + (end.month - birth.month);
  if (end.day < Math.min(birth.day, daysInMonth(end.year, end.month))) months -= 1;
  if (months < 1) {
    const days = Math.round((Date.UTC(end.year, end.month - 1, end.day) - Date.UTC(birth.year, birth.month - 1, birth.day)) / 86_400_000);
    return { value: Math.max(0, days), unit: 'day' };
  }
  if (months < 24) return { value: months, unit: 'month' };
  return { value: Math.floor(months / 12), unit: 'year' };
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function sameAge(a: AgeValue, b: AgeValue): boolean {
  return a.unit === b.unit && a.value === b.value;
}

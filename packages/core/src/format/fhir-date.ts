import { resolveLocale } from './locale.js';

/** How much of a FHIR date or dateTime was given: `1961`, `1961-04`, `1961-04-12`, or a time too. */
export type FhirDatePrecision = 'year' | 'month' | 'day' | 'time';

/**
 * A FHIR `date`, `dateTime` or `instant`, split into the parts that were actually given.
 * Partial dates stay partial: `1961-04` has no day, and nothing here invents one.
 */
export interface ParsedFhirDate {
  readonly precision: FhirDatePrecision;
  readonly year: number;
  /** 1–12, when the precision is month or finer. */
  readonly month?: number;
  /** 1–31, when the precision is day or finer. */
  readonly day?: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  readonly millisecond?: number;
  /**
   * The zone offset as written, in minutes east of UTC (`Z` = 0, `-05:00` = -300).
   * Undefined when a time was given without a zone (a "floating" local time).
   */
  readonly offsetMinutes?: number;
}

/** A calendar day with no time and no zone. */
export interface CalendarDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
}

export interface FormatFhirDateOptions {
  /** BCP 47 locale. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /**
   * `medium` (default): "May 3, 2001", "Apr 1961"; `long`: "April 3, 2001", "April 1961";
   * `short`: "5/3/2001", "04/1961". The year is always written in full.
   */
  readonly style?: 'short' | 'medium' | 'long';
  /** Also show the time of a dateTime that has one. Default false. */
  readonly time?: boolean;
  /**
   * IANA zone to show a dateTime's moment in (default: the viewer's zone). Never
   * applies to date-only values, which are calendar days, not moments.
   */
  readonly timeZone?: string;
}

// FHIR R4 §2.24.0.1 `date` / `dateTime` / `instant` grammar, with two tolerances seen on
// real servers: seconds left out ("T10:30") and a time with no zone. Anything else is malformed.
const FHIR_DATE_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * Parses a FHIR `date`, `dateTime` or `instant` string, keeping its precision.
 * Returns undefined for anything that is not one (wrong type, impossible day such as
 * `2023-02-30`, out-of-range time or offset). Never throws.
 *
 * @example parseFhirDate('1961-04') // { precision: 'month', year: 1961, month: 4 }
 */
export function parseFhirDate(value: unknown): ParsedFhirDate | undefined {
  if (typeof value !== 'string') return undefined;
  const match = FHIR_DATE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  if (year < 1) return undefined; // FHIR has no year 0000
  if (mo === undefined) return { precision: 'year', year };
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) return { precision: 'month', year, month };
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (h === undefined || mi === undefined) return { precision: 'day', year, month, day };

  const hour = Number(h);
  const minute = Number(mi);
  // A leap second (":60") is valid FHIR; shown as :59 since Date cannot hold it.
  const second = s === undefined ? 0 : Math.min(Number(s), 59);
  if (hour > 23 || minute > 59 || (s !== undefined && Number(s) > 60)) return undefined;
  const millisecond = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  let offsetMinutes: number | undefined;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone !== undefined) {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return { precision: 'time', year, month, day, hour, minute, second, millisecond, offsetMinutes };
}

/**
 * The first and last calendar days a (possibly partial) date may stand for:
 * `1961` -> Jan 1 to Dec 31 1961, `1961-04` -> Apr 1 to Apr 30. A dateTime stands for
 * its day as written (in its own zone, where the event happened).
 */
export function fhirDateBounds(date: ParsedFhirDate): { readonly first: CalendarDate; readonly last: CalendarDate } {
  const { year } = date;
  if (date.month === undefined) return { first: { year, month: 1, day: 1 }, last: { year, month: 12, day: 31 } };
  const { month } = date;
  if (date.day === undefined) {
    return { first: { year, month, day: 1 }, last: { year, month, day: daysInMonth(year, month) } };
  }
  const day = { year, month, day: date.day };
  return { first: day, last: day };
}

/**
 * The moment a dateTime with a time and zone stands for; undefined for dates,
 * partial values and floating times (which are not moments).
 */
export function fhirDateInstant(date: ParsedFhirDate): Date | undefined {
  if (date.precision !== 'time' || date.offsetMinutes === undefined) return undefined;
  const utc = utcDate(date.year, date.month ?? 1, date.day ?? 1, date.hour, date.minute, date.second, date.millisecond);
  return new Date(utc.getTime() - date.offsetMinutes * 60_000);
}

/**
 * A FHIR date or dateTime for people: "Apr 1961" for month precision, "1961" for a year,
 * "May 3, 2001" for a day; with `time: true`, a dateTime's time as well.
 *
 * Date-only values are calendar days and are never shifted by a time zone: a birthDate
 * of `2001-05-03` reads "May 3, 2001" in every zone (it is formatted in UTC from its
 * own parts, never through the viewer's local midnight). A dateTime with a zone is a
 * moment and is shown in `options.timeZone` (default: the viewer's zone).
 *
 * Returns undefined for a missing or malformed value. Never throws.
 */
export function formatFhirDate(value: unknown, options: FormatFhirDateOptions = {}): string | undefined {
  const date = isParsedFhirDate(value) ? value : parseFhirDate(value);
  if (!date) return undefined;
  const locale = resolveLocale(options.locale);
  const style = options.style ?? 'medium';
  const monthStyle = style === 'long' ? 'long' : style === 'short' ? (date.day === undefined ? '2-digit' : 'numeric') : 'short';

  if (date.month === undefined) {
    return format(locale, { year: 'numeric', timeZone: 'UTC' }, utcDate(date.year, 1, 1));
  }
  if (date.day === undefined) {
    return format(locale, { year: 'numeric', month: monthStyle, timeZone: 'UTC' }, utcDate(date.year, date.month, 1));
  }
  const dayOptions: Intl.DateTimeFormatOptions = { year: 'numeric', month: monthStyle, day: 'numeric' };
  if (date.precision !== 'time') {
    return format(locale, { ...dayOptions, timeZone: 'UTC' }, utcDate(date.year, date.month, date.day));
  }

  const timeOptions: Intl.DateTimeFormatOptions = options.time ? { hour: 'numeric', minute: '2-digit' } : {};
  const instant = fhirDateInstant(date);
  if (instant) {
    return (
      format(locale, { ...dayOptions, ...timeOptions, timeZone: options.timeZone }, instant) ??
      // An unknown IANA zone name: fall back to the viewer's zone rather than fail.
      format(locale, { ...dayOptions, ...timeOptions }, instant)
    );
  }
  // A time with no zone is a wall-clock reading: show it as written, unshifted.
  const wallClock = utcDate(date.year, date.month, date.day, date.hour, date.minute, date.second, date.millisecond);
  return format(locale, { ...dayOptions, ...timeOptions, timeZone: 'UTC' }, wallClock);
}

/** Days in a month of the proleptic Gregorian calendar (`month` 1–12). */
export function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

/** A Date at the given UTC wall time; years 0–99 are kept as written (Date.UTC maps them to 19xx). */
function utcDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date;
}

// Creating an Intl.DateTimeFormat costs about 60 µs, formatting with one about 1 µs: a list of
// a thousand dated records would spend most of its time building formatters. Kept per
// locale and options; cleared if a page somehow cycles through very many.
const formatters = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, options: Intl.DateTimeFormatOptions, date: Date): string | undefined {
  try {
    const key = `${locale}\u0000${JSON.stringify(options)}`;
    let formatter = formatters.get(key);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat(locale, options);
      if (formatters.size >= 256) formatters.clear();
      formatters.set(key, formatter);
    }
    return formatter.format(date);
  } catch {
    return undefined; // RangeError: an invalid timeZone, or a date outside Intl's range
  }
}

function isParsedFhirDate(value: unknown): value is ParsedFhirDate {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ParsedFhirDate).year === 'number' &&
    typeof (value as ParsedFhirDate).precision === 'string'
  );
}

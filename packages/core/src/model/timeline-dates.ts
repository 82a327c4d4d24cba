// Dates of timeline events: parsed once, kept at their precision, turned into numbers
// that sort and filter 20,000 events without creating a Date or an Intl formatter.
import { daysInMonth, parseFhirDate, type ParsedFhirDate } from '../format/fhir-date.js';

/** A FHIR date, dateTime or instant as given, with its parsed parts (partial stays partial). */
export interface TimelineDate {
  /** The value as written, e.g. `1961-04` or `2024-05-03T10:15:00-05:00`. */
  readonly value: string;
  readonly parsed: ParsedFhirDate;
}

const DAY_MS = 86_400_000;
// Precision ranks break ties at the same first moment: finer precision sorts as newer.
const PRECISION_OFFSET = { time: 0, day: 0, month: -0.5, year: -0.75 } as const;

/** A TimelineDate from a FHIR value; undefined when it is missing or malformed. */
export function timelineDate(value: unknown): TimelineDate | undefined {
  const parsed = parseFhirDate(value);
  return parsed ? { value: (value as string).trim(), parsed } : undefined;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Orders events in time: the moment in epoch milliseconds (a dateTime with a zone is its
 * instant; a date, a partial date or a floating time is read as UTC). A partial date sorts
 * at its first moment, just before full dates of that moment, so newest-first puts
 * "May 2024" after every dated day of May 2024.
 */
export function sortKeyOf(date: ParsedFhirDate): number {
  const days = daysFromCivil(date.year, date.month ?? 1, date.day ?? 1);
  if (date.precision !== 'time') return days * DAY_MS + PRECISION_OFFSET[date.precision];
  const ms = days * DAY_MS + ((date.hour ?? 0) * 60 + (date.minute ?? 0)) * 60_000 + (date.second ?? 0) * 1000 + (date.millisecond ?? 0);
  return date.offsetMinutes === undefined ? ms : ms - date.offsetMinutes * 60_000;
}

/** yyyymmdd of the first day a (possibly partial) date stands for, in its own zone. */
export function firstDayOf(date: ParsedFhirDate): number {
  return date.year * 10_000 + (date.month ?? 1) * 100 + (date.day ?? 1);
}

/** yyyymmdd of the last day a (possibly partial) date stands for. */
export function lastDayOf(date: ParsedFhirDate): number {
  if (date.month === undefined) return date.year * 10_000 + 1231;
  return date.year * 10_000 + date.month * 100 + (date.day ?? daysInMonth(date.year, date.month));
}

/**
 * A filter bound from a FHIR date (partial allowed) or an `<input type="date">` value:
 * `from` is the first day it stands for (`2020` -> 20200101), `to` the last (`2020` ->
 * 20201231). Undefined when empty or malformed (a bound that cannot be read filters nothing).
 */
export function dayBound(value: string | undefined, edge: 'from' | 'to'): number | undefined {
  if (!value) return undefined;
  const parsed = parseFhirDate(value);
  if (!parsed) return undefined;
  return edge === 'from' ? firstDayOf(parsed) : lastDayOf(parsed);
}

/**
 * Time helpers. Clinical times are written with a fixed US Eastern standard
 * offset (-05:00), as many EHR exports do; `meta.lastUpdated` is a server
 * instant in UTC with milliseconds. Both forms are valid FHIR dateTime/instant.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;

const OFFSET = -5 * HOUR;

/** The default anchor for generated dates, so output is reproducible. */
export const DEFAULT_NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

/** A FHIR dateTime to the second, in local (-05:00) time: `2024-03-05T09:12:00-05:00`. */
export function dateTime(ms: number): string {
  const local = new Date(Math.floor(ms / MINUTE) * MINUTE + OFFSET).toISOString();
  return `${local.slice(0, 19)}-05:00`;
}

/** A FHIR date in local time: `2024-03-05`. */
export function date(ms: number): string {
  return new Date(ms + OFFSET).toISOString().slice(0, 10);
}

/** A FHIR instant in UTC with milliseconds, the way servers write `meta.lastUpdated`. */
export function instant(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** Whole years from `from` to `to`. */
export function years(from: number, to: number): number {
  return (to - from) / YEAR;
}

/** Local midnight of the day containing `ms`, plus `hours` (fractional hours allowed). */
export function atLocalHour(ms: number, hours: number): number {
  const dayStart = Math.floor((ms + OFFSET) / DAY) * DAY - OFFSET;
  return dayStart + Math.round(hours * 60) * MINUTE;
}

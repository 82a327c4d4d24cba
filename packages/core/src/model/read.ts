// Readers for FHIR data that may not match its type. A resource from a server is
// untrusted input: any element may be absent, null, or of the wrong JSON type, and a
// model function must still return a view rather than throw. These helpers are
// shared by the model functions and are not part of the package's public API.
import { fhirDateBounds, parseFhirDate, type CalendarDate } from '../format/fhir-date.js';

/** A JSON object (not null, not an array). */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed string with inner runs of whitespace collapsed; undefined when empty or not a string. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const collapsed = value.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? undefined : collapsed;
}

/** The objects of an array; [] when the value is not an array (a lone object is not promoted). */
export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The non-empty strings of a value that should be a string array; a lone string counts as one. */
export function texts(value: unknown): string[] {
  if (typeof value === 'string') return text(value) === undefined ? [] : [text(value)!];
  if (!Array.isArray(value)) return [];
  return value.map(text).filter((item): item is string => item !== undefined);
}

/** Today's calendar day in the viewer's zone. */
export function calendarDay(now: Date): CalendarDate {
  return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
}

/**
 * False when a FHIR Period has ended before `today` or starts after it. A period
 * that is absent or malformed counts as current: missing data must not hide a record.
 */
export function isCurrentPeriod(period: unknown, today: CalendarDate): boolean {
  if (!isObject(period)) return true;
  const end = parseFhirDate(period.end);
  if (end && compareDays(fhirDateBounds(end).last, today) < 0) return false;
  const start = parseFhirDate(period.start);
  if (start && compareDays(fhirDateBounds(start).first, today) > 0) return false;
  return true;
}

/**
 * A CodeableConcept for people: its `text`, else the first coding `display`.
 * Undefined when neither is given (a bare code is not a label).
 */
export function conceptText(concept: unknown): string | undefined {
  if (!isObject(concept)) return undefined;
  return text(concept.text) ?? objects(concept.coding).map((coding) => text(coding.display)).find(Boolean);
}

/** The codes of a CodeableConcept's codings in `systems`. */
export function codesIn(concept: unknown, systems: readonly string[]): string[] {
  if (!isObject(concept)) return [];
  return objects(concept.coding)
    .filter((coding) => typeof coding.system === 'string' && systems.includes(coding.system))
    .map((coding) => text(coding.code))
    .filter((code): code is string => code !== undefined);
}

function compareDays(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

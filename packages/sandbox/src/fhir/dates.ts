// FHIR dates as time ranges, for date search (http://hl7.org/fhir/R4/search.html#date).
// Every date, dateTime and instant is an implicit range set by its precision: "2020" is the
// whole year, "2020-03-01T10:15" a minute. Values without a time zone are read as UTC.

/** Inclusive range in epoch milliseconds; open ends are -Infinity / Infinity. */
export interface DateRange {
  readonly low: number;
  readonly high: number;
}

const DATE_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The implicit range of a FHIR date, dateTime or instant; undefined when the text is not one. */
export function parseDateRange(text: string): DateRange | undefined {
  const match = DATE_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo);
  const day = d === undefined ? undefined : Number(d);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (day < 1 || day > new Date(Date.UTC(year, month ?? 1, 0)).getUTCDate())) return undefined;

  if (month === undefined) return range(Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
  if (day === undefined) return range(Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1));
  if (h === undefined) return range(Date.UTC(year, month - 1, day), Date.UTC(year, month - 1, day + 1));

  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const start = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  // Width of the implicit range: a minute, a second or the stated fraction of a second.
  const width =
    s === undefined ? 60_000 : fraction === undefined ? 1000 : Math.max(1, 1000 / 10 ** Math.min(fraction.length, 3));
  return range(start, start + width);
}

function range(startInclusive: number, endExclusive: number): DateRange {
  return { low: startInclusive, high: endExclusive - 1 };
}

/** The prefixes of ordered search values (http://hl7.org/fhir/R4/search.html#prefix). */
export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export const PREFIXES: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

/**
 * Whether a resource value's range satisfies a prefixed date search value, following the
 * table in R4 search.html#prefix: "eq" means the search range contains the resource range,
 * "gt" that the range above the search value overlaps it, "ge" either of those, and so on.
 */
export function matchesDate(target: DateRange, prefix: Prefix, search: DateRange): boolean {
  const contained = target.low >= search.low && target.high <= search.high;
  switch (prefix) {
    case 'eq':
      return contained;
    case 'ne':
      return !contained;
    case 'gt':
      return target.high > search.high;
    case 'lt':
      return target.low < search.low;
    case 'ge':
      return target.high > search.high || contained;
    case 'le':
      return target.low < search.low || contained;
    case 'sa':
      return target.low > search.high;
    case 'eb':
      return target.high < search.low;
    case 'ap': {
      // "Approximately": within 10% of the distance from now, at least a day either side.
      const now = Date.now();
      const slack = Math.max(86_400_000, Math.abs(now - (search.low + search.high) / 2) * 0.1);
      return target.low <= search.high + slack && target.high >= search.low - slack;
    }
  }
}

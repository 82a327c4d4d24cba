// Calendar ticks for a linear x-axis over epoch milliseconds, labelled with Intl. This is
// what a Chart.js time scale and a date adapter would give, without the adapter (the
// smallest, dayjs, adds about 7 KB gzip and a dependency): ticks fall on local calendar
// boundaries (midnight, the 1st of a month, 1 January) and read in the page's locale.

type Unit = 'minute' | 'hour' | 'day' | 'month' | 'year';

interface Step {
  readonly unit: Unit;
  readonly count: number;
  /** Roughly how long the step is, to choose one. */
  readonly ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30.44 * DAY;
const YEAR = 365.25 * DAY;

const STEPS: readonly Step[] = [
  ...[1, 5, 15, 30].map((count) => ({ unit: 'minute' as const, count, ms: count * MINUTE })),
  ...[1, 3, 6, 12].map((count) => ({ unit: 'hour' as const, count, ms: count * HOUR })),
  ...[1, 2, 7, 14].map((count) => ({ unit: 'day' as const, count, ms: count * DAY })),
  ...[1, 2, 3, 6].map((count) => ({ unit: 'month' as const, count, ms: count * MONTH })),
  ...[1, 2, 5, 10, 20, 50, 100].map((count) => ({ unit: 'year' as const, count, ms: count * YEAR })),
];

export interface TimeTick {
  readonly value: number;
  readonly label: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, options);
    } catch {
      format = new Intl.DateTimeFormat('en-US', options);
    }
    formats.set(key, format);
  }
  return format;
}

/** The first boundary of `step` at or after `time`, in local time. */
function firstBoundary(time: number, step: Step): Date {
  const date = new Date(time);
  switch (step.unit) {
    case 'minute':
      date.setSeconds(0, 0);
      date.setMinutes(Math.ceil(date.getMinutes() / step.count) * step.count);
      break;
    case 'hour':
      date.setMinutes(0, 0, 0);
      date.setHours(Math.ceil(date.getHours() / step.count) * step.count);
      break;
    case 'day':
      date.setHours(0, 0, 0, 0);
      if (date.getTime() < time) date.setDate(date.getDate() + 1);
      if (step.count === 7 || step.count === 14) {
        // Weeks start on Monday.
        while (date.getDay() !== 1) date.setDate(date.getDate() + 1);
      }
      break;
    case 'month': {
      date.setHours(0, 0, 0, 0);
      const needsNext = date.getDate() !== 1 || date.getTime() < time;
      date.setDate(1);
      if (needsNext) date.setMonth(date.getMonth() + 1);
      date.setMonth(Math.ceil(date.getMonth() / step.count) * step.count);
      break;
    }
    case 'year': {
      date.setHours(0, 0, 0, 0);
      const needsNext = date.getMonth() !== 0 || date.getDate() !== 1 || date.getTime() < time;
      date.setMonth(0, 1);
      let year = date.getFullYear() + (needsNext ? 1 : 0);
      year = Math.ceil(year / step.count) * step.count;
      date.setFullYear(year, 0, 1);
      break;
    }
  }
  return date;
}

function advance(date: Date, step: Step): void {
  switch (step.unit) {
    case 'minute':
      date.setMinutes(date.getMinutes() + step.count);
      break;
    case 'hour':
      date.setHours(date.getHours() + step.count);
      break;
    case 'day':
      date.setDate(date.getDate() + step.count);
      break;
    case 'month':
      date.setMonth(date.getMonth() + step.count);
      break;
    case 'year':
      date.setFullYear(date.getFullYear() + step.count);
      break;
  }
}

function labelOptions(step: Step, spansDays: boolean): Intl.DateTimeFormatOptions {
  switch (step.unit) {
    case 'year':
      return { year: 'numeric' };
    case 'month':
      return { month: 'short', year: 'numeric' };
    case 'day':
      return { month: 'short', day: 'numeric' };
    default:
      return spansDays ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' } : { hour: 'numeric', minute: '2-digit' };
  }
}

/**
 * Ticks between `min` and `max` (epoch ms) on calendar boundaries, at most about `maxTicks`
 * of them, labelled in `locale`: years ("2019"), months ("Mar 2019"), days ("Mar 3") or
 * times ("9:00 AM").
 */
export function timeTicks(min: number, max: number, maxTicks: number, locale: string): TimeTick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return [];
  const wanted = Math.max(2, Math.floor(maxTicks));
  const span = max - min;
  const step = STEPS.find((candidate) => span / candidate.ms <= wanted) ?? STEPS[STEPS.length - 1]!;
  const format = formatter(locale, labelOptions(step, span > DAY));
  const ticks: TimeTick[] = [];
  const date = firstBoundary(min, step);
  for (let guard = 0; date.getTime() <= max && guard < 1000; guard++) {
    ticks.push({ value: date.getTime(), label: format.format(date) });
    advance(date, step);
  }
  return ticks;
}

/** A date range for people: "Mar 3, 2025 – Mar 3, 2026" (Intl's own range format). */
export function formatTimeRange(start: number, end: number, locale: string): string {
  const format = formatter(locale, { year: 'numeric', month: 'short', day: 'numeric' });
  if (!Number.isFinite(start) || !Number.isFinite(end)) return '';
  return start === end ? format.format(start) : format.formatRange(start, end);
}

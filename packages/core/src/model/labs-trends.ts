// The trend of one analyte over time: its numeric results in one unit, for a sparkline and
// a history table. Part of the labs model (labs.ts); pure, never throws.
import { formatNumber } from './codeable.js';
import { convertValue, type LabValueContext } from './labs-values.js';
import type { LabResultView } from './labs.js';

/** One point of a trend, in the trend's unit. */
export interface LabTrendPoint {
  /** Epoch milliseconds of the result's clinical date. */
  readonly time: number;
  /** The value in the trend's unit. */
  readonly value: number;
  /** The value for people, in the trend's unit ("13.5"). */
  readonly display: string;
  readonly result: LabResultView;
}

/** A numeric result left out of the trend, and why. */
export interface LabTrendGap {
  readonly result: LabResultView;
  /** "In mmol/L, which cannot be converted to mg/dL", "Given as a bound (< 5)", "No date". */
  readonly reason: string;
}

/** How the latest point stands: by the lab's interpretation when it gives one, else against its reference range. */
export type LabTrendStanding = 'within' | 'above' | 'below' | 'flagged' | 'unknown';

/** Every result of one analyte, and the series of its numeric values. */
export interface LabTrend {
  /** `loinc:<code>`, else `name:<normalised name>`. */
  readonly key: string;
  /** The analyte's name: that of the result of the latest point, else of the newest result. */
  readonly name: string;
  readonly loinc?: string;
  /** The unit of the series for people: the latest numeric result's unit. */
  readonly unit?: string;
  /** The unit key of the series (see LabValueView.unitKey). */
  readonly unitKey?: string;
  /** Numeric results in the series' unit, oldest first. */
  readonly points: readonly LabTrendPoint[];
  /** Every result of the analyte (numeric or not), newest first: its history. */
  readonly results: readonly LabResultView[];
  /** Numeric results not in the series: never mixed in silently. */
  readonly gaps: readonly LabTrendGap[];
  /** The latest point's reference range, in the series' unit. */
  readonly range?: { readonly low?: number; readonly high?: number };
  readonly latest?: LabTrendPoint;
  readonly min?: number;
  readonly max?: number;
  readonly standing: LabTrendStanding;
  /** A sentence for a sparkline's accessible name: "Hemoglobin, 5 results from 12.1 to 14.2 g/dL, latest 13.5, within range". */
  readonly summary: string;
}

/** Results of one analyte as the grouping found them, with the date each is placed at. */
export interface LabTrendInput {
  readonly key: string;
  /** Newest first. */
  readonly results: readonly LabResultView[];
  /** The date a result is placed at: its own, else its report's. */
  readonly timeOf: (result: LabResultView) => number | undefined;
}

function trendNumber(value: number, converted: boolean, locale: string): string {
  // A converted value carries float noise (0.1 mg/dL in g/L): four significant digits are more than a lab reports.
  return converted
    ? formatNumber(Number(value.toPrecision(4)), locale, { maximumFractionDigits: 6 })
    : formatNumber(value, locale, { maximumFractionDigits: 6 });
}

/**
 * The trend of one analyte: numeric results (valueQuantity or valueInteger, not a bound,
 * not cancelled, with a date) in the unit of the latest one. A result in another unit is
 * converted through the unit converter (UCUM); one that cannot be converted is left out
 * and listed in `gaps`: units are never mixed silently.
 */
export function buildLabTrend(input: LabTrendInput, context: LabValueContext): LabTrend {
  const { results, timeOf } = input;
  const locale = context.format.locale;
  const newest = results[0];
  const numeric = results.filter((result) => result.value.number !== undefined && result.status !== 'cancelled');
  const gaps: LabTrendGap[] = [];
  const candidates: { result: LabResultView; time: number }[] = [];
  for (const result of numeric) {
    const time = timeOf(result);
    if (result.value.comparator) gaps.push({ result, reason: `Given as a bound (${result.value.text})` });
    else if (time === undefined) gaps.push({ result, reason: 'No date recorded' });
    else candidates.push({ result, time });
  }
  candidates.sort((a, b) => a.time - b.time);
  const target = candidates[candidates.length - 1]?.result.value;
  const points: LabTrendPoint[] = [];
  for (const { result, time } of candidates) {
    const value = result.value;
    const converted = value.unitKey === target?.unitKey ? value.number : convertValue(value.number!, value.unitKey, target?.unitKey, context);
    if (converted === undefined) {
      const from = value.unit ?? 'no unit';
      const to = target?.unit ?? 'no unit';
      gaps.push({ result, reason: context.converter.complete ? `In ${from}, which cannot be shown in ${to}` : `In ${from}: converting to ${to}…` });
      continue;
    }
    points.push({ time, value: converted, display: trendNumber(converted, converted !== value.number, locale), result });
  }

  const latest = points[points.length - 1];
  let range: LabTrend['range'];
  const latestRange = latest?.result.range;
  if (latest && latestRange && latestRange.applies === 'yes' && (latestRange.low !== undefined || latestRange.high !== undefined)) {
    const low = latestRange.low === undefined ? undefined : convertValue(latestRange.low, latestRange.unitKey, target?.unitKey, context);
    const high = latestRange.high === undefined ? undefined : convertValue(latestRange.high, latestRange.unitKey, target?.unitKey, context);
    if (low !== undefined || high !== undefined) range = { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
  }
  let lowest: LabTrendPoint | undefined;
  let highest: LabTrendPoint | undefined;
  for (const point of points) {
    if (!lowest || point.value < lowest.value) lowest = point;
    if (!highest || point.value > highest.value) highest = point;
  }
  const min = lowest?.value;
  const max = highest?.value;
  // How the latest point stands by its range alone.
  let byRange: LabTrendStanding | undefined;
  if (latest && range) {
    byRange = range.high !== undefined && latest.value > range.high ? 'above' : range.low !== undefined && latest.value < range.low ? 'below' : 'within';
  }
  // The lab's interpretation (FHIR R4 Observation.interpretation) is what the result's row
  // shows and it wins over the range, as in labFlag: the trend never says "within range"
  // of a result flagged High, nor "above range" of one the lab called Normal.
  const flag = latest?.result.flag;
  const labSays = flag && flag.source === 'interpretation' && flag.severity !== 'other' ? flag : undefined;
  let standing: LabTrendStanding = 'unknown';
  let standingText = 'no reference range';
  if (labSays) {
    standing = labSays.severity === 'normal' ? 'within' : labSays.direction === 'high' ? 'above' : labSays.direction === 'low' ? 'below' : 'flagged';
    standingText =
      byRange === standing && standing !== 'flagged' ? `${standing} range` : labSays.label.toLowerCase();
  } else if (byRange) {
    standing = byRange;
    standingText = `${byRange} range`;
  } else if (flag && flag.severity !== 'normal') {
    standing = 'flagged';
    standingText = flag.label.toLowerCase();
  }

  const name = latest?.result.name ?? newest?.name ?? 'Unnamed test';
  const unit = target?.unit;
  const withUnit = (number: string) => (unit ? `${number} ${unit}` : number);
  let summary: string;
  if (!latest) summary = `${name}, no numeric results to chart`;
  else if (points.length === 1) summary = `${name}, 1 result: ${withUnit(latest.display)}, ${standingText}`;
  else {
    summary = `${name}, ${points.length} results from ${lowest!.display} to ${withUnit(highest!.display)}, latest ${latest.display}, ${standingText}`;
  }
  if (gaps.length > 0) summary += `; ${gaps.length} more ${gaps.length === 1 ? 'result' : 'results'} not charted`;

  return {
    key: input.key,
    name,
    ...(newest?.loinc ? { loinc: newest.loinc } : {}),
    ...(unit !== undefined ? { unit } : {}),
    ...(target?.unitKey !== undefined ? { unitKey: target.unitKey } : {}),
    points,
    results,
    gaps,
    ...(range ? { range } : {}),
    ...(latest ? { latest } : {}),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    standing,
    summary,
  };
}

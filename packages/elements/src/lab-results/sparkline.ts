// A small inline SVG sparkline of one analyte's trend: no chart library, a path per
// analyte computed once, the reference range as a shaded band, the latest point marked.
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { LabResultView, LabTrend, LabTrendPoint } from '@ehr-elements/core';

/** The sparkline's drawing box, in SVG user units (CSS pixels at the default size). */
export const SPARKLINE_WIDTH = 96;
export const SPARKLINE_HEIGHT = 28;
const PAD_X = 3;
const PAD_Y = 3;
/** Points drawn at most: a 96-unit line cannot show more; extremes of each bucket are kept. */
const MAX_POINTS = 120;

interface Geometry {
  readonly path: string;
  /** The reference range band, when there is one: y and height. */
  readonly band?: { readonly y: number; readonly height: number };
  readonly x: (time: number) => number;
  readonly y: (value: number) => number;
}

const geometries = new WeakMap<LabTrend, Geometry>();

/** Keeps the lowest and highest point of each time bucket (and the last point): the shape survives, the count drops. */
function decimate(points: readonly LabTrendPoint[]): readonly LabTrendPoint[] {
  if (points.length <= MAX_POINTS) return points;
  const buckets = Math.floor(MAX_POINTS / 2);
  const size = points.length / buckets;
  const kept: LabTrendPoint[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const slice = points.slice(Math.floor(bucket * size), Math.floor((bucket + 1) * size));
    if (slice.length === 0) continue;
    let low = slice[0]!;
    let high = slice[0]!;
    for (const point of slice) {
      if (point.value < low.value) low = point;
      if (point.value > high.value) high = point;
    }
    if (low === high) kept.push(low);
    else kept.push(...(low.time <= high.time ? [low, high] : [high, low]));
  }
  const last = points[points.length - 1]!;
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

function geometryOf(trend: LabTrend): Geometry {
  const known = geometries.get(trend);
  if (known) return known;
  const points = trend.points;
  const first = points[0]!.time;
  const last = points[points.length - 1]!.time;
  let low = trend.min!;
  let high = trend.max!;
  // The scale holds the values and the range, so the band always shows where normal lies.
  if (trend.range?.low !== undefined) low = Math.min(low, trend.range.low);
  if (trend.range?.high !== undefined) high = Math.max(high, trend.range.high);
  if (high === low) {
    high += Math.abs(high) * 0.1 || 1;
    low -= Math.abs(low) * 0.1 || 1;
  }
  // A margin around values and range, so a band that holds every value still reads as a band.
  const margin = (high - low) * 0.12;
  high += margin;
  low -= margin;
  const spanX = last - first;
  const index = new Map(points.map((point, position) => [point, position]));
  const x = (time: number, point?: LabTrendPoint) =>
    spanX > 0
      ? PAD_X + ((time - first) / spanX) * (SPARKLINE_WIDTH - 2 * PAD_X)
      : PAD_X + ((point ? (index.get(point) ?? 0) : 0) / Math.max(1, points.length - 1)) * (SPARKLINE_WIDTH - 2 * PAD_X);
  const y = (value: number) => PAD_Y + (1 - (value - low) / (high - low)) * (SPARKLINE_HEIGHT - 2 * PAD_Y);
  const drawn = decimate(points);
  const round = (value: number) => Math.round(value * 10) / 10;
  const path = drawn.map((point, position) => `${position === 0 ? 'M' : 'L'}${round(x(point.time, point))} ${round(y(point.value))}`).join(' ');
  let band: Geometry['band'];
  if (trend.range) {
    const top = trend.range.high !== undefined ? y(trend.range.high) : 0;
    const bottom = trend.range.low !== undefined ? y(trend.range.low) : SPARKLINE_HEIGHT;
    band = { y: round(top), height: round(Math.max(0.5, bottom - top)) };
  }
  const geometry: Geometry = { path, ...(band ? { band } : {}), x: (time) => x(time), y };
  geometries.set(trend, geometry);
  return geometry;
}

function pointX(trend: LabTrend, geometry: Geometry, point: LabTrendPoint): number {
  const first = trend.points[0]!.time;
  const last = trend.points[trend.points.length - 1]!.time;
  if (last > first) return geometry.x(point.time);
  const position = trend.points.indexOf(point);
  return PAD_X + (position / Math.max(1, trend.points.length - 1)) * (SPARKLINE_WIDTH - 2 * PAD_X);
}

/**
 * The sparkline of `trend` for the row of `current`: `role="img"` named by the trend's
 * summary, the reference range shaded, the latest point marked (in the abnormal colour
 * when it is outside the range), and `current` ringed when it is an older result.
 * Fewer than two points: a dash, with words for assistive technology.
 */
export function renderSparkline(trend: LabTrend | undefined, current: LabResultView): TemplateResult {
  if (!trend || trend.points.length < 2) {
    const others = trend ? trend.results.length - 1 : 0;
    return html`<span class="no-trend" aria-hidden="true">—</span><span class="visually-hidden">${others > 0 ? `No numeric trend` : 'No earlier results'}</span>`;
  }
  const geometry = geometryOf(trend);
  const latest = trend.latest!;
  const outside = trend.standing === 'above' || trend.standing === 'below' || trend.standing === 'flagged';
  const currentPoint = latest.result === current ? undefined : trend.points.find((point) => point.result === current);
  const marks: SVGTemplateResult[] = [];
  if (currentPoint) {
    marks.push(svg`<circle class="current" cx=${pointX(trend, geometry, currentPoint).toFixed(1)} cy=${geometry.y(currentPoint.value).toFixed(1)} r="2.4" />`);
  }
  marks.push(svg`<circle class="latest ${outside ? 'outside' : ''}" cx=${pointX(trend, geometry, latest).toFixed(1)} cy=${geometry.y(latest.value).toFixed(1)} r="2.6" />`);
  return html`<svg
    part="sparkline"
    class="sparkline"
    role="img"
    aria-label=${trend.summary}
    viewBox="0 0 ${SPARKLINE_WIDTH} ${SPARKLINE_HEIGHT}"
    width=${SPARKLINE_WIDTH}
    height=${SPARKLINE_HEIGHT}
    focusable="false"
  >
    <title>${trend.summary}</title>
    ${geometry.band ? svg`<rect class="band" x="0" y=${geometry.band.y} width=${SPARKLINE_WIDTH} height=${geometry.band.height} />` : nothing}
    <path class="line" d=${geometry.path} />
    ${marks}
  </svg>`;
}

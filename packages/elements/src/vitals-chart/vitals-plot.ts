// The Chart.js part of <ehr-vitals-chart>, loaded by a dynamic import the first time the
// element draws a chart, so a page that shows no chart never downloads Chart.js. Only
// what is used is registered (tree-shaken): the line controller, line and point elements,
// a linear scale (the x-axis is epoch milliseconds with calendar ticks from time-ticks.ts,
// so no date adapter is needed) and the tooltip. Long series are decimated here, not by
// Chart.js's plugin (see decimateVitalPoints).
import {
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
  type Plugin,
  type PointStyle,
  type ScriptableContext,
  type TooltipItem,
} from 'chart.js';
import { decimateVitalPoints, formatVitalDate, formatVitalValue, readingsBetween, type VitalReading, type VitalSeries, type VitalValue } from '@ehr-elements/core';
import { timeTicks } from './time-ticks.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** Colours read from the element's tokens (computed, so light-dark() and forced colours are resolved). */
export interface PlotColors {
  readonly line: string;
  readonly systolic: string;
  readonly diastolic: string;
  readonly abnormal: string;
  readonly range: string;
  readonly grid: string;
  readonly text: string;
  readonly surface: string;
}

export interface PlotSpec {
  readonly series: VitalSeries;
  /** The visible time range, epoch ms. */
  readonly start: number;
  readonly end: number;
  readonly colors: PlotColors;
  readonly locale: string;
  /** False under prefers-reduced-motion (and always for large series). */
  readonly animate: boolean;
  /** Shown in the tooltip when a reading names no performer. */
  readonly sourceLabel?: string;
}

/** One chart on one canvas. */
export interface Plot {
  update(spec: PlotSpec): void;
  destroy(): void;
  /** The Chart.js instance (for tests and host pages that want to export an image). */
  readonly chart: Chart<'line', PlotPoint[]>;
}

/** A point as Chart.js receives it (parsing off): x and y, plus the reading it shows. */
export interface PlotPoint {
  readonly x: number;
  readonly y: number | null;
  readonly reading: VitalReading;
  readonly value: VitalValue;
}

/** Above this many points in view, points are not drawn (only abnormal ones) and nothing animates. */
const LARGE = 1000;
/** Points drawn per measure at most (about): more readings than this in view are decimated. */
const SAMPLES = 500;
/** Above this many readings in view, blood pressure pairs are not joined by bars. */
const MAX_PAIR_BARS = 300;

// The points of each measure of a series, built once per series.
const pointCache = new WeakMap<VitalSeries, PlotPoint[][]>();
function pointsOf(series: VitalSeries): PlotPoint[][] {
  let points = pointCache.get(series);
  if (!points) {
    points = series.measures.map((_, index) =>
      series.readings.map((reading) => {
        const value = reading.values[index]!;
        return { x: reading.time, y: value.value, reading, value };
      }),
    );
    pointCache.set(series, points);
  }
  return points;
}

/**
 * The points of one measure to draw in [start, end] (with one point either side, so the line
 * runs to the edge): all of them when few, else decimated with every gap and every flagged
 * reading kept: an abnormal value must never vanish from the chart because it is crowded.
 */
function pointsInView(points: PlotPoint[], start: number, end: number): PlotPoint[] {
  let from = 0;
  while (from < points.length && points[from]!.x < start) from++;
  let to = from;
  while (to < points.length && points[to]!.x <= end) to++;
  if (to - from <= SAMPLES) return points;
  const view = points.slice(Math.max(0, from - 1), Math.min(points.length, to + 1));
  return decimateVitalPoints(view, { samples: SAMPLES, value: (point) => point.y, keep: (point) => point.value.flag !== undefined });
}

function flagStyle(value: VitalValue | undefined): PointStyle | undefined {
  const code = value?.flag?.code;
  if (!code) return undefined;
  return code.startsWith('A') ? 'rectRot' : 'triangle';
}

/**
 * Shades each measure's reference range: a band from low to high that steps from one
 * reading to the next (ranges may change over time); a one-sided range is a dashed line.
 * Plugins read the spec through a closure: Chart.js deep-copies plugin options, which
 * for a series of 50,000 readings costs seconds.
 */
function referenceBands(current: () => PlotSpec): Plugin<'line'> {
  return {
    id: 'ehrReferenceBands',
    beforeDatasetsDraw(chart) {
      const { series, colors } = current();
      const x = chart.scales.x!;
      const y = chart.scales.y!;
      const area = chart.chartArea;
      const readings = series.readings;
      const { ctx } = chart;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.fillStyle = colors.range;
      ctx.strokeStyle = colors.range;
      ctx.setLineDash([4, 4]);
      for (let measure = 0; measure < series.measures.length; measure++) {
        let i = 0;
        while (i < readings.length) {
          const range = readings[i]!.values[measure]?.range;
          // A range given only as text has nothing to shade (the table shows it).
          if (!range || (range.low === undefined && range.high === undefined)) {
            i++;
            continue;
          }
          // Merge the run of readings with the same range into one rectangle.
          let j = i + 1;
          while (j < readings.length) {
            const next = readings[j]!.values[measure]?.range;
            if (next?.low !== range.low || next?.high !== range.high) break;
            j++;
          }
          const left = i === 0 ? area.left : x.getPixelForValue(readings[i]!.time);
          const right = j >= readings.length ? area.right : x.getPixelForValue(readings[j]!.time);
          if (right >= area.left && left <= area.right) {
            if (range.low !== undefined && range.high !== undefined) {
              const top = y.getPixelForValue(range.high);
              const bottom = y.getPixelForValue(range.low);
              ctx.globalAlpha = 0.16;
              ctx.fillRect(left, top, right - left, bottom - top);
            } else {
              const bound = y.getPixelForValue((range.low ?? range.high)!);
              ctx.globalAlpha = 0.7;
              ctx.beginPath();
              ctx.moveTo(left, bound);
              ctx.lineTo(right, bound);
              ctx.stroke();
            }
          }
          i = j;
        }
      }
      ctx.restore();
    },
  };
}

/** Blood pressure: a thin bar from systolic to diastolic at each reading, when few enough are in view. */
function pairBars(current: () => PlotSpec): Plugin<'line'> {
  return {
    id: 'ehrPairBars',
    beforeDatasetsDraw(chart) {
      const { series, start, end, colors } = current();
      if (series.kind !== 'bp') return;
      const visible = readingsBetween(series, start, end);
      if (visible.length > MAX_PAIR_BARS) return;
      const x = chart.scales.x!;
      const y = chart.scales.y!;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = colors.text;
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (const reading of visible) {
        const [systolic, diastolic] = reading.values;
        if (systolic?.value == null || diastolic?.value == null) continue;
        const px = x.getPixelForValue(reading.time);
        ctx.moveTo(px, y.getPixelForValue(systolic.value));
        ctx.lineTo(px, y.getPixelForValue(diastolic.value));
      }
      ctx.stroke();
      ctx.restore();
    },
  };
}

function datasets(spec: PlotSpec, large: boolean): ChartDataset<'line', PlotPoint[]>[] {
  const { series, colors } = spec;
  const points = pointsOf(series);
  return series.measures.map((measure, index) => {
    const color = series.kind === 'bp' ? (index === 0 ? colors.systolic : colors.diastolic) : colors.line;
    const normalRadius = large ? 0 : 3;
    return {
      label: measure.label,
      data: pointsInView(points[index]!, spec.start, spec.end),
      borderColor: color,
      backgroundColor: color,
      borderWidth: large ? 1.25 : 2,
      spanGaps: false, // a gap stays a gap: absent data is never drawn as a line through it
      pointRadius: (context: ScriptableContext<'line'>) => ((context.raw as PlotPoint | undefined)?.value.flag ? 4 : normalRadius),
      pointHoverRadius: (context: ScriptableContext<'line'>) => ((context.raw as PlotPoint | undefined)?.value.flag ? 6 : 4),
      pointStyle: (context: ScriptableContext<'line'>) => flagStyle((context.raw as PlotPoint | undefined)?.value) ?? 'circle',
      pointRotation: (context: ScriptableContext<'line'>) => ((context.raw as PlotPoint | undefined)?.value.flag?.code.startsWith('L') ? 180 : 0),
      pointBackgroundColor: (context: ScriptableContext<'line'>) => ((context.raw as PlotPoint | undefined)?.value.flag ? colors.abnormal : color),
      pointBorderColor: (context: ScriptableContext<'line'>) => ((context.raw as PlotPoint | undefined)?.value.flag ? colors.abnormal : color),
      pointHitRadius: 6,
      tension: 0,
      // Points on the edge of the axis (a saturation of 100 %) are drawn whole.
      clip: 8,
    };
  });
}

function configuration(spec: PlotSpec): ChartConfiguration<'line', PlotPoint[]> {
  const { series, colors, locale } = spec;
  const inView = readingsBetween(series, spec.start, spec.end).length;
  const large = inView > LARGE;
  const pad = Math.max((spec.end - spec.start) * 0.02, 12 * 3600_000);
  const animate = spec.animate && !large;
  return {
    type: 'line',
    data: { datasets: datasets(spec, large) },
    options: {
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      animation: animate ? { duration: 250 } : false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      layout: { padding: { top: 6 } },
      events: ['mousemove', 'mouseout', 'click', 'touchstart', 'touchmove'],
      scales: {
        x: {
          type: 'linear',
          min: spec.start - pad,
          max: spec.end + pad,
          grid: { color: colors.grid },
          border: { color: colors.grid },
          ticks: {
            color: colors.text,
            maxRotation: 0,
            autoSkip: true,
            autoSkipPadding: 12,
            // The calendar label made with the tick (Chart.js calls this before it sets `label`).
            callback: (_value, index, ticks) => (ticks[index] as { text?: string } | undefined)?.text ?? '',
          },
          afterBuildTicks: (scale) => {
            const width = Math.max(scale.width, 200);
            scale.ticks = timeTicks(scale.min, scale.max, width / 90, locale).map((tick) => ({ value: tick.value, text: tick.label }));
          },
        },
        y: {
          type: 'linear',
          grace: '8%',
          // A saturation cannot pass 100 %: the grace must not draw an axis above it.
          ...(series.unit === '%' && !series.readings.some((reading) => (reading.values[0]?.value ?? 0) > 100) ? { max: 100 } : {}),
          grid: { color: colors.grid },
          border: { color: colors.grid },
          ticks: { color: colors.text, maxTicksLimit: 6 },
        },
      },
      plugins: {
        // Off: its LTTB reads a null (a gap) as 0. Data comes decimated (pointsInView).
        decimation: { enabled: false },
        tooltip: {
          backgroundColor: colors.surface,
          titleColor: colors.text,
          bodyColor: colors.text,
          footerColor: colors.text,
          borderColor: colors.grid,
          borderWidth: 1,
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => {
              const point = items[0]?.raw as PlotPoint | undefined;
              return point ? formatVitalDate(point.reading, { locale, time: true }) : '';
            },
            label: (item: TooltipItem<'line'>) => {
              const point = item.raw as PlotPoint;
              const measure = series.measures[item.datasetIndex]!;
              const value = point.value.value === null ? `no value (${point.value.absent ?? 'not recorded'})` : `${formatVitalValue(point.value, series, locale)} ${series.unitLabel}`;
              const flag = point.value.flag ? ` · ${point.value.flag.label}` : '';
              return `${measure.label}: ${value}${flag}`;
            },
            footer: (items: TooltipItem<'line'>[]) => {
              const reading = (items[0]?.raw as PlotPoint | undefined)?.reading;
              if (!reading) return '';
              const lines = [reading.codeText, reading.performer ?? spec.sourceLabel].filter((line): line is string => Boolean(line));
              return lines;
            },
          },
        },
      },
    },
  };
}

/** Draws `spec` on `canvas`. */
export function createPlot(canvas: HTMLCanvasElement, spec: PlotSpec): Plot {
  let current = spec;
  const config = configuration(spec);
  config.plugins = [referenceBands(() => current), pairBars(() => current)];
  const chart = new Chart<'line', PlotPoint[]>(canvas, config);
  return {
    chart,
    update(next) {
      if (next === current) return;
      current = next;
      const config = configuration(next);
      // New dataset objects over the same point arrays: the decimation plugin keeps its
      // state on the dataset object, so a dataset is never reused across options.
      chart.data.datasets = config.data.datasets;
      chart.options = config.options!;
      chart.update(next.animate ? undefined : 'none');
    },
    destroy() {
      chart.destroy();
    },
  };
}

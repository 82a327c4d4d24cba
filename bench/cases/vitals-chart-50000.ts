// <ehr-vitals-chart> with 50,000 heart rates (a month of minute-by-minute monitoring):
// Chart.js chart creation (decimated), the element's first render, the model build and
// a switch to the table view.
import type { Observation } from '@medplum/fhirtypes';
import { toVitalsView } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { createPlot, type PlotColors } from '../../packages/elements/src/vitals-chart/vitals-plot.js';
import { afterPaint, stage, waitFor, type BenchCase } from '../support.js';

const POINTS = 50_000;
const START = Date.UTC(2026, 0, 1);
const UCUM = 'http://unitsofmeasure.org';
const COLORS: PlotColors = {
  line: 'rgb(11, 92, 173)',
  systolic: 'rgb(179, 38, 30)',
  diastolic: 'rgb(11, 92, 173)',
  abnormal: 'rgb(164, 22, 26)',
  range: 'rgb(26, 127, 55)',
  grid: 'rgb(209, 217, 224)',
  text: 'rgb(89, 99, 110)',
  surface: 'rgb(255, 255, 255)',
};

/** Deterministic heart rates (a random walk from a fixed seed) with a 60–100 reference range. */
function heartRates(count: number): Observation[] {
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let value = 84;
  const range = [{ low: { value: 60, unit: '/min', system: UCUM, code: '/min' }, high: { value: 100, unit: '/min', system: UCUM, code: '/min' } }];
  return Array.from({ length: count }, (_, i) => {
    value = Math.min(150, Math.max(45, value + (random() - 0.5) * 4 + (84 - value) * 0.01));
    return {
      resourceType: 'Observation',
      id: `hr-${i}`,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: 'Patient/bench' },
      effectiveDateTime: new Date(START + i * 60_000).toISOString(),
      valueQuantity: { value: Math.round(value), unit: '/min', system: UCUM, code: '/min' },
      referenceRange: range,
    } as Observation;
  });
}

const vitalsChart50000: BenchCase = {
  name: 'vitals-chart-50000',
  description: `<ehr-vitals-chart> given .resources: ${POINTS.toLocaleString('en-US')} heart-rate Observations, one a minute, with reference ranges; 900x700 px.`,
  metrics: {
    chartCreate: {
      unit: 'ms',
      description: 'createPlot() for the 50,000-point series, the first chart in the page (Chart.js line, LTTB decimation, no animation): construction and first draw, synchronous',
      target: { max: 50 },
    },
    chartCreateWarm: { unit: 'ms', description: 'createPlot() again on the same series (Chart.js warm, points built)', target: { max: 50 } },
    firstRender: {
      unit: 'ms',
      description: 'From creating the element with the resources to its chart painted (model build included; Chart.js already in the page)',
    },
    modelBuild: { unit: 'ms', description: 'toVitalsView() of the 50,000 Observations (warm)' },
    tableSwitch: { unit: 'ms', description: 'Pressing "Table" to the first page of the table (100 rows) painted' },
    points: { unit: 'count', description: 'Points given to the chart' },
    pointsDrawn: { unit: 'count', description: 'Points Chart.js draws after LTTB decimation' },
  },
  async run() {
    const resources = heartRates(POINTS);
    const box = stage();
    await afterPaint();

    // Chart creation alone, on a canvas the size of a panel.
    const series = toVitalsView(resources).series[0]!;
    const holder = document.createElement('div');
    holder.style.cssText = 'position:relative;width:860px;height:176px';
    const canvas = document.createElement('canvas');
    holder.append(canvas);
    box.append(holder);
    const chartStart = performance.now();
    const plot = createPlot(canvas, { series, start: series.readings[0]!.time, end: series.readings[series.readings.length - 1]!.time, colors: COLORS, locale: 'en-US', animate: false });
    const chartCreate = performance.now() - chartStart;
    const points = series.readings.length;
    const pointsDrawn = plot.chart.getDatasetMeta(0).data.length;
    plot.destroy();
    // The same again, as when the element draws its next chart (Chart.js and the points warm).
    const warmStart = performance.now();
    createPlot(canvas, { series, start: series.readings[0]!.time, end: series.readings[series.readings.length - 1]!.time, colors: COLORS, locale: 'en-US', animate: false }).destroy();
    const chartCreateWarm = performance.now() - warmStart;
    holder.remove();
    await afterPaint();

    // The element, from its resources to the chart painted.
    const start = performance.now();
    const el = document.createElement('ehr-vitals-chart');
    el.resources = resources;
    box.append(el);
    const root = () => el.shadowRoot;
    await waitFor(() => Boolean(root()?.querySelector('canvas')) && !root()?.querySelector('.panel-message'), 'the chart');
    await afterPaint();
    const firstRender = performance.now() - start;

    const tableStart = performance.now();
    [...(root()?.querySelectorAll<HTMLButtonElement>('[part~="view-button"]') ?? [])].find((button) => button.textContent?.trim() === 'Table')!.click();
    await waitFor(() => (root()?.querySelector('tbody')?.rows.length ?? 0) > 0, 'the table');
    await afterPaint();
    const tableSwitch = performance.now() - tableStart;

    const buildStart = performance.now();
    toVitalsView(resources);
    const modelBuild = performance.now() - buildStart;

    el.remove();
    return { chartCreate, chartCreateWarm, firstRender, modelBuild, tableSwitch, points, pointsDrawn };
  },
};

export default vitalsChart50000;

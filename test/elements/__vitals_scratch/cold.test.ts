import { toVitalsView } from '@ehr-elements/core';
import { Chart, Decimation, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { createPlot } from '../../../packages/elements/src/vitals-chart/vitals-plot.js';
describe('cold', () => {
  it('breakdown', async function () {
    this.timeout(60000);
    const START = Date.UTC(2026, 0, 1);
    const resources = Array.from({ length: 50000 }, (_, i) => ({ resourceType: 'Observation', id: `h${i}`, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, effectiveDateTime: new Date(START + i * 60000).toISOString(), valueQuantity: { value: 60 + (i % 50), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' }, referenceRange: [{ low: { value: 60 }, high: { value: 100 } }] }));
    const series = toVitalsView(resources).series[0]!;
    const holder = document.createElement('div'); holder.style.cssText = 'position:relative;width:860px;height:176px'; document.body.append(holder);
    const canvas = document.createElement('canvas'); holder.append(canvas);
    // A tiny chart first: Chart.js's own first-use cost.
    const c0 = document.createElement('canvas'); holder.append(c0);
    let t = performance.now();
    const tiny = new Chart(c0, { type: 'line', data: { datasets: [{ data: [{ x: 1, y: 1 }, { x: 2, y: 2 }] }] }, options: { animation: false, parsing: false, scales: { x: { type: 'linear' }, y: { type: 'linear' } } } });
    console.log('tiny chart cold', (performance.now() - t).toFixed(1)); tiny.destroy(); c0.remove();
    t = performance.now();
    const pts = series.readings.map((r) => ({ x: r.time, y: r.values[0]!.value, reading: r, value: r.values[0] }));
    console.log('points alloc', (performance.now() - t).toFixed(1), pts.length);
    t = performance.now();
    const plot = createPlot(canvas, { series, start: series.readings[0]!.time, end: series.readings.at(-1)!.time, colors: { line: 'blue', systolic: 'red', diastolic: 'blue', abnormal: 'red', range: 'green', grid: '#ddd', text: '#555', surface: '#fff' }, locale: 'en-US', animate: false });
    console.log('createPlot after tiny', (performance.now() - t).toFixed(1));
    plot.destroy();
  });
});

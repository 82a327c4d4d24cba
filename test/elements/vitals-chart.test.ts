import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { Observation, ObservationComponent, Quantity, Resource } from '@medplum/fhirtypes';
import { BundleSource, FhirError, setUcumLoader, type FhirSource, type SearchParams } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { VitalsChartElement, VitalsChartRangeChangeEvent, VitalsChartViewChangeEvent } from '@ehr-elements/elements';
import { timeTicks } from '../../packages/elements/src/vitals-chart/time-ticks.js';

// Which modules the page fetched: Chart.js and UCUM must be fetched only when needed. The
// resource-timing buffer holds 250 entries by default; an observer sees every entry.
const fetched: string[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) fetched.push(entry.name);
}).observe({ type: 'resource', buffered: true });
const requested = (part: string) => fetched.some((name) => name.includes(part));

// web-test-runner serves ES modules only and @lhncbc/ucum-lhc's package entry is CommonJS
// (a bundler converts it). The tests load NLM's own browser build of the library through
// the public loader seam; the module it fetches is what the UCUM tests observe.
const loadUcumBrowserBuild = () =>
    new Promise((resolve, reject) => {
      const existing = (window as { ucumPkg?: unknown }).ucumPkg;
      if (existing) return resolve(existing);
      const script = document.createElement('script');
      script.src = '/node_modules/@lhncbc/ucum-lhc/browser-dist/ucum-lhc.min.js';
      script.onload = () => resolve((window as { ucumPkg?: unknown }).ucumPkg);
      script.onerror = () => reject(new Error('ucum-lhc did not load'));
      document.head.append(script);
    });
setUcumLoader(loadUcumBrowserBuild);

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const H = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }] }];
const code = (loinc: string) => ({ coding: [{ system: LOINC, code: loinc }] });
const mmHg = (value: number): Quantity => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });

let ids = 0;
function obs(loinc: string, effectiveDateTime: string, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: `v${++ids}`,
    status: 'final',
    category: VITAL_SIGNS,
    code: code(loinc),
    subject: { reference: 'Patient/p1' },
    effectiveDateTime,
    ...extra,
  } as Observation;
}
const bp = (date: string, systolic: number, diastolic: number | null, extra: Partial<Observation> = {}) =>
  obs('85354-9', date, {
    component: [
      { code: code('8480-6'), valueQuantity: mmHg(systolic) },
      diastolic === null
        ? ({ code: code('8462-4'), dataAbsentReason: { coding: [{ code: 'unknown' }], text: 'Unknown' } } as ObservationComponent)
        : { code: code('8462-4'), valueQuantity: mmHg(diastolic) },
    ],
    ...extra,
  });
const hr = (date: string, value: number, extra: Partial<Observation> = {}) => obs('8867-4', date, { valueQuantity: { value, unit: '/min', system: UCUM, code: '/min' }, ...extra });
const weight = (date: string, value: number, unit = 'kg') =>
  obs('29463-7', date, { valueQuantity: { value, unit, system: UCUM, code: unit === 'kg' ? 'kg' : '[lb_av]' } });
const temperature = (date: string, value: number) => obs('8310-5', date, { valueQuantity: { value, unit: 'Cel', system: UCUM, code: 'Cel' } });

const patient: Resource = { resourceType: 'Patient', id: 'p1' };

/** A small record: BP over six years (one with a missing diastolic), heart rate, weight, a temperature. */
function record(): Observation[] {
  return [
    bp('2020-02-01T09:00:00Z', 122, 78),
    bp('2021-06-15T09:00:00Z', 131, 84),
    bp('2023-01-10T09:00:00Z', 126, null),
    bp('2025-04-20T09:00:00Z', 149, 95, { interpretation: H }),
    bp('2026-03-03T09:00:00Z', 128, 82),
    hr('2023-01-10T09:00:00Z', 72),
    hr('2025-04-20T09:00:00Z', 88),
    hr('2026-03-03T09:00:00Z', 64),
    weight('2020-02-01T09:00:00Z', 81.5),
    weight('2026-03-03T09:00:00Z', 79.2),
    temperature('2026-03-03T09:00:00Z', 36.8),
  ];
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** The text a sighted user sees: without the visually hidden words read to screen-reader users. */
const seen = (node: Element | null | undefined) => {
  const copy = node?.cloneNode(true) as Element | undefined;
  copy?.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
  return text(copy);
};
const all = <T extends Element = HTMLElement>(el: Element, selector: string) => [...shadow(el).querySelectorAll<T>(selector)];
const button = (el: Element, name: string) => all<HTMLButtonElement>(el, 'button').find((candidate) => text(candidate) === name)!;

async function chartOf(resources: readonly Resource[], attributes: string = ''): Promise<VitalsChartElement> {
  const el = await fixture<VitalsChartElement>(html`<ehr-vitals-chart .resources=${resources}></ehr-vitals-chart>`);
  for (const pair of attributes.split(' ').filter(Boolean)) {
    const [name, value] = pair.split('=');
    el.setAttribute(name!, value ?? '');
  }
  await el.updateComplete;
  return el;
}

/** Waits until every panel's chart is drawn (Chart.js is loaded on demand). */
async function chartsDrawn(el: VitalsChartElement) {
  await waitUntil(() => all(el, 'canvas').length > 0 && all(el, '.panel-message .bone').length === 0, 'the charts were not drawn', { timeout: 8000 });
  const { Chart } = await import('chart.js'); // the module the element already loaded: no new request
  await waitUntil(() => all<HTMLCanvasElement>(el, 'canvas').every((canvas) => Chart.getChart(canvas)), 'no Chart on a canvas');
  return all<HTMLCanvasElement>(el, 'canvas').map((canvas) => Chart.getChart(canvas)!);
}

/** A source over `resources` that records its searches and can fail the next ones (a server fault). */
class RecordingSource implements FhirSource {
  readonly searches: { resourceType: string; params: SearchParams | undefined }[] = [];
  readonly failures: unknown[] = [];
  hold?: Promise<void>;
  private readonly inner: BundleSource;
  constructor(resources: Resource[], options: { latency?: number } = {}) {
    this.inner = new BundleSource({ resources, patientId: 'p1', label: 'Example Hospital', latency: options.latency });
  }
  get server() {
    return this.inner.server;
  }
  get patientId() {
    return this.inner.patientId;
  }
  read: FhirSource['read'] = (type, id, options) => this.inner.read(type, id, options);
  search: FhirSource['search'] = async (type, params, options) => {
    this.searches.push({ resourceType: type, params });
    if (this.hold) await this.hold;
    if (this.failures.length > 0) throw this.failures.shift();
    return this.inner.search(type, params, options);
  };
}

async function inContext(source: FhirSource, inner = html`<ehr-vitals-chart></ehr-vitals-chart>`) {
  const context = await fixture(html`<ehr-context .source=${source}>${inner}</ehr-context>`);
  return context.querySelector('ehr-vitals-chart')!;
}

describe('time ticks', () => {
  it('fall on calendar boundaries, labelled by the span', () => {
    const days = timeTicks(new Date(2026, 2, 1, 10).getTime(), new Date(2026, 2, 20).getTime(), 8, 'en-US');
    expect(days.map((tick) => tick.label)).to.deep.equal(['Mar 2', 'Mar 9', 'Mar 16']); // Mondays
    expect(days.every((tick) => new Date(tick.value).getHours() === 0)).to.equal(true);
    const months = timeTicks(new Date(2025, 0, 15).getTime(), new Date(2025, 6, 20).getTime(), 8, 'en-US');
    expect(months.map((tick) => tick.label)).to.deep.equal(['Feb 2025', 'Mar 2025', 'Apr 2025', 'May 2025', 'Jun 2025', 'Jul 2025']);
    const years = timeTicks(new Date(1990, 5, 1).getTime(), new Date(2026, 5, 1).getTime(), 6, 'de-DE');
    expect(years.map((tick) => tick.label)).to.deep.equal(['2000', '2010', '2020']);
    expect(timeTicks(5, 5, 6, 'en-US')).to.deep.equal([]);
  });
});

// -------------------------------------------------------------------------------------------
// First, while nothing has been loaded yet in this page: what a page without a chart pays.

describe('<ehr-vitals-chart>: loading only what is needed', () => {
  it('fetches neither Chart.js nor UCUM for the empty and error states', async () => {
    const empty = await chartOf([patient]);
    expect(text(shadow(empty))).to.contain('No vital signs recorded');
    const source = new RecordingSource([patient, ...record()]);
    source.failures.push(new FhirError('server', 'The server had an internal error (HTTP 500).', { status: 500 }));
    const failed = await inContext(source);
    await waitUntil(() => shadow(failed).querySelector('[role="alert"]'), 'no error shown');
    expect(requested('chart.js')).to.equal(false);
    expect(requested('vitals-plot')).to.equal(false);
    expect(requested('ucum-lhc')).to.equal(false);
  });

  it('shows the table and the latest values without fetching Chart.js', async () => {
    // view="table" from the first render: a chart view first would start loading Chart.js.
    const el = await fixture<VitalsChartElement>(html`<ehr-vitals-chart view="table" .resources=${record()}></ehr-vitals-chart>`);
    await el.updateComplete;
    expect(all(el, 'table')).to.have.length(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requested('chart.js')).to.equal(false);
  });

  it('fetches Chart.js when it first draws a chart, and not UCUM when no unit needs it', async () => {
    const el = await chartOf(record());
    await chartsDrawn(el);
    expect(requested('chart.js')).to.equal(true);
    expect(requested('ucum-lhc')).to.equal(false);
  });

  it('converts US units on the verified fast paths without fetching UCUM', async () => {
    const el = await chartOf([...record(), weight('2026-03-04T09:00:00Z', 175, 'lb')], 'units=us');
    await chartsDrawn(el);
    expect(text(shadow(el).querySelector('[part~="latest"]'))).to.contain('175 lb');
    expect(requested('ucum-lhc')).to.equal(false);
  });

  it('fetches UCUM once a value needs a unit off the fast paths (kPa)', async () => {
    const kpa = obs('85354-9', '2026-03-05T09:00:00Z', {
      component: [
        { code: code('8480-6'), valueQuantity: { value: 16, unit: 'kPa', system: UCUM, code: 'kPa' } },
        { code: code('8462-4'), valueQuantity: { value: 10.6, unit: 'kPa', system: UCUM, code: 'kPa' } },
      ],
    });
    const el = await chartOf([kpa]);
    await waitUntil(() => shadow(el).querySelector('[part~="latest"]'), 'no latest values');
    expect(requested('ucum-lhc')).to.equal(true);
    expect(text(shadow(el).querySelector('[part~="latest-item"]'))).to.contain('120/80 mmHg');
  });
});

describe('<ehr-vitals-chart>: latest values', () => {
  it('shows the latest value of each vital as text, with unit and date', async () => {
    const el = await chartOf(record());
    const items = all(el, '[part~="latest-item"]').map(text);
    expect(items).to.deep.equal([
      'Blood pressure 128/82 mmHg Mar 3, 2026',
      'Heart rate 64 bpm Mar 3, 2026',
      'Temperature 36.8 °C Mar 3, 2026',
      'Weight 79.2 kg Mar 3, 2026',
    ]);
    expect(all(el, '[part~="latest"]')[0]!.getAttribute('aria-label')).to.equal('Latest values');
  });

  it('flags an abnormal latest value in words', async () => {
    const el = await chartOf([bp('2026-03-03T09:00:00Z', 162, 101, { interpretation: H })]);
    const item = all(el, '[part~="latest-item"]')[0]!;
    expect(text(item)).to.equal('Blood pressure 162/101 mmHg H, high Mar 3, 2026');
    expect(seen(item.querySelector('[part~="flag"]'))).to.equal('H');
    expect(text(item.querySelector('[part~="flag"] .visually-hidden'))).to.equal(', high');
  });

  it('keeps the latest values visible in the chart view', async () => {
    const el = await chartOf(record());
    await chartsDrawn(el);
    expect(all(el, '[part~="latest-item"]')).to.have.length(4);
  });
});

describe('<ehr-vitals-chart>: charts', () => {
  it('draws one labelled panel per vital, each canvas an image with a summary', async () => {
    const el = await chartOf(record());
    const charts = await chartsDrawn(el);
    expect(all(el, 'figcaption').map(text)).to.deep.equal(['Blood pressure mmHg Systolic Diastolic', 'Heart rate bpm', 'Temperature °C', 'Weight kg']);
    expect(charts).to.have.length(4);
    // A calendar axis: years over six years of readings, in the page's locale.
    const years = charts[0]!.scales.x!.ticks.map((tick) => tick.label);
    expect(years.length).to.be.greaterThan(1);
    expect(years.every((label) => /^20\d\d$/.test(String(label))), years.join()).to.equal(true);
    const canvas = all<HTMLCanvasElement>(el, 'canvas')[0]!;
    expect(canvas.getAttribute('role')).to.equal('img');
    expect(canvas.getAttribute('aria-label')).to.equal(
      'Blood pressure in mmHg: 5 readings from Feb 1, 2020 to Mar 3, 2026; range systolic 122 to 149, diastolic 78 to 95; latest 128/82 on Mar 3, 2026; 1 flagged abnormal.',
    );
  });

  it('shows only the vitals asked for', async () => {
    const el = await chartOf(record(), 'vitals=hr,bp');
    expect(all(el, 'figcaption').map((caption) => text(caption.querySelector('span')))).to.deep.equal(['Blood pressure mmHg', 'Heart rate bpm']);
    expect(all(el, '[part~="latest-item"]')).to.have.length(2);
  });

  it('draws blood pressure as two paired lines, with a gap (not a zero) where a half is missing', async () => {
    const el = await chartOf(record(), 'vitals=bp');
    const [chart] = await chartsDrawn(el);
    const [systolic, diastolic] = chart!.data.datasets;
    expect(systolic!.label).to.equal('Systolic');
    expect(diastolic!.label).to.equal('Diastolic');
    expect((systolic!.data as { y: number | null }[]).map((point) => point.y)).to.deep.equal([122, 131, 126, 149, 128]);
    expect((diastolic!.data as { y: number | null }[]).map((point) => point.y)).to.deep.equal([78, 84, null, 95, 82]);
    expect((diastolic as { spanGaps?: boolean }).spanGaps).to.equal(false);
  });

  it('marks abnormal points with another point style and colour', async () => {
    const el = await chartOf(record(), 'vitals=bp');
    const [chart] = await chartsDrawn(el);
    const points = chart!.getDatasetMeta(0).data as unknown as { options: { pointStyle: string; backgroundColor: string } }[];
    const styles = points.map((point) => point.options.pointStyle);
    expect(styles).to.deep.equal(['circle', 'circle', 'circle', 'triangle', 'circle']);
    expect(points[3]!.options.backgroundColor).not.to.equal(points[0]!.options.backgroundColor);
  });

  it('draws every flagged reading and every gap of a long series, and a bounded number of points', async () => {
    // 3,000 heart rates an hour apart: every 60th flagged High, every 300th absent (a gap).
    const start = Date.parse('2026-01-01T00:00:00Z');
    const readings = Array.from({ length: 3000 }, (_, i) => {
      const date = new Date(start + i * 3600_000).toISOString();
      if (i % 300 === 150) return obs('8867-4', date, { dataAbsentReason: { coding: [{ code: 'unknown' }] } });
      return hr(date, 70 + (i % 17), i % 60 === 7 ? { interpretation: H } : {});
    });
    const el = await chartOf(readings);
    const [chart] = await chartsDrawn(el);
    const points = chart!.data.datasets[0]!.data as unknown as { y: number | null; value: { flag?: unknown } }[];
    expect(points.filter((point) => point.value.flag)).to.have.length(50);
    expect(points.filter((point) => point.y === null)).to.have.length(10);
    expect(points.length).to.be.below(1200);
    expect((chart!.options.plugins as { decimation?: { enabled?: boolean } }).decimation?.enabled).to.equal(false);
  });

  it('turns animation off under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      const el = await chartOf(record(), 'vitals=hr');
      const [chart] = await chartsDrawn(el);
      expect(chart!.options.animation).to.equal(false);
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
    const el = await chartOf(record(), 'vitals=hr');
    const [chart] = await chartsDrawn(el);
    expect(chart!.options.animation).not.to.equal(false);
  });

  it('reads its colours from the tokens: another line colour in dark mode', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const light = await chartOf(record(), 'vitals=hr');
    const lightColor = (await chartsDrawn(light))[0]!.data.datasets[0]!.borderColor;
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const dark = await chartOf(record(), 'vitals=hr');
      const darkColor = (await chartsDrawn(dark))[0]!.data.datasets[0]!.borderColor;
      expect(lightColor).to.equal('rgb(11, 92, 173)');
      expect(darkColor).to.equal('rgb(68, 147, 248)');
      // A page's own token wins.
      dark.style.setProperty('--ehr-vitals-chart-line-color', 'rgb(1, 2, 3)');
      dark.requestUpdate();
      await waitUntil(async () => (await chartsDrawn(dark))[0]!.data.datasets[0]!.borderColor === 'rgb(1, 2, 3)', 'the custom colour was not used');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('is accessible in the chart view', async () => {
    const el = await chartOf(record());
    await chartsDrawn(el);
    await expect(el).to.be.accessible();
  });
});

describe('<ehr-vitals-chart>: table view', () => {
  it('lists exactly the charted readings, with the same values', async () => {
    const el = await chartOf(record());
    const charts = await chartsDrawn(el);
    const charted = charts.map((chart) => chart.data.datasets.map((dataset) => (dataset.data as { y: number | null }[]).map((point) => point.y)));
    button(el, 'Table').click();
    await el.updateComplete;
    const tables = all<HTMLTableElement>(el, 'table');
    expect(tables).to.have.length(charts.length);
    tables.forEach((table, index) => {
      const rows = [...table.tBodies[0]!.rows];
      const measures = charted[index]!;
      expect(rows, text(table.caption)).to.have.length(measures[0]!.length);
      // Table rows are newest first; the chart's points oldest first.
      measures.forEach((values, measure) => {
        const cells = rows.map((row) => text(row.cells[1 + measure]!.querySelector('.value')));
        const expected = [...values].reverse().map((value) => (value === null ? '—' : String(value)));
        expect(cells, text(table.caption)).to.deep.equal(expected);
      });
    });
  });

  it('has a caption, column and row headers, the flag as text and a gap with its reason', async () => {
    const el = await chartOf(record(), 'view=table vitals=bp');
    const table = all<HTMLTableElement>(el, 'table')[0]!;
    expect(text(table.caption)).to.equal('Blood pressure (mmHg) 5 readings, Feb 1, 2020 – Mar 3, 2026, newest first');
    expect([...table.tHead!.rows[0]!.cells].map((cell) => [cell.tagName, cell.getAttribute('scope'), text(cell)])).to.deep.equal([
      ['TH', 'col', 'Date'],
      ['TH', 'col', 'Systolic'],
      ['TH', 'col', 'Diastolic'],
      ['TH', 'col', 'Source'],
    ]);
    const rows = [...table.tBodies[0]!.rows];
    expect(rows.every((row) => row.cells[0]!.tagName === 'TH' && row.cells[0]!.getAttribute('scope') === 'row')).to.equal(true);
    expect(text(rows[1]!.cells[1])).to.equal('149 H, high');
    expect(text(rows[2]!.cells[2])).to.equal('— (Unknown)');
  });

  it('has a reference range column, the accessible equivalent of the shaded band', async () => {
    const range = (low: number, high: number) => [{ low: { value: low, unit: 'mmHg' }, high: { value: high, unit: 'mmHg' } }];
    const el = await chartOf(
      [
        obs('85354-9', '2026-03-03T09:00:00Z', {
          component: [
            { code: code('8480-6'), valueQuantity: mmHg(128), referenceRange: range(90, 120) },
            { code: code('8462-4'), valueQuantity: mmHg(82), referenceRange: range(60, 80) },
          ],
        }),
        hr('2026-03-03T09:00:00Z', 64, { referenceRange: [{ text: '60–100 at rest' }] }),
      ],
      'view=table',
    );
    const [bpTable, hrTable] = all<HTMLTableElement>(el, 'table');
    const headers = (table: HTMLTableElement) => [...table.tHead!.rows[0]!.cells].map((cell) => text(cell));
    expect(headers(bpTable!)).to.deep.equal(['Date', 'Systolic', 'Diastolic', 'Reference range', 'Source']);
    expect(text(bpTable!.tBodies[0]!.rows[0]!.cells[3])).to.equal('90–120 / 60–80');
    expect(headers(hrTable!)).to.include('Reference range');
    expect(text(hrTable!.tBodies[0]!.rows[0]!.cells[2])).to.equal('60–100 at rest');
  });

  it('switches views with the keyboard, with aria-pressed and an event', async () => {
    const el = await chartOf(record());
    const table = button(el, 'Table');
    expect(table.getAttribute('aria-pressed')).to.equal('false');
    table.focus();
    const changed = oneEvent(el, 'ehr-vitals-chart-view-change');
    await sendKeys({ press: 'Enter' });
    expect(((await changed) as unknown as VitalsChartViewChangeEvent).view).to.equal('table');
    await el.updateComplete;
    expect(el.getAttribute('view')).to.equal('table');
    expect(button(el, 'Table').getAttribute('aria-pressed')).to.equal('true');
    expect(all(el, 'table').length).to.be.greaterThan(0);
    expect(all(el, 'canvas')).to.have.length(0);
    button(el, 'Chart').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(button(el, 'Chart').getAttribute('aria-pressed')).to.equal('true');
    expect(all(el, 'canvas').length).to.be.greaterThan(0);
  });

  it('changes the table rows with the range buttons (1 y, 5 y, All)', async () => {
    const el = await chartOf(record(), 'view=table vitals=bp');
    const rows = () => all<HTMLTableElement>(el, 'table')[0]!.tBodies[0]!.rows.length;
    expect(rows()).to.equal(5);
    const oneYear = button(el, '1 year');
    expect(seen(oneYear)).to.equal('1 y'); // "1 year" is what a screen reader reads
    oneYear.focus();
    const changed = oneEvent(el, 'ehr-vitals-chart-range-change');
    await sendKeys({ press: 'Enter' });
    expect(((await changed) as unknown as VitalsChartRangeChangeEvent).range).to.equal('1y');
    await el.updateComplete;
    expect(rows()).to.equal(2); // Apr 2025 and Mar 2026
    expect(oneYear.getAttribute('aria-pressed')).to.equal('true');
    expect(text(shadow(el).querySelector('.range-text'))).to.equal('Mar 3, 2025 – Mar 3, 2026');
    button(el, '5 years').click();
    await el.updateComplete;
    expect(rows()).to.equal(4);
    button(el, 'All').click();
    await el.updateComplete;
    expect(rows()).to.equal(5);
  });

  it('zooms the charts to the same range as the table', async () => {
    const el = await chartOf(record(), 'vitals=bp range=1y');
    const [chart] = await chartsDrawn(el);
    const scale = chart!.scales.x!;
    const visible = (chart!.data.datasets[0]!.data as { x: number }[]).filter((point) => point.x >= scale.min && point.x <= scale.max);
    expect(visible).to.have.length(2);
  });

  it('pages a long table, newest first', async () => {
    const start = Date.UTC(2025, 0, 1);
    const many = Array.from({ length: 250 }, (_, i) => hr(new Date(start + i * 3600_000).toISOString(), 60 + (i % 30)));
    const el = await chartOf(many, 'view=table');
    const table = () => all<HTMLTableElement>(el, 'table')[0]!;
    expect(table().tBodies[0]!.rows).to.have.length(100);
    expect(text(shadow(el).querySelector('.pager [role="status"]'))).to.equal('Rows 1–100 of 250');
    button(el, 'Older').click();
    await el.updateComplete;
    expect(text(shadow(el).querySelector('.pager [role="status"]'))).to.equal('Rows 101–200 of 250');
    button(el, 'Older').click();
    await el.updateComplete;
    expect(table().tBodies[0]!.rows).to.have.length(50);
    expect(button(el, 'Older').disabled).to.equal(true);
  });

  it('is accessible in the table view', async () => {
    const el = await chartOf(record(), 'view=table');
    await expect(el).to.be.accessible();
  });
});

describe('<ehr-vitals-chart>: units', () => {
  it('shows US units on request', async () => {
    const el = await chartOf(record(), 'units=us view=table vitals=temp,weight');
    expect(all(el, 'caption').map((caption) => text(caption).split(' ').slice(0, 2).join(' '))).to.deep.equal(['Temperature (°F)', 'Weight (lb)']);
    const weightRows = [...all<HTMLTableElement>(el, 'table')[1]!.tBodies[0]!.rows];
    expect(text(weightRows[0]!.cells[1]!.querySelector('.value'))).to.equal('174.6');
    expect(text(weightRows[0]!.cells[1]!.querySelector('.recorded'))).to.equal('(recorded 79.2 kg)');
  });
});

describe('<ehr-vitals-chart>: when UCUM cannot be loaded', () => {
  afterEach(() => setUcumLoader(loadUcumBrowserBuild));

  it('shows what it can, says which values could not be converted, and retries (chunk failure faked)', async () => {
    let fail = true;
    setUcumLoader(() => (fail ? Promise.reject(new Error('The unit library did not load.')) : loadUcumBrowserBuild()));
    const kpa = obs('85354-9', '2026-03-05T09:00:00Z', {
      component: [
        { code: code('8480-6'), valueQuantity: { value: 16, unit: 'kPa', system: UCUM, code: 'kPa' } },
        { code: code('8462-4'), valueQuantity: mmHg(80) },
      ],
    });
    const el = await chartOf([kpa, hr('2026-03-05T09:00:00Z', 70)], 'view=table');
    await waitUntil(() => shadow(el).querySelector('.notice [role="alert"]'), 'no notice of the failed conversion');
    expect(text(shadow(el).querySelector('.notice [role="alert"]'))).to.equal('Some values could not be converted to the display units. The unit library did not load.');
    const row = all<HTMLTableElement>(el, 'table')[0]!.tBodies[0]!.rows[0]!;
    expect(text(row.cells[1])).to.equal('— (Unit “kPa” cannot be shown in mmHg)');
    expect(text(row.cells[2]!.querySelector('.value'))).to.equal('80');
    expect(all(el, '[part~="latest-item"]').map(text)).to.deep.equal(['Blood pressure —/80 mmHg Mar 5, 2026', 'Heart rate 70 bpm Mar 5, 2026']);
    fail = false;
    [...shadow(el).querySelectorAll<HTMLButtonElement>('.notice button')].find((candidate) => text(candidate) === 'Retry')!.click();
    await waitUntil(() => text(all<HTMLTableElement>(el, 'table')[0]?.tBodies[0]!.rows[0]!.cells[1]!.querySelector('.value')) === '120', 'the retry did not convert');
    expect(shadow(el).querySelector('.notice')).to.equal(null);
  });
});

describe('<ehr-vitals-chart>: loading from the source', () => {
  it('searches the vital-signs Observations of the patient in context', async () => {
    const source = new RecordingSource([patient, ...record()]);
    const el = await inContext(source);
    await waitUntil(() => all(el, '[part~="latest-item"]').length === 4, 'the vitals did not render');
    expect(source.searches).to.have.length(1);
    expect(source.searches[0]!.resourceType).to.equal('Observation');
    expect(source.searches[0]!.params).to.deep.include({ patient: 'p1', category: 'vital-signs' });
  });

  it('shows a loading state with aria-busy while the search runs', async () => {
    const source = new RecordingSource([patient, ...record()]);
    let release!: () => void;
    source.hold = new Promise((resolve) => (release = resolve));
    const el = await inContext(source);
    const status = shadow(el).querySelector('[role="status"]')!;
    expect(status.getAttribute('aria-busy')).to.equal('true');
    expect(status.getAttribute('aria-label')).to.equal('Loading vital signs');
    release();
    await waitUntil(() => all(el, '[part~="latest-item"]').length === 4, 'the vitals did not render');
  });

  it('says what failed with a Retry, never "No vital signs", on a server fault (faked), and recovers', async () => {
    const source = new RecordingSource([patient, ...record()]);
    source.failures.push(new FhirError('server', 'The server had an internal error (HTTP 500).', { status: 500 }));
    const el = await inContext(source);
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no error shown');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('Vital signs could not be loaded. The server had an internal error (HTTP 500).');
    expect(text(shadow(el))).not.to.contain('No vital signs');
    expect(all(el, 'canvas')).to.have.length(0);
    await expect(el).to.be.accessible();
    const retry = shadow(el).querySelector<HTMLButtonElement>('[part~="retry-button"]')!;
    expect(text(retry)).to.equal('Retry');
    retry.click();
    await waitUntil(() => all(el, '[part~="latest-item"]').length === 4, 'the retry did not load the vitals');
    expect(source.searches).to.have.length(2);
  });

  it('says "No vital signs recorded" when the record has none', async () => {
    const el = await inContext(new RecordingSource([patient]));
    await waitUntil(() => text(shadow(el)).includes('No vital signs recorded'), 'no empty state');
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
  });

  it('says "No patient selected" without a source', async () => {
    const el = await fixture<VitalsChartElement>(html`<ehr-vitals-chart></ehr-vitals-chart>`);
    expect(text(shadow(el))).to.contain('No patient selected');
  });

  it('uses heading-level for its heading', async () => {
    const el = await chartOf(record(), 'heading-level=3');
    const heading = shadow(el).querySelector('[role="heading"]')!;
    expect(text(heading)).to.equal('Vital signs');
    expect(heading.getAttribute('aria-level')).to.equal('3');
  });

  it('drops directly given Observations about another patient than patient-id', async () => {
    const other = hr('2026-03-04T09:00:00Z', 140, { subject: { reference: 'Patient/someone-else' } });
    const el = await chartOf([...record(), other], 'patient-id=p1 vitals=hr view=table');
    const rows = [...all<HTMLTableElement>(el, 'table')[0]!.tBodies[0]!.rows];
    expect(rows.map((row) => text(row.cells[1]!.querySelector('.value')))).to.deep.equal(['64', '88', '72']);
  });

  it('leaves out Observations the server returned about another patient, and says how many', async () => {
    const source = new RecordingSource([patient, ...record()]);
    const search = source.search;
    // A server that ignores the patient parameter for some records (faked): two of another patient come back.
    source.search = (async (type, params, options) => {
      const result = await search(type, params, options);
      const strays = [
        hr('2026-03-05T09:00:00Z', 150, { subject: { reference: 'Patient/someone-else' } }),
        hr('2026-03-06T09:00:00Z', 151, { subject: { reference: 'https://other.example/fhir/Patient/p2' } }),
      ];
      return { ...result, resources: [...result.resources, ...strays] };
    }) as FhirSource['search'];
    const el = await inContext(source, html`<ehr-vitals-chart vitals="hr" view="table"></ehr-vitals-chart>`);
    await waitUntil(() => all(el, 'table').length === 1, 'the table did not render');
    const rows = [...all<HTMLTableElement>(el, 'table')[0]!.tBodies[0]!.rows];
    expect(rows.map((row) => text(row.cells[1]!.querySelector('.value')))).to.deep.equal(['64', '88', '72']);
    expect(text(shadow(el))).to.contain('2 records the server returned for another patient were left out.');
  });
});

// Real-world-shaped records we did not generate (../shared/fhir-corpus): every Synthea
// patient is charted with as many readings per vital as the file holds vital-sign
// Observations of that vital's codes (a blood pressure panel is one reading), and the US
// Core vital-sign examples render with their values.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { BundleSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { VitalsChartElement } from '@ehr-elements/elements';

async function corpusFiles(): Promise<string[]> {
  return (await fetch('/__corpus/index.json')).json();
}

async function load<T = Resource>(path: string): Promise<T> {
  return (await fetch(`/__corpus/${path}`)).json();
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const all = <T extends Element = HTMLElement>(el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<T>(selector)];

// The vital-sign codes of the corpus, by the panel they are charted in. Every vital-sign
// code found in a file must be listed here or in NOT_CHARTED: a new code fails loudly.
const PANEL_OF_CODE: Record<string, string> = {
  '55284-4': 'Blood pressure',
  '85354-9': 'Blood pressure',
  '8867-4': 'Heart rate',
  '9279-1': 'Respiratory rate',
  '8310-5': 'Temperature',
  '8331-1': 'Temperature',
  '59408-5': 'Oxygen saturation',
  '29463-7': 'Weight',
  '8302-2': 'Height',
  '8306-3': 'Height',
  '39156-5': 'BMI',
  '8287-5': 'Head circumference',
};
// Pain severity is in the vital-signs category but is a score, not a vital sign charted here.
const NOT_CHARTED = new Set(['72514-3']);

function isVitalSign(observation: Observation): boolean {
  return (observation.category ?? []).some((concept) => (concept.coding ?? []).some((coding) => coding.code === 'vital-signs'));
}

/** Readings expected per panel, counted straight from the file. */
function expectedCounts(observations: Observation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const observation of observations) {
    if (!isVitalSign(observation) || observation.status === 'entered-in-error') continue;
    const code = observation.code.coding?.find((coding) => coding.system === 'http://loinc.org')?.code ?? '';
    if (NOT_CHARTED.has(code)) continue;
    const panel = PANEL_OF_CODE[code];
    expect(panel, `vital-sign code ${code} is neither charted nor listed as not charted`).to.be.a('string');
    counts[panel!] = (counts[panel!] ?? 0) + 1;
  }
  return counts;
}

async function render(source: BundleSource, view: 'chart' | 'table'): Promise<VitalsChartElement> {
  const context = await fixture(html`<ehr-context .source=${source}><ehr-vitals-chart view=${view}></ehr-vitals-chart></ehr-context>`);
  const el = context.querySelector('ehr-vitals-chart') as VitalsChartElement;
  await waitUntil(() => el.shadowRoot?.querySelector('[part~="latest"], .state.empty, [role="alert"]'), 'the vitals did not render', { timeout: 10000 });
  return el;
}

const uncaught: unknown[] = [];
window.addEventListener('error', (event) => uncaught.push(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => uncaught.push(event.reason));

describe('vitals chart over the FHIR corpus', () => {
  afterEach(() => {
    expect(uncaught, 'no uncaught error').to.deep.equal([]);
  });

  it('charts every Synthea patient with one point per vital-sign Observation of each code', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('synthea/'));
    expect(files.length).to.equal(4);
    const { Chart } = await import('chart.js');
    for (const file of files) {
      const bundle = await load<Bundle>(file);
      const observations = (bundle.entry ?? []).map((entry) => entry.resource).filter((r): r is Observation => r?.resourceType === 'Observation');
      const expected = expectedCounts(observations);
      expect(Object.keys(expected).length, `${file}: some vitals`).to.be.greaterThan(0);

      // The charts: one panel per vital, with one point per Observation (per panel for BP).
      const charts = await render(new BundleSource({ bundle }), 'chart');
      await waitUntil(() => all<HTMLCanvasElement>(charts, 'canvas').every((canvas) => Chart.getChart(canvas)), `${file}: charts drawn`, { timeout: 10000 });
      const charted: Record<string, number> = {};
      for (const figure of all(charts, 'figure')) {
        const label = text(figure.querySelector('figcaption > span:first-child')).replace(/ \S+$/, ''); // without the unit
        const chart = Chart.getChart(figure.querySelector('canvas')!)!;
        for (const dataset of chart.data.datasets) expect(dataset.data.length, `${file}: ${label} ${dataset.label}`).to.equal(chart.data.datasets[0]!.data.length);
        charted[label] = chart.data.datasets[0]!.data.length;
      }
      expect(charted, file).to.deep.equal(expected);
      expect(charts.shadowRoot!.querySelector('[role="alert"]'), `${file}: no error`).to.equal(null);

      // The table: the same counts.
      const tables = await render(new BundleSource({ bundle }), 'table');
      const rows: Record<string, number> = {};
      for (const table of all<HTMLTableElement>(tables, 'table')) {
        rows[text(table.caption).replace(/ \(.*$/, '')] = table.tBodies[0]!.rows.length;
      }
      expect(rows, file).to.deep.equal(expected);

      // The latest blood pressure, read from the file by component code.
      const panels = observations
        .filter((observation) => observation.code.coding?.some((coding) => coding.code === '55284-4'))
        .sort((a, b) => Date.parse(a.effectiveDateTime!) - Date.parse(b.effectiveDateTime!));
      const latest = panels[panels.length - 1]!;
      const component = (code: string) => latest.component!.find((item) => item.code.coding?.some((coding) => coding.code === code))!.valueQuantity!.value!;
      const card = all(charts, '[part~="latest-item"]').find((item) => text(item).startsWith('Blood pressure'));
      expect(text(card), file).to.contain(`${Math.round(component('8480-6'))}/${Math.round(component('8462-4'))} mmHg`);
    }
  });

  it('is accessible with a Synthea record, in both views', async () => {
    const file = (await corpusFiles()).find((name) => name.startsWith('synthea/Josue_Sipes'))!;
    const bundle = await load<Bundle>(file);
    await expect(await render(new BundleSource({ bundle }), 'table')).to.be.accessible();
    const charts = await render(new BundleSource({ bundle }), 'chart');
    await waitUntil(() => all(charts, 'canvas').length > 0 && all(charts, '.panel-message .bone').length === 0, 'charts drawn');
    await expect(charts).to.be.accessible();
  });

  describe('US Core vital-sign examples', () => {
    const examples: [file: string, panel: string, latest: string][] = [
      ['Observation-blood-pressure.json', 'Blood pressure', '109/44 mmHg'],
      ['Observation-bp-data-absent.json', 'Blood pressure', '109/— mmHg'],
      ['Observation-weight.json', 'Weight', '20.1 kg'],
      ['Observation-height.json', 'Height', '111.5 cm'],
      ['Observation-length.json', 'Height', '25 cm'],
      ['Observation-bmi.json', 'BMI', '16.2 kg/m²'],
      ['Observation-head-circumference.json', 'Head circumference', '51.2 cm'],
      ['Observation-heart-rate.json', 'Heart rate', '44 bpm'],
      ['Observation-respiratory-rate.json', 'Respiratory rate', '26 /min'],
      ['Observation-temperature.json', 'Temperature', '36.6 °C'],
      ['Observation-oxygen-saturation.json', 'Oxygen saturation', '99 %'],
    ];
    for (const [file, panel, latest] of examples) {
      it(`renders ${file}`, async () => {
        const patient = await load('us-core-3.0.0/Patient-example.json');
        const observation = await load('us-core-3.0.0/' + file);
        const el = await render(new BundleSource({ resources: [patient, observation] }), 'table');
        const cards = all(el, '[part~="latest-item"]').map(text);
        expect(cards).to.have.length(1);
        expect(cards[0]).to.match(new RegExp(`^${panel} ${latest.replace(/[/()]/g, '\\$&')} `));
        expect(all(el, 'table')).to.have.length(1);
        expect(all<HTMLTableElement>(el, 'table')[0]!.tBodies[0]!.rows).to.have.length(1);
      });
    }

    it('shows the vitals panel (85353-1) through its members, blood pressure once', async () => {
      const names = ['Patient-example', 'Observation-vitals-panel', 'Observation-respiratory-rate', 'Observation-heart-rate', 'Observation-blood-pressure'];
      const resources = await Promise.all(names.map((name) => load(`us-core-3.0.0/${name}.json`)));
      const el = await render(new BundleSource({ resources }), 'table');
      expect(all(el, '[part~="latest-item"]').map((item) => text(item.querySelector('.latest-label')))).to.deep.equal(['Blood pressure', 'Heart rate', 'Respiratory rate']);
      expect(all<HTMLTableElement>(el, 'table').map((table) => table.tBodies[0]!.rows.length)).to.deep.equal([1, 1, 1]);
      await expect(el).to.be.accessible();
    });

    it('says "No vital signs recorded" for the vitals panel alone (a grouper, not a reading)', async () => {
      const resources = await Promise.all(['Patient-example', 'Observation-vitals-panel'].map((name) => load(`us-core-3.0.0/${name}.json`)));
      const el = await render(new BundleSource({ resources }), 'table');
      expect(text(el.shadowRoot!.querySelector('.state.empty'))).to.contain('No vital signs recorded');
    });
  });
});

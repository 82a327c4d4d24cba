// <ehr-lab-results> with years of labs: a generated record (seed 1, profile "bulk", 20,000
// resources: about 9,000 laboratory Observations in 1,100 reports). First render, the
// model build, DOM size, opening a panel, opening an analyte's history, Show older panels.
import { toLabsView } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { LabResultsElement } from '@ehr-elements/elements';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';
import { afterPaint, nextFrame, stage, waitFor, type BenchCase } from '../support.js';

const SEED = 1;
const RESOURCES = 20_000;

const labResults: BenchCase = {
  name: 'lab-results',
  description:
    `<ehr-lab-results> given .resources: a generated record (seed ${SEED}, profile "bulk", ${RESOURCES.toLocaleString('en-US')} resources, ` +
    'about 9,000 laboratory Observations in 1,100 reports), 900x700 px.',
  metrics: {
    firstRender: {
      unit: 'ms',
      description: 'From creating the element with the resources to its first panels painted (cold model build included)',
      target: { max: 200 },
    },
    modelBuild: { unit: 'ms', description: 'toLabsView() of the same resources again (warm)', target: { max: 100 } },
    results: { unit: 'count', description: 'Laboratory results in the view' },
    rowsInDom: { unit: 'count', description: 'Result rows in the DOM after the first render (closed panels render none)', target: { max: 100 } },
    openPanel: { unit: 'ms', description: 'Opening the next closed panel (its table and sparklines) to painted', target: { max: 30 } },
    openHistory: { unit: 'ms', description: 'Activating a test to its history (every result of the analyte) painted', target: { max: 50 } },
    showOlder: { unit: 'ms', description: 'Pressing "Show older panels" to the next 40 panel summaries painted', target: { max: 30 } },
  },
  async run() {
    const { resources } = generatePatientRecord({ seed: SEED, profile: 'bulk', targetResources: RESOURCES });
    const box = stage();
    await afterPaint();
    await nextFrame();

    const start = performance.now();
    const el = document.createElement('ehr-lab-results') as LabResultsElement;
    el.resources = resources;
    box.append(el);
    const root = () => el.shadowRoot!;
    await waitFor(() => Boolean(el.shadowRoot?.querySelector('tr[part~="row"]')), 'the first rows');
    await afterPaint();
    const firstRender = performance.now() - start;
    const rowsInDom = root().querySelectorAll('tr[part~="row"]').length;

    const buildStart = performance.now();
    const view = toLabsView(resources);
    const modelBuild = performance.now() - buildStart;

    // Open the first closed panel, as a click on its summary would.
    await nextFrame();
    const closed = [...root().querySelectorAll<HTMLDetailsElement>('details[part~="panel"]')].find((panel) => !panel.open)!;
    const panelStart = performance.now();
    closed.querySelector('summary')!.click();
    await waitFor(() => Boolean(closed.querySelector('tr[part~="row"]')), 'the opened panel');
    await afterPaint();
    const openPanel = performance.now() - panelStart;

    await nextFrame();
    const analyte = root().querySelector<HTMLButtonElement>('[part~="analyte"]')!;
    const historyStart = performance.now();
    analyte.click();
    await waitFor(() => Boolean(root().querySelector('[part~="history"]')), 'the history');
    await afterPaint();
    const openHistory = performance.now() - historyStart;

    await nextFrame();
    const panelsBefore = root().querySelectorAll('details[part~="panel"]').length;
    const olderStart = performance.now();
    root().querySelector<HTMLButtonElement>('[part~="more-button"]')!.click();
    await waitFor(() => root().querySelectorAll('details[part~="panel"]').length > panelsBefore, 'older panels');
    await afterPaint();
    const showOlder = performance.now() - olderStart;

    el.remove();
    return { firstRender, modelBuild, results: view.resultCount, rowsInDom, openPanel, openHistory, showOlder };
  },
};

export default labResults;

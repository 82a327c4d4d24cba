// <ehr-timeline> with 20,000 events: first render, DOM size, a filter change, the model build.
import { buildTimeline } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';
import { afterPaint, nextFrame, stage, waitFor, type BenchCase } from '../support.js';

const SEED = 1;
const RESOURCES = 20_000;
const BUILD_MEASURE = 'ehr-timeline: build model';

const timeline20000: BenchCase = {
  name: 'timeline-20000',
  description:
    `<ehr-timeline observations="all"> given .resources: a generated record (seed ${SEED}, profile "bulk", ` +
    `${RESOURCES.toLocaleString('en-US')} resources), every Observation an event: about 20,000 events, 900x700 px.`,
  metrics: {
    firstRender: {
      unit: 'ms',
      description: 'From creating the element with the resources to its first rows painted (cold model build included)',
      target: { max: 50 },
    },
    rowsInDom: { unit: 'count', description: 'List rows in the DOM after the first render', target: { max: 200 } },
    filterChange: {
      unit: 'ms',
      description: 'Setting a text filter ("hemoglobin") and a kind filter (observations) to the new rows painted',
      target: { max: 30 },
    },
    modelBuild: { unit: 'ms', description: 'buildTimeline() inside the first render (cold: the first call in the page)' },
    modelBuildWarm: { unit: 'ms', description: 'buildTimeline() of the same resources again (warm)' },
    events: { unit: 'count', description: 'Events in the timeline' },
  },
  async run() {
    const { resources } = generatePatientRecord({ seed: SEED, profile: 'bulk', targetResources: RESOURCES });
    const box = stage();
    await afterPaint();
    performance.clearMeasures(BUILD_MEASURE);
    // Changes start at the beginning of a frame, as an input event's handler would.
    await nextFrame();

    const start = performance.now();
    const el = document.createElement('ehr-timeline');
    el.observations = 'all';
    el.resources = resources;
    box.append(el);
    const root = () => el.shadowRoot;
    const rows = () => root()?.querySelectorAll('[part~="list"] [role="listitem"]').length ?? 0;
    await waitFor(() => rows() > 0, 'the first rows');
    await afterPaint();
    const firstRender = performance.now() - start;
    const rowsInDom = rows();
    const modelBuild = performance.getEntriesByName(BUILD_MEASURE, 'measure')[0]?.duration ?? NaN;
    const events = Number((root()?.querySelector('[part~="summary"]')?.textContent ?? '').replace(/[^\d]/g, ''));

    // A person pauses before typing: the timeline prepares its search text in idle time meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await nextFrame();
    const titles = () => [...(root()?.querySelectorAll('[part~="list"] .title') ?? [])].map((title) => title.textContent ?? '');
    const filterStart = performance.now();
    el.filter = { text: 'hemoglobin', kinds: ['observation'] };
    await waitFor(() => {
      const shown = titles();
      return shown.length > 0 && shown.every((title) => /hemoglobin/i.test(title));
    }, 'the filtered rows');
    await afterPaint();
    const filterChange = performance.now() - filterStart;

    const buildStart = performance.now();
    buildTimeline(resources, { observations: 'all' });
    const modelBuildWarm = performance.now() - buildStart;

    el.remove();
    return { firstRender, rowsInDom, filterChange, modelBuild, modelBuildWarm, events };
  },
};

export default timeline20000;

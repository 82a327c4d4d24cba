// A benchmark case to copy: `cp bench/case-template.ts bench/cases/<element>-<size>.ts`, then
// change the element, the data and the metrics (see bench/README.md). It measures what a
// person notices: the element's first render with a fixed, generated record, its DOM size,
// and one interaction, each to the frame after paint.
//
// As written it measures <ehr-allergy-list> with the allergies of a generated cohort.
import type { Resource } from '@medplum/fhirtypes';
import '@ehr-elements/elements/define.js';
import { generateCohort } from '../packages/sandbox/src/generator/index.js';
import { afterPaint, nextFrame, stage, waitFor, type BenchCase } from './support.js';

// 1. The element, and fixed inputs: a seed and a size, so every run and every machine measures the same work.
const TAG = 'ehr-allergy-list';
const SEED = 1;
const ITEM = '[part~="item"]';

/** The data the element is given: here, every resource of a `small` cohort (10 patients). */
function input(): Resource[] {
  return generateCohort({ seed: SEED, size: 'small' }).flatMap((patient) => patient.resources);
}

const template: BenchCase = {
  // 2. The name in the table: the file name, by convention.
  name: 'case-template',
  description: `<${TAG}> given .resources: the records of a generated cohort (seed ${SEED}, size "small").`,
  // 3. One entry per figure `run()` returns. A target is reported (met / MISSED), never asserted.
  metrics: {
    firstRender: { unit: 'ms', description: 'From creating the element with the resources to its items painted', target: { max: 50 } },
    itemsInDom: { unit: 'count', description: 'Items in the DOM after the first render' },
  },
  // 4. Runs in a fresh page each time (default 7); return a number for every metric.
  async run() {
    const resources = input();
    const box = stage();
    await afterPaint();
    await nextFrame();

    const start = performance.now();
    const el = document.createElement(TAG) as HTMLElement & { resources?: readonly Resource[] };
    el.resources = resources;
    box.append(el);
    const items = () => el.shadowRoot?.querySelectorAll(ITEM).length ?? 0;
    await waitFor(() => items() > 0, 'the first items');
    await afterPaint();
    const firstRender = performance.now() - start;

    const itemsInDom = items();
    el.remove();
    return { firstRender, itemsInDom };
  },
};

export default template;

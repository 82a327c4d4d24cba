// <ehr-patient-banner> alone over a warm cache (issue 5): a second view of a page that shows
// who the patient is, its data already in the encrypted IndexedDB cache.
import { BundleSource, createCachedSource, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { afterPaint, nextFrame, stage, type BenchCase } from '../support.js';
import { asInANewPage } from './cache-warm-5000.js';
import { PROFILE, RESOURCES, SEED, afterThisFrame, recordResources } from './record-5000.js';

const USER = 'bench-user';
const SLOW_MS = 60_000;

/**
 * Creates a banner over `source` at a frame's start and resolves with when its name, and its
 * allergy alert, were painted. Checked once per frame, in the frame's callbacks: what is there
 * then, that frame paints, and the next task runs once it has.
 */
async function renderBanner(box: HTMLElement, source: FhirSource): Promise<{ name: number; alert: number; element: HTMLElement }> {
  await nextFrame();
  const start = performance.now();
  const el = document.createElement('ehr-patient-banner');
  el.source = source;
  box.append(el);
  const painted: { name?: number; alert?: number } = {};
  const seen = new Set<keyof typeof painted>();
  const note = (what: keyof typeof painted) => {
    seen.add(what);
    void afterThisFrame().then(() => (painted[what] = performance.now() - start));
  };
  while (painted.name === undefined || painted.alert === undefined) {
    await nextFrame();
    const root = el.shadowRoot;
    const problem = root?.querySelector('[role="alert"]');
    if (problem) throw new Error(`The banner shows an error: ${problem.textContent?.replace(/\s+/g, ' ').trim()}`);
    if (!seen.has('name') && root?.querySelector('[part~="name"]')) note('name');
    if (!seen.has('alert') && root?.querySelector('[part~="allergies"]:not([aria-busy="true"])')) note('alert');
    if (performance.now() - start > 20_000) throw new Error('Timed out waiting for the banner (did a request miss the cache?)');
  }
  return { name: painted.name, alert: painted.alert, element: el };
}

const bannerWarm: BenchCase = {
  name: 'banner-warm',
  description:
    `<ehr-patient-banner> alone over createCachedSource() for a generated patient (seed ${SEED}, profile "${PROFILE}", ` +
    `${RESOURCES.toLocaleString('en-US')} resources): a first banner fills the cache; then, in the same page, a new banner over a new ` +
    `CachedSource whose source answers after ${SLOW_MS / 1000} s (the database swept and its root key read again, as by a new page).`,
  runs: 7,
  metrics: {
    bannerWarm: {
      unit: 'ms',
      description: 'From connecting <ehr-patient-banner> (over a new CachedSource, data in the cache) to its name painted',
      target: { max: 50 },
    },
    alertWarm: { unit: 'ms', description: 'The same, to its allergy alert painted (allergies load beside the name)' },
    bannerCold: { unit: 'ms', description: 'The first banner, over an empty cache and the in-memory source: connecting to its name painted' },
  },
  async run() {
    const resources = recordResources();
    const fast = new BundleSource({ resources });
    const slow = new BundleSource({ resources, latency: SLOW_MS });
    const databaseName = `ehr-bench-banner-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const box = stage();
    await afterPaint();

    const cold = createCachedSource(fast, { databaseName, userKey: USER });
    const first = await renderBanner(box, cold);
    await cold.settled();
    first.element.remove();
    cold.close();

    asInANewPage(databaseName);
    const warm = createCachedSource(slow, { databaseName, userKey: USER });
    await afterPaint();
    const second = await renderBanner(box, warm);
    second.element.remove();
    warm.close();
    return { bannerWarm: second.name, alertWarm: second.alert, bannerCold: first.name };
  },
};

export default bannerWarm;

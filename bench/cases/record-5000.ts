// <ehr-record> for a 5,000-resource patient read from an in-memory BundleSource: from
// creating the element to every section's content painted, and when each section got there.
// Also exports the section probes cache-warm-5000 uses.
import type { Resource } from '@medplum/fhirtypes';
import { BundleSource, searchParamEntries, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { RECORD_SECTIONS, type RecordSection } from '@ehr-elements/elements';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';
import { afterPaint, nextFrame, stage, type BenchCase, type BenchMetric } from '../support.js';

export const SEED = 1;
export const PROFILE = 'bulk';
export const RESOURCES = 5_000;
/** Wide enough (>= 60rem) for the record's two-column layout, as on a desktop. */
export const STAGE = { width: 1200, height: 900 } as const;

/** The element of each section. */
const SECTION_TAGS: Record<RecordSection, string> = {
  banner: 'ehr-patient-banner',
  allergies: 'ehr-allergy-list',
  conditions: 'ehr-condition-list',
  medications: 'ehr-medication-list',
  immunizations: 'ehr-immunization-list',
  vitals: 'ehr-vitals-chart',
  labs: 'ehr-lab-results',
  timeline: 'ehr-timeline',
};

/**
 * The sections measured: those whose element this build defines. `<ehr-record>` also lays
 * out `<ehr-lab-results>`, which define.ts does not register yet: an undefined tag renders
 * nothing, so waiting for it would never end. Once registered, it is measured too.
 */
export const MEASURED_SECTIONS: readonly RecordSection[] = RECORD_SECTIONS.filter((section) => customElements.get(SECTION_TAGS[section]));

/** Per-section metrics, named `<prefix><Section>`. */
export function sectionMetrics(prefix: string, what: string): Record<string, BenchMetric> {
  return Object.fromEntries(
    MEASURED_SECTIONS.map((section) => [
      `${prefix}${section[0]!.toUpperCase()}${section.slice(1)}`,
      { unit: 'ms', description: `${what}: <${SECTION_TAGS[section]}> showing its content (seen by polling, before paint)` },
    ]),
  );
}

/** The generated record (seed 1, profile `bulk`, 5,000 resources). */
export function recordResources(): Resource[] {
  return generatePatientRecord({ seed: SEED, profile: PROFILE, targetResources: RESOURCES }).resources;
}

/** Whether a section element shows its content: no skeleton, no `aria-busy`, something to read. Throws on an error state. */
function sectionReady(section: RecordSection, el: Element | null): boolean {
  const root = el?.shadowRoot;
  if (!root) return false;
  const alert = root.querySelector('[role="alert"]');
  if (alert) throw new Error(`The ${section} section shows an error: ${alert.textContent?.replace(/\s+/g, ' ').trim()}`);
  if (root.querySelector('[aria-busy="true"], .bone')) return false;
  switch (section) {
    case 'banner':
      return root.querySelector('[part~="name"]') !== null;
    case 'timeline':
      // Its summary ("1,085 events") once loaded. Its rows are virtualized: the virtualizer adds
      // only those in view, and below the fold (a 900 px high page) that is none until a scroll.
      return root.querySelector('[part~="summary"], [part~="state"]') !== null;
    case 'labs':
      return root.querySelector('[part~="panel"], [part~="row"], [part~="state"]') !== null;
    case 'vitals':
      return root.querySelector('canvas, [part~="state"]') !== null;
    default:
      return root.querySelector('[part~="item"], [part~="state"], [part~="no-known"]') !== null;
  }
}

/** Resolves in the next task: called from a frame's callbacks, after that frame is rendered (style, layout, paint). */
export function afterThisFrame(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * Creates `<ehr-record>` over `source` at the start of a frame and waits until every measured
 * section shows its content, painted. Resolves with the total (creation to painted) and, per
 * section, the start of the frame that first painted its content.
 *
 * Sections are checked once per frame, in its animation-frame callbacks: what is in the DOM
 * then is what that frame paints, so once every section is there the frame's own paint ends
 * the measure (the next task). Polling every task instead cost tens of milliseconds of
 * selector matching in the big shadow trees while the record loads.
 */
export async function renderRecord(box: HTMLElement, source: FhirSource, timeoutMs = 15_000): Promise<{ total: number; sections: Record<string, number>; element: HTMLElement }> {
  await nextFrame();
  const start = performance.now();
  const el = document.createElement('ehr-record');
  el.source = source;
  box.append(el);
  const seen = new Map<RecordSection, number>();
  for (;;) {
    await nextFrame();
    const now = performance.now() - start;
    for (const section of MEASURED_SECTIONS) {
      if (!seen.has(section) && sectionReady(section, el.shadowRoot?.querySelector(SECTION_TAGS[section]) ?? null)) seen.set(section, now);
    }
    if (seen.size === MEASURED_SECTIONS.length) break;
    if (now > timeoutMs) {
      const missing = MEASURED_SECTIONS.filter((section) => !seen.has(section));
      throw new Error(`Timed out after ${timeoutMs} ms waiting for the ${missing.join(', ')} section(s) of <ehr-record>`);
    }
  }
  await afterThisFrame();
  const total = performance.now() - start;
  const sections = Object.fromEntries(MEASURED_SECTIONS.map((section) => [section, seen.get(section)!]));
  return { total, sections, element: el };
}

/** One read or search a source was asked, without its signal and progress callback, and its failure if it failed. */
export type SourceCall = (
  | { readonly kind: 'read'; readonly resourceType: string; readonly id: string }
  | { readonly kind: 'search'; readonly resourceType: string; readonly params: URLSearchParams; readonly limit?: number; readonly pageLimit?: number }
) & { error?: unknown };

/** A view of `source` that notes every read and search it is asked, and which failed. */
export function recordingSource(source: FhirSource): { source: FhirSource; calls: SourceCall[] } {
  const calls: SourceCall[] = [];
  const recording: FhirSource = {
    get server() {
      return source.server;
    },
    get patientId() {
      return source.patientId;
    },
    get launchContext() {
      return source.launchContext;
    },
    get userKey() {
      return source.userKey;
    },
    read(resourceType, id, options) {
      const call: SourceCall = { kind: 'read', resourceType, id };
      calls.push(call);
      return noteFailure(call, source.read(resourceType, id, options));
    },
    search(resourceType, params, options) {
      const call: SourceCall = { kind: 'search', resourceType, params: new URLSearchParams(searchParamEntries(params)), limit: options?.limit, pageLimit: options?.pageLimit };
      calls.push(call);
      return noteFailure(call, source.search(resourceType, params, options));
    },
  } as FhirSource;
  return { source: recording, calls };
}

function noteFailure<T>(call: SourceCall, promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    call.error = error;
    throw error;
  });
}

/** Asks `source` the same reads and searches again, all at once as the sections do (a refused one, as the first allergy search with `_include` is, included). */
export async function replay(source: FhirSource, calls: readonly SourceCall[]): Promise<void> {
  await Promise.allSettled(
    calls.map((call) =>
      call.kind === 'read'
        ? source.read(call.resourceType, call.id)
        : source.search(call.resourceType, call.params, { limit: call.limit, pageLimit: call.pageLimit }),
    ),
  );
}

/** `{ prefixBanner: ..., prefixAllergies: ... }` from `renderRecord()`'s sections. */
export function sectionValues(prefix: string, sections: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(sections).map(([section, ms]) => [`${prefix}${section[0]!.toUpperCase()}${section.slice(1)}`, ms]));
}

const record5000: BenchCase = {
  name: 'record-5000',
  description:
    `<ehr-record> (every section) over an in-memory BundleSource (no latency) holding a generated record (seed ${SEED}, ` +
    `profile "${PROFILE}", ${RESOURCES.toLocaleString('en-US')} resources: 4,345 Observations), ${STAGE.width}x${STAGE.height} px. ` +
    `Sections measured: ${MEASURED_SECTIONS.join(', ')}.`,
  runs: 5,
  metrics: {
    firstRender: {
      unit: 'ms',
      description: 'From creating <ehr-record> with .source to every section showing its content, painted (no aria-busy, no skeleton; Chart.js loaded and drawn; timeline rows)',
    },
    ...sectionMetrics('section', 'From creating <ehr-record>'),
    sourceWork: {
      unit: 'ms',
      description: "The record's reads and searches asked of the BundleSource again, at once, without elements: the in-memory server's share (matching, structuredClone of every answer)",
    },
    queries: { unit: 'count', description: 'Reads and searches the record made' },
  },
  async run() {
    const resources = recordResources();
    const bundle = new BundleSource({ resources });
    const { source, calls } = recordingSource(bundle);
    const box = stage(STAGE.width, STAGE.height);
    await afterPaint();
    const { total, sections, element } = await renderRecord(box, source);
    element.remove();
    const queries = calls.length;
    await afterPaint();
    const replayStart = performance.now();
    await replay(bundle, calls);
    const sourceWork = performance.now() - replayStart;
    return { firstRender: total, ...sectionValues('section', sections), sourceWork, queries };
  },
};

export default record5000;

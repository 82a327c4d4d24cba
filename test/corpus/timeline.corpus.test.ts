// The timeline over real-world-shaped records we did not generate (../shared/fhir-corpus):
// the US Core 3.0.0 examples (one record, Patient/example) and four Synthea patients. Each
// renders with no uncaught error, and the events per kind are what the files hold, counted
// here independently of the model: one per resource of each type (two for a Condition with
// an abatement date), entered-in-error left out, Observations by the default rule.
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { BundleSource, TIMELINE_KIND_LABELS, TIMELINE_KINDS, type TimelineKind } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { TimelineElement } from '@ehr-elements/elements';

type Json = Record<string, any>;

async function corpusFiles(): Promise<string[]> {
  return (await fetch('/__corpus/index.json')).json();
}

async function load(path: string): Promise<Resource> {
  return (await fetch(`/__corpus/${path}`)).json();
}

function unpack(resource: Resource): Json[] {
  if (resource.resourceType !== 'Bundle') return [resource as Json];
  return ((resource as Bundle).entry ?? []).flatMap((entry) => (entry.resource ? unpack(entry.resource) : []));
}

const KIND_OF: Record<string, TimelineKind> = {
  Encounter: 'encounter',
  Condition: 'condition',
  Procedure: 'procedure',
  Immunization: 'immunization',
  MedicationRequest: 'medication',
  MedicationStatement: 'medication',
  DiagnosticReport: 'report',
  DocumentReference: 'document',
  AllergyIntolerance: 'allergy',
  Observation: 'observation',
};
const ABNORMAL = new Set(['H', 'L', 'HH', 'LL', 'A', 'AA', 'HU', 'LU']);
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const codes = (concept: Json | undefined): string[] => (concept?.coding ?? []).map((coding: Json) => coding.code);

function enteredInError(resource: Json): boolean {
  return (
    resource.status === 'entered-in-error' ||
    resource.docStatus === 'entered-in-error' ||
    codes(resource.verificationStatus).includes('entered-in-error')
  );
}

/** The default observation rule, written out again: social history, or a laboratory result flagged or out of range. */
function notable(observation: Json): boolean {
  const categories = (observation.category ?? []).flatMap((concept: Json) =>
    (concept.coding ?? []).filter((coding: Json) => !coding.system || coding.system === CATEGORY).map((coding: Json) => coding.code),
  );
  if (categories.includes('social-history')) return true;
  if (!categories.includes('laboratory')) return false;
  const interpretation = (observation.interpretation ?? []).flatMap(codes).map((code: string) => code.toUpperCase());
  if (interpretation.some((code: string) => ABNORMAL.has(code))) return true;
  if (interpretation.includes('N')) return false;
  const value = observation.valueQuantity?.value;
  const range = (observation.referenceRange ?? []).find((candidate: Json) => !candidate.appliesTo && !candidate.age);
  if (typeof value !== 'number' || !range || observation.valueQuantity.comparator) return false;
  const unit = observation.valueQuantity.code ?? observation.valueQuantity.unit;
  const inUnit = (bound: Json | undefined) => {
    if (typeof bound?.value !== 'number') return undefined;
    const boundUnit = bound.code ?? bound.unit;
    return boundUnit && unit && boundUnit !== unit ? undefined : bound.value;
  };
  const low = inUnit(range.low);
  const high = inUnit(range.high);
  return (low !== undefined && value < low) || (high !== undefined && value > high);
}

/** Events per kind the files should give for `patientId`. */
function expectedCounts(resources: Json[], patientId: string, aliases: Set<string>): Record<TimelineKind, number> {
  const counts = Object.fromEntries(TIMELINE_KINDS.map((kind) => [kind, 0])) as Record<TimelineKind, number>;
  const seen = new Set<string>();
  for (const resource of resources) {
    const kind = KIND_OF[resource.resourceType];
    if (!kind) continue;
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const patient = (resource.subject ?? resource.patient)?.reference;
    if (patient !== `Patient/${patientId}` && !aliases.has(patient)) continue;
    if (enteredInError(resource)) continue;
    if (resource.resourceType === 'Observation' && !notable(resource)) continue;
    counts[kind]++;
    if (resource.resourceType === 'Condition' && (DATE.test(resource.abatementDateTime ?? '') || resource.abatementPeriod?.start || resource.abatementPeriod?.end)) {
      counts[kind]++;
    }
  }
  return counts;
}

/** The counts the element shows on its kind toggles ("Encounters 46"). */
function shownCounts(el: TimelineElement): Record<TimelineKind, number> {
  const counts = Object.fromEntries(TIMELINE_KINDS.map((kind) => [kind, 0])) as Record<TimelineKind, number>;
  for (const toggle of el.shadowRoot!.querySelectorAll('[part~="kind-toggle"]')) {
    const name = toggle.querySelector('.kind-name')?.textContent?.trim();
    const kind = TIMELINE_KINDS.find((candidate) => TIMELINE_KIND_LABELS[candidate].other === name)!;
    counts[kind] = Number(toggle.querySelector('.count')?.textContent?.replace(/\D/g, ''));
  }
  return counts;
}

async function renderTimeline(source: BundleSource): Promise<TimelineElement> {
  fixtureCleanup();
  const context = await fixture(html`<ehr-context .source=${source}><ehr-timeline></ehr-timeline></ehr-context>`);
  const el = context.querySelector('ehr-timeline') as TimelineElement;
  await waitUntil(
    () => el.shadowRoot?.querySelector('[part~="summary"], .state.empty, .state.error'),
    'the timeline rendered',
    { timeout: 20000 },
  );
  return el;
}

const uncaught: unknown[] = [];
window.addEventListener('error', (event) => {
  // The virtualizer's "ResizeObserver loop completed with undelivered notifications" is a
  // benign notice, not an exception (see @lit-labs/virtualizer's README).
  if (/ResizeObserver loop/.test(event.message)) return;
  uncaught.push(event.error ?? event.message);
});
window.addEventListener('unhandledrejection', (event) => uncaught.push(event.reason));

async function check(label: string, source: BundleSource, resources: Json[], patientId: string, aliases = new Set<string>()) {
  const el = await renderTimeline(source);
  const expected = expectedCounts(resources, patientId, aliases);
  const total = Object.values(expected).reduce((sum, count) => sum + count, 0);
  expect(el.shadowRoot!.querySelector('[role="alert"]'), `${label}: no error`).to.equal(null);
  expect(shownCounts(el), `${label}: events per kind`).to.deep.equal(expected);
  expect(el.shadowRoot!.querySelector('[part~="summary"]')!.textContent!.trim(), label).to.equal(`${total.toLocaleString('en-US')} events`);
  await waitUntil(() => el.shadowRoot!.querySelectorAll('[part~="list"] [part~="item"]').length > 0, `${label}: rows`, { timeout: 10000 });
  await expect(el).to.be.accessible();
  return expected;
}

describe('timeline over the FHIR corpus', () => {
  // The same notice reaches window.onerror, which Mocha would report as a failure.
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach);

  afterEach(() => {
    expect(uncaught, 'no uncaught error').to.deep.equal([]);
  });

  it('renders the US Core examples as the record of Patient/example, every kind counted', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('us-core-3.0.0/'));
    const loaded = await Promise.all(files.map(load));
    const source = new BundleSource({ resources: loaded, patientId: 'example' });
    const expected = await check('US Core', source, loaded.flatMap(unpack), 'example');
    // The examples include every kind but allergies twice over: a real spread, not zeros.
    expect(expected.encounter).to.be.greaterThan(0);
    expect(expected.medication).to.be.greaterThan(0);
    expect(expected.observation).to.be.greaterThan(0);
  });

  it('renders every Synthea patient from its transaction bundle, every kind counted', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('synthea/'));
    expect(files.length).to.equal(4);
    for (const file of files) {
      const bundle = (await load(file)) as Bundle;
      const resources = unpack(bundle);
      const patient = resources.find((resource) => resource.resourceType === 'Patient')!;
      // Synthea refers to its patient by the entry's urn:uuid.
      const fullUrl = bundle.entry!.find((entry) => entry.resource?.resourceType === 'Patient')!.fullUrl!;
      const expected = await check(file, new BundleSource({ bundle }), resources, patient.id, new Set([fullUrl]));
      expect(expected.encounter, `${file}: encounters`).to.be.greaterThan(0);
    }
  });
});

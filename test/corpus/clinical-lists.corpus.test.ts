// Real-world-shaped records we did not generate (../shared/fhir-corpus): every patient's
// conditions, medications and immunizations render with no uncaught error, pass axe, and
// show as many records as the files hold (less those entered in error), each by name.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { BundleSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';

async function corpusFiles(): Promise<string[]> {
  return (await fetch('/__corpus/index.json')).json();
}

async function load(path: string): Promise<Resource> {
  return (await fetch(`/__corpus/${path}`)).json();
}

/** Every resource of a file, Bundles unpacked (US Core's searchset examples hold resources too). */
function unpack(resource: Resource): Resource[] {
  if (resource.resourceType !== 'Bundle') return [resource];
  return ((resource as Bundle).entry ?? []).flatMap((entry) => (entry.resource ? unpack(entry.resource) : []));
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

type ListTag = 'ehr-condition-list' | 'ehr-medication-list' | 'ehr-immunization-list';
const TAGS: readonly ListTag[] = ['ehr-condition-list', 'ehr-medication-list', 'ehr-immunization-list'];

async function renderLists(source: BundleSource): Promise<Record<ListTag, HTMLElement>> {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-condition-list></ehr-condition-list>
    <ehr-medication-list></ehr-medication-list>
    <ehr-immunization-list group-by="vaccine"></ehr-immunization-list>
  </ehr-context>`);
  const lists = Object.fromEntries(TAGS.map((tag) => [tag, context.querySelector(tag) as HTMLElement])) as Record<ListTag, HTMLElement>;
  for (const tag of TAGS) {
    const list = lists[tag];
    await waitUntil(() => /\(\d+\)$/.test(text(list.shadowRoot?.querySelector('[part~="heading"]'))), `${tag} shows a count`, { timeout: 10000 });
  }
  return lists;
}

/** The count in a list's heading: "Conditions (22)" -> 22. */
function shownCount(list: HTMLElement): number {
  return Number(/\((\d+)\)$/.exec(text(list.shadowRoot!.querySelector('[part~="heading"]')))![1]);
}

function names(list: HTMLElement): string[] {
  return [...list.shadowRoot!.querySelectorAll('[part~="name"]')].map((name) => text(name));
}

/** What each list must show for a patient's resources. */
function expected(resources: Resource[]) {
  const of = (type: string) => resources.filter((resource) => resource.resourceType === type);
  const notInError = (resource: Resource) => {
    const record = resource as { status?: string; verificationStatus?: { coding?: { code?: string }[] } };
    return record.status !== 'entered-in-error' && !record.verificationStatus?.coding?.some((coding) => coding.code === 'entered-in-error');
  };
  return {
    conditions: of('Condition').filter(notInError),
    medications: [...of('MedicationRequest'), ...of('MedicationStatement')].filter(notInError),
    immunizations: of('Immunization').filter(notInError),
  };
}

const uncaught: unknown[] = [];
window.addEventListener('error', (event) => uncaught.push(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => uncaught.push(event.reason));

async function checkNoProblems(lists: Record<ListTag, HTMLElement>, label: string): Promise<void> {
  for (const tag of TAGS) {
    const root = lists[tag].shadowRoot!;
    expect(root.querySelector('[role="alert"]')?.textContent ?? null, `${label}: ${tag} has no error`).to.equal(null);
    expect(root.querySelector('[part~="notice"]')?.textContent ?? null, `${label}: ${tag} is complete and every medication was named`).to.equal(null);
    expect(names(lists[tag]).filter((name) => /^Unspecified|details unavailable/.test(name)), `${label}: ${tag} names every record`).to.deep.equal([]);
    await expect(lists[tag]).to.be.accessible();
  }
}

describe('clinical lists over the FHIR corpus', () => {
  afterEach(() => {
    expect(uncaught, 'no uncaught error').to.deep.equal([]);
  });

  it('every Synthea patient: counts match the bundle, every record named', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('synthea/'));
    expect(files.length).to.equal(4);
    for (const file of files) {
      const bundle = (await load(file)) as Bundle;
      const want = expected(unpack(bundle));
      const lists = await renderLists(new BundleSource({ bundle }));
      expect(shownCount(lists['ehr-condition-list']), `${file}: conditions`).to.equal(want.conditions.length);
      expect(shownCount(lists['ehr-medication-list']), `${file}: medications`).to.equal(want.medications.length);
      expect(shownCount(lists['ehr-immunization-list']), `${file}: immunizations`).to.equal(want.immunizations.length);
      // Synthea names every code with text: the list shows exactly those names.
      const conditionNames = want.conditions.map((condition) => (condition as { code?: { text?: string } }).code?.text).sort();
      expect(names(lists['ehr-condition-list']).sort(), `${file}: condition names`).to.deep.equal(conditionNames);
      const medicationNames = want.medications.map((medication) => (medication as { medicationCodeableConcept?: { text?: string } }).medicationCodeableConcept?.text).sort();
      expect(names(lists['ehr-medication-list']).sort(), `${file}: medication names`).to.deep.equal(medicationNames);
      // Grouped by vaccine, every dose is an item.
      expect(lists['ehr-immunization-list'].shadowRoot!.querySelectorAll('[part~="item"]').length, `${file}: doses`).to.equal(want.immunizations.length);
      await checkNoProblems(lists, file);
    }
  });

  it("Jorge Brekke's 35 immunizations", async () => {
    const file = (await corpusFiles()).find((name) => name.startsWith('synthea/Jorge_Brekke'))!;
    const lists = await renderLists(new BundleSource({ bundle: (await load(file)) as Bundle }));
    expect(shownCount(lists['ehr-immunization-list'])).to.equal(35);
  });

  it('the US Core examples of Patient/example (Amy V. Shaw): conditions, orders and statements with their Medications, the immunization', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('us-core-3.0.0/'));
    const resources = (await Promise.all(files.map(load))).flatMap(unpack);
    const aboutAmy = resources.filter((resource) => {
      const record = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
      return (record.subject ?? record.patient)?.reference === 'Patient/example';
    });
    const want = expected(aboutAmy);
    // Condition-example, Condition-hc1; MedicationRequest-uscore-mo1/2 and the mo3 searchset; MedicationStatement ms1/2 and ms3; Immunization-imm-1.
    expect([want.conditions.length, want.medications.length, want.immunizations.length]).to.deep.equal([2, 6, 1]);

    const lists = await renderLists(new BundleSource({ resources, patientId: 'example' }));
    expect(shownCount(lists['ehr-condition-list'])).to.equal(2);
    expect(names(lists['ehr-condition-list']).sort()).to.deep.equal(['Cost of medications', 'Single liveborn, born in hospital']);
    expect(text(lists['ehr-condition-list'].shadowRoot)).to.contain('Health concern');

    // mo2 and ms2 name a contained Medication; mo3 and ms3 reference Medication-uscore-med2 and -med1.
    expect(shownCount(lists['ehr-medication-list'])).to.equal(6);
    expect(names(lists['ehr-medication-list']).sort()).to.deep.equal([
      'Nizatidine 15 MG/ML Oral Solution [Axid]',
      'Nizatidine 15 MG/ML Oral Solution [Axid]',
      'Nizatidine 15 MG/ML Oral Solution [Axid]',
      'lisinopril oral 10 mg',
      'lisinopril oral 10 mg',
      'lisinopril oral 10 mg',
    ]);
    // Named from the Medication itself, never from a reference's display (shown in italics).
    expect(lists['ehr-medication-list'].shadowRoot!.querySelectorAll('.name.uncoded').length).to.equal(0);
    expect(text(lists['ehr-medication-list'].shadowRoot)).to.contain('10 mL bid');
    expect(text(lists['ehr-medication-list'].shadowRoot)).to.contain('Prescribed Apr 5, 2008 by Ronald Bone, MD');

    expect(shownCount(lists['ehr-immunization-list'])).to.equal(1);
    const immunization = lists['ehr-immunization-list'].shadowRoot!;
    expect(text(immunization.querySelector('[role="heading"][aria-level="3"]'))).to.contain('influenza, injectable, quadrivalent, contains preservative');
    // primarySource: false
    expect(text(immunization.querySelector('[part~="badge"]'))).to.equal('Reported');
    await checkNoProblems(lists, 'US Core');
  });
});

import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Medication, MedicationRequest, MedicationStatement, Patient, Resource } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import type { MedicationListElement, MedicationSelectEvent } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type ReadOptions, type SearchOptions, type SearchParams } from '../../packages/core/src/source/fhir-source.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';


const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const patient: Patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Amy'], family: 'Shaw' }] };
const subject = { reference: 'Patient/p1' };
const rx = (display: string) => ({ coding: [{ system: RXNORM, code: '1', display }] });

function order(id: string, overrides: Partial<MedicationRequest> = {}): MedicationRequest {
  return { resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject, medicationCodeableConcept: { text: id }, ...overrides };
}
function taken(id: string, overrides: Partial<MedicationStatement> = {}): MedicationStatement {
  return { resourceType: 'MedicationStatement', id, status: 'active', subject, medicationCodeableConcept: { text: id }, ...overrides };
}
const medication = (id: string, display: string): Medication => ({ resourceType: 'Medication', id, code: rx(display) });

/** One of each situation the list must get right. */
const record: Resource[] = [
  patient,
  medication('apixaban', 'apixaban 5 MG Oral Tablet'),
  order('metformin', {
    medicationCodeableConcept: rx('metformin 500 MG Oral Tablet'),
    authoredOn: '2025-09-14',
    requester: { display: 'Dr. Ana Lima' },
    dosageInstruction: [
      {
        route: { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }] },
        timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
        doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
      },
    ],
  }),
  order('apixaban-order', { medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/apixaban' }, authoredOn: '2025-06-02' }),
  order('nizatidine', {
    status: 'on-hold',
    authoredOn: '2024-04-05',
    contained: [medication('med2', 'Nizatidine 15 MG/ML Oral Solution')],
    medicationCodeableConcept: undefined,
    medicationReference: { reference: '#med2' },
    dosageInstruction: [{ text: '10 mL bid', route: { text: 'Oral' } }],
    statusReason: { text: 'Held before endoscopy' },
  }),
  taken('cetirizine', { medicationCodeableConcept: rx('cetirizine 5 MG Oral Tablet'), effectivePeriod: { start: '2021-04' }, informationSource: { display: 'Amy Shaw' } }),
  order('statin-plan', { status: 'draft', intent: 'plan', medicationCodeableConcept: { text: 'Atorvastatin 20 mg' }, authoredOn: '2025-11-20' }),
  order('amoxicillin', { status: 'completed', medicationCodeableConcept: { text: 'Amoxicillin 500 mg' }, authoredOn: '2023-02-01' }),
  order('hctz', { status: 'stopped', medicationCodeableConcept: { text: 'Hydrochlorothiazide 25 mg' }, authoredOn: '2019-05-01' }),
  order('mistake', { status: 'entered-in-error', medicationCodeableConcept: { text: 'Warfarin (wrong patient)' }, authoredOn: '2025-10-01' }),
];

/** A BundleSource that records requests, can drop `_include`d resources, and can fail the next requests of a type (server faults, faked). */
class TestSource implements FhirSource {
  readonly requests: string[] = [];
  readonly failNext: Record<string, FhirError[]> = {};
  ignoreInclude = false;
  never = false;
  private readonly inner: BundleSource;
  constructor(resources: Resource[], failures?: Record<string, FhirError>) {
    this.inner = new BundleSource({ resources, patientId: 'p1', label: 'Example Hospital', failures });
  }
  get server() {
    return this.inner.server;
  }
  get patientId() {
    return this.inner.patientId;
  }
  async read<T extends Resource = Resource>(type: string, id: string, options?: ReadOptions): Promise<T> {
    this.requests.push(`GET ${type}/${id}`);
    const failure = this.failNext[type]?.shift();
    if (failure) throw failure;
    return this.inner.read<T>(type, id, options);
  }
  async search<T extends Resource = Resource>(type: string, params?: SearchParams, options?: SearchOptions) {
    this.requests.push(`GET ${type}?${new URLSearchParams(params as Record<string, string>)}`);
    if (this.never) return new Promise<never>(() => {});
    const failure = this.failNext[type]?.shift();
    if (failure) throw failure;
    const result = await this.inner.search<T>(type, params, options);
    return this.ignoreInclude ? { ...result, included: [] } : result;
  }
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const heading = (el: Element) => shadow(el).querySelector('[part~="heading"]');
const names = (root: Element | ShadowRoot | null | undefined) => [...(root?.querySelectorAll('[part~="name"]') ?? [])].map((name) => text(name));
const group = (el: Element, key: string) => shadow(el).querySelector<HTMLElement>(`.group.${key}`);
const itemNamed = (el: Element, name: string) => [...shadow(el).querySelectorAll('[part~="item"]')].find((li) => text(li.querySelector('[part~="name"]')) === name)!;
const metaItems = (item: Element) => [...item.querySelectorAll('[part~="meta"] li')].map((li) => text(li));
const badges = (item: Element) => [...item.querySelectorAll('[part~="badge"]')].map((badge) => text(badge));

async function listIn(source: FhirSource, patientId = '') {
  const context = await fixture(html`<ehr-context .source=${source}><ehr-medication-list patient-id=${patientId}></ehr-medication-list></ehr-context>`);
  return context.querySelector('ehr-medication-list')!;
}

async function loaded(el: MedicationListElement): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.state.loading') === null && heading(el), 'the list did not finish loading');
}

describe('<ehr-medication-list>: populated', () => {
  it('loads requests and statements in parallel with their Medications, and groups Active, Draft or unknown, Stopped (collapsed)', async () => {
    const source = new TestSource(record);
    const el = await listIn(source);
    await loaded(el);
    expect(source.requests).to.deep.equal([
      'GET MedicationRequest?patient=p1&_count=100&_include=MedicationRequest%3Amedication',
      'GET MedicationStatement?patient=p1&_count=100&_include=MedicationStatement%3Amedication',
    ]);
    expect(text(heading(el))).to.equal('Medications (7)');
    expect(names(group(el, 'active'))).to.deep.equal([
      'metformin 500 MG Oral Tablet',
      'apixaban 5 MG Oral Tablet',
      'Nizatidine 15 MG/ML Oral Solution',
      'cetirizine 5 MG Oral Tablet',
    ]);
    expect(names(group(el, 'other'))).to.deep.equal(['Atorvastatin 20 mg']);
    const stopped = group(el, 'stopped') as HTMLDetailsElement;
    expect(stopped.open).to.equal(false);
    expect(text(stopped.querySelector('summary'))).to.equal('Stopped (2)');
    expect(names(stopped)).to.deep.equal(['Amoxicillin 500 mg', 'Hydrochlorothiazide 25 mg']);
    expect(text(shadow(el))).not.to.contain('Warfarin');
  });

  it('shows the dose (as written, or built), route, prescriber, date, status and reported tags', async () => {
    const el = await listIn(new TestSource(record));
    await loaded(el);
    expect(metaItems(itemNamed(el, 'metformin 500 MG Oral Tablet'))).to.deep.equal(['Dose 1 tablet by mouth twice daily', 'Prescribed Sep 14, 2025 by Dr. Ana Lima']);
    const nizatidine = itemNamed(el, 'Nizatidine 15 MG/ML Oral Solution');
    expect(badges(nizatidine)).to.deep.equal(['On hold']);
    expect(metaItems(nizatidine)).to.deep.equal(['Dose 10 mL bid', 'Route Oral', 'Prescribed Apr 5, 2024', 'Reason: Held before endoscopy']);
    const cetirizine = itemNamed(el, 'cetirizine 5 MG Oral Tablet');
    expect(badges(cetirizine)).to.deep.equal(['Reported']);
    expect(metaItems(cetirizine)).to.deep.equal(['Taking since Apr 2021', 'Reported by Amy Shaw']);
    expect(badges(itemNamed(el, 'Atorvastatin 20 mg'))).to.deep.equal(['Draft', 'Plan']);
    expect(badges(itemNamed(el, 'Hydrochlorothiazide 25 mg'))).to.deep.equal(['Stopped']);
  });

  it('an order not to give a medication says so first, never reading as a prescription to take', async () => {
    const el = await fixture<MedicationListElement>(
      html`<ehr-medication-list .resources=${[order('nsaid', { doNotPerform: true, medicationCodeableConcept: { text: 'Ibuprofen' }, authoredOn: '2025-01-01' })]}></ehr-medication-list>`,
    );
    expect(badges(itemNamed(el, 'Ibuprofen'))).to.deep.equal(['Do not give']);
    await expect(el).to.be.accessible();
  });

  it('when the server ignores _include (faked), reads the referenced Medication, once, and names it', async () => {
    const source = new TestSource([...record, order('apixaban-2', { medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/apixaban' } })]);
    source.ignoreInclude = true;
    const el = await listIn(source);
    await loaded(el);
    expect(source.requests.slice(2)).to.deep.equal(['GET Medication?_id=apixaban']);
    expect(names(group(el, 'active')).filter((name) => name === 'apixaban 5 MG Oral Tablet')).to.have.length(2);
  });

  it('a referenced Medication that cannot be read (faked): named from the reference, else "Medication (details unavailable)", with a note', async () => {
    const source = new TestSource(
      [
        patient,
        order('a', { medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/gone', display: 'Warfarin 5 mg tablet' }, authoredOn: '2025-01-02' }),
        order('b', { medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/also-gone' }, authoredOn: '2025-01-01' }),
      ],
      { Medication: new FhirError('forbidden', 'Medication is not in the granted scopes (HTTP 403).', { status: 403 }) },
    );
    const el = await listIn(source);
    await loaded(el);
    expect(names(group(el, 'active'))).to.deep.equal(['Warfarin 5 mg tablet', 'Medication (details unavailable)']);
    expect(text(shadow(el).querySelector('[part~="notice"]'))).to.equal('The details of 2 referenced medications could not be loaded from the server.');
    expect(shadow(el).querySelector('[role="alert"]')?.outerHTML ?? null).to.equal(null);
  });

  it('shows records given through the resources property, resolving references among them, without reading', async () => {
    const practitioner = { resourceType: 'Practitioner', id: 'dr', name: [{ given: ['Ana'], family: 'Lima' }] } as Resource;
    const resources = [practitioner, medication('apixaban', 'apixaban 5 MG Oral Tablet'), order('x', { medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/apixaban' }, requester: { reference: 'Practitioner/dr' }, authoredOn: '2025-01-01' })];
    const el = await fixture<MedicationListElement>(html`<ehr-medication-list .resources=${resources}></ehr-medication-list>`);
    expect(names(shadow(el))).to.deep.equal(['apixaban 5 MG Oral Tablet']);
    expect(metaItems(itemNamed(el, 'apixaban 5 MG Oral Tablet'))).to.deep.equal(['Prescribed Jan 1, 2025 by Ana Lima']);
  });

  it('is accessible, with the stopped group closed and open', async () => {
    const el = await listIn(new TestSource(record));
    await loaded(el);
    await expect(el).to.be.accessible();
    (group(el, 'stopped') as HTMLDetailsElement).open = true;
    await expect(el).to.be.accessible();
  });

  it('the generated complex patient: every request and statement, insulin named from its Medication', async () => {
    const generated = generatePatientRecord({ seed: 7, profile: 'complex' });
    const count = generated.resources.filter((resource) => resource.resourceType === 'MedicationRequest' || resource.resourceType === 'MedicationStatement').length;
    const el = await listIn(new BundleSource({ resources: generated.resources }));
    await loaded(el);
    expect(text(heading(el))).to.equal(`Medications (${count})`);
    expect(names(shadow(el)).some((name) => /insulin glargine/i.test(name))).to.equal(true);
    expect(shadow(el).querySelector('[part~="notice"]')?.outerHTML ?? null).to.equal(null);
  });
});

describe('<ehr-medication-list>: partial failure', () => {
  it('statements fail (BundleSource failure): prescriptions shown, with an alert saying what is missing and Retry', async () => {
    const el = await listIn(new BundleSource({ resources: record, failures: { MedicationStatement: new FhirError('forbidden', 'Access was not granted (HTTP 403).', { status: 403 }) } }));
    await loaded(el);
    expect(text(shadow(el).querySelector('[part~="warning"] [role="alert"]'))).to.equal(
      'Reported medications (medication statements) could not be loaded. Access was not granted (HTTP 403). The list shows prescriptions only.',
    );
    expect(names(group(el, 'active'))).to.include('metformin 500 MG Oral Tablet');
    expect(names(shadow(el))).not.to.include('cetirizine 5 MG Oral Tablet');
    await expect(el).to.be.accessible();
  });

  it('requests fail and no statements exist: the alert, and "No reported medications recorded", never "No medications recorded"', async () => {
    const el = await listIn(new BundleSource({ resources: [patient, order('x')], failures: { MedicationRequest: new FhirError('server', 'Internal error (HTTP 500).', { status: 500 }) } }));
    await loaded(el);
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.contain('Prescriptions could not be loaded.');
    expect(text(shadow(el).querySelector('.state.empty'))).to.equal('No reported medications recorded');
    expect(text(shadow(el))).not.to.contain('No medications recorded');
  });

  it('Retry after a partial failure (faked for one load) loads both again', async () => {
    const source = new TestSource(record);
    // One load asks twice when the first try fails: with `_include`, then without it.
    const down = new FhirError('network', 'The FHIR server could not be reached.');
    source.failNext.MedicationStatement = [down, down];
    const el = await listIn(source);
    await waitUntil(() => shadow(el).querySelector('[part~="warning"]'), 'no partial-failure warning');
    shadow(el).querySelector<HTMLButtonElement>('[part~="warning"] [part~="retry-button"]')!.click();
    await waitUntil(() => names(shadow(el)).includes('cetirizine 5 MG Oral Tablet'), 'the statements did not load after Retry');
    expect(shadow(el).querySelector('[part~="warning"]')?.outerHTML ?? null).to.equal(null);
    expect(source.requests.filter((request) => request.startsWith('GET MedicationStatement'))).to.have.length(3);
  });
});

describe('<ehr-medication-list>: other states, select and keyboard', () => {
  it('both searches fail (BundleSource failure): an alert with Retry, never "No medications recorded"', async () => {
    const failure = new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 });
    const el = await listIn(new BundleSource({ resources: record, failures: { MedicationRequest: failure, MedicationStatement: failure } }));
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('Medications could not be loaded. The FHIR server had an internal error (HTTP 500).');
    expect(text(shadow(el).querySelector('[part~="retry-button"]'))).to.equal('Retry');
    expect(text(shadow(el))).not.to.contain('No medications');
    await expect(el).to.be.accessible();
  });

  it('pending: a busy region named "Loading medications"', async () => {
    const source = new TestSource(record);
    source.never = true;
    const el = await listIn(source);
    expect(shadow(el).querySelector('[aria-busy="true"]')!.getAttribute('aria-label')).to.equal('Loading medications');
    await expect(el).to.be.accessible();
  });

  it('empty: "No medications recorded"', async () => {
    const el = await listIn(new TestSource([patient]));
    await loaded(el);
    expect(text(shadow(el).querySelector('[part~="state"]'))).to.equal('No medications recorded');
    await expect(el).to.be.accessible();
  });

  it('activating a name (click, Enter) fires ehr-medication-select with the resource', async () => {
    const el = await fixture<MedicationListElement>(html`<ehr-medication-list .resources=${record}></ehr-medication-list>`);
    const button = [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="name"]')].find((name) => text(name) === 'cetirizine 5 MG Oral Tablet')!;
    setTimeout(() => button.click());
    const event = (await oneEvent(el, 'ehr-medication-select')) as MedicationSelectEvent;
    expect(event.resource.resourceType).to.equal('MedicationStatement');
    expect(event.medication.reported).to.equal(true);

    const selected: string[] = [];
    el.addEventListener('ehr-medication-select', (selectEvent) => selected.push(selectEvent.resource.id!));
    shadow(el).querySelector<HTMLButtonElement>('[part~="name"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect(selected).to.deep.equal(['metformin', 'apixaban-order']);
  });
});

describe('<ehr-medication-list>: negation records', () => {
  it('says "No known medications" for a negation record, which is not "No medications recorded"', async () => {
    const el = await fixture<MedicationListElement>(html`<ehr-medication-list
      .resources=${[taken('nkm', { medicationCodeableConcept: { coding: [{ system: SNOMED, code: '787481004', display: 'No known medications' }] }, dateAsserted: '2024-03-01' })]}
    ></ehr-medication-list>`);
    expect(text(shadow(el).querySelector('[part~="no-known"]'))).to.equal('No known medications Recorded Mar 1, 2024.');
    expect(text(shadow(el))).not.to.contain('No medications recorded');
    expect(names(shadow(el))).to.deep.equal([]);
  });

  it('says "No information about medications" for IPS no-medication-info, never "No known medications"', async () => {
    const el = await fixture<MedicationListElement>(html`<ehr-medication-list
      .resources=${[taken('info', { medicationCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips', code: 'no-medication-info' }] } })]}
    ></ehr-medication-list>`);
    expect(text(shadow(el).querySelector('[part~="no-known"]'))).to.equal('No information about medications');
    expect(text(shadow(el))).not.to.contain('No known medications');
  });
});

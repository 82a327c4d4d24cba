import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Immunization, Patient, Resource } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import type { ImmunizationListElement, ImmunizationSelectEvent } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type ReadOptions, type SearchOptions, type SearchParams } from '../../packages/core/src/source/fhir-source.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';


const CVX = 'http://hl7.org/fhir/sid/cvx';
const patient: Patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Jorge'], family: 'Brekke' }] };
const cvx = (code: string, display: string) => ({ coding: [{ system: CVX, code, display }] });

function shot(id: string, overrides: Partial<Immunization> = {}): Immunization {
  return {
    resourceType: 'Immunization',
    id,
    status: 'completed',
    patient: { reference: 'Patient/p1' },
    primarySource: true,
    vaccineCode: cvx('140', 'Influenza, seasonal, injectable, preservative free'),
    ...overrides,
  };
}

/** One of each situation the list must get right. */
const record: Resource[] = [
  patient,
  shot('flu-2025', {
    occurrenceDateTime: '2025-10-14',
    lotNumber: 'FL2291',
    site: { text: 'Left arm' },
    route: { text: 'Intramuscular' },
    performer: [{ actor: { display: 'Joy Park, RN' } }],
    location: { reference: 'Location/clinic', display: 'Good Health Clinic' },
  }),
  shot('covid-declined', {
    status: 'not-done',
    vaccineCode: cvx('208', 'COVID-19 mRNA vaccine'),
    occurrenceDateTime: '2025-09-30',
    statusReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PATOBJ', display: 'patient objection' }] },
  }),
  shot('flu-2024', { occurrenceDateTime: '2024-10', primarySource: false, reportOrigin: { text: 'Written record' } }),
  shot('hepb-2', { vaccineCode: cvx('08', 'Hep B, adolescent or pediatric'), occurrenceDateTime: '2012-08-01', protocolApplied: [{ doseNumberPositiveInt: 2, seriesDosesPositiveInt: 3 }] }),
  shot('hepb-1', { vaccineCode: cvx('08', 'Hep B, adolescent or pediatric'), occurrenceDateTime: '2012-06-01', protocolApplied: [{ doseNumberPositiveInt: 1, seriesDosesPositiveInt: 3 }] }),
  shot('mmr', { vaccineCode: { coding: [{ system: CVX, code: '03' }] }, occurrenceString: 'As a child' }),
  shot('oops', { status: 'entered-in-error', vaccineCode: { text: 'Zoster recombinant' }, occurrenceDateTime: '2025-01-01' }),
];

/** A BundleSource that records searches and can fail the next ones, or never answer (server faults, faked). */
class TestSource implements FhirSource {
  readonly searches: string[] = [];
  readonly failNext: FhirError[] = [];
  never = false;
  private readonly inner: BundleSource;
  constructor(resources: Resource[]) {
    this.inner = new BundleSource({ resources, patientId: 'p1', label: 'Example Hospital' });
  }
  get server() {
    return this.inner.server;
  }
  get patientId() {
    return this.inner.patientId;
  }
  read<T extends Resource = Resource>(type: string, id: string, options?: ReadOptions): Promise<T> {
    return this.inner.read<T>(type, id, options);
  }
  async search<T extends Resource = Resource>(type: string, params?: SearchParams, options?: SearchOptions) {
    this.searches.push(`${type}?${new URLSearchParams(params as Record<string, string>)}`);
    if (this.never) return new Promise<never>(() => {});
    const failure = this.failNext.shift();
    if (failure) throw failure;
    return this.inner.search<T>(type, params, options);
  }
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const heading = (el: Element) => shadow(el).querySelector('[part~="heading"]');
const names = (root: Element | ShadowRoot | null | undefined) => [...(root?.querySelectorAll('[part~="name"]') ?? [])].map((name) => text(name));
const items = (el: Element) => [...shadow(el).querySelectorAll('[part~="item"]')];
const metaItems = (item: Element) => [...item.querySelectorAll('[part~="meta"] li')].map((li) => text(li));
const badges = (item: Element) => [...item.querySelectorAll('[part~="badge"]')].map((badge) => text(badge));

async function listIn(source: FhirSource, groupBy = 'none') {
  const context = await fixture(html`<ehr-context .source=${source}><ehr-immunization-list group-by=${groupBy}></ehr-immunization-list></ehr-context>`);
  return context.querySelector('ehr-immunization-list')!;
}

async function loaded(el: ImmunizationListElement): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.state.loading') === null && heading(el), 'the list did not finish loading');
}

describe('<ehr-immunization-list>: populated', () => {
  it('reads the patient in context and lists newest first; entered-in-error is never shown', async () => {
    const source = new TestSource(record);
    const el = await listIn(source);
    await loaded(el);
    expect(source.searches).to.deep.equal(['Immunization?patient=p1&_count=100']);
    expect(text(heading(el))).to.equal('Immunizations (6)');
    expect(names(shadow(el))).to.deep.equal([
      'Influenza, seasonal, injectable, preservative free',
      'COVID-19 mRNA vaccine',
      'Influenza, seasonal, injectable, preservative free',
      'Hep B, adolescent or pediatric',
      'Hep B, adolescent or pediatric',
      'CVX 03',
    ]);
    expect(text(shadow(el))).not.to.contain('Zoster');
  });

  it('shows date, dose, lot, site, route, performer and location; "Not given" with its reason; "Reported" with its source', async () => {
    const el = await listIn(new TestSource(record));
    await loaded(el);
    const [flu, covid, reported, hepb2, , mmr] = items(el);
    expect(metaItems(flu!)).to.deep.equal(['Oct 14, 2025', 'Lot FL2291', 'Site Left arm', 'Route Intramuscular', 'Given by Joy Park, RN', 'At Good Health Clinic']);
    expect(badges(covid!)).to.deep.equal(['Not given']);
    expect(metaItems(covid!)).to.deep.equal(['Sep 30, 2025', 'Reason: Patient objection']);
    expect(badges(reported!)).to.deep.equal(['Reported']);
    expect(metaItems(reported!)).to.deep.equal(['Oct 2024', 'Source: Written record']);
    expect(metaItems(hepb2!)).to.deep.equal(['Aug 1, 2012', 'Dose 2 of 3']);
    expect(metaItems(mmr!)).to.deep.equal(['As a child']);
  });

  it('labels a subpotent dose', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list .resources=${[shot('half', { occurrenceDateTime: '2024-01-02', isSubpotent: true })]}></ehr-immunization-list>`);
    expect(badges(items(el)[0]!)).to.deep.equal(['Subpotent dose']);
  });

  it('group-by="vaccine": a subpotent dose is said apart, never counted as a dose given or as the latest', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list group-by="vaccine" .resources=${[
      shot('valid', { occurrenceDateTime: '2022-10-03' }),
      shot('half', { occurrenceDateTime: '2024-01-02', isSubpotent: true }),
    ]}></ehr-immunization-list>`);
    const title = text(shadow(el).querySelector('[part~="group"] [role="heading"]'));
    expect(title).to.equal('Influenza, seasonal, injectable, preservative free (1 dose, 1 subpotent, latest Oct 3, 2022)');
  });

  it('an STU3 record with notGiven is "Not given", not a dose given', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list .resources=${[
      shot('stu3', { occurrenceDateTime: '2020-05-01', notGiven: true } as Partial<Immunization>),
    ]}></ehr-immunization-list>`);
    expect(badges(items(el)[0]!)).to.deep.equal(['Not given']);
  });

  it('group-by="vaccine": each vaccine\'s doses together under its name, named by date', async () => {
    const el = await listIn(new TestSource(record), 'vaccine');
    await loaded(el);
    const groups = [...shadow(el).querySelectorAll('[part~="group"]')];
    expect(groups.map((group) => text(group.querySelector('[role="heading"]')))).to.deep.equal([
      'Influenza, seasonal, injectable, preservative free (2 doses, latest Oct 14, 2025)',
      'COVID-19 mRNA vaccine (none given)',
      'Hep B, adolescent or pediatric (2 doses, latest Aug 1, 2012)',
      'CVX 03 (1 dose)',
    ]);
    expect(names(groups[2])).to.deep.equal(['Aug 1, 2012', 'Jun 1, 2012']);
    expect(groups[0]!.querySelector('[role="heading"]')!.getAttribute('aria-level')).to.equal('3');
    await expect(el).to.be.accessible();
  });

  it('switching group-by regroups without reloading', async () => {
    const source = new TestSource(record);
    const el = await listIn(source);
    await loaded(el);
    el.groupBy = 'vaccine';
    await el.updateComplete;
    expect(shadow(el).querySelectorAll('[part~="group"]')).to.have.length(4);
    expect(el.getAttribute('group-by')).to.equal('vaccine');
    expect(source.searches).to.have.length(1);
  });

  it('shows Immunizations given through the resources property, resolving references among them', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list .resources=${record}></ehr-immunization-list>`);
    expect(text(heading(el))).to.equal('Immunizations (6)');
    const given = [
      { resourceType: 'Location', id: 'school', name: 'Lincoln Elementary' } as Resource,
      { resourceType: 'Practitioner', id: 'rn', name: [{ given: ['Joy'], family: 'Park' }] } as Resource,
      shot('school', { occurrenceDateTime: '2020-09-01', location: { reference: 'Location/school' }, performer: [{ actor: { reference: 'Practitioner/rn' } }] }),
    ];
    const other = await fixture<ImmunizationListElement>(html`<ehr-immunization-list .resources=${given}></ehr-immunization-list>`);
    expect(metaItems(items(other)[0]!)).to.deep.equal(['Sep 1, 2020', 'Given by Joy Park', 'At Lincoln Elementary']);
  });

  it('is accessible', async () => {
    const el = await listIn(new TestSource(record));
    await loaded(el);
    await expect(el).to.be.accessible();
  });

  it('the generated child: every dose of the childhood schedule, grouped by vaccine', async () => {
    const generated = generatePatientRecord({ seed: 3, profile: 'child' });
    const immunizations = generated.resources.filter((resource): resource is Immunization => resource.resourceType === 'Immunization');
    const el = await listIn(new BundleSource({ resources: generated.resources }), 'vaccine');
    await loaded(el);
    expect(text(heading(el))).to.equal(`Immunizations (${immunizations.length})`);
    const dtap = [...shadow(el).querySelectorAll('[part~="group"]')].find((group) => text(group.querySelector('[role="heading"]')).startsWith('DTaP ('))!;
    expect(text(dtap.querySelector('[role="heading"]'))).to.match(/^DTaP \(5 doses, latest /);
    expect(items(el)).to.have.length(immunizations.length);
  });
});

describe('<ehr-immunization-list>: other states, select and keyboard', () => {
  it('error (BundleSource failure): an alert with Retry, never "No immunizations recorded"', async () => {
    const el = await listIn(new BundleSource({ resources: record, failures: { Immunization: new FhirError('server', 'The FHIR server is unavailable (HTTP 503).', { status: 503 }) } }));
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('Immunizations could not be loaded. The FHIR server is unavailable (HTTP 503).');
    expect(text(shadow(el))).not.to.contain('No immunizations');
    await expect(el).to.be.accessible();
  });

  it('Retry after a server fault (faked once) shows the list', async () => {
    const source = new TestSource(record);
    source.failNext.push(new FhirError('network', 'The FHIR server could not be reached.'));
    const el = await listIn(source);
    await waitUntil(() => shadow(el).querySelector('[part~="retry-button"]'), 'no Retry');
    shadow(el).querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
    await waitUntil(() => items(el).length === 6, 'the list did not load after Retry');
    expect(source.searches).to.have.length(2);
  });

  it('pending: a busy region named "Loading immunizations"', async () => {
    const source = new TestSource(record);
    source.never = true;
    const el = await listIn(source);
    expect(shadow(el).querySelector('[aria-busy="true"]')!.getAttribute('aria-label')).to.equal('Loading immunizations');
    await expect(el).to.be.accessible();
  });

  it('empty: "No immunizations recorded"', async () => {
    const el = await listIn(new TestSource([patient]));
    await loaded(el);
    expect(text(shadow(el).querySelector('[part~="state"]'))).to.equal('No immunizations recorded');
  });

  it('activating a dose (click, Space) fires ehr-immunization-select with the Immunization', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list group-by="vaccine" .resources=${record}></ehr-immunization-list>`);
    const [first] = shadow(el).querySelectorAll<HTMLButtonElement>('[part~="name"]');
    setTimeout(() => first!.click());
    const event = (await oneEvent(el, 'ehr-immunization-select')) as ImmunizationSelectEvent;
    expect(event.resource.id).to.equal('flu-2025');
    expect(event.immunization.lotNumber).to.equal('FL2291');

    const selected: string[] = [];
    el.addEventListener('ehr-immunization-select', (selectEvent) => selected.push(selectEvent.resource.id!));
    first!.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    expect(selected).to.deep.equal(['flu-2024']);
  });
});

describe('<ehr-immunization-list>: negation records', () => {
  it('says "No known immunizations" for an IPS no-known-immunizations record, not "No immunizations recorded", and lists no dose', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list
      .resources=${[shot('none', { vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips', code: 'no-known-immunizations' }] } })]}
    ></ehr-immunization-list>`);
    expect(text(shadow(el).querySelector('[part~="no-known"]'))).to.equal('No known immunizations');
    expect(text(shadow(el))).not.to.contain('No immunizations recorded');
    expect(items(el)).to.have.length(0);
  });

  it('never says "No known immunizations" beside a dose given', async () => {
    const el = await fixture<ImmunizationListElement>(html`<ehr-immunization-list
      .resources=${[shot('none', { vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips', code: 'no-known-immunizations' }] } }), shot('flu', { occurrenceDateTime: '2024-10-01' })]}
    ></ehr-immunization-list>`);
    expect(shadow(el).querySelector('[part~="no-known"]')).to.equal(null);
    expect(items(el)).to.have.length(1);
    expect(text(shadow(el).querySelector('[part~="conflict"]'))).to.contain('but the immunizations below are recorded');
  });
});

import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { Condition, Patient, Resource } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import { ContextElement, type ConditionListElement, type ConditionSelectEvent } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type ReadOptions, type SearchOptions, type SearchParams } from '../../packages/core/src/source/fhir-source.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';


const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });
const verification = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }] });
const category = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code }] }];

const patient: Patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Amy'], family: 'Shaw' }] };

function condition(id: string, overrides: Partial<Condition> = {}): Condition {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/p1' },
    clinicalStatus: clinical('active'),
    verificationStatus: verification('confirmed'),
    category: category('problem-list-item'),
    code: { text: id },
    ...overrides,
  };
}

/** One of each situation the list must get right. */
const record: Resource[] = [
  patient,
  condition('diabetes', {
    code: { coding: [{ system: ICD10CM, code: 'E11.9', display: 'Type 2 diabetes mellitus (ICD)' }, { system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' }] },
    onsetDateTime: '2014-03',
    recordedDate: '2014-03-20',
    recorder: { display: 'Ronald Bone, MD' },
  }),
  condition('asthma', { code: { text: 'Asthma' }, onsetAge: { value: 45, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' } }),
  condition('gerd', { code: { text: 'GERD' }, verificationStatus: verification('provisional'), category: category('encounter-diagnosis'), onsetDateTime: '2025-11-02' }),
  condition('coded', { code: { coding: [{ system: ICD10CM, code: 'J30.9' }] }, onsetString: 'Childhood' }),
  condition('sprain', { code: { text: 'Ankle sprain' }, clinicalStatus: clinical('resolved'), onsetDateTime: '2018-05-01', abatementDateTime: '2018-06' }),
  condition('eczema', { code: { text: 'Eczema' }, clinicalStatus: clinical('remission'), onsetString: 'Infancy' }),
  condition('afib', { code: { text: 'Atrial fibrillation' }, verificationStatus: verification('refuted'), onsetDateTime: '2024-12-01' }),
  condition('uti', { code: { text: 'Urinary tract infection' }, clinicalStatus: undefined, verificationStatus: verification('entered-in-error'), onsetDateTime: '2025-10-01' }),
];

/** A BundleSource that records the searches made and can fail the next searches of a type (a server fault, faked). */
class TestSource implements FhirSource {
  readonly searches: string[] = [];
  readonly signals: AbortSignal[] = [];
  readonly failNext: Record<string, FhirError[]> = {};
  never = false;
  private readonly inner: BundleSource;
  /** `patientId` null: no patient in context. */
  constructor(resources: Resource[], patientId: string | null = 'p1') {
    this.inner = new BundleSource({ resources, patientId: patientId ?? undefined, label: 'Example Hospital' });
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
    if (options?.signal) this.signals.push(options.signal);
    if (this.never) return new Promise<never>(() => {});
    const failure = this.failNext[type]?.shift();
    if (failure) throw failure;
    return this.inner.search<T>(type, params, options);
  }
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const heading = (el: Element) => shadow(el).querySelector('[part~="heading"]');
const metaItems = (item: Element) => [...item.querySelectorAll('[part~="meta"] li')].map((li) => text(li));
const names = (root: Element | null | undefined) => [...(root?.querySelectorAll('[part~="name"]') ?? [])].map((name) => text(name));
const group = (el: Element, key: string) => shadow(el).querySelector<HTMLElement>(`.group.${key}`);

async function listIn(source: FhirSource, attributes: { patientId?: string; category?: string; headingLevel?: number } = {}) {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-condition-list
      patient-id=${attributes.patientId ?? ''}
      category=${attributes.category ?? ''}
      heading-level=${attributes.headingLevel ?? 2}
    ></ehr-condition-list>
  </ehr-context>`);
  return context.querySelector('ehr-condition-list')!;
}

async function loaded(el: ConditionListElement): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.state.loading') === null && heading(el), 'the list did not finish loading');
}

describe('<ehr-condition-list>: populated', () => {
  it('reads the patient in context and groups Active, Resolved (collapsed) and Refuted; entered-in-error is never shown', async () => {
    const source = new TestSource(record);
    const el = await listIn(source);
    await loaded(el);

    expect(source.searches).to.deep.equal(['Condition?patient=p1&_count=100']);
    expect(source.signals[0]).to.be.instanceOf(AbortSignal);
    expect(text(heading(el))).to.equal('Conditions (7)');
    // Newest onset first; an age or free-text onset has no date and comes last.
    expect(text(group(el, 'active')!.querySelector('.group-title'))).to.equal('Active (4)');
    expect(names(group(el, 'active'))).to.deep.equal(['GERD', 'Diabetes mellitus type 2', 'Asthma', 'ICD-10-CM J30.9']);

    const resolved = group(el, 'resolved') as HTMLDetailsElement;
    expect(resolved.tagName).to.equal('DETAILS');
    expect(resolved.open).to.equal(false);
    expect(text(resolved.querySelector('summary'))).to.equal('Resolved (2)');
    expect(names(resolved)).to.deep.equal(['Ankle sprain', 'Eczema']);

    const refuted = group(el, 'refuted') as HTMLDetailsElement;
    expect(text(refuted.querySelector('summary'))).to.equal('Refuted (1)');
    expect(text(refuted.querySelector('[part~="badge"]'))).to.equal('Refuted');
    expect(text(shadow(el))).not.to.contain('Urinary tract infection');
  });

  it('never shows a condition whose verification says "Entered in Error" in text only', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list
      .resources=${[condition('kept', { code: { text: 'Asthma' } }), condition('wrong', { code: { text: 'Pneumonia' }, verificationStatus: { text: 'Entered in Error' } })]}
    ></ehr-condition-list>`);
    expect(text(heading(el))).to.equal('Conditions (1)');
    expect(names(shadow(el) as unknown as Element)).to.deep.equal(['Asthma']);
    expect(text(shadow(el))).not.to.contain('Pneumonia');
  });

  it('keeps an active condition with an end date under Active, and says the record is inconsistent (R4 con-4)', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list
      .resources=${[condition('gout', { code: { text: 'Gout' }, onsetDateTime: '2015', abatementDateTime: '2019' })]}
    ></ehr-condition-list>`);
    const active = group(el, 'active')!;
    expect(names(active)).to.deep.equal(['Gout']);
    const item = active.querySelector('[part~="item"]')!;
    expect([...item.querySelectorAll('[part~="badge"]')].map((badge) => text(badge))).to.include('Active, but an end date is recorded');
    expect(metaItems(item)).to.include('End recorded 2019');
    expect(text(item)).not.to.contain('Resolved');
    expect(group(el, 'resolved')).to.equal(null);
  });

  it('shows onset, ending, category, recorder and labels in words', async () => {
    const el = await listIn(new TestSource(record));
    await loaded(el);
    const item = (name: string) => [...shadow(el).querySelectorAll('[part~="item"]')].find((li) => text(li.querySelector('[part~="name"]')) === name)!;
    // "Category" is read by screen readers only; the list items are separated by a dot on screen.
    expect(metaItems(item('Diabetes mellitus type 2'))).to.deep.equal(['Onset Mar 2014', 'Category Problem list', 'Recorded Mar 20, 2014 by Ronald Bone, MD']);
    expect(metaItems(item('Asthma'))).to.include('Onset at age 45');
    expect(text(item('GERD'))).to.contain('Provisional');
    expect(text(item('GERD'))).to.contain('Encounter diagnosis');
    expect(text(item('ICD-10-CM J30.9'))).to.contain('Onset: Childhood');
    expect(text(item('Ankle sprain'))).to.contain('Resolved Jun 2018');
    expect(text(item('Eczema'))).to.contain('In remission');
  });

  it('shows Conditions given through the resources property, without a source and without reading', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .resources=${record}></ehr-condition-list>`);
    expect(text(heading(el))).to.equal('Conditions (7)');
    expect(names(group(el, 'active'))).to.include('Asthma');
  });

  it('prefers the resources property over the source in context', async () => {
    const source = new TestSource(record);
    const context = await fixture(html`<ehr-context .source=${source}>
      <ehr-condition-list .resources=${[condition('given', { code: { text: 'Given directly' } })]}></ehr-condition-list>
    </ehr-context>`);
    const el = context.querySelector('ehr-condition-list')!;
    expect(names(shadow(el) as unknown as Element)).to.deep.equal(['Given directly']);
    expect(source.searches).to.have.length(0);
  });

  it('reads the patient named by patient-id instead of the one in context', async () => {
    const other = condition('other', { subject: { reference: 'Patient/p2' }, code: { text: 'Other patient condition' } });
    const source = new TestSource([...record, { resourceType: 'Patient', id: 'p2' }, other]);
    const el = await listIn(source, { patientId: 'p2' });
    await loaded(el);
    expect(source.searches).to.deep.equal(['Condition?patient=p2&_count=100']);
    expect(names(shadow(el) as unknown as Element)).to.deep.equal(['Other patient condition']);
  });

  it('category filter: only the problem list, without reloading when it changes', async () => {
    const source = new TestSource(record);
    const el = await listIn(source, { category: 'problem-list-item' });
    await loaded(el);
    expect(names(shadow(el) as unknown as Element)).not.to.include('GERD');
    expect(names(shadow(el) as unknown as Element)).to.include('Asthma');
    el.category = 'encounter-diagnosis';
    await el.updateComplete;
    expect(names(shadow(el) as unknown as Element)).to.deep.equal(['GERD']);
    expect(source.searches).to.have.length(1);
  });

  it('the heading level is the host page\'s; group titles are one below', async () => {
    const el = await listIn(new TestSource(record), { headingLevel: 4 });
    await loaded(el);
    expect(heading(el)!.getAttribute('role')).to.equal('heading');
    expect(heading(el)!.getAttribute('aria-level')).to.equal('4');
    expect(group(el, 'active')!.querySelector('[role="heading"]')!.getAttribute('aria-level')).to.equal('5');
    expect(shadow(el).querySelector('section[part~="base"]')!.getAttribute('aria-labelledby')).to.equal('heading');
  });

  it('shows markup in FHIR strings as text, never as elements', async () => {
    const evil = condition('evil', { code: { text: '<img src=x onerror="window.__pwned=1">' }, onsetString: '<script>window.__pwned=1</script>' });
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .resources=${[evil]}></ehr-condition-list>`);
    expect(shadow(el).querySelector('img, script:not([type])')?.outerHTML ?? null).to.equal(null);
    expect(names(shadow(el) as unknown as Element)).to.deep.equal(['<img src=x onerror="window.__pwned=1">']);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('is accessible with groups closed and open', async () => {
    const el = await listIn(new TestSource(record));
    await loaded(el);
    await expect(el).to.be.accessible();
    shadow(el).querySelectorAll('details').forEach((details) => (details.open = true));
    await expect(el).to.be.accessible();
  });

  it('the generated complex patient: every condition but the one entered in error, one refuted', async () => {
    const generated = generatePatientRecord({ seed: 7, profile: 'complex' });
    const conditions = generated.resources.filter((resource): resource is Condition => resource.resourceType === 'Condition');
    const hidden = conditions.filter((item) => item.verificationStatus?.coding?.[0]?.code === 'entered-in-error');
    const el = await listIn(new TestSource(generated.resources, generated.patient.id));
    await loaded(el);
    expect(text(heading(el))).to.equal(`Conditions (${conditions.length - hidden.length})`);
    expect(names(group(el, 'refuted'))).to.have.length(1);
    for (const item of hidden) expect(text(shadow(el))).not.to.contain(item.code!.text!);
    await expect(el).to.be.accessible();
  });
});

describe('<ehr-condition-list>: select event and keyboard', () => {
  it('clicking a name fires ehr-condition-select with the Condition', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .resources=${record}></ehr-condition-list>`);
    const button = [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="name"]')].find((name) => text(name) === 'Asthma')!;
    setTimeout(() => button.click());
    const event = (await oneEvent(el, 'ehr-condition-select')) as ConditionSelectEvent;
    expect(event.resource.id).to.equal('asthma');
    expect(event.condition.name).to.equal('Asthma');
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('Tab reaches each name and Enter or Space selects it; Enter on a summary opens its group', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .resources=${record}></ehr-condition-list>`);
    const selected: string[] = [];
    el.addEventListener('ehr-condition-select', (event) => selected.push(event.resource.id!));
    shadow(el).querySelector<HTMLButtonElement>('[part~="name"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    expect(selected).to.deep.equal(['gerd', 'diabetes']);

    const summary = shadow(el).querySelector<HTMLElement>('.resolved summary')!;
    summary.focus();
    await sendKeys({ press: 'Enter' });
    expect((group(el, 'resolved') as HTMLDetailsElement).open).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(text(shadow(el).activeElement)).to.equal('Ankle sprain');
  });
});

describe('<ehr-condition-list>: other states', () => {
  it('pending: a busy region named "Loading conditions", accessible', async () => {
    const source = new TestSource(record);
    source.never = true;
    const el = await listIn(source);
    const busy = shadow(el).querySelector('[aria-busy="true"]')!;
    expect(busy.getAttribute('aria-label')).to.equal('Loading conditions');
    expect(text(heading(el))).to.equal('Conditions');
    await expect(el).to.be.accessible();
  });

  it('error (BundleSource failure): an alert saying what failed, never "No conditions recorded"', async () => {
    const source = new BundleSource({
      resources: record,
      failures: { Condition: new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 }) },
    });
    const el = await listIn(source);
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert was shown');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('Conditions could not be loaded. The FHIR server had an internal error (HTTP 500).');
    expect(text(shadow(el))).not.to.contain('No conditions');
    expect(shadow(el).querySelector('[part~="item"]')?.outerHTML ?? null).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('Retry after a server fault (faked once) loads again and shows the list', async () => {
    const source = new TestSource(record);
    source.failNext.Condition = [new FhirError('network', 'The FHIR server could not be reached.')];
    const el = await listIn(source);
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert was shown');
    const retry = shadow(el).querySelector<HTMLButtonElement>('[part~="retry-button"]')!;
    expect(text(retry)).to.equal('Retry');
    retry.click();
    await waitUntil(() => shadow(el).querySelector('[part~="item"]'), 'the list did not load after Retry');
    expect(source.searches).to.have.length(2);
    expect(shadow(el).querySelector('[role="alert"]')?.outerHTML ?? null).to.equal(null);
  });

  it('empty: "No conditions recorded"; with a category filter, which kind of empty', async () => {
    const empty = await listIn(new TestSource([patient]));
    await loaded(empty);
    expect(text(shadow(empty).querySelector('[part~="state"]'))).to.equal('No conditions recorded');
    expect(text(heading(empty))).to.equal('Conditions (0)');
    await expect(empty).to.be.accessible();

    const filtered = await listIn(new TestSource(record), { category: 'health-concern' });
    await loaded(filtered);
    expect(text(shadow(filtered).querySelector('[part~="state"]'))).to.equal(
      'No conditions recorded as health concerns 7 conditions in other categories are not shown.',
    );
  });

  it('only entered-in-error records: "No conditions recorded"', async () => {
    const el = await listIn(new TestSource([patient, record[record.length - 1]!]));
    await loaded(el);
    expect(text(shadow(el).querySelector('[part~="state"]'))).to.equal('No conditions recorded');
  });

  it('only resolved conditions: the Active group says there are none', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .resources=${[record[5]!]}></ehr-condition-list>`);
    expect(text(group(el, 'active'))).to.equal('Active (0) No active conditions');
  });

  it('no patient in context: "No patient selected", without searching', async () => {
    const source = new TestSource([], null);
    const el = await listIn(source);
    expect(text(shadow(el).querySelector('[part~="state"]'))).to.equal('No patient selected');
    expect(source.searches).to.have.length(0);
  });

  it('while <ehr-context> completes a SMART launch: loading, not "No patient selected"', async () => {
    class HeldLaunchContext extends ContextElement {
      protected override completeSmartLaunch(): Promise<FhirSource> {
        return new Promise(() => {});
      }
    }
    if (!customElements.get('test-held-launch-context')) customElements.define('test-held-launch-context', HeldLaunchContext);
    const context = await fixture(html`<test-held-launch-context smart><ehr-condition-list></ehr-condition-list></test-held-launch-context>`);
    const el = context.querySelector('ehr-condition-list')!;
    await el.updateComplete;
    expect(shadow(el).querySelector('[aria-busy="true"]')).to.exist;
    expect(text(shadow(el))).not.to.contain('No patient selected');
  });

  it('never lets a stale load overwrite a newer one', async () => {
    const source = new TestSource([...record, { resourceType: 'Patient', id: 'p2' }, condition('p2-only', { subject: { reference: 'Patient/p2' } })]);
    const el = await listIn(source, { patientId: 'p1' });
    el.patientId = 'p2';
    await el.updateComplete;
    expect(source.signals[0]!.aborted).to.equal(true);
    await waitUntil(() => names(shadow(el) as unknown as Element).includes('p2-only'), 'the newer patient was not shown');
    expect(names(shadow(el) as unknown as Element)).to.deep.equal(['p2-only']);
  });
});

describe('<ehr-condition-list>: theming', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  const background = (el: Element) => getComputedStyle(shadow(el).querySelector('[part~="base"]')!).backgroundColor;

  it('follows prefers-color-scheme: dark', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .resources=${record}></ehr-condition-list>`);
    expect(background(el)).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(el)).to.equal('rgb(22, 27, 34)');
  });

  it('reads its documented custom properties', async () => {
    const el = await fixture<ConditionListElement>(
      html`<ehr-condition-list style="--ehr-condition-list-background: rgb(1, 2, 3)" .resources=${record}></ehr-condition-list>`,
    );
    expect(background(el)).to.equal('rgb(1, 2, 3)');
  });
});

describe('<ehr-condition-list>: negation records', () => {
  const noProblems = { coding: [{ system: SNOMED, code: '160245001', display: 'No current problems or disability' }] };

  it('says "No known problems" for a negation record, which is not "No conditions recorded", and lists no active condition', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list
      .resources=${[condition('nkp', { code: noProblems, recordedDate: '2024-02-01', recorder: { display: 'Dr. Hart' } })]}
    ></ehr-condition-list>`);
    const statement = shadow(el).querySelector('[part~="no-known"]')!;
    expect(statement.getAttribute('role')).to.equal('status');
    expect(text(statement)).to.equal('No known problems Recorded Feb 1, 2024 by Dr. Hart.');
    expect(text(shadow(el))).not.to.contain('No conditions recorded');
    expect(names(shadow(el) as unknown as Element)).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('never says "No known problems" beside an active condition: the condition is listed and the conflict noted', async () => {
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list
      .resources=${[condition('nkp', { code: noProblems }), condition('asthma', { code: { text: 'Asthma' } })]}
    ></ehr-condition-list>`);
    expect(names(group(el, 'active'))).to.deep.equal(['Asthma']);
    expect(shadow(el).querySelector('[part~="no-known"]')).to.equal(null);
    expect(text(shadow(el).querySelector('[part~="conflict"]'))).to.contain('“No current problems or disability” is also on file');
  });
});

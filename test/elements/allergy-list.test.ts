import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { AllergyIntolerance, Resource } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import type { AllergyListElement, AllergySelectEvent } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type SearchResult } from '../../packages/core/src/source/fhir-source.js';
import { OpenServerSource } from '../../packages/core/src/source/open-server-source.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';


const SNOMED = 'http://snomed.info/sct';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

function allergy(
  id: string,
  fields: Record<string, unknown> = {},
  clinical: 'active' | 'inactive' | 'resolved' | null = 'active',
  verification: 'confirmed' | 'unconfirmed' | 'refuted' | 'entered-in-error' = 'confirmed',
): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    ...(clinical ? { clinicalStatus: { coding: [{ system: CLINICAL, code: clinical }] } } : {}),
    verificationStatus: { coding: [{ system: VERIFICATION, code: verification }] },
    code: { text: id.charAt(0).toUpperCase() + id.slice(1) },
    patient: { reference: 'Patient/p1' },
    ...fields,
  } as AllergyIntolerance;
}

const patient: Resource = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Amy'], family: 'Shaw' }] };
const anaphylaxis = { coding: [{ system: SNOMED, code: '39579001', display: 'Anaphylaxis' }] };

const penicillin = allergy('penicillin', {
  category: ['medication'],
  criticality: 'high',
  onsetDateTime: '2021-10',
  recordedDate: '2021-10-25',
  recorder: { reference: 'Practitioner/pr1', display: 'Dr. Amelia Hart' },
  reaction: [{ manifestation: [anaphylaxis, { text: 'Hives' }], severity: 'severe', description: 'Throat tightness within minutes' }],
  note: [{ text: 'Carries an epinephrine auto-injector.' }],
});
// No criticality: life-threatening through the anaphylaxis manifestation alone.
const peanut = allergy('peanut', { category: ['food'], onsetDateTime: '2010', reaction: [{ manifestation: [anaphylaxis] }] });
const codeine = allergy('codeine', { category: ['medication'], type: 'intolerance', reaction: [{ manifestation: [{ text: 'Nausea' }], severity: 'mild' }] }, 'active', 'unconfirmed');
const strawberries = allergy('strawberries', { category: ['food'] }, 'resolved');
const sulfa = allergy('sulfa', { category: ['medication'], criticality: 'high' }, 'inactive', 'refuted');
const aspirin = allergy('aspirin', { criticality: 'high' }, null, 'entered-in-error');
const nka = (code = '716186003', text = 'No known allergies') =>
  allergy('nka', { code: { coding: [{ system: SNOMED, code }], text }, recordedDate: '2023-09-25', recorder: { display: 'Grace Kim, NP' } });

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const parts = (el: Element, name: string) => [...shadow(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const part = (el: Element, name: string) => parts(el, name)[0];
const heading = (el: Element) => shadow(el).querySelector<HTMLElement>('[role="heading"]')!;
const substances = (el: Element) => parts(el, 'substance').map((node) => text(node));

async function listWith(resources: Resource[], attributes = ''): Promise<AllergyListElement> {
  const el = await fixture<AllergyListElement>(html`<ehr-allergy-list .resources=${resources}></ehr-allergy-list>`);
  if (attributes) {
    for (const [name, value] of attributes.split(' ').map((pair) => pair.split('='))) el.setAttribute(name!, value ?? '');
    await el.updateComplete;
  }
  return el;
}

async function listIn(source: FhirSource, attributes: { patientId?: string } = {}): Promise<AllergyListElement> {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-allergy-list patient-id=${attributes.patientId ?? ''}></ehr-allergy-list>
  </ehr-context>`);
  return context.querySelector('ehr-allergy-list')!;
}

const settled = (el: AllergyListElement) =>
  waitUntil(() => !shadow(el).querySelector('[aria-busy="true"]') && shadow(el).querySelector('[part~="heading"]'), 'the list did not settle');

/** Records searches; the first `failures` searches fail with the given errors (faults a test must control). */
class RecordingSource implements FhirSource {
  readonly searches: { type: string; params: unknown; signal?: AbortSignal }[] = [];
  readonly failures: unknown[] = [];
  constructor(private readonly inner: BundleSource) {}
  get server() {
    return this.inner.server;
  }
  get patientId() {
    return this.inner.patientId;
  }
  read<T extends Resource>(type: string, id: string) {
    return this.inner.read<T>(type, id);
  }
  async search<T extends Resource>(type: string, params?: Parameters<FhirSource['search']>[1], options?: Parameters<FhirSource['search']>[2]): Promise<SearchResult<T>> {
    this.searches.push({ type, params, signal: options?.signal });
    if (this.failures.length > 0) throw this.failures.shift();
    return this.inner.search<T>(type, params, options);
  }
}

describe('<ehr-allergy-list>: populated', () => {
  it('shows life-threatening allergies first, marked in words, colour and icon, with a summary line', async () => {
    const el = await listWith([codeine, peanut, penicillin, strawberries, sulfa, aspirin]);
    expect(text(heading(el))).to.equal('Allergies (3)');
    expect(heading(el).getAttribute('aria-level')).to.equal('2');
    const summary = part(el, 'alert-summary')!;
    expect(text(summary)).to.equal('2 life-threatening allergies: Penicillin, Peanut');
    expect(summary.querySelector('svg[aria-hidden="true"]')).to.exist;

    const active = shadow(el).querySelector('[aria-label="Active allergies"]')!;
    const items = [...active.querySelectorAll<HTMLElement>('[part~="item"]')];
    expect(items.map((item) => text(item.querySelector('[part~="substance"]')))).to.deep.equal(['Penicillin', 'Peanut', 'Codeine']);
    expect(text(items[0]!)).to.contain('Life-threatening');
    expect(text(items[1]!)).to.contain('Life-threatening');
    expect(text(items[2]!)).not.to.contain('Life-threatening');
    expect(items[0]!.querySelector('svg[aria-hidden="true"]')).to.exist;
    expect(getComputedStyle(items[0]!).borderInlineStartColor).to.equal('rgb(164, 22, 26)');
  });

  it('shows each allergy: reactions with severity, criticality, category, onset, recorder, notes, and "Unconfirmed"', async () => {
    const el = await listWith([penicillin, codeine]);
    const [first, second] = parts(el, 'item');
    const one = text(first!);
    expect(text(first!.querySelector('[part~="reactions"]'))).to.equal('Anaphylaxis, Hives · Severe Throat tightness within minutes');
    expect(one).to.contain('High criticality');
    expect(one).to.contain('Medication');
    expect(one).to.contain('Onset: Oct 2021');
    expect(one).to.contain('Recorded: Oct 25, 2021');
    expect(one).to.contain('Recorded by: Dr. Amelia Hart');
    expect(one).to.contain('Carries an epinephrine auto-injector.');
    expect(one).not.to.contain('Confirmed');
    const two = text(second!);
    expect(two).to.contain('Unconfirmed');
    expect(two).to.contain('Intolerance');
    expect(two).to.contain('Nausea · Mild');
  });

  it('names each button by its substance and describes it by its alert and verification', async () => {
    const el = await listWith([penicillin, codeine]);
    const [first, second] = parts(el, 'substance') as HTMLButtonElement[];
    expect(first!.tagName).to.equal('BUTTON');
    const describedBy = (button: HTMLElement) =>
      (button.getAttribute('aria-describedby') ?? '').split(' ').map((id) => text(shadow(el).getElementById(id))).join(' ');
    expect(describedBy(first!)).to.equal('Life-threatening');
    expect(describedBy(second!)).to.equal('Unconfirmed');
  });

  it('keeps inactive, resolved and refuted records in collapsed groups; never shows entered-in-error', async () => {
    const el = await listWith([penicillin, strawberries, sulfa, aspirin]);
    const groups = parts(el, 'history') as HTMLDetailsElement[];
    expect(groups.map((group) => text(group.querySelector('summary')))).to.deep.equal(['Inactive and resolved (1)', 'Refuted (1)']);
    expect(groups.every((group) => !group.open)).to.equal(true);
    expect(text(groups[0]!)).to.contain('Strawberries');
    expect(text(groups[0]!)).to.contain('Resolved');
    const refuted = groups[1]!.querySelector('[part~="item"]')!;
    expect(refuted.querySelector('s')!.textContent).to.equal('Sulfa');
    expect(text(refuted)).to.contain('Refuted');
    expect(text(refuted)).not.to.contain('Life-threatening');
    expect(text(shadow(el))).not.to.contain('Aspirin');
    expect(substances(el)).to.deep.equal(['Penicillin', 'Strawberries', 'Sulfa']);
  });

  it('show-inactive opens the groups', async () => {
    const el = await listWith([penicillin, strawberries, sulfa], 'show-inactive');
    expect((parts(el, 'history') as HTMLDetailsElement[]).every((group) => group.open)).to.equal(true);
  });

  it('heading-level sets the heading level', async () => {
    const el = await listWith([penicillin], 'heading-level=3');
    expect(heading(el).getAttribute('aria-level')).to.equal('3');
  });

  it('is accessible', async () => {
    const el = await listWith([penicillin, peanut, codeine, strawberries, sulfa], 'show-inactive');
    await expect(el).to.be.accessible();
  });

  it('loads through <ehr-context>: AllergyIntolerance?patient=<id>, with the server named as the source', async () => {
    const source = new RecordingSource(new BundleSource({ resources: [patient, penicillin, codeine], label: 'Example Hospital' }));
    const el = await listIn(source);
    await settled(el);
    expect(source.searches[0]!.type).to.equal('AllergyIntolerance');
    expect(source.searches[0]!.params).to.include({ patient: 'p1' });
    expect(source.searches[0]!.signal).to.be.instanceOf(AbortSignal);
    expect(substances(el)).to.deep.equal(['Penicillin', 'Codeine']);
    expect(text(part(el, 'base'))).to.contain('Source: Example Hospital');
  });

  it('reads the patient named by patient-id', async () => {
    const other = allergy('latex', { patient: { reference: 'Patient/p2' } });
    const source = new RecordingSource(new BundleSource({ resources: [patient, penicillin, other], patientId: 'p1' }));
    const el = await listIn(source, { patientId: 'p2' });
    await settled(el);
    expect(source.searches.at(-1)!.params).to.include({ patient: 'p2' });
    expect(substances(el)).to.deep.equal(['Latex']);
  });

  it('never lets a stale load overwrite a newer one (patient-id changed mid-load)', async () => {
    const other = allergy('latex', { patient: { reference: 'Patient/p2' } });
    const source = new RecordingSource(new BundleSource({ resources: [patient, penicillin, other], patientId: 'p1', latency: 200 }));
    const el = await listIn(source);
    el.patientId = 'p2';
    await el.updateComplete;
    expect(source.searches[0]!.signal!.aborted).to.equal(true);
    await waitUntil(() => parts(el, 'item').length > 0, 'the second patient did not load');
    expect(substances(el)).to.deep.equal(['Latex']);
  });

  it('shows markup in FHIR strings as text and creates no element from it', async () => {
    const evil = allergy('x', {
      code: { text: '<img src=x onerror="window.__allergyPwned = 1">' },
      reaction: [{ manifestation: [{ text: '<script>window.__allergyPwned = 2</script>' }], description: '<iframe src="javascript:alert(1)">' }],
      note: [{ text: '<b onmouseover=alert(1)>note</b>' }],
      recorder: { display: '<a href="javascript:alert(1)">Dr</a>' },
    });
    const el = await listWith([evil]);
    expect(text(part(el, 'substance'))).to.equal('<img src=x onerror="window.__allergyPwned = 1">');
    expect(shadow(el).querySelectorAll('img, script, iframe, b, a')).to.have.length(0);
    expect((window as { __allergyPwned?: unknown }).__allergyPwned).to.equal(undefined);
  });
});

describe('<ehr-allergy-list>: the three empty states, never conflated', () => {
  it('"No known allergies" for an NKA record (SNOMED 716186003), with who recorded it', async () => {
    const el = await listWith([nka()]);
    const statement = part(el, 'no-known')!;
    expect(text(statement)).to.equal('No known allergies Recorded Sep 25, 2023 by Grace Kim, NP');
    expect(text(shadow(el))).not.to.contain('No allergies recorded');
    expect(parts(el, 'item')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('"No known drug allergies" for NKDA (409137002): specifically, not all allergies', async () => {
    const el = await listWith([nka('409137002', 'No known drug allergies')]);
    expect(text(part(el, 'no-known'))).to.contain('No known drug allergies');
    expect(text(part(el, 'no-known'))).to.contain('Nothing is recorded about other kinds of allergy.');
    expect(text(shadow(el))).not.to.contain('No known allergies');
  });

  it('"No known allergies" from a text-only record', async () => {
    const el = await listWith([allergy('x', { code: { text: 'NKA' } })]);
    expect(text(part(el, 'no-known'))).to.contain('No known allergies');
  });

  it('"No allergies recorded" when there are none, and says it is not "no known allergies"', async () => {
    const el = await listWith([aspirin]);
    const state = part(el, 'state')!;
    expect(state.getAttribute('role')).to.equal('status');
    expect(text(state)).to.equal('No allergies recorded Nothing is documented, which is not the same as “No known allergies”.');
    expect(part(el, 'no-known')).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('a record saying the status was not asked is neither an allergy nor "no known allergies"', async () => {
    const notAsked = allergy('x', { code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'NASK' }], text: 'Not asked' } });
    const el = await listWith([notAsked]);
    expect(text(part(el, 'state'))).to.contain('No allergies recorded');
    expect(text(shadow(el))).to.contain('Allergy status: Not asked.');
    expect(parts(el, 'item')).to.have.length(0);
  });

  it('a real allergy wins over an NKA record, which is flagged as conflicting', async () => {
    const el = await listWith([nka(), peanut]);
    expect(part(el, 'no-known')).to.equal(undefined);
    expect(substances(el)).to.deep.equal(['Peanut']);
    expect(text(part(el, 'conflict'))).to.contain('Conflicting record: “No known allergies” is also on file');
  });
});

describe('<ehr-allergy-list>: pending and error', () => {
  it('pending: a busy region named "Loading allergies"', async () => {
    const el = await listIn(new BundleSource({ resources: [patient, penicillin], latency: 60_000 }));
    const busy = part(el, 'state')!;
    expect(busy.getAttribute('aria-busy')).to.equal('true');
    expect(busy.getAttribute('aria-label')).to.equal('Loading allergies');
    expect(parts(el, 'item')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  for (const [name, error] of [
    ['a server fault forced by the test (HTTP 500)', new FhirError('server', 'The FHIR server reported an error (500).', { status: 500 })],
    ['a network error forced by the test', new FhirError('network', 'The FHIR server could not be reached.')],
  ] as const) {
    it(`${name}: an alert with the reason and Retry, never an empty or "no allergies" state`, async () => {
      const source = new BundleSource({ resources: [patient, nka()], failures: { AllergyIntolerance: error } });
      const el = await listIn(source);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert was shown');
      expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal(`Allergies could not be loaded. ${error.message}`);
      const all = text(shadow(el));
      expect(all).not.to.contain('No known allergies');
      expect(all).not.to.contain('No allergies recorded');
      expect(all).not.to.contain('No active allergies');
      expect(text(heading(el))).to.equal('Allergies');
      expect(text(part(el, 'retry-button'))).to.equal('Retry');
      await expect(el).to.be.accessible();
    });
  }

  it('Retry loads again and then shows the allergies', async () => {
    const source = new RecordingSource(new BundleSource({ resources: [patient, penicillin] }));
    // One load asks twice when the first try fails: with `_include` for the recorders, then without.
    const failure = new FhirError('server', 'The FHIR server reported an error (500).', { status: 500 });
    source.failures.push(failure, failure);
    const el = await listIn(source);
    await waitUntil(() => part(el, 'retry-button'), 'no Retry');
    part(el, 'retry-button')!.click();
    await waitUntil(() => parts(el, 'item').length === 1, 'the allergies did not load after Retry');
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    expect(source.searches.length).to.be.greaterThan(1);
  });
});

describe('<ehr-allergy-list>: interaction', () => {
  it('fires ehr-allergy-select with the resource when an allergy is clicked', async () => {
    const el = await listWith([penicillin, codeine]);
    setTimeout(() => (parts(el, 'substance')[1] as HTMLButtonElement).click());
    const event = (await oneEvent(el, 'ehr-allergy-select')) as AllergySelectEvent;
    expect(event.resource.id).to.equal('codeine');
    expect(event.allergy.substance).to.equal('Codeine');
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('is keyboard usable: Tab reaches each allergy, Enter selects it, and the groups open with the keyboard', async () => {
    const el = await listWith([penicillin, strawberries]);
    const events: string[] = [];
    el.addEventListener('ehr-allergy-select', (event) => events.push(event.resource.id!));
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement?.textContent?.trim()).to.equal('Penicillin');
    await sendKeys({ press: 'Enter' });
    expect(events).to.deep.equal(['penicillin']);
    await sendKeys({ press: 'Tab' });
    const summary = shadow(el).activeElement as HTMLElement;
    expect(summary.tagName).to.equal('SUMMARY');
    await sendKeys({ press: 'Enter' });
    expect((part(el, 'history') as HTMLDetailsElement).open).to.equal(true);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: ' ' });
    expect(events).to.deep.equal(['penicillin', 'strawberries']);
    before.remove();
  });

  it('focusList() moves focus to the list, which is named by its heading', async () => {
    const el = await listWith([penicillin]);
    el.focusList();
    const focused = shadow(el).activeElement as HTMLElement;
    expect(focused.getAttribute('part')).to.equal('base');
    expect(text(shadow(el).getElementById(focused.getAttribute('aria-labelledby')!))).to.equal('Allergies (1)');
  });

  it('follows prefers-color-scheme: dark', async () => {
    const el = await listWith([penicillin]);
    const item = part(el, 'item')!;
    expect(getComputedStyle(item).backgroundColor).to.equal('rgb(253, 236, 236)');
    await emulateMedia({ colorScheme: 'dark' });
    try {
      expect(getComputedStyle(item).backgroundColor).to.equal('rgb(60, 22, 24)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('stops the loading shimmer when the user prefers reduced motion', async () => {
    const el = await listIn(new BundleSource({ resources: [patient, penicillin], latency: 60_000 }));
    const bone = shadow(el).querySelector<HTMLElement>('.bone')!;
    expect(getComputedStyle(bone).animationName).not.to.equal('none');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(bone).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('lets a page theme it through --ehr-allergy-list-* properties', async () => {
    const el = await fixture<AllergyListElement>(
      html`<ehr-allergy-list style="--ehr-allergy-list-danger-background: rgb(1, 2, 3)" .resources=${[penicillin]}></ehr-allergy-list>`,
    );
    expect(getComputedStyle(part(el, 'item')!).backgroundColor).to.equal('rgb(1, 2, 3)');
  });
});

describe('<ehr-allergy-list>: generated records', () => {
  it("adult-anaphylaxis: penicillin anaphylaxis first, refuted collapsed, entered-in-error hidden", async () => {
    const record = generatePatientRecord({ seed: 1, profile: 'adult-anaphylaxis' });
    const el = await listIn(new BundleSource({ resources: record.resources, label: 'Sandbox' }));
    await settled(el);
    expect(text(part(el, 'alert-summary'))).to.equal('1 life-threatening allergy: Penicillin');
    expect(substances(el)[0]).to.equal('Penicillin');
    expect(text(part(el, 'item'))).to.contain('Anaphylaxis');
    const refuted = parts(el, 'history').find((group) => text(group.querySelector('summary')).startsWith('Refuted'))!;
    expect(text(refuted)).to.contain('Sulfa drugs');
    expect(text(shadow(el))).not.to.contain('Aspirin');
    const generated = record.resources.filter((r) => r.resourceType === 'AllergyIntolerance').length;
    expect(parts(el, 'item')).to.have.length(generated - 1); // all but the entered-in-error one
  });

  it('nka: "No known allergies"', async () => {
    const record = generatePatientRecord({ seed: 2, profile: 'nka' });
    const el = await listIn(new BundleSource({ resources: record.resources }));
    await settled(el);
    expect(text(part(el, 'no-known'))).to.contain('No known allergies');
  });
});

describe('<ehr-allergy-list>: answers that are not the whole truth', () => {
  const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

  it('an allergy to an unknown substance with anaphylaxis is shown as life-threatening, never "No allergies recorded"', async () => {
    const unknown = allergy('unknown', { code: { coding: [{ system: NULL_FLAVOR, code: 'UNK' }] }, criticality: 'high', reaction: [{ manifestation: [anaphylaxis] }] });
    const el = await listWith([unknown]);
    expect(text(part(el, 'alert-summary'))).to.equal('1 life-threatening allergy: Unknown substance');
    expect(text(shadow(el))).not.to.contain('No allergies recorded');
  });

  it('a server that sent only another patient’s records (faked: it ignores patient=): an alert with Retry, never an empty state', async () => {
    const theirs = allergy('walnut', { patient: { reference: 'Patient/someone-else' } });
    const inner = new BundleSource({ resources: [patient, theirs] });
    const source: FhirSource = {
      server: inner.server,
      patientId: 'p1',
      read: (type, id, options) => inner.read(type, id, options),
      search: (type, _params, options) => inner.search(type, { _id: 'walnut' }, options),
    };
    const el = await listIn(source);
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert was shown');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.contain('Allergies could not be loaded.');
    expect(text(shadow(el))).not.to.contain('No allergies recorded');
    expect(text(shadow(el))).not.to.contain('Walnut');
    expect(text(part(el, 'retry-button'))).to.equal('Retry');
  });

  it('records of another patient among the patient’s own are left out and counted', async () => {
    const theirs = allergy('walnut', { patient: { reference: 'Patient/someone-else' } });
    const el = await fixture<AllergyListElement>(html`<ehr-allergy-list patient-id="p1" .resources=${[penicillin, theirs]}></ehr-allergy-list>`);
    expect(substances(el)).to.deep.equal(['Penicillin']);
    expect(text(shadow(el))).to.contain('1 record the server returned for another patient was left out.');
  });

  it('a real HTTP 500 and a rejected fetch (both faked in fetch) through OpenServerSource: the error state', async () => {
    for (const fetchImpl of [
      async () => new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }), { status: 500, headers: { 'content-type': 'application/fhir+json' } }),
      async () => {
        throw new TypeError('Failed to fetch');
      },
    ]) {
      const source = new OpenServerSource({ baseUrl: 'https://fhir.example.test/r4', patientId: 'p1', fetch: fetchImpl as typeof fetch });
      const el = await listIn(source);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert was shown');
      expect(text(shadow(el).querySelector('[role="alert"]'))).to.contain('Allergies could not be loaded.');
      expect(text(shadow(el))).not.to.contain('No allergies recorded');
    }
  });

  it('an error outcome in the answer: the list says the server could not return every record', async () => {
    const inner = new BundleSource({ resources: [patient, penicillin] });
    const source: FhirSource = {
      server: inner.server,
      patientId: 'p1',
      read: (type, id, options) => inner.read(type, id, options),
      search: async (type, params, options) => ({ ...(await inner.search(type, params, options)), complete: false, incompleteReason: 'server-outcome' as const }),
    };
    const el = await listIn(source);
    await settled(el);
    expect(text(shadow(el))).to.contain('This list may be incomplete. The server reported that it could not return every allergy record.');
    expect(substances(el)).to.contain('Penicillin');
  });

  it('a resolved allergy that once caused anaphylaxis is named outside the collapsed group', async () => {
    const past = allergy('latex', { reaction: [{ manifestation: [anaphylaxis] }] }, 'resolved');
    const el = await listWith([codeine, past]);
    expect(text(part(el, 'history-note'))).to.equal('History of anaphylaxis or a severe reaction: Latex (resolved)');
    expect(part(el, 'alert-summary')).to.equal(undefined);
  });
});

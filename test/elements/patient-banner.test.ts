import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { nothing } from 'lit';
import type { AllergyIntolerance, Patient, Resource } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import type { PatientBannerAllergiesEvent, PatientBannerElement } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource } from '../../packages/core/src/source/fhir-source.js';
import { dateYearsAgo, FakeSource } from './support/fake-source.js';

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
// A 1x1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function amy(overrides: Partial<Patient> = {}): Patient {
  return {
    resourceType: 'Patient',
    id: 'amy',
    name: [
      { use: 'official', given: ['Amy', 'V.'], family: 'Shaw' },
      { use: 'nickname', given: ['Aims'] },
    ],
    gender: 'female',
    birthDate: dateYearsAgo(52, 10),
    identifier: [
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' },
      { type: { coding: [{ system: V2, code: 'MR' }] }, system: 'https://hospital.example/mrn', value: 'MRN-12345' },
      { type: { coding: [{ system: V2, code: 'DL' }] }, value: 'S99988801' },
    ],
    telecom: [
      { system: 'phone', value: '555-0100', use: 'mobile' },
      { system: 'email', value: 'amy@example.org' },
    ],
    address: [{ use: 'home', line: ['123 Main St'], city: 'Springfield', state: 'MA', postalCode: '01101' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }], text: 'Spanish' }, preferred: true }],
    ...overrides,
  };
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const region = (el: Element) => shadow(el).querySelector<HTMLElement>('[role="region"]');
const part = (el: Element, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);

async function bannerIn(source: FakeSource, attributes: { layout?: string; patientId?: string; alwaysVisible?: boolean } = {}) {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-patient-banner
      layout=${attributes.layout ?? 'wide'}
      patient-id=${attributes.patientId ?? ''}
      ?always-visible=${attributes.alwaysVisible ?? false}
    ></ehr-patient-banner>
  </ehr-context>`);
  return context.querySelector('ehr-patient-banner')!;
}

async function rendered(el: PatientBannerElement): Promise<void> {
  await waitUntil(() => region(el)?.getAttribute('aria-label')?.startsWith('Patient:'), 'the banner did not render a patient');
}

describe('<ehr-patient-banner>: complete', () => {
  it('shows name, age, sex, date of birth and MRN read from the source in context', async () => {
    const source = new FakeSource({ patients: [amy()] });
    const el = await bannerIn(source);
    await rendered(el);

    expect(source.reads.map(({ resourceType, id }) => `${resourceType}/${id}`)).to.deep.equal(['Patient/amy']);
    expect(source.reads[0]!.signal).to.be.instanceOf(AbortSignal);
    expect(region(el)!.getAttribute('aria-label')).to.equal('Patient: Amy V. Shaw');
    expect(text(part(el, 'name'))).to.equal('Amy V. Shaw');
    const details = text(part(el, 'details'));
    expect(details).to.contain('52 y');
    expect(details).to.contain('Age 52 years'); // what a screen reader reads
    expect(details).to.contain('Female');
    expect(details).to.contain('Date of birth');
    const identifiers = part(el, 'identifiers')!;
    expect(text(identifiers.querySelector('dt'))).to.equal('MRN');
    expect(text(identifiers.querySelector('dd'))).to.equal('MRN-12345');
  });

  it('shows the date of birth without a time-zone shift', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy({ birthDate: '2001-05-03' })}></ehr-patient-banner>`);
    expect(text(part(el, 'details'))).to.contain('May 3, 2001');
  });

  it('shows the preferred name beside the name', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
    expect(text(shadow(el).querySelector('.preferred'))).to.equal('preferred name “Aims”');
  });

  it('wide: other identifiers (SSN masked), contact details and language', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
    const identifiers = text(part(el, 'identifiers'));
    expect(identifiers).to.contain("Driver's license S99988801");
    expect(identifiers).to.contain('SSN ***-**-6789');
    expect(text(shadow(el))).not.to.contain('123-45');
    const contact = part(el, 'contact')!;
    expect(text(contact)).to.contain('Mobile phone 555-0100');
    expect(contact.querySelector('a[href="tel:5550100"]')).to.exist;
    expect(contact.querySelector('a[href="mailto:amy@example.org"]')).to.exist;
    expect(text(contact)).to.contain('Address 123 Main St, Springfield, MA 01101');
    expect(text(contact)).to.contain('Language Spanish');
  });

  it('compact: one line with name, age and sex, date of birth and MRN only', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner layout="compact" .patient=${amy()}></ehr-patient-banner>`);
    expect(el.getAttribute('layout')).to.equal('compact');
    const details = part(el, 'details')!;
    expect(details.querySelector('[aria-hidden="true"]')!.textContent).to.equal('52 y F');
    expect(text(details)).to.contain('Age 52 years, Female');
    expect(text(part(el, 'identifiers'))).to.equal('MRN MRN-12345');
    expect(part(el, 'contact')).to.equal(null);
    expect(text(shadow(el))).not.to.contain('SSN');
    expect(text(shadow(el))).not.to.contain("Driver's license");
  });

  it('is accessible in both layouts', async () => {
    const wide = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
    await expect(wide).to.be.accessible();
    const compact = await fixture<PatientBannerElement>(html`<ehr-patient-banner layout="compact" .patient=${amy()}></ehr-patient-banner>`);
    await expect(compact).to.be.accessible();
  });

  it('shows a deceased badge in words, with the date and the age at death', async () => {
    const patient = amy({ birthDate: '1940-01-15', deceasedDateTime: '2018-07-20' });
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${patient}></ehr-patient-banner>`);
    expect(text(part(el, 'badge'))).to.equal('Deceased Jul 20, 2018');
    expect(text(part(el, 'details'))).to.contain('78 y at death');
    await expect(el).to.be.accessible();
  });

  it('shows a partial birth date as given, with an age range when it is uncertain', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy({ birthDate: '1961' })}></ehr-patient-banner>`);
    const details = text(part(el, 'details'));
    expect(details).to.contain('Date of birth 1961');
    expect(details).to.match(/\d+–\d+ y/);
  });

  it('shows a Patient given as a property, without a source and without reading', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
    expect(region(el)!.getAttribute('aria-label')).to.equal('Patient: Amy V. Shaw');
  });

  it('prefers the .patient property over the source in context', async () => {
    const source = new FakeSource({ patients: [amy()] });
    const context = await fixture(html`<ehr-context .source=${source}>
      <ehr-patient-banner .patient=${amy({ id: 'other', name: [{ text: 'Given Directly' }] })}></ehr-patient-banner>
    </ehr-context>`);
    const el = context.querySelector('ehr-patient-banner')!;
    expect(text(part(el, 'name'))).to.equal('Given Directly');
    expect(source.reads).to.have.length(0);
  });

  it('reads the patient named by patient-id instead of the one in context', async () => {
    const source = new FakeSource({ patients: [amy(), amy({ id: 'bob', name: [{ given: ['Bob'], family: 'Lee' }] })], patientId: 'amy' });
    const el = await bannerIn(source, { patientId: 'bob' });
    await rendered(el);
    expect(source.reads.map(({ id }) => id)).to.deep.equal(['bob']);
    expect(text(part(el, 'name'))).to.equal('Bob Lee');
  });

  it('never lets a stale read overwrite a newer one', async () => {
    const source = new FakeSource({ patients: [amy(), amy({ id: 'bob', name: [{ given: ['Bob'], family: 'Lee' }] })] });
    source.hold = true;
    const el = await bannerIn(source, { patientId: 'amy' });
    el.patientId = 'bob';
    await el.updateComplete;
    expect(source.reads.map(({ id }) => id)).to.deep.equal(['amy', 'bob']);
    expect(source.reads[0]!.signal!.aborted).to.equal(true);
    source.release();
    await rendered(el);
    expect(text(part(el, 'name'))).to.equal('Bob Lee');
  });
});

describe('<ehr-patient-banner>: photo and avatar', () => {
  it('shows an inline photo with its alternative text', async () => {
    const el = await fixture<PatientBannerElement>(
      html`<ehr-patient-banner .patient=${amy({ photo: [{ contentType: 'image/png', data: PNG }] })}></ehr-patient-banner>`,
    );
    const img = part(el, 'avatar') as HTMLImageElement;
    expect(img.tagName).to.equal('IMG');
    expect(img.alt).to.equal('Photo of Amy V. Shaw');
    expect(img.getAttribute('src')).to.equal(`data:image/png;base64,${PNG}`);
  });

  it('never loads a photo URL from another origin', async () => {
    const patient = amy({ photo: [{ contentType: 'image/gif', url: 'https://tracker.example.net/pixel.gif' }] });
    const el = await bannerIn(new FakeSource({ patients: [patient] }));
    await rendered(el);
    expect(shadow(el).querySelector('img')).to.equal(null);
    expect(text(part(el, 'avatar'))).to.equal('AS');
  });

  it('falls back to initials when the photo does not load', async () => {
    const broken = amy({ photo: [{ contentType: 'image/png', data: 'AAAA' }] });
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${broken}></ehr-patient-banner>`);
    await waitUntil(() => shadow(el).querySelector('img') === null, 'the broken photo was not replaced');
    expect(text(part(el, 'avatar'))).to.equal('AS');
    expect(part(el, 'avatar')!.getAttribute('aria-hidden')).to.equal('true');
  });
});

describe('<ehr-patient-banner>: other states', () => {
  it('pending: a busy skeleton named "Loading patient"', async () => {
    const source = new FakeSource({ patients: [amy()] });
    source.never = true;
    const el = await bannerIn(source);
    const busy = region(el)!;
    expect(busy.getAttribute('aria-busy')).to.equal('true');
    expect(busy.getAttribute('aria-label')).to.equal('Loading patient');
    expect(part(el, 'name')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('error: an alert with the reason, and Retry reads again and then renders', async () => {
    const source = new FakeSource({ patients: [amy()] });
    source.failures.push(new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 }));
    const el = await bannerIn(source);
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert was shown');

    const alert = shadow(el).querySelector('[role="alert"]')!;
    expect(text(alert)).to.equal('Patient details could not be loaded. The FHIR server had an internal error (HTTP 500).');
    await expect(el).to.be.accessible();

    const retry = part(el, 'retry-button') as HTMLButtonElement;
    expect(retry.textContent).to.equal('Retry');
    retry.click();
    await rendered(el);
    expect(source.reads).to.have.length(2);
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    expect(text(part(el, 'name'))).to.equal('Amy V. Shaw');
  });

  it('not found: says so, distinct from an error, with no Retry', async () => {
    const source = new FakeSource({ patients: [amy()] });
    const el = await bannerIn(source, { patientId: 'missing' });
    await waitUntil(() => text(shadow(el)).includes('Patient not found'), 'not-found was not shown');
    expect(text(shadow(el))).to.contain('No patient with id “missing” on Example Hospital.');
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    expect(part(el, 'retry-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('no patient in context: "No patient selected", without reading', async () => {
    const source = new FakeSource({ patients: [], patientId: undefined });
    const el = await bannerIn(source);
    expect(text(shadow(el))).to.equal('No patient selected');
    expect(source.reads).to.have.length(0);
  });

  it('no source at all: "No patient selected"', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner></ehr-patient-banner>`);
    expect(text(shadow(el))).to.equal('No patient selected');
  });

  it('hides itself when the launch says the EHR shows a banner, without reading', async () => {
    const source = new FakeSource({ patients: [amy()], launchContext: { needPatientBanner: false } });
    const el = await bannerIn(source);
    expect(el.hidden).to.equal(true);
    expect(getComputedStyle(el).display).to.equal('none');
    expect(shadow(el).querySelector('[part~="base"]')).to.equal(null);
    expect(source.reads).to.have.length(0);
  });

  it('shows itself anyway with always-visible', async () => {
    const source = new FakeSource({ patients: [amy()], launchContext: { needPatientBanner: false } });
    const el = await bannerIn(source, { alwaysVisible: true });
    await rendered(el);
    expect(el.hidden).to.equal(false);
    expect(text(part(el, 'name'))).to.equal('Amy V. Shaw');
  });

  it('shows itself when need_patient_banner is true or absent', async () => {
    const el = await bannerIn(new FakeSource({ patients: [amy()], launchContext: { needPatientBanner: true } }));
    await rendered(el);
    expect(el.hidden).to.equal(false);
  });
});

describe('<ehr-patient-banner>: untrusted strings', () => {
  it('shows markup in FHIR strings as text and creates no element from it', async () => {
    const patient = amy({
      name: [{ use: 'official', given: ['<script>window.__pwned = 1</script>'], family: '<img src=x onerror="window.__pwned = 2">' }],
      identifier: [{ type: { text: '<b onmouseover=alert(1)>MRN</b>' }, value: '<svg onload=alert(1)>' }],
      address: [{ text: '"><iframe src="javascript:alert(1)">' }],
      telecom: [{ system: 'phone', value: 'javascript:alert(1)' }],
    });
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${patient}></ehr-patient-banner>`);
    expect(text(part(el, 'name'))).to.equal('<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">');
    expect(text(part(el, 'identifiers'))).to.contain('<svg onload=alert(1)>');
    expect(shadow(el).querySelectorAll('script, img, iframe, svg:not([part] svg), b')).to.have.length(0);
    expect(shadow(el).querySelector('a')).to.equal(null); // a javascript: "phone number" is never a link
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    expect(region(el)!.getAttribute('aria-label')).to.equal(
      'Patient: <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">',
    );
  });
});

describe('<ehr-patient-banner>: theming', () => {
  const background = (el: Element) => getComputedStyle(part(el, 'base')!).backgroundColor;

  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  it('follows prefers-color-scheme: dark', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
    expect(background(el)).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(el)).to.equal('rgb(22, 27, 34)');
  });

  it('stays light on a page that sets --ehr-color-scheme: light on :root', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    document.documentElement.style.setProperty('--ehr-color-scheme', 'light');
    try {
      const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
      expect(background(el)).to.equal('rgb(255, 255, 255)');
    } finally {
      document.documentElement.style.removeProperty('--ehr-color-scheme');
    }
  });

  it('lets page tokens and element properties win', async () => {
    document.documentElement.style.setProperty('--ehr-color-surface', 'rgb(1, 2, 3)');
    try {
      const byToken = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()}></ehr-patient-banner>`);
      expect(background(byToken)).to.equal('rgb(1, 2, 3)');
      const byProperty = await fixture<PatientBannerElement>(
        html`<ehr-patient-banner style="--ehr-patient-banner-background: rgb(4, 5, 6)" .patient=${amy()}></ehr-patient-banner>`,
      );
      expect(background(byProperty)).to.equal('rgb(4, 5, 6)');
    } finally {
      document.documentElement.style.removeProperty('--ehr-color-surface');
    }
  });
});

describe('<ehr-patient-banner>: allergy alert', () => {
  const SNOMED = 'http://snomed.info/sct';
  const active = {
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
  };
  const allergy = (id: string, fields: Partial<AllergyIntolerance> = {}): AllergyIntolerance => ({
    resourceType: 'AllergyIntolerance',
    id,
    ...active,
    code: { text: id.charAt(0).toUpperCase() + id.slice(1) },
    patient: { reference: 'Patient/amy' },
    ...fields,
  });
  const anaphylaxis = { coding: [{ system: SNOMED, code: '39579001', display: 'Anaphylaxis' }] };
  const lifeThreatening = [
    allergy('latex', { criticality: 'low' }),
    allergy('peanut', { criticality: 'high' }),
    allergy('penicillin', { reaction: [{ manifestation: [anaphylaxis] }] }),
  ];
  const noKnown = (code: string) => allergy('nka', { code: { coding: [{ system: SNOMED, code }] } });
  const alert = (el: Element) => part(el, 'allergies');

  async function bannerWith(resources: Resource[], attributes: { href?: string; noAllergies?: boolean } = {}, failures?: Record<string, FhirError>) {
    const source = new BundleSource({ resources: [amy(), ...resources], failures });
    const context = await fixture(html`<ehr-context .source=${source}>
      <ehr-patient-banner allergies-href=${attributes.href ?? nothing} ?no-allergies=${attributes.noAllergies ?? false}></ehr-patient-banner>
    </ehr-context>`);
    const el = context.querySelector('ehr-patient-banner')!;
    await rendered(el);
    return el;
  }

  /** The patient's record in a BundleSource, with its search replaced where a test fakes a fault. */
  function over(inner: BundleSource, search: FhirSource['search'] = (type, params, options) => inner.search(type, params, options)): FhirSource {
    return { server: inner.server, patientId: 'amy', read: (type, id, options) => inner.read(type, id, options), search };
  }

  /** Paging stopped early (a page limit), faked over the real answer. */
  const incomplete = (inner: BundleSource): FhirSource['search'] => async (type, params, options) => ({
    ...(await inner.search(type, params, options)),
    complete: false,
    incompleteReason: 'page-limit' as const,
  });

  async function bannerOver(source: FhirSource): Promise<PatientBannerElement> {
    const context = await fixture(html`<ehr-context .source=${source}><ehr-patient-banner></ehr-patient-banner></ehr-context>`);
    return context.querySelector('ehr-patient-banner')!;
  }

  const settledAlert = (el: Element) =>
    waitUntil(() => alert(el) && alert(el)!.getAttribute('aria-busy') !== 'true', 'the allergy alert did not settle');

  it('shows the life-threatening count and the most dangerous substance, in danger colour with an icon, as a link', async () => {
    const el = await bannerWith(lifeThreatening, { href: '#allergies' });
    await settledAlert(el);
    const link = alert(el) as HTMLAnchorElement;
    expect(link.tagName).to.equal('A');
    expect(link.getAttribute('href')).to.equal('#allergies');
    const visible = [...link.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE || (node instanceof Element && !node.classList.contains('visually-hidden')))
      .map((node) => node.textContent)
      .join('');
    expect(visible.replace(/\s+/g, ' ').trim()).to.equal('2 life-threatening allergies · Penicillin');
    expect(text(link)).to.contain('2 life-threatening allergies');
    expect(link.querySelector('svg[aria-hidden="true"]')).to.exist;
    expect(getComputedStyle(link).color).to.equal('rgb(164, 22, 26)');
    await expect(el).to.be.accessible();
  });

  it('without allergies-href the alert is a button firing ehr-patient-banner-allergies', async () => {
    const el = await bannerWith(lifeThreatening);
    await settledAlert(el);
    const button = alert(el) as HTMLButtonElement;
    expect(button.tagName).to.equal('BUTTON');
    setTimeout(() => button.click());
    const event = (await oneEvent(el, 'ehr-patient-banner-allergies')) as PatientBannerAllergiesEvent;
    expect(event.summary?.lifeThreatening.map((view) => view.substance)).to.deep.equal(['Penicillin', 'Peanut']);
  });

  it('the link brings keyboard focus to the <ehr-allergy-list> it targets', async () => {
    const source = new BundleSource({ resources: [amy(), ...lifeThreatening] });
    const context = await fixture(html`<ehr-context .source=${source}>
      <ehr-patient-banner allergies-href="#allergies-under-test"></ehr-patient-banner>
      <ehr-allergy-list id="allergies-under-test"></ehr-allergy-list>
    </ehr-context>`);
    const el = context.querySelector('ehr-patient-banner')!;
    const list = context.querySelector('ehr-allergy-list')!;
    await settledAlert(el);
    await waitUntil(() => list.shadowRoot!.querySelector('[part~="item"]'), 'the list did not load');
    // The test page must not navigate (web-test-runner would stop): the fragment jump is the browser's part.
    context.addEventListener('click', (event) => event.preventDefault());
    (alert(el) as HTMLAnchorElement).click();
    expect(document.activeElement).to.equal(list);
    expect(list.shadowRoot!.activeElement?.getAttribute('part')).to.equal('base');
  });

  it('other active allergies: the count and the first substances, with no danger label', async () => {
    const el = await bannerWith([allergy('latex', { criticality: 'low' }), allergy('codeine')]);
    await settledAlert(el);
    expect(text(alert(el))).to.match(/^2 allergies · : (Latex, Codeine|Codeine, Latex)$/);
    expect(text(alert(el))).not.to.contain('life-threatening');
  });

  it('"NKA" when no allergies are known, spelled out for assistive technology; "NKDA" for drugs only', async () => {
    const nka = await bannerWith([noKnown('716186003')]);
    await settledAlert(nka);
    expect(text(alert(nka))).to.equal('NKA (no known allergies)');
    expect(alert(nka)!.querySelector('.visually-hidden')!.textContent).to.equal(' (no known allergies)');
    const nkda = await bannerWith([noKnown('409137002')]);
    await settledAlert(nkda);
    expect(text(alert(nkda))).to.equal('NKDA (no known drug allergies)');
  });

  it('"No allergies recorded" when there is nothing, never "NKA"', async () => {
    const el = await bannerWith([]);
    await settledAlert(el);
    expect(text(alert(el))).to.equal('No allergies recorded');
  });

  for (const [name, error] of [
    ['a server fault forced by the test (HTTP 500)', new FhirError('server', 'The FHIR server reported an error (500).', { status: 500 })],
    ['a network error forced by the test', new FhirError('network', 'The FHIR server could not be reached.')],
  ] as const) {
    it(`${name}: "Allergies could not be loaded" with a Retry, never "NKA" or "No allergies recorded"`, async () => {
      const el = await bannerWith([noKnown('716186003')], {}, { AllergyIntolerance: error });
      await settledAlert(el);
      expect(text(alert(el))).to.equal('Allergies could not be loaded');
      expect(text(part(el, 'retry-button'))).to.equal('Retry');
      expect(text(part(el, 'announcement'))).to.equal('Allergies could not be loaded.');
      expect(text(shadow(el))).not.to.contain('NKA');
      expect(text(shadow(el))).not.to.contain('No allergies recorded');
      expect(text(part(el, 'name'))).to.equal('Amy V. Shaw');
    });
  }

  it('Retry after a failed allergy load (a fault forced by the test) reads the allergies again and shows them', async () => {
    const inner = new BundleSource({ resources: [amy(), ...lifeThreatening] });
    let fail = true;
    const el = await bannerOver(
      over(inner, (type, params, options) =>
        fail ? Promise.reject(new FhirError('network', 'The FHIR server could not be reached.')) : inner.search(type, params, options),
      ),
    );
    await waitUntil(() => part(el, 'retry-button'), 'the allergy Retry');
    fail = false;
    part(el, 'retry-button')!.click();
    await waitUntil(() => text(alert(el)).includes('2 life-threatening allergies'), 'the alert after Retry');
    expect(part(el, 'retry-button')).to.equal(null);
  });

  it('a server that sent only another patient’s allergies: "could not be loaded", never "No allergies recorded"', async () => {
    const someoneElse = allergy('walnut', { criticality: 'high', patient: { reference: 'Patient/not-amy' } });
    const inner = new BundleSource({ resources: [amy(), someoneElse] });
    // A faulty server, faked: it ignores `patient=` and answers every search with the walnut allergy.
    const el = await bannerOver(over(inner, (type, _params, options) => inner.search(type, { _id: 'walnut' }, options)));
    await settledAlert(el);
    expect(text(alert(el))).to.equal('Allergies could not be loaded');
    expect(text(shadow(el))).not.to.contain('Walnut');
    expect(text(shadow(el))).not.to.contain('No allergies recorded');
  });

  it('an incomplete load (paging stopped early) says so and never says "NKA" or "No allergies recorded"', async () => {
    const inner = new BundleSource({ resources: [amy(), noKnown('716186003')] });
    const el = await bannerOver(over(inner, incomplete(inner)));
    await settledAlert(el);
    expect(text(alert(el))).to.equal('Allergy list incomplete');
    expect(text(shadow(el))).not.to.contain('NKA');
  });

  it('an incomplete load with a life-threatening allergy shows it, marked "(list incomplete)"', async () => {
    const inner = new BundleSource({ resources: [amy(), ...lifeThreatening] });
    const el = await bannerOver(over(inner, incomplete(inner)));
    await settledAlert(el);
    expect(text(alert(el))).to.contain('2 life-threatening allergies');
    expect(text(alert(el))).to.contain('(list incomplete)');
  });

  it('announces a life-threatening alert through one status region that is there, empty, before the allergies arrive', async () => {
    const inner = new BundleSource({ resources: [amy(), ...lifeThreatening] });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const el = await bannerOver(over(inner, async (type, params, options) => (await gate, inner.search(type, params, options))));
    await rendered(el);
    const status = part(el, 'announcement')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('');
    release();
    await settledAlert(el);
    expect(part(el, 'announcement')).to.equal(status); // the same element: only its text changed
    expect(text(status)).to.equal('2 life-threatening allergies: Penicillin, Peanut.');
  });

  it('.allergies given directly beside .patient: records about another patient are left out', async () => {
    const theirs = allergy('walnut', { criticality: 'high', patient: { reference: 'Patient/not-amy' } });
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()} .allergies=${[theirs]}></ehr-patient-banner>`);
    expect(text(alert(el))).to.equal('No allergies recorded');
  });

  it('loading the allergies never delays the name', async () => {
    const inner = new BundleSource({ resources: [amy(), ...lifeThreatening] });
    const stalledSearch: FhirSource = {
      server: inner.server,
      patientId: 'amy',
      read: (type, id, options) => inner.read(type, id, options),
      search: () => new Promise(() => {}),
    };
    const context = await fixture(html`<ehr-context .source=${stalledSearch}><ehr-patient-banner></ehr-patient-banner></ehr-context>`);
    const el = context.querySelector('ehr-patient-banner')!;
    await rendered(el);
    expect(text(part(el, 'name'))).to.equal('Amy V. Shaw');
    expect(alert(el)!.getAttribute('aria-busy')).to.equal('true');
    expect(text(alert(el))).to.equal('Loading allergies');
    await expect(el).to.be.accessible();
  });

  it('no-allergies: no alert and no allergy request', async () => {
    const inner = new BundleSource({ resources: [amy(), ...lifeThreatening] });
    const searches: string[] = [];
    const source: FhirSource = {
      server: inner.server,
      patientId: 'amy',
      read: (type, id, options) => inner.read(type, id, options),
      search: (type, params, options) => (searches.push(type), inner.search(type, params, options)),
    };
    const context = await fixture(html`<ehr-context .source=${source}><ehr-patient-banner no-allergies></ehr-patient-banner></ehr-context>`);
    const el = context.querySelector('ehr-patient-banner')!;
    await rendered(el);
    expect(alert(el)).to.equal(null);
    expect(searches).to.deep.equal([]);
  });

  it('with .patient and .allergies given directly: the alert, without any request', async () => {
    const el = await fixture<PatientBannerElement>(html`<ehr-patient-banner .patient=${amy()} .allergies=${lifeThreatening}></ehr-patient-banner>`);
    expect(text(alert(el))).to.contain('2 life-threatening allergies');
  });

  it('a .patient given directly never gets the allergies of another patient with the same id on the source', async () => {
    const source = new BundleSource({ resources: [amy(), ...lifeThreatening], patientId: 'someone-else' });
    const context = await fixture(html`<ehr-context .source=${source}><ehr-patient-banner .patient=${amy()}></ehr-patient-banner></ehr-context>`);
    const el = context.querySelector('ehr-patient-banner')!;
    await el.updateComplete;
    expect(alert(el)).to.equal(null);
  });
});

import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { Patient } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import type { PatientBannerElement } from '../../packages/elements/src/index.js';
import { FhirError } from '../../packages/core/src/source/fhir-source.js';
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

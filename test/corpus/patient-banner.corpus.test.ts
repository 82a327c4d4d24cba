// Real-world-shaped records we did not generate (../shared/fhir-corpus): the US Core
// example patient and four Synthea patients. Each banner renders the patient's name,
// birth date and identifiers with no uncaught error and passes axe.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { BundleSource, toPatientView } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { PatientBannerElement } from '@ehr-elements/elements';

async function corpusFiles(): Promise<string[]> {
  return (await fetch('/__corpus/index.json')).json();
}

async function load(path: string): Promise<Resource> {
  return (await fetch(`/__corpus/${path}`)).json();
}

function bannerText(banner: PatientBannerElement): string {
  return banner.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

async function renderBanner(source: BundleSource): Promise<PatientBannerElement> {
  const context = await fixture(html`<ehr-context .source=${source}><ehr-patient-banner></ehr-patient-banner></ehr-context>`);
  const banner = context.querySelector('ehr-patient-banner') as PatientBannerElement;
  await waitUntil(() => banner.shadowRoot?.querySelector('[part~="name"]'), 'the banner shows a name', { timeout: 10000 });
  return banner;
}

const uncaught: unknown[] = [];
window.addEventListener('error', (event) => uncaught.push(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => uncaught.push(event.reason));

describe('patient banner over the FHIR corpus', () => {
  afterEach(() => {
    expect(uncaught, 'no uncaught error').to.deep.equal([]);
  });

  it('renders the US Core example patient, Amy V. Shaw', async () => {
    const patient = (await load('us-core-3.0.0/Patient-example.json')) as Patient;
    const banner = await renderBanner(new BundleSource({ resources: [patient] }));
    const text = bannerText(banner);
    expect(text).to.contain('Amy');
    expect(text).to.contain('Shaw');
    // US Core's example MRN (type MR) is labelled as such.
    const view = toPatientView(patient);
    const mrn = view.identifiers.find((identifier) => identifier.label === 'MRN');
    expect(mrn, 'an MRN').to.exist;
    expect(text).to.contain(mrn!.value);
    await expect(banner).to.be.accessible();
  });

  it('renders every Synthea patient from its transaction bundle', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('synthea/'));
    expect(files.length).to.equal(4);
    for (const file of files) {
      const bundle = (await load(file)) as Bundle;
      const patient = bundle.entry?.map((entry) => entry.resource).find((r) => r?.resourceType === 'Patient') as Patient;
      const source = new BundleSource({ bundle });
      expect(source.patientId, `${file}: the patient in context`).to.equal(patient.id);
      const banner = await renderBanner(source);
      const text = bannerText(banner);
      const official = patient.name?.find((name) => name.use === 'official') ?? patient.name?.[0];
      expect(text, file).to.contain(official!.family!);
      expect(text, file).to.contain(official!.given![0]);
      expect(banner.shadowRoot!.querySelector('[role="alert"]'), `${file}: no error state`).to.equal(null);
      await expect(banner).to.be.accessible();
    }
  });
});

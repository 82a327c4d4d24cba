// Real-world-shaped records we did not generate (../shared/fhir-corpus): the US Core
// AllergyIntolerance example (Amy V. Shaw) and four Synthea patients. Each list renders
// with no uncaught error, shows every allergy record of the file (collapsed groups
// included, entered-in-error excluded), and passes axe; the banner's alert agrees.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { AllergyIntolerance, Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { BundleSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { AllergyListElement, PatientBannerElement } from '@ehr-elements/elements';

async function corpusFiles(): Promise<string[]> {
  return (await fetch('/__corpus/index.json')).json();
}

async function load(path: string): Promise<Resource> {
  return (await fetch(`/__corpus/${path}`)).json();
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function render(source: BundleSource): Promise<{ list: AllergyListElement; banner: PatientBannerElement }> {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-patient-banner allergies-href="#allergies"></ehr-patient-banner>
    <ehr-allergy-list id="allergies" show-inactive></ehr-allergy-list>
  </ehr-context>`);
  const list = context.querySelector('ehr-allergy-list')!;
  const banner = context.querySelector('ehr-patient-banner')!;
  await waitUntil(() => list.shadowRoot?.querySelector('[part~="heading"]') && !list.shadowRoot.querySelector('[aria-busy="true"]'), 'the list settles', {
    timeout: 20000,
  });
  await waitUntil(() => banner.shadowRoot?.querySelector('a[part~="allergies"]'), 'the banner shows its allergy alert', { timeout: 20000 });
  return { list, banner };
}

function isEnteredInError(allergy: AllergyIntolerance): boolean {
  return allergy.verificationStatus?.coding?.some((coding) => coding.code === 'entered-in-error') ?? false;
}

const uncaught: unknown[] = [];
window.addEventListener('error', (event) => uncaught.push(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => uncaught.push(event.reason));

describe('allergy list over the FHIR corpus', () => {
  afterEach(() => {
    expect(uncaught, 'no uncaught error').to.deep.equal([]);
  });

  it('the US Core example: a high-criticality sulfonamide allergy, life-threatening, with its reaction', async () => {
    const patient = (await load('us-core-3.0.0/Patient-example.json')) as Patient;
    const allergy = (await load('us-core-3.0.0/AllergyIntolerance-example.json')) as AllergyIntolerance;
    const { list, banner } = await render(new BundleSource({ resources: [patient, allergy], label: 'US Core examples' }));
    const items = [...list.shadowRoot!.querySelectorAll('[part~="item"]')];
    expect(items).to.have.length(1);
    expect(text(items[0]!.querySelector('[part~="substance"]'))).to.equal('sulfonamide antibacterial');
    expect(text(items[0])).to.contain('Life-threatening');
    expect(text(items[0])).to.contain('skin rash · Mild');
    expect(text(list.shadowRoot!.querySelector('[part~="alert-summary"]'))).to.equal('1 life-threatening allergy: sulfonamide antibacterial');
    expect(text(banner.shadowRoot!.querySelector('[part~="allergies"]'))).to.contain('Life-threatening allergy');
    await expect(list).to.be.accessible();
  });

  it('every Synthea patient: one item per AllergyIntolerance in the file, and the banner agrees', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('synthea/'));
    expect(files.length).to.equal(4);
    const counts: Record<string, number> = {};
    for (const file of files) {
      const bundle = (await load(file)) as Bundle;
      const allergies = (bundle.entry ?? []).map((entry) => entry.resource).filter((r): r is AllergyIntolerance => r?.resourceType === 'AllergyIntolerance');
      const expected = allergies.filter((allergy) => !isEnteredInError(allergy)).length;
      const { list, banner } = await render(new BundleSource({ bundle }));
      const root = list.shadowRoot!;
      expect(root.querySelector('[role="alert"]'), `${file}: no error state`).to.equal(null);
      const shown = root.querySelectorAll('[part~="item"]').length;
      expect(shown, file).to.equal(expected);
      const name = file.split('/')[1]!.split('_').slice(0, 2).join(' ');
      counts[name] = shown;
      const alert = text(banner.shadowRoot!.querySelector('[part~="allergies"]'));
      if (expected === 0) {
        expect(text(root), file).to.contain('No allergies recorded');
        expect(alert, file).to.equal('No allergies recorded');
      } else {
        expect(text(root.querySelector('[role="heading"]')), file).to.match(/^Allergies \(\d+\)$/);
        expect(alert, file).to.match(new RegExp(`^${expected} allerg(y|ies)`));
      }
      await expect(list).to.be.accessible();
    }
    expect(counts['Jorge Brekke']).to.equal(10);
    expect(counts['Brant Jacobson']).to.equal(5);
    expect(counts['Marsha Hayes']).to.equal(6);
    expect(counts['Josue Sipes']).to.equal(0);
  });
});

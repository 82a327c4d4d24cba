// <ehr-record>: the whole record in one tag, each section loading and failing on its own.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { BundleSource, FhirError } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { RecordElement } from '@ehr-elements/elements';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';

const record = generatePatientRecord({ seed: 3, profile: 'adult-anaphylaxis' });

function section(element: RecordElement, name: string): HTMLElement {
  const found = element.shadowRoot!.querySelector<HTMLElement>(`[data-section="${name}"], [part~="section-${name}"]`);
  expect(found, `section ${name}`).to.exist;
  return found!;
}

function textOf(host: Element | null | undefined): string {
  return (host?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
}

function child(element: RecordElement, tag: string): HTMLElement {
  const found = element.shadowRoot!.querySelector<HTMLElement>(tag);
  expect(found, tag).to.exist;
  return found!;
}

const loaded = (host: HTMLElement) => {
  const root = host.shadowRoot;
  return !!root && root.childElementCount > 0 && !root.querySelector('[aria-busy="true"]');
};

describe('<ehr-record>', () => {
  it('shows every section for a generated patient, from a .source set on the record', async () => {
    const source = new BundleSource({ resources: record.resources, patientId: record.patient.id });
    const element = await fixture<RecordElement>(html`<ehr-record .source=${source}></ehr-record>`);
    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-condition-list', 'ehr-medication-list', 'ehr-immunization-list', 'ehr-vitals-chart', 'ehr-timeline']) {
      const host = child(element, tag);
      await waitUntil(() => loaded(host), `${tag} finished loading`, { timeout: 10000 });
      expect(host.shadowRoot!.querySelector('[role="alert"]'), `${tag} has no error`).to.equal(null);
    }
    const family = record.patient.name![0].family!;
    expect(textOf(child(element, 'ehr-patient-banner'))).to.contain(family);
    expect(textOf(child(element, 'ehr-allergy-list'))).to.match(/life-threatening/i);
    expect(textOf(child(element, 'ehr-vitals-chart'))).to.match(/Blood pressure/i);
    expect(element.shadowRoot!.querySelector('ehr-lab-results')).to.exist;
  });

  it('keeps the other sections when one resource type fails, and says so with a Retry (server fault faked)', async () => {
    const source = new BundleSource({
      resources: record.resources,
      patientId: record.patient.id,
      failures: { Condition: new FhirError('server', 'The FHIR server answered with an error (500).', { status: 500 }) },
    });
    const element = await fixture<RecordElement>(html`<ehr-context .source=${source}><ehr-record></ehr-record></ehr-context>`).then(
      (context) => context.querySelector('ehr-record') as RecordElement,
    );
    const conditions = child(element, 'ehr-condition-list');
    await waitUntil(() => conditions.shadowRoot?.querySelector('[role="alert"]'), 'the condition section reports the failure', { timeout: 10000 });
    expect(textOf(conditions)).to.match(/could not be loaded/i);
    expect(textOf(conditions)).not.to.match(/No conditions recorded/i);
    const retry = [...conditions.shadowRoot!.querySelectorAll('button')].find((button) => /retry/i.test(button.textContent ?? ''));
    expect(retry, 'a Retry button').to.exist;

    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-medication-list', 'ehr-immunization-list']) {
      const host = child(element, tag);
      await waitUntil(() => loaded(host), `${tag} finished loading`, { timeout: 10000 });
      expect(host.shadowRoot!.querySelector('[role="alert"]'), `${tag} is not affected`).to.equal(null);
    }
    expect(textOf(child(element, 'ehr-patient-banner'))).to.contain(record.patient.name![0].family!);
  });

  it('shows only the sections asked for, in layout order', async () => {
    const source = new BundleSource({ resources: record.resources, patientId: record.patient.id });
    const element = await fixture<RecordElement>(html`<ehr-record .source=${source} sections="vitals, allergies banner"></ehr-record>`);
    const shown = [...element.shadowRoot!.querySelectorAll('[part~="section"]')].map((node) =>
      [...node.getAttribute('part')!.split(' ')].find((part) => part.startsWith('section-'))!.slice('section-'.length),
    );
    expect(shown).to.deep.equal(['banner', 'allergies', 'vitals']);
    expect(element.shadowRoot!.querySelector('ehr-timeline')).to.equal(null);
    expect(section(element, 'vitals')).to.exist;
  });

  it('moves focus to the allergy list when the banner alert is activated', async () => {
    const source = new BundleSource({ resources: record.resources, patientId: record.patient.id });
    const element = await fixture<RecordElement>(html`<ehr-record .source=${source} sections="banner allergies"></ehr-record>`);
    const banner = child(element, 'ehr-patient-banner');
    const list = child(element, 'ehr-allergy-list');
    await waitUntil(() => banner.shadowRoot?.querySelector('[part~="allergies"] button, [part~="allergies"] a, button[part~="allergies"]'), 'the alert', { timeout: 10000 });
    await waitUntil(() => loaded(list), 'the list', { timeout: 10000 });
    const alert = banner.shadowRoot!.querySelector<HTMLElement>('[part~="allergies"] button, [part~="allergies"] a, button[part~="allergies"]')!;
    alert.click();
    await waitUntil(() => list.matches(':focus-within') || list.shadowRoot?.activeElement != null, 'focus moved to the allergy list');
  });

  it('is accessible with every section loaded', async () => {
    const source = new BundleSource({ resources: record.resources, patientId: record.patient.id });
    const element = await fixture<RecordElement>(html`<ehr-record .source=${source} sections="banner allergies conditions medications immunizations"></ehr-record>`);
    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-condition-list', 'ehr-medication-list', 'ehr-immunization-list']) {
      await waitUntil(() => loaded(child(element, tag)), tag, { timeout: 10000 });
    }
    await expect(element).to.be.accessible();
  });
});

describe('<ehr-record>: accessibility of the whole record', () => {
  it('is accessible with all eight sections loaded, charts and timeline included', async function () {
    this.timeout(60000);
    const source = new BundleSource({ resources: record.resources, patientId: record.patient.id });
    const element = await fixture<RecordElement>(html`<ehr-record .source=${source}></ehr-record>`);
    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-condition-list', 'ehr-medication-list', 'ehr-immunization-list', 'ehr-vitals-chart', 'ehr-lab-results', 'ehr-timeline']) {
      await waitUntil(() => loaded(child(element, tag)), tag, { timeout: 15000 });
    }
    await waitUntil(() => child(element, 'ehr-vitals-chart').shadowRoot!.querySelector('canvas'), 'the charts are drawn', { timeout: 15000 });
    await expect(element).to.be.accessible();
  });
});

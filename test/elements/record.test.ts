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
    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-condition-list', 'ehr-medication-list', 'ehr-immunization-list', 'ehr-vitals-chart', 'ehr-lab-results', 'ehr-timeline']) {
      const host = child(element, tag);
      await waitUntil(() => loaded(host), `${tag} finished loading`, { timeout: 10000 });
      expect(host.shadowRoot!.querySelector('[role="alert"]'), `${tag} has no error`).to.equal(null);
    }
    const family = record.patient.name![0].family!;
    expect(textOf(child(element, 'ehr-patient-banner'))).to.contain(family);
    expect(textOf(child(element, 'ehr-allergy-list'))).to.match(/life-threatening/i);
    expect(textOf(child(element, 'ehr-vitals-chart'))).to.match(/Blood pressure/i);
    // The lab results loaded: panels of results, not an error, an empty state or a notice of missing results.
    const labs = child(element, 'ehr-lab-results');
    expect(textOf(labs)).to.match(/Lab results \([1-9]\d*\)/);
    expect(labs.shadowRoot!.querySelectorAll('details[part~="panel"]').length).to.be.greaterThan(0);
    expect(textOf(labs)).not.to.match(/No lab results|could not be loaded/i);
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

    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-medication-list', 'ehr-immunization-list', 'ehr-vitals-chart', 'ehr-lab-results']) {
      const host = child(element, tag);
      await waitUntil(() => loaded(host), `${tag} finished loading`, { timeout: 10000 });
      expect(host.shadowRoot!.querySelector('[role="alert"]'), `${tag} is not affected`).to.equal(null);
    }
    expect(textOf(child(element, 'ehr-patient-banner'))).to.contain(record.patient.name![0].family!);
    expect(textOf(child(element, 'ehr-vitals-chart'))).to.match(/Blood pressure/i);
    expect(textOf(child(element, 'ehr-lab-results'))).to.match(/Lab results \([1-9]\d*\)/);

    // The timeline searches Conditions too: it says they are missing, with their own Retry, and shows the rest.
    const timeline = child(element, 'ehr-timeline');
    await waitUntil(() => loaded(timeline), 'the timeline finished loading', { timeout: 10000 });
    const alerts = [...timeline.shadowRoot!.querySelectorAll('[role="alert"]')].map((node) => (node.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.match(/^Conditions could not be loaded\./);
    expect(timeline.shadowRoot!.querySelector('button[aria-label="Retry conditions"]'), 'the timeline retries conditions').to.exist;
    expect((timeline.shadowRoot!.querySelector('[part~="summary"]')?.textContent ?? '').trim(), 'the timeline shows the other records').to.match(/^[1-9][\d,]* events?$/);
  });

  it('when the Observation search fails, vitals and labs say so with a Retry and the others render (server fault faked)', async () => {
    const source = new BundleSource({
      resources: record.resources,
      patientId: record.patient.id,
      failures: { Observation: new FhirError('server', 'The FHIR server answered with an error (500).', { status: 500 }) },
    });
    const element = await fixture<RecordElement>(html`<ehr-context .source=${source}><ehr-record></ehr-record></ehr-context>`).then(
      (context) => context.querySelector('ehr-record') as RecordElement,
    );
    for (const tag of ['ehr-vitals-chart', 'ehr-lab-results']) {
      const host = child(element, tag);
      await waitUntil(() => host.shadowRoot?.querySelector('[role="alert"]'), `${tag} reports the failure`, { timeout: 10000 });
      const alert = (host.shadowRoot!.querySelector('[role="alert"]')!.textContent ?? '').replace(/\s+/g, ' ');
      expect(alert, tag).to.match(/could not be loaded/i);
      const retry = [...host.shadowRoot!.querySelectorAll('button')].find((button) => /retry/i.test(button.textContent ?? ''));
      expect(retry, `${tag} has a Retry button`).to.exist;
    }
    expect(textOf(child(element, 'ehr-vitals-chart'))).not.to.match(/No vital signs recorded/i);
    expect(textOf(child(element, 'ehr-lab-results'))).not.to.match(/No lab results recorded/i);

    for (const tag of ['ehr-patient-banner', 'ehr-allergy-list', 'ehr-condition-list', 'ehr-medication-list', 'ehr-immunization-list']) {
      const host = child(element, tag);
      await waitUntil(() => loaded(host), `${tag} finished loading`, { timeout: 10000 });
      expect(host.shadowRoot!.querySelector('[role="alert"]'), `${tag} is not affected`).to.equal(null);
    }
    expect(textOf(child(element, 'ehr-allergy-list'))).to.match(/life-threatening/i);
    // The timeline searches Observations too: it says they are missing and shows the rest.
    const timeline = child(element, 'ehr-timeline');
    await waitUntil(() => loaded(timeline), 'the timeline finished loading', { timeout: 10000 });
    expect([...timeline.shadowRoot!.querySelectorAll('[role="alert"]')].map((node) => (node.textContent ?? '').replace(/\s+/g, ' ').trim())).to.satisfy((alerts: string[]) =>
      alerts.some((alert) => alert.startsWith('Observations could not be loaded.')),
    );
    expect((timeline.shadowRoot!.querySelector('[part~="summary"]')?.textContent ?? '').trim(), 'the timeline shows the other records').to.match(/^[1-9][\d,]* events?$/);
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

  it('says which sections it knows when sections= names none of them, and warns once in the console', async () => {
    const source = new BundleSource({ resources: record.resources, patientId: record.patient.id });
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const element = await fixture<RecordElement>(html`<ehr-record .source=${source} sections="lab vital"></ehr-record>`);
      const notice = element.shadowRoot!.querySelector('[part~="notice"]');
      expect((notice?.textContent ?? '').replace(/\s+/g, ' ').trim()).to.equal(
        'No sections to show: sections="lab vital" names none of the known sections (banner, allergies, conditions, medications, immunizations, vitals, labs, timeline).',
      );
      expect(element.shadowRoot!.querySelector('[part~="section"]')).to.equal(null);
      element.headingLevel = 3;
      await element.updateComplete;
      const ours = warnings.filter((args) => String(args[0]).startsWith('<ehr-record>'));
      expect(ours).to.have.length(1);
      expect(String(ours[0]![0])).to.contain('lab, vital');
      // A known section shows; an unknown name beside it is still warned of.
      element.sections = 'labs labz';
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part~="notice"]')).to.equal(null);
      expect(element.shadowRoot!.querySelector('ehr-lab-results')).to.exist;
      expect(warnings.filter((args) => String(args[0]).startsWith('<ehr-record>')).map((args) => String(args[0]))[1]).to.contain(': labz.');
    } finally {
      console.warn = warn;
    }
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

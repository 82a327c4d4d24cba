// How data-driven elements behave around a background reload (a caching source's `update`
// event): the shown data stays while the reload runs, but never for another patient, and a
// failed reload never replaces it with an error. The source is a fake (an EventTarget over a
// BundleSource) only so the test controls when its answers arrive and when one fails.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Condition, Patient, Resource } from '@medplum/fhirtypes';
import { BundleSource, FhirError, type FhirSource, type SearchParams, type SearchResult } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { ConditionListElement } from '@ehr-elements/elements';
import { deferred } from './support/fake-source.js';

function condition(id: string, patientId: string, text: string): Condition {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: `Patient/${patientId}` },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { text },
    onsetDateTime: '2020-01-01',
  };
}

const patients: Patient[] = [
  { resourceType: 'Patient', id: 'pdc-1', name: [{ family: 'Okafor', given: ['Ada'] }] },
  { resourceType: 'Patient', id: 'pdc-2', name: [{ family: 'Lindqvist', given: ['Per'] }] },
];

/** A source whose searches can be held or failed, and that fires `update` like a cache. */
class ControlledSource extends EventTarget implements FhirSource {
  private readonly inner = new BundleSource({ resources: [...patients, condition('c1', 'pdc-1', 'Asthma'), condition('c2', 'pdc-2', 'Gout')] });
  readonly server = this.inner.server;
  readonly patientId = 'pdc-1';
  gate?: ReturnType<typeof deferred<void>>;
  failNext?: FhirError;

  read<T extends Resource>(type: string, id: string, options?: { signal?: AbortSignal }): Promise<T> {
    return this.inner.read<T>(type, id, options);
  }

  async search<T extends Resource>(type: string, params?: SearchParams, options?: { signal?: AbortSignal }): Promise<SearchResult<T>> {
    if (this.gate) await this.gate.promise;
    if (this.failNext) {
      const failure = this.failNext;
      this.failNext = undefined;
      throw failure;
    }
    return this.inner.search<T>(type, params, options);
  }

  announceUpdate(): void {
    this.dispatchEvent(Object.assign(new Event('update'), { resourceType: 'Condition' }));
  }
}

function text(element: Element): string {
  return element.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

describe('data-driven elements around a background reload', () => {
  it("never shows the previous patient's data while another patient loads during a reload", async () => {
    const source = new ControlledSource();
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .source=${source}></ehr-condition-list>`);
    await waitUntil(() => text(el).includes('Asthma'), 'the first patient’s condition');

    source.gate = deferred<void>();
    source.announceUpdate(); // a reload for pdc-1 starts and waits
    await el.updateComplete;
    expect(text(el)).to.contain('Asthma'); // kept on screen while it reloads

    el.patientId = 'pdc-2'; // then the host switches patient
    await el.updateComplete;
    expect(text(el)).not.to.contain('Asthma');
    expect(el.shadowRoot!.querySelector('[aria-busy="true"]')).not.to.equal(null);

    source.gate.resolve();
    source.gate = undefined;
    await waitUntil(() => text(el).includes('Gout'), 'the second patient’s condition');
    expect(text(el)).not.to.contain('Asthma');
  });

  it('keeps the shown data, with no error state, when a background reload fails (network error faked)', async () => {
    const source = new ControlledSource();
    const el = await fixture<ConditionListElement>(html`<ehr-condition-list .source=${source}></ehr-condition-list>`);
    await waitUntil(() => text(el).includes('Asthma'), 'the condition');

    source.failNext = new FhirError('network', 'The FHIR server could not be reached.');
    source.announceUpdate();
    // The reload runs and fails; give it a few frames to settle.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    await el.updateComplete;
    expect(text(el)).to.contain('Asthma');
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(text(el)).not.to.contain('could not be loaded');
  });
});

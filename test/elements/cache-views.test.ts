// Elements over the encrypted cache (real IndexedDB, real WebCrypto): a second mount
// renders from the cache before the network answers, a failed refresh keeps the data and
// says "Offline", and fresher data replaces the old without an empty or loading state.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Condition, Patient } from '@medplum/fhirtypes';
import { BundleSource, createCachedSource, FhirError, type CachedSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';

const patient: Patient = { resourceType: 'Patient', id: 'cache-p1', name: [{ family: 'Okafor', given: ['Ada'] }] };

function condition(id: string, text: string, lastUpdated = '2026-01-05T10:00:00Z'): Condition {
  return {
    resourceType: 'Condition',
    id,
    meta: { versionId: '1', lastUpdated },
    subject: { reference: 'Patient/cache-p1' },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    code: { text },
    onsetDateTime: '2020-01-01',
  };
}

let database = '';
const opened: CachedSource[] = [];

function cached(source: BundleSource, revalidateAfter = 0): CachedSource {
  const wrapped = createCachedSource(source, { databaseName: database, userKey: 'user-a', revalidateAfter });
  opened.push(wrapped);
  return wrapped;
}

const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ') ?? '';

function listText(element: Element): string {
  return element.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

describe('elements over the encrypted cache', () => {
  beforeEach(() => {
    database = `ehr-cache-views-${Math.random().toString(36).slice(2)}`;
  });

  afterEach(async () => {
    for (const source of opened.splice(0)) source.close();
    indexedDB.deleteDatabase(database);
  });

  it('renders a second mount from the cache before a slow network answers', async () => {
    const first = cached(new BundleSource({ resources: [patient, condition('a1', 'Asthma')] }));
    const one = await fixture(html`<ehr-condition-list .source=${first}></ehr-condition-list>`);
    await waitUntil(() => listText(one).includes('Asthma'), 'first load');
    await first.settled();

    // The "network" now takes 20 s: anything shown within the next seconds came from IndexedDB.
    const slow = new BundleSource({ resources: [patient, condition('a1', 'Asthma')], latency: 20000 });
    const second = cached(slow);
    const two = await fixture(html`<ehr-condition-list .source=${second}></ehr-condition-list>`);
    await waitUntil(() => listText(two).includes('Asthma'), 'the cached condition is shown', { timeout: 5000 });
    expect(two.shadowRoot!.querySelector('[aria-busy="true"]')).to.equal(null);
  });

  it('keeps the cached data and says "Offline" when the refresh fails (network error faked)', async () => {
    const first = cached(new BundleSource({ resources: [patient, condition('a1', 'Migraine')] }));
    const one = await fixture(html`<ehr-condition-list .source=${first}></ehr-condition-list>`);
    await waitUntil(() => listText(one).includes('Migraine'));
    await first.settled();

    const down = new BundleSource({
      resources: [patient],
      failures: { Condition: new FhirError('network', 'The FHIR server could not be reached.') },
    });
    const offline = cached(down);
    const two = await fixture(html`<ehr-condition-list .source=${offline}></ehr-condition-list>`);
    await waitUntil(() => listText(two).includes('Offline'), 'the offline note', { timeout: 5000 });
    expect(listText(two)).to.contain('Migraine');
    expect(listText(two)).not.to.contain('could not be loaded');
    expect(two.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await expect(two).to.be.accessible();
  });

  it('keeps the cached data and says the session expired, in an alert, when the server answers 401 (faked)', async () => {
    const first = cached(new BundleSource({ resources: [patient, condition('a1', 'Migraine')] }));
    const one = await fixture(html`<ehr-condition-list .source=${first}></ehr-condition-list>`);
    await waitUntil(() => listText(one).includes('Migraine'));
    await first.settled();

    const refused = new BundleSource({
      resources: [patient],
      failures: { Condition: new FhirError('unauthorized', 'Your session has expired or is not authorised (401).', { status: 401 }) },
    });
    const expired = cached(refused);
    const two = await fixture(html`<ehr-condition-list .source=${expired}></ehr-condition-list>`);
    await waitUntil(() => listText(two).includes('Session expired'), 'the session-expired note', { timeout: 5000 });
    expect(listText(two)).to.contain('Migraine');
    expect(listText(two)).to.contain('sign in again');
    expect(text(two.shadowRoot!.querySelector('[role="alert"]'))).to.contain('Session expired');
    expect(listText(two)).not.to.contain('Offline');
  });

  it('replaces cached data with fresher data from the server without an empty or loading state', async () => {
    const first = cached(new BundleSource({ resources: [patient, condition('a1', 'Asthma')] }));
    const one = await fixture(html`<ehr-condition-list .source=${first}></ehr-condition-list>`);
    await waitUntil(() => listText(one).includes('Asthma'));
    await first.settled();

    const changed = cached(new BundleSource({ resources: [patient, condition('a1', 'Asthma'), condition('a2', 'Gout', '2026-03-01T09:00:00Z')], latency: 300 }));
    const two = await fixture(html`<ehr-condition-list .source=${changed}></ehr-condition-list>`);
    await waitUntil(() => listText(two).includes('Asthma'), 'cached first');
    expect(listText(two)).not.to.contain('Gout');
    const states: string[] = [];
    const observer = new MutationObserver(() => {
      if (two.shadowRoot!.querySelector('[aria-busy="true"]')) states.push('loading');
      if (/No conditions recorded/.test(listText(two))) states.push('empty');
    });
    observer.observe(two.shadowRoot!, { subtree: true, childList: true, characterData: true });
    await waitUntil(() => listText(two).includes('Gout'), 'the fresher condition arrives', { timeout: 5000 });
    observer.disconnect();
    expect(states).to.deep.equal([]);
  });
});

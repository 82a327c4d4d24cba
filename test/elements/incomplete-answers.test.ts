// A server that answers a search with its matches and an error OperationOutcome (R4 search:
// entries with search.mode = outcome) has not given every record: the list shows what came
// and says it may be incomplete. The server is a fake (fetch answered in the page), so the
// test controls the outcome; the source is the real OpenServerSource.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Condition, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { OpenServerSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { fakeServer, json, searchset } from '../core/source/fake-fhir-server.js';

const BASE = 'https://fhir.example.test/r4';

const asthma: Condition = {
  resourceType: 'Condition',
  id: 'c1',
  subject: { reference: 'Patient/ia-1' },
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { text: 'Asthma' },
};

const withheld: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'suppressed', diagnostics: 'Sensitive conditions were withheld' }],
};

function text(element: Element): string {
  return element.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

describe('an answer the server says is incomplete', () => {
  it('the condition list shows the matches and says it may be incomplete (error outcome faked)', async () => {
    const server = fakeServer((url) => {
      if (url.pathname.endsWith('/Condition')) return json(searchset([asthma as Resource], { outcomes: [withheld] }));
      return json(searchset([]));
    });
    const source = new OpenServerSource({ baseUrl: BASE, patientId: 'ia-1', fetch: server.fetch });
    const el = await fixture(html`<ehr-condition-list .source=${source}></ehr-condition-list>`);
    await waitUntil(() => text(el).includes('Asthma'), 'the condition');
    expect(text(el)).to.contain('This list may be incomplete');
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('a warning outcome alone leaves the list whole (no incomplete note)', async () => {
    const filtered: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'informational', diagnostics: 'Some results were filtered' }] };
    const server = fakeServer(() => json(searchset([asthma as Resource], { outcomes: [filtered] })));
    const source = new OpenServerSource({ baseUrl: BASE, patientId: 'ia-1', fetch: server.fetch });
    const el = await fixture(html`<ehr-condition-list .source=${source}></ehr-condition-list>`);
    await waitUntil(() => text(el).includes('Asthma'), 'the condition');
    expect(text(el)).not.to.contain('may be incomplete');
  });
});

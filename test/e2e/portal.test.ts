// The portal example: a plain HTML page with <ehr-context server patient> against the
// sandbox's open FHIR endpoint (no SMART), as a portal developer would embed it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from './support.js';

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.close();
});

describe('portal page against an open FHIR server', () => {
  it('shows the banner of the patient named in the page, with no token sent', async () => {
    const [first] = stack.sandbox.openFhir.listPatients();
    const patient = await (await fetch(`${stack.sandbox.openFhirBaseUrl}/Patient/${first.id}`)).json();
    const page = await stack.browser.newPage();
    const fhirRequests: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(stack.sandbox.origin)) {
        fhirRequests.push({ url: request.url(), authorization: request.headers()['authorization'] });
      }
    });
    try {
      await page.goto(
        `${stack.appsBaseUrl}/portal/?server=${encodeURIComponent(stack.sandbox.openFhirBaseUrl)}&patient=${first.id}`,
      );
      const banner = page.locator('ehr-patient-banner');
      await banner.getByText(patient.name[0].family).first().waitFor({ timeout: 30000 });
      assert.equal(await page.getByRole('region', { name: new RegExp(patient.name[0].family) }).count(), 1);
      const paths = fhirRequests.map((r) => new URL(r.url).pathname);
      assert.ok(paths.includes(`/open/fhir/Patient/${first.id}`), paths.join(' '));
      assert.ok(paths.every((path) => path.startsWith('/open/fhir/')), paths.join(' '));
      assert.ok(fhirRequests.every((r) => r.authorization === undefined), 'no token sent');
    } finally {
      await page.close();
    }
  });

  it('says the patient was not found instead of showing an empty banner', async () => {
    const page = await stack.browser.newPage();
    try {
      await page.goto(
        `${stack.appsBaseUrl}/portal/?server=${encodeURIComponent(stack.sandbox.openFhirBaseUrl)}&patient=no-such-patient`,
      );
      await page.locator('ehr-patient-banner').getByText(/not found/i).first().waitFor({ timeout: 30000 });
    } finally {
      await page.close();
    }
  });
});

// SMART App Launch end to end: Chromium follows the real redirects between the sandbox's
// launcher, the example SMART app (served by Vite), the authorization server and the
// protected FHIR server, and the banner shows the launched patient.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { startStack, type Stack } from './support.js';

let stack: Stack;
let patientId: string;
let family: string;

before(async () => {
  stack = await startStack();
  const first = stack.sandbox.fhir.listPatients()[0];
  patientId = first.id;
  const patient = await (await fetch(`${stack.sandbox.openFhirBaseUrl}/Patient/${patientId}`)).json();
  family = patient.name[0].family;
});

after(async () => {
  await stack?.close();
});

async function newPage(): Promise<{ page: Page; requests: Request[]; close: () => Promise<void> }> {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  return { page, requests, close: () => context.close() };
}

const banner = (page: Page) => page.locator('ehr-patient-banner');

describe('EHR launch', () => {
  it('shows the banner of the patient the EHR launched with', async () => {
    const { page, requests, close } = await newPage();
    try {
      await page.goto(`${stack.sandbox.origin}/launch?patient=${patientId}&app=smart-app`);
      await page.waitForURL(/\/smart-app\/index\.html/, { timeout: 30000 });
      await banner(page).getByText(family).first().waitFor({ timeout: 30000 });
      assert.match(await banner(page).evaluate((el) => el.shadowRoot?.textContent ?? ''), new RegExp(family));

      // PKCE S256 was used, and the token went only to the FHIR server.
      const authorize = requests.find((r) => r.url().startsWith(`${stack.sandbox.authBaseUrl}/authorize`));
      assert.ok(authorize, 'the app went to the authorize endpoint');
      const query = new URL(authorize.url()).searchParams;
      assert.equal(query.get('code_challenge_method'), 'S256');
      assert.equal(query.get('aud'), stack.sandbox.fhirBaseUrl);
      const withToken = requests.filter((r) => r.headers()['authorization']);
      assert.ok(withToken.length > 0, 'FHIR requests carried the token');
      for (const request of withToken) assert.ok(request.url().startsWith(stack.sandbox.fhirBaseUrl), request.url());
    } finally {
      await close();
    }
  });

  it('hides the banner when the EHR says it shows its own (need_patient_banner false)', async () => {
    const { page, requests, close } = await newPage();
    try {
      await page.goto(`${stack.sandbox.origin}/launch?patient=${patientId}&app=smart-app&banner=ehr`);
      await page.waitForURL(/\/smart-app\/index\.html/, { timeout: 30000 });
      await page.locator('ehr-context[status="ready"]').waitFor({ state: 'attached', timeout: 30000 });
      assert.equal(await banner(page).isHidden(), true);
      assert.ok(requests.some((r) => r.url().startsWith(`${stack.sandbox.authBaseUrl}/token`)));
    } finally {
      await close();
    }
  });
});

describe('standalone launch', () => {
  it('lets the user pick a patient and then shows that patient', async () => {
    const { page, close } = await newPage();
    try {
      const patients = stack.sandbox.fhir.listPatients();
      const chosen = patients[patients.length - 1];
      const chosenPatient = await (await fetch(`${stack.sandbox.openFhirBaseUrl}/Patient/${chosen.id}`)).json();
      await page.goto(
        `${stack.appsBaseUrl}/smart-app/launch.html?iss=${encodeURIComponent(stack.sandbox.fhirBaseUrl)}`,
      );
      await page.waitForURL(/\/auth\/authorize/, { timeout: 30000 });
      await page.getByRole('button', { name: new RegExp(chosen.name) }).click();
      await page.waitForURL(/\/smart-app\/index\.html/, { timeout: 30000 });
      await banner(page).getByText(chosenPatient.name[0].family).first().waitFor({ timeout: 30000 });
    } finally {
      await close();
    }
  });
});

describe('refused launches', () => {
  it('refuses a tampered PKCE code_verifier: no token, an error instead of a banner', async () => {
    const { page, requests, close } = await newPage();
    try {
      let tokenStatus = 0;
      page.on('response', (response) => {
        if (response.url() === `${stack.sandbox.authBaseUrl}/token`) tokenStatus = response.status();
      });
      await page.route(`${stack.sandbox.authBaseUrl}/token`, async (route) => {
        const body = new URLSearchParams(route.request().postData() ?? '');
        if (body.has('code_verifier')) body.set('code_verifier', `${body.get('code_verifier')!.slice(0, -4)}XXXX`);
        await route.continue({ postData: body.toString() });
      });
      await page.goto(`${stack.sandbox.origin}/launch?patient=${patientId}&app=smart-app`);
      await page.waitForURL(/\/smart-app\/index\.html/, { timeout: 30000 });
      await page.locator('ehr-context [role="alert"], ehr-context >> role=alert').first().waitFor({ timeout: 30000 });
      assert.equal(tokenStatus, 400);
      assert.equal(await banner(page).getByText(family).count(), 0);
      assert.ok(!requests.some((r) => r.url().startsWith(stack.sandbox.fhirBaseUrl + '/Patient')));
    } finally {
      await close();
    }
  });

  it('refuses a redirect whose state the app did not send: no token request at all', async () => {
    const { page, requests, close } = await newPage();
    try {
      // The authorization server's redirect back to the app is rewritten with a forged state
      // (Playwright does not route redirected requests, so the authorize response is fetched
      // here and its Location changed).
      let tampered = false;
      await page.route(
        (url) => url.href.startsWith(`${stack.sandbox.authBaseUrl}/authorize`),
        async (route) => {
          const response = await route.fetch({ maxRedirects: 0 });
          const location = response.headers()['location'];
          if (!location) return route.fulfill({ response });
          const target = new URL(location, route.request().url());
          if (target.searchParams.has('code')) {
            tampered = true;
            target.searchParams.set('state', 'forged-state-value');
          }
          await route.fulfill({ status: 302, headers: { location: target.href } });
        },
      );
      await page.goto(`${stack.sandbox.origin}/launch?patient=${patientId}&app=smart-app`);
      await page.waitForURL(/state=forged-state-value/, { timeout: 30000 });
      await page.locator('ehr-context >> role=alert').first().waitFor({ timeout: 30000 });
      assert.equal(tampered, true);
      assert.ok(!requests.some((r) => r.url().startsWith(`${stack.sandbox.authBaseUrl}/token`)));
      assert.equal(await banner(page).getByText(family).count(), 0);
    } finally {
      await close();
    }
  });
});

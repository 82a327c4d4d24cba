// The encrypted IndexedDB cache end to end, in a real browser against the real sandbox:
// a second view renders from the cache before the server answers, and with the sandbox
// server stopped the record still shows what was seen, marked "Offline".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from './support.js';

let stack: Stack;
let portalUrl: string;
let family: string;

before(async () => {
  stack = await startStack();
  const [first] = stack.sandbox.openFhir.listPatients();
  const patient = await (await fetch(`${stack.sandbox.openFhirBaseUrl}/Patient/${first.id}`)).json();
  family = patient.name[0].family;
  portalUrl = `${stack.appsBaseUrl}/portal/?server=${encodeURIComponent(stack.sandbox.openFhirBaseUrl)}&patient=${first.id}`;
});

after(async () => {
  await stack?.close();
});

/** Entries in the cache database (the encrypted blobs and their index). */
function cachedEntryCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('ehr-elements-cache');
        open.onerror = () => resolve(0);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          if (names.length === 0) return resolve(0);
          const tx = db.transaction(names, 'readonly');
          let total = 0;
          let pending = names.length;
          for (const name of names) {
            const request = tx.objectStore(name).count();
            request.onsuccess = () => {
              total += request.result;
              if (--pending === 0) resolve(total);
            };
          }
        };
      }),
  );
}

async function firstView(page: Page) {
  await page.goto(portalUrl);
  await page.locator('ehr-patient-banner').getByText(family).first().waitFor({ timeout: 30000 });
  await page.locator('ehr-allergy-list [part~="item"]').first().waitFor({ timeout: 30000 });
  // The cache writes in the background after a view renders: wait until it holds entries and stops growing.
  let previous = -1;
  for (let i = 0; i < 50; i += 1) {
    const count = await cachedEntryCount(page);
    if (count > 3 && count === previous) break;
    previous = count;
    await page.waitForTimeout(200);
  }
}

describe('cache in the browser', () => {
  it('renders a second view from the cache before any server response arrives', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    try {
      await firstView(page);
      // From now on every FHIR answer is held back 4 s: the record must appear before them.
      const responses: number[] = [];
      await page.route(`${stack.sandbox.openFhirBaseUrl}/**`, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 4000));
        await route.continue().catch(() => undefined);
      });
      page.on('response', (response) => {
        if (response.url().startsWith(stack.sandbox.openFhirBaseUrl)) responses.push(Date.now());
      });
      await page.reload();
      await page.locator('ehr-patient-banner').getByText(family).first().waitFor({ timeout: 3500 });
      await page.locator('ehr-allergy-list [part~="item"]').first().waitFor({ timeout: 3500 });
      const shownAt = Date.now();
      assert.equal(responses.filter((at) => at <= shownAt).length, 0, 'no FHIR response had arrived when the record was shown');
    } finally {
      await context.close();
    }
  });

  it('keeps showing the record, marked Offline, with the sandbox server stopped', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    try {
      await firstView(page);
      // Within `revalidateAfter` (10 s) a cached answer is shown without asking the server at
      // all, so nothing could notice it is down: let the cached data age past that first.
      await page.waitForTimeout(10500);
      await stack.sandbox.close();
      await page.reload();
      await page.locator('ehr-patient-banner').getByText(family).first().waitFor({ timeout: 15000 });
      const allergies = page.locator('ehr-allergy-list');
      await allergies.locator('[part~="item"]').first().waitFor({ timeout: 15000 });
      await allergies.getByText('Offline').first().waitFor({ timeout: 30000 });
      assert.equal(await allergies.getByText(/could not be loaded/i).count(), 0);
      assert.equal(await page.locator('ehr-allergy-list').getByText(/No allergies recorded|No known allergies/).count(), 0);
    } finally {
      await context.close();
    }
  });
});

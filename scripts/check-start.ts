// CI check of the README's first command: `npm start` serves the launcher, and following
// its first EHR launch link in headless Chromium shows that patient's banner.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/support.js';

const sandboxPort = process.env.SANDBOX_PORT ?? '18080';
const examplesPort = process.env.EXAMPLES_PORT ?? '15173';
const origin = `http://127.0.0.1:${sandboxPort}`;
const child = spawn('npm', ['start'], {
  env: { ...process.env, SANDBOX_PORT: sandboxPort, EXAMPLES_PORT: examplesPort },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.text();
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

let ok = false;
try {
  const launcher = await waitFor(`${origin}/`, 60000);
  await waitFor(`http://127.0.0.1:${examplesPort}/`, 60000);
  const link = /href="(\/launch\?patient=[^"&]+&amp;app=smart-app)"/.exec(launcher);
  if (!link) throw new Error('the launcher lists no EHR launch link');
  const href = link[1].replaceAll('&amp;', '&');
  const id = new URL(href, origin).searchParams.get('patient')!;
  const patient = await (await fetch(`${origin}/open/fhir/Patient/${id}`)).json();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}${href}`);
    await page.locator('ehr-patient-banner').getByText(patient.name[0].family).first().waitFor({ timeout: 60000 });
    ok = true;
    console.log(`ok   npm start: launcher at ${origin}/, EHR launch shows ${patient.name[0].family}`);
  } finally {
    await browser.close();
  }
} catch (error) {
  console.error(`FAIL npm start: ${error instanceof Error ? error.message : error}`);
} finally {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    /* already gone */
  }
}
process.exit(ok ? 0 : 1);

// CI check: load BUILT pages in Chromium (what esbuild forgives, Vite's production build
// may not: decorators, CommonJS interop, tree-shaking). Runs an EHR launch through the
// built SMART app, opens the built portal page, and renders every built Storybook story.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { preview } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { startSandbox } from '../packages/sandbox/src/server.js';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/support.js';

const root = resolve(import.meta.dirname, '..');
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

function watchErrors(page: Page, label: string) {
  page.on('pageerror', (error) => check(false, `${label}: uncaught ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      check(false, `${label}: console error ${message.text()}`);
    }
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

async function serveStatic(dir: string) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const previewServer = await preview({ configFile: join(root, 'vite.config.ts'), preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const appsBaseUrl = previewServer.resolvedUrls!.local[0].replace(/\/$/, '');
const sandbox = await startSandbox({ port: 0, appsBaseUrl, size: 'tiny' });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const storybook = await serveStatic(join(root, 'storybook-static'));

try {
  const patient = sandbox.fhir.listPatients()[0];
  const resource = await (await fetch(`${sandbox.openFhirBaseUrl}/Patient/${patient.id}`)).json();
  const family: string = resource.name[0].family;

  {
    const page = await browser.newPage();
    watchErrors(page, 'built SMART app');
    await page.goto(`${sandbox.origin}/launch?patient=${patient.id}&app=smart-app`);
    await page.waitForURL(/smart-app\/index\.html/, { timeout: 30000 });
    const shown = await page
      .locator('ehr-patient-banner')
      .getByText(family)
      .first()
      .waitFor({ timeout: 30000 })
      .then(() => true, () => false);
    check(shown, `built SMART app: EHR launch shows the banner of ${patient.name}`);
    await page.close();
  }
  {
    const page = await browser.newPage();
    watchErrors(page, 'built portal page');
    await page.goto(`${appsBaseUrl}/portal/?server=${encodeURIComponent(sandbox.openFhirBaseUrl)}&patient=${patient.id}`);
    const shown = await page
      .locator('ehr-patient-banner')
      .getByText(family)
      .first()
      .waitFor({ timeout: 30000 })
      .then(() => true, () => false);
    check(shown, `built portal page shows the banner of ${patient.name}`);
    await page.close();
  }
  {
    const index = JSON.parse(await readFile(join(root, 'storybook-static/index.json'), 'utf8'));
    const stories = Object.values(index.entries as Record<string, { id: string; type: string }>).filter(
      (entry) => entry.type === 'story',
    );
    check(stories.length > 0, `built Storybook has stories (${stories.length})`);
    const page = await browser.newPage();
    watchErrors(page, 'built Storybook');
    for (const story of stories) {
      await page.goto(`${storybook.url}/iframe.html?id=${story.id}&viewMode=story`);
      const rendered = await page
        .waitForFunction(() => {
          const root = document.querySelector('#storybook-root');
          return !!root && root.querySelector('*') !== null;
        }, undefined, { timeout: 15000 })
        .then(() => true, () => false);
      const errorShown = await page.locator('.sb-show-errordisplay').count();
      check(rendered && errorShown === 0, `built story ${story.id} renders`);
    }
    // Docs pages (addon-docs + the custom-elements manifest): the API table and the stories render.
    const docs = Object.values(index.entries as Record<string, { id: string; type: string }>).filter((entry) => entry.type === 'docs');
    for (const doc of docs) {
      await page.goto(`${storybook.url}/iframe.html?id=${doc.id}&viewMode=docs`);
      const rendered = await page
        .waitForFunction(() => {
          const root = document.querySelector('#storybook-docs');
          return !!root && /Name|Attribute|Property/i.test(root.textContent ?? '') && root.querySelector('[id^="ehr-"], ehr-patient-banner, ehr-record, ehr-allergy-list, ehr-condition-list, ehr-medication-list, ehr-immunization-list, ehr-vitals-chart, ehr-lab-results, ehr-timeline') !== null;
        }, undefined, { timeout: 20000 })
        .then(() => true, () => false);
      check(rendered, `built docs page ${doc.id} renders its API table and stories`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await sandbox.close();
  storybook.close();
  await new Promise<void>((r) => previewServer.httpServer.close(() => r()));
}

console.log(`\n${failures.length === 0 ? 'built pages: all checks passed' : `built pages: ${failures.length} failed`}`);
process.exit(failures.length === 0 ? 0 : 1);

// End-to-end stack for tests: the real sandbox (FHIR engine + SMART auth server), the
// example apps served by Vite, and Debian's Chromium driven by playwright-core.
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../packages/sandbox/src/server.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath(): string {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  return execSync('command -v chromium || command -v chromium-browser || command -v google-chrome', {
    shell: '/bin/sh',
  })
    .toString()
    .trim();
}

export interface Stack {
  sandbox: Sandbox;
  vite: ViteDevServer;
  appsBaseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startStack(options: SandboxOptions = {}): Promise<Stack> {
  const vite = await createServer({
    configFile: resolve(import.meta.dirname, '../../vite.config.ts'),
    server: { port: 0, strictPort: false, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  await vite.listen();
  const appsBaseUrl = vite.resolvedUrls!.local[0].replace(/\/$/, '');
  const sandbox = await startSandbox({ port: 0, appsBaseUrl, size: 'tiny', ...options });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  return {
    sandbox,
    vite,
    appsBaseUrl,
    browser,
    async close() {
      await browser.close();
      if (sandbox.server.listening) await sandbox.close();
      await vite.close();
    },
  };
}

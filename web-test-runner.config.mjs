// web-test-runner: every browser test, in the Chromium that Debian installs (never a downloaded one).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fhirclientEsmPlugin } from './scripts/wtr-fhirclient-plugin.mjs';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { defaultReporter } from '@web/test-runner';
import { execSync } from 'node:child_process';

function chromiumPath() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  try {
    return execSync('command -v chromium || command -v chromium-browser || command -v google-chrome', { shell: '/bin/sh' })
      .toString()
      .trim();
  } catch {
    throw new Error('Chromium not found on PATH. Install it: apt-get install -y chromium (or set CHROME_PATH).');
  }
}

export default {
  files: ['test/core/**/*.test.ts', 'test/elements/**/*.test.ts', 'test/stories/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  // One page at a time: a second page is a background tab, where requestAnimationFrame does not
  // run (virtual lists and charts wait on it), so tests could hang behind each other.
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } }, // a ceiling for slow machines, not a timing assertion
  browserStartTimeout: 60000,
  testsFinishTimeout: 180000,
  plugins: [
    fhirclientEsmPlugin(),
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: './tsconfig.base.json',
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter()],
};

#!/usr/bin/env node
// `npm test`: every test. Browser tests (web-test-runner, real Chromium) and Node tests
// (sandbox server, SMART auth server, end-to-end launches driven through Chromium), then
// one closing line with the sum: `N passed, N failed, N skipped`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'ehr-test-'));
const only = process.argv[2]; // optional: 'browser' or 'node'

// Node 20's --test takes no globs: list the files.
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(dir, name))
    .sort();
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

function readTotals(file) {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'));
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

if (only !== 'node') {
  const file = join(dir, 'browser.json');
  const code = await run('npx', ['web-test-runner'], { WTR_SUMMARY_FILE: file });
  const result = readTotals(file);
  if (!result) totals.failed += 1; // the runner died before reporting: count it as a failure
  else for (const key of Object.keys(totals)) totals[key] += result[key] ?? 0;
  if (code !== 0) exitCode = code;
}

if (only !== 'browser') {
  const file = join(dir, 'node.json');
  const code = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/node-summary-reporter.mjs',
      `--test-reporter-destination=${file}`,
      ...testFiles('test/repo'),
      ...testFiles('test/sandbox'),
      ...testFiles('test/e2e'),
    ],
  );
  const result = readTotals(file);
  if (!result) totals.failed += 1;
  else for (const key of Object.keys(totals)) totals[key] += result[key] ?? 0;
  console.log(`node: ${result?.passed ?? 0} passed, ${result?.failed ?? 0} failed, ${result?.skipped ?? 0} skipped`);
  if (code !== 0) exitCode = code;
}

if (totals.failed > 0 && exitCode === 0) exitCode = 1;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);

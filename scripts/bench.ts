// `npm run bench [-- <case id or part of one>...] [--runs N]`: builds the benchmark pages
// (bench/) with Vite, serves the build, and runs every case under bench/cases/ in Debian's
// headless Chromium, each run in a fresh page. Prints a table (median, min, max, target)
// and writes bench/results.json. Targets are reported, never asserted: a slow machine does
// not fail the command, a case that throws does.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { build, preview } from 'vite';
import type { BenchMetric, BenchOutcome } from '../bench/support.js';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/support.js';

const root = resolve(import.meta.dirname, '..');
const benchDir = join(root, 'bench');
const outDir = join(root, '.bench', 'dist');
const resultsFile = join(benchDir, 'results.json');
const DEFAULT_RUNS = 7;
const RUN_TIMEOUT_MS = 60_000;

interface MetricResult {
  case: string;
  name: string;
  metric: string;
  description: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  target?: BenchMetric['target'];
  /** Whether the median meets the target (absent without a target). */
  meetsTarget?: boolean;
  runs: number[];
  date: string;
}

interface ResultsFile {
  date: string;
  machine: Record<string, unknown>;
  results: MetricResult[];
}

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', short: 'r' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (options.help) {
  console.log('Usage: npm run bench [-- <case>...] [--runs N]\nCases are the files of bench/cases/ (see bench/README.md).');
  process.exit(0);
}

const allCases = readdirSync(join(benchDir, 'cases'))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const cases = positionals.length ? allCases.filter((id) => positionals.some((wanted) => id.includes(wanted))) : allCases;
if (cases.length === 0) {
  console.error(`No case matches ${positionals.join(', ')}. Cases: ${allCases.join(', ')}`);
  process.exit(1);
}
const runsOption = options.runs === undefined ? undefined : Number(options.runs);
if (runsOption !== undefined && (!Number.isInteger(runsOption) || runsOption < 1)) {
  console.error(`--runs must be a positive whole number, not "${options.runs}".`);
  process.exit(1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function meets(value: number, target: BenchMetric['target']): boolean | undefined {
  if (!target) return undefined;
  return (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
}

function formatValue(value: number, unit: string): string {
  const number = unit === 'count' ? Math.round(value).toLocaleString('en-US') : round(value).toLocaleString('en-US', { minimumFractionDigits: 1 });
  return unit === 'count' ? number : `${number} ${unit}`;
}

function formatTarget(target: BenchMetric['target'], unit: string): string {
  if (!target) return '';
  const parts = [target.max !== undefined ? `<= ${formatValue(target.max, unit)}` : '', target.min !== undefined ? `>= ${formatValue(target.min, unit)}` : ''];
  return parts.filter(Boolean).join(', ');
}

function printTable(results: readonly MetricResult[]): void {
  const header = ['case', 'metric', 'median', 'min', 'max', 'target', ''];
  const rows = results.map((result) => [
    result.case,
    result.metric,
    formatValue(result.median, result.unit),
    formatValue(result.min, result.unit),
    formatValue(result.max, result.unit),
    formatTarget(result.target, result.unit),
    result.meetsTarget === undefined ? '' : result.meetsTarget ? 'met' : 'MISSED',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column >= 2 && column <= 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

async function runOnce(browser: Browser, baseUrl: string, id: string): Promise<Extract<BenchOutcome, { status: 'done' }>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await page.goto(`${baseUrl}/index.html?case=${encodeURIComponent(id)}`);
    await page.waitForFunction(() => window.__benchOutcome !== undefined, undefined, { timeout: RUN_TIMEOUT_MS, polling: 100 });
    const outcome = (await page.evaluate(() => window.__benchOutcome)) as BenchOutcome;
    if (outcome.status === 'error') throw new Error(`${id}: ${outcome.message}`);
    // The virtualizer's benign "ResizeObserver loop" notice is not an exception.
    const real = pageErrors.filter((message) => !/ResizeObserver loop/.test(message));
    if (real.length) throw new Error(`${id}: uncaught error in the page: ${real.join('; ')}`);
    return outcome;
  } finally {
    await context.close();
  }
}

const started = Date.now();
console.log(`Building bench pages (${cases.length} ${cases.length === 1 ? 'case' : 'cases'}: ${cases.join(', ')})...`);
await build({
  root: benchDir,
  configFile: false,
  base: './',
  // Warnings of dependencies (fhirclient's crypto shim, reached through <ehr-context>'s lazy SMART import) are not the benchmark's business.
  logLevel: 'error',
  // fhirclient reads this at build time (see vite.config.ts); the cases do not load it, but a case might.
  define: { FHIRCLIENT_PURE: 'true' },
  build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false, sourcemap: false },
});
const server = await preview({ root: benchDir, configFile: false, base: './', logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
const baseUrl = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const date = new Date().toISOString();
const results: MetricResult[] = [];
let failed = false;

try {
  for (const id of cases) {
    const outcomes: Extract<BenchOutcome, { status: 'done' }>[] = [];
    try {
      outcomes.push(await runOnce(browser, baseUrl, id));
      const runs = runsOption ?? outcomes[0]!.runs ?? DEFAULT_RUNS;
      process.stdout.write(`${id}: run 1/${runs}`);
      while (outcomes.length < runs) {
        outcomes.push(await runOnce(browser, baseUrl, id));
        process.stdout.write(`, ${outcomes.length}`);
      }
      process.stdout.write('\n');
    } catch (error) {
      failed = true;
      console.error(`\n${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const { name, metrics } = outcomes[0]!;
    for (const [metric, definition] of Object.entries(metrics)) {
      const values = outcomes.map((outcome) => outcome.values[metric]!);
      const middle = median(values);
      results.push({
        case: id,
        name,
        metric,
        description: definition.description,
        unit: definition.unit,
        median: round(middle),
        min: round(Math.min(...values)),
        max: round(Math.max(...values)),
        ...(definition.target ? { target: definition.target, meetsTarget: meets(middle, definition.target) } : {}),
        runs: values.map(round),
        date,
      });
    }
  }
} finally {
  await browser.close();
  await new Promise<void>((done) => server.httpServer.close(() => done()));
}

const machine = {
  platform: `${os.type()} ${os.release()} (${os.arch()})`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGB: round(os.totalmem() / 2 ** 30),
  node: process.version,
  browser: `Chromium ${browser.version()}`,
  // Other work on the machine skews timings: recorded so a reader can judge.
  loadAverage: os.loadavg().map(round),
};

// Cases not run this time keep their last results.
const previous: ResultsFile | undefined = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as ResultsFile) : undefined;
const ran = new Set(results.map((result) => result.case));
const merged: ResultsFile = {
  date,
  machine,
  // Cases whose file is gone are dropped.
  results: [...(previous?.results ?? []).filter((result) => !ran.has(result.case) && allCases.includes(result.case)), ...results].sort((a, b) =>
    a.case.localeCompare(b.case),
  ),
};
writeFileSync(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);

printTable(results);
console.log(`\n${machine.browser}, ${machine.cpu} x${machine.cores}, load ${machine.loadAverage.join(' ')}. Wrote ${resultsFile} in ${round((Date.now() - started) / 1000)} s.`);

// Bundle sizes (scripts/bench-size.ts, bench/sizes.json) after a full run; `npm run bench:size` alone.
if (positionals.length === 0) {
  try {
    const { reportSizes } = await import('./bench-size.js');
    await reportSizes();
  } catch (error) {
    failed = true;
    console.error(`\nBundle sizes: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);

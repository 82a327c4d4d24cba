// The benchmark page: runs the case named by `?case=<file name>` once and leaves the
// outcome on `window.__benchOutcome` for scripts/bench.ts (which opens a fresh page per run).
import type { BenchCase, BenchOutcome } from './support.js';

const cases = import.meta.glob<{ default: BenchCase }>('./cases/*.ts');

async function main(): Promise<BenchOutcome> {
  const id = new URLSearchParams(location.search).get('case') ?? '';
  const load = cases[`./cases/${id}.ts`];
  if (!load) return { status: 'error', message: `No case "${id}" (bench/cases/${id}.ts). Known: ${Object.keys(cases).join(', ')}` };
  const { default: benchCase } = await load();
  const values = await benchCase.run();
  for (const metric of Object.keys(benchCase.metrics)) {
    if (typeof values[metric] !== 'number' || !Number.isFinite(values[metric])) {
      return { status: 'error', message: `Case "${id}" did not report a number for "${metric}".` };
    }
  }
  return { status: 'done', name: benchCase.name, description: benchCase.description, metrics: benchCase.metrics, runs: benchCase.runs, values };
}

main().then(
  (outcome) => (window.__benchOutcome = outcome),
  (error: unknown) => (window.__benchOutcome = { status: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
);

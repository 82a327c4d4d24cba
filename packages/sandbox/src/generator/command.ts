/**
 * `ehr-sandbox generate`: writes one transaction Bundle per patient and
 * prints what it wrote.
 *
 *   tsx packages/sandbox/src/cli.ts generate --seed 1 --size small --out sandbox-data
 *   tsx packages/sandbox/src/cli.ts generate --patient-resources 20000 --out bench
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { COHORT_SIZES, type CohortSize, type GeneratedPatient, PROFILE_NAMES, generateCohort, generatePatientRecord, toTransactionBundle } from './index.js';

export const GENERATE_USAGE = `Usage: ehr-sandbox generate [options]

Writes one FHIR R4 transaction Bundle (PUT <Type>/<id>) per patient.

Options:
  --seed <n>                 Seed; same seed and size give identical files (default 1)
  --size <size>              ${COHORT_SIZES.join(' | ')} | <number of patients> (default small)
  --patient-resources <n>    Instead of a cohort, one patient with about n resources
  --profile <name>           Profile for --patient-resources (default bulk):
                             ${PROFILE_NAMES.join(', ')}
  --now <ISO date>           Anchor for dates (default 2026-06-01T12:00:00Z)
  --out <dir>                Output directory (default sandbox-data)
  --compact                  Write JSON without indentation
  -h, --help                 Show this help
`;

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  return value;
}

/** A mistake in the command line: reported with the usage, exit code 2. */
export class UsageError extends Error {}

/** `Family_Given_id.json`, ASCII only so it survives any file system. */
export function bundleFileName(record: GeneratedPatient): string {
  const name = record.patient.name?.find((candidate) => candidate.use === 'official') ?? record.patient.name?.[0];
  const clean = (text: string | undefined): string =>
    (text ?? 'Unknown').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9-]/g, '') || 'Unknown';
  return `${clean(name?.family)}_${clean(name?.given?.[0])}_${record.patient.id}.json`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]): string => row.map((cell, column) => (column === 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Runs the command; returns the process exit code. */
export async function runGenerate(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        seed: { type: 'string', default: '1' },
        size: { type: 'string', default: 'small' },
        'patient-resources': { type: 'string' },
        profile: { type: 'string', default: 'bulk' },
        now: { type: 'string' },
        out: { type: 'string', default: 'sandbox-data' },
        compact: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${GENERATE_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(GENERATE_USAGE);
    return 0;
  }

  let records: GeneratedPatient[];
  const started = performance.now();
  try {
    const seed = positiveInteger('seed', values.seed);
    const now = values.now === undefined ? undefined : new Date(values.now);
    if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now is not a date: "${values.now}"`);
    if (values['patient-resources'] !== undefined) {
      const target = positiveInteger('patient-resources', values['patient-resources']);
      records = [generatePatientRecord({ seed, profile: values.profile, targetResources: target, now })];
    } else {
      const size: CohortSize | number = /^\d+$/.test(values.size) ? positiveInteger('size', values.size) : (values.size as CohortSize);
      if (typeof size === 'string' && !COHORT_SIZES.includes(size)) throw new UsageError(`--size must be one of ${COHORT_SIZES.join(', ')} or a number, got "${size}"`);
      records = generateCohort({ seed, size, now });
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof RangeError) {
      console.error(`${error.message}\n\n${GENERATE_USAGE}`);
      return 2;
    }
    throw error;
  }
  const generated = performance.now() - started;

  const directory = resolve(values.out);
  await mkdir(directory, { recursive: true });
  const rows = [['Patient', 'Id', 'Profile', 'Resources', 'File']];
  let total = 0;
  for (const record of records) {
    const file = bundleFileName(record);
    const bundle = toTransactionBundle(record);
    await writeFile(join(directory, file), `${JSON.stringify(bundle, null, values.compact ? undefined : 2)}\n`);
    const name = record.patient.name?.[0];
    rows.push([[...(name?.given ?? []), name?.family].filter(Boolean).join(' '), record.patient.id ?? '', record.profile, String(record.resources.length), file]);
    total += record.resources.length;
  }
  console.log(table(rows));
  console.log(`\n${records.length} patient(s), ${total} resources, generated in ${Math.round(generated)} ms, written to ${directory}`);
  return 0;
}

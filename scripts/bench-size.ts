// `npm run bench:size`: what a page downloads, minified and gzipped, dependencies included.
// esbuild bundles small entry files (generated in a temp dir) the way an app bundler would:
// ESM for the browser, minified, `FHIRCLIENT_PURE` defined, code splitting so each dynamic
// import becomes its own chunk. It prints a table and writes bench/sizes.json. `npm run
// bench` (without a case filter) runs it at the end. Targets are reported, never asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, version, type Metafile } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const sizesFile = join(root, 'bench', 'sizes.json');
const elementsSrc = join(root, 'packages', 'elements', 'src');

/** One figure of the report. */
export interface SizeResult {
  /** What was measured: `banner-page`, `all-elements`, `chunk:chart`... */
  id: string;
  description: string;
  /** Minified bytes. */
  bytes: number;
  /** gzip level 9 bytes, each file compressed on its own, as a server sends it. */
  gzipBytes: number;
  /** The output files counted, relative to the output directory. */
  files: string[];
  /** Target on the gzip size, in KB (1,024 bytes). */
  targetKB?: number;
  meetsTarget?: boolean;
}

interface SizesFile {
  date: string;
  esbuild: string;
  results: SizeResult[];
}

interface Entry {
  readonly id: string;
  readonly description: string;
  readonly source: string;
  readonly targetKB?: number;
}

// A page showing a patient's banner and allergies under <ehr-context>: the three classes from
// their own modules (define.ts would register, and so bundle, every element).
const bannerPage = `
import { ContextElement } from ${JSON.stringify(join(elementsSrc, 'context/context.ts'))};
import { PatientBannerElement } from ${JSON.stringify(join(elementsSrc, 'patient-banner/patient-banner.ts'))};
import { AllergyListElement } from ${JSON.stringify(join(elementsSrc, 'allergy-list/allergy-list.ts'))};
customElements.define('ehr-context', ContextElement);
customElements.define('ehr-patient-banner', PatientBannerElement);
customElements.define('ehr-allergy-list', AllergyListElement);
`;

const ENTRIES: readonly Entry[] = [
  {
    id: 'banner-page',
    description: '<ehr-context> + <ehr-patient-banner> + <ehr-allergy-list>, initial load',
    source: bannerPage,
    targetKB: 45,
  },
  {
    id: 'all-elements',
    description: "Every element (import '@ehr-elements/elements/define.js'), initial load",
    source: `import '@ehr-elements/elements/define.js';\n`,
    targetKB: 130,
  },
];

/** On-demand chunks, named by a dependency only they contain. */
const CHUNK_NAMES: readonly { readonly id: string; readonly description: string; readonly marker: RegExp }[] = [
  { id: 'chunk:chart', description: 'Vitals plot: Chart.js (loaded when a chart is shown)', marker: /node_modules\/chart\.js\// },
  { id: 'chunk:ucum', description: 'UCUM unit conversion, @lhncbc/ucum-lhc (loaded for an unusual unit)', marker: /node_modules\/@lhncbc\/ucum-lhc\// },
  { id: 'chunk:smart', description: 'SMART launch with fhirclient (loaded by <ehr-context> for a launch)', marker: /node_modules\/fhirclient\// },
  {
    id: 'chunk:virtualizer-flow',
    description: "@lit-labs/virtualizer's flow layout (now part of the timeline's initial load; reported if a build splits it out again)",
    marker: /node_modules\/@lit-labs\/virtualizer\/layouts\/flow/,
  },
];

const KB = 1024;

/** Output files reached from `start` through static imports (what the browser fetches before running it). */
function staticClosure(metafile: Metafile, start: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || exclude.has(file)) return;
    seen.add(file);
    for (const link of metafile.outputs[file]?.imports ?? []) if (link.kind === 'import-statement' && !link.external) visit(link.path);
  };
  visit(start);
  return [...seen];
}

function measure(files: readonly string[], contents: ReadonlyMap<string, Uint8Array>): { bytes: number; gzipBytes: number } {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const data = contents.get(file)!;
    bytes += data.byteLength;
    gzipBytes += gzipSync(data, { level: 9 }).byteLength;
  }
  return { bytes, gzipBytes };
}

async function bundle(entry: Entry, dir: string): Promise<SizeResult[]> {
  const entryFile = join(dir, `${entry.id}.js`);
  writeFileSync(entryFile, entry.source);
  const outdir = join(dir, 'out', entry.id);
  const result = await build({
    entryPoints: [entryFile],
    absWorkingDir: root,
    // The temp dir has no node_modules: resolve bare imports from the repository's.
    nodePaths: [join(root, 'node_modules')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    metafile: true,
    write: false,
    outdir,
    logLevel: 'silent',
    // fhirclient reads this at build time: true drops its polyfills.
    define: { FHIRCLIENT_PURE: 'true' },
    // The sources use legacy decorators (see TOOLCHAIN.md).
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
  const metafile = result.metafile;
  const contents = new Map(result.outputFiles.map((file) => [relative(root, file.path), file.contents]));
  const entryOutput = Object.keys(metafile.outputs).find((file) => metafile.outputs[file]!.entryPoint !== undefined)!;
  const initial = staticClosure(metafile, entryOutput);
  const initialSet = new Set(initial);
  const sizes = measure(initial, contents);
  const results: SizeResult[] = [
    {
      id: entry.id,
      description: entry.description,
      ...sizes,
      files: initial.map((file) => relative(outdir, join(root, file))),
      ...(entry.targetKB !== undefined ? { targetKB: entry.targetKB, meetsTarget: sizes.gzipBytes <= entry.targetKB * KB } : {}),
    },
  ];
  if (entry.id !== 'all-elements') return results;

  // Every chunk some output loads with import(): what it adds to what is already loaded.
  const dynamicTargets = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const link of output.imports) if (link.kind === 'dynamic-import' && !link.external) dynamicTargets.add(link.path);
  }
  const chunks: SizeResult[] = [];
  for (const chunk of [...dynamicTargets].sort()) {
    const files = staticClosure(metafile, chunk, initialSet);
    const inputs = files.flatMap((file) => Object.keys(metafile.outputs[file]!.inputs));
    const named = CHUNK_NAMES.find((name) => inputs.some((input) => name.marker.test(input)));
    const id = named?.id ?? `chunk:${relative(outdir, join(root, chunk))}`;
    chunks.push({
      id,
      description: named?.description ?? `On-demand chunk (${inputs.slice(0, 2).join(', ')})`,
      ...measure(files, contents),
      files: files.map((file) => relative(outdir, join(root, file))),
    });
  }
  // Named chunks in CHUNK_NAMES order, any other after them.
  const order = (result: SizeResult) => {
    const index = CHUNK_NAMES.findIndex((name) => name.id === result.id);
    return index < 0 ? CHUNK_NAMES.length : index;
  };
  return [...results, ...chunks.sort((a, b) => order(a) - order(b))];
}

function formatKB(bytes: number): string {
  return `${(bytes / KB).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`;
}

function printTable(results: readonly SizeResult[]): void {
  const header = ['bundle', 'minified', 'gzip', 'target (gzip)', '', 'files'];
  const rows = results.map((result) => [
    result.id,
    formatKB(result.bytes),
    formatKB(result.gzipBytes),
    result.targetKB !== undefined ? `<= ${result.targetKB.toFixed(1)} KB` : '',
    result.meetsTarget === undefined ? '' : result.meetsTarget ? 'met' : 'MISSED',
    String(result.files.length),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column >= 1 && column <= 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

/** Builds every entry, prints the table and writes bench/sizes.json. Resolves with the figures. */
export async function reportSizes(): Promise<SizeResult[]> {
  const dir = mkdtempSync(join(os.tmpdir(), 'ehr-bench-size-'));
  try {
    const results: SizeResult[] = [];
    for (const entry of ENTRIES) results.push(...(await bundle(entry, dir)));
    const file: SizesFile = { date: new Date().toISOString(), esbuild: version, results };
    writeFileSync(sizesFile, `${JSON.stringify(file, null, 2)}\n`);
    printTable(results);
    console.log(`\nMinified with esbuild ${version} (ESM, browser, es2022, code splitting), gzip level 9 per file. Wrote ${sizesFile}.`);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await reportSizes();
}

/**
 * `ehr-sandbox serve`: the FHIR server, SMART auth server and launcher on loopback.
 *
 *   tsx packages/sandbox/src/cli.ts serve --port 8080 --apps http://127.0.0.1:5173
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startSandbox } from './server.js';
import { COHORT_SIZES, type CohortSize } from './generator/index.js';

export const SERVE_USAGE = `Usage: ehr-sandbox serve [options]

Serves synthetic patients through a FHIR R4 server (token required at /fhir, open at
/open/fhir), a SMART App Launch 2.2 authorization server (/auth) and a launcher page (/),
on 127.0.0.1 only.

Options:
  --port <n>          Port (default 8080)
  --apps <url>        Where the example apps are served (default http://127.0.0.1:5173)
  --seed <n>          Seed of the synthetic cohort (default 1)
  --size <size>       ${COHORT_SIZES.join(' | ')} | <number of patients> (default small)
  --bundles <dir>     Also load every FHIR JSON file in <dir> (repeatable)
  --token-ttl <s>     Access token lifetime in seconds (default 3600)
  --log               Log every request
  -h, --help          Show this help
`;

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8080' },
      apps: { type: 'string', default: 'http://127.0.0.1:5173' },
      seed: { type: 'string', default: '1' },
      size: { type: 'string', default: 'small' },
      bundles: { type: 'string', multiple: true, default: [] },
      'token-ttl': { type: 'string' },
      log: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  const size = /^\d+$/.test(values.size) ? Number(values.size) : values.size;
  if (typeof size === 'string' && !(COHORT_SIZES as readonly string[]).includes(size)) {
    console.error(`Unknown --size "${values.size}".\n\n${SERVE_USAGE}`);
    return 2;
  }
  const started = performance.now();
  const sandbox = await startSandbox({
    port: Number(values.port),
    appsBaseUrl: values.apps,
    seed: Number(values.seed),
    size: size as CohortSize | number,
    bundleDirs: values.bundles.map((dir) => resolve(dir)),
    accessTokenTtl: values['token-ttl'] ? Number(values['token-ttl']) : undefined,
    log: values.log,
  });
  const patients = sandbox.fhir.listPatients();
  console.log(
    `ehr-sandbox: ${patients.length} patients loaded in ${Math.round(performance.now() - started)} ms\n` +
      `  launcher        ${sandbox.origin}/\n` +
      `  FHIR (SMART)    ${sandbox.fhirBaseUrl}\n` +
      `  FHIR (open)     ${sandbox.openFhirBaseUrl}\n` +
      `  authorization   ${sandbox.authBaseUrl}`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}

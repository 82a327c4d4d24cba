#!/usr/bin/env node
// `npm run test:corpus`: browser tests over ../shared/fhir-corpus (or FHIR_CORPUS_DIR).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(process.env.FHIR_CORPUS_DIR ?? resolve(import.meta.dirname, '../../shared/fhir-corpus'));
if (!existsSync(dir)) {
  console.error(`The FHIR corpus is not at ${dir}. Set FHIR_CORPUS_DIR to its folder (see README).`);
  process.exit(1);
}
const child = spawn('npx', ['web-test-runner', '--config', 'web-test-runner.corpus.config.mjs'], {
  stdio: 'inherit',
  env: { ...process.env, FHIR_CORPUS_DIR: dir },
});
child.on('exit', (code) => process.exit(code ?? 1));

#!/usr/bin/env node
// `npm start`: the sandbox (FHIR server, SMART auth server, launcher) and the example
// apps (Vite), both on loopback, offline. Ctrl+C stops both.
import { spawn } from 'node:child_process';

const sandboxPort = process.env.SANDBOX_PORT ?? '8080';
const examplesPort = process.env.EXAMPLES_PORT ?? '5173';
const extra = process.argv.slice(2); // passed to the sandbox, e.g. --size medium --bundles ../shared/fhir-corpus/synthea

const children = [
  spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/sandbox/src/cli.ts',
      'serve',
      '--port',
      sandboxPort,
      '--apps',
      `http://127.0.0.1:${examplesPort}`,
      ...extra,
    ],
    { stdio: 'inherit' },
  ),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', examplesPort, '--strictPort'], {
    stdio: 'inherit',
    env: { ...process.env, EXAMPLES_PORT: examplesPort },
  }),
];

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log(`\n  Launcher: http://127.0.0.1:${sandboxPort}/\n  Examples: http://127.0.0.1:${examplesPort}/\n`);

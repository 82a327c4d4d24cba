#!/usr/bin/env -S npx tsx
/**
 * ehr-sandbox: the dev sandbox's command line. A thin dispatcher: each
 * subcommand lives in its own module, loaded only when asked for, and
 * returns an exit code.
 *
 *   tsx packages/sandbox/src/cli.ts generate --seed 1 --size small --out sandbox-data
 */
import process from 'node:process';

const USAGE = `Usage: ehr-sandbox <command> [options]

Commands:
  generate   Write synthetic FHIR R4 patient records as transaction Bundles
  serve      Serve them: FHIR server, SMART authorization server, launcher

Run "ehr-sandbox <command> --help" for a command's options.
`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import('./generator/command.js')).runGenerate,
  serve: async () => (await import('./serve-command.js')).runServe,
};

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);

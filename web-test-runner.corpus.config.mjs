// Tests over ../shared/fhir-corpus: real-world-shaped records we did not generate.
// The corpus is beside the checkout on developer machines and in CI, not in a fresh
// clone, so these run under `npm run test:corpus`, not `npm test`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import base from './web-test-runner.config.mjs';

const corpusDir = resolve(process.env.FHIR_CORPUS_DIR ?? resolve(import.meta.dirname, '../shared/fhir-corpus'));

function listJson(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listJson(path);
    return name.endsWith('.json') ? [relative(corpusDir, path)] : [];
  });
}

function corpusPlugin() {
  return {
    name: 'fhir-corpus',
    serve(context) {
      if (context.path === '/__corpus/index.json') return { body: JSON.stringify(listJson(corpusDir)), type: 'json' };
      if (context.path.startsWith('/__corpus/')) {
        const file = resolve(corpusDir, decodeURIComponent(context.path.slice('/__corpus/'.length)));
        if (!file.startsWith(corpusDir)) return { status: 403, body: '' };
        return { body: readFileSync(file, 'utf8'), type: 'json' };
      }
    },
  };
}

export default {
  ...base,
  files: ['test/corpus/**/*.test.ts'],
  testFramework: { config: { timeout: 60000 } },
  plugins: [corpusPlugin(), ...base.plugins],
};

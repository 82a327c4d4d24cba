// fhirclient ships CommonJS only (`export =`, a `browser` field, no `exports`).
// web-test-runner serves ES modules only, so serve fhirclient as an ESM bundle that
// esbuild makes once (Vite bundles it by itself for builds). FHIRCLIENT_PURE drops
// its polyfills, as in the Vite build.
import { build } from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const VIRTUAL_PATH = '/__virtual/fhirclient.js';

export function fhirclientEsmPlugin() {
  let bundled;
  return {
    name: 'fhirclient-esm',
    resolveImport({ source }) {
      if (source === 'fhirclient') return VIRTUAL_PATH;
    },
    async serve(context) {
      if (context.path !== VIRTUAL_PATH) return;
      bundled ??= build({
        stdin: {
          contents: `import FHIR from ${JSON.stringify(require.resolve('fhirclient/lib/entry/browser.js'))}; export default FHIR;`,
          resolveDir: process.cwd(),
          loader: 'js',
        },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        define: { FHIRCLIENT_PURE: 'true', 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundled, type: 'js' };
    },
  };
}

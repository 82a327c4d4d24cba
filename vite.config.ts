// Vite builds and serves the example pages (examples/): a portal page and a SMART app.
// `npm start` serves them beside the sandbox; `npm run build` writes dist/examples.
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, 'examples');

export default defineConfig({
  root,
  base: './',
  // fhirclient reads this at build time: true drops its polyfills (27.0 -> 21.1 KB gzip).
  define: { FHIRCLIENT_PURE: 'true' },
  // Pre-bundle the CommonJS and bare-import dependencies at startup, so the dev server never
  // reloads a page halfway through a SMART redirect because it found a new dependency.
  optimizeDeps: { include: ['fhirclient', 'lit', 'lit/decorators.js', '@lit/context', '@lit/task'] },
  server: { host: '127.0.0.1', port: Number(process.env.EXAMPLES_PORT ?? 5173), strictPort: true },
  preview: { host: '127.0.0.1', port: Number(process.env.EXAMPLES_PORT ?? 5173) },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/examples'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        index: resolve(root, 'index.html'),
        portal: resolve(root, 'portal/index.html'),
        'smart-launch': resolve(root, 'smart-app/launch.html'),
        'smart-app': resolve(root, 'smart-app/index.html'),
      },
    },
  },
});

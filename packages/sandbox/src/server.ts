// The sandbox: one loopback HTTP server with
//   /              the launcher page (patients, launch links, the values an app needs)
//   /launch        creates an EHR launch context and sends the browser to the app's launch URL
//   /fhir/...      FHIR R4 API that requires a SMART access token
//   /open/fhir/... the same data without auth (a portal's "open server")
//   /auth/...      SMART App Launch 2.2 authorization server
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resource } from '@medplum/fhirtypes';
import { createFhirServer, type FhirServer } from './fhir/index.js';
import { createSmartAuthServer, type SmartAuthServer } from './smart/index.js';
import { generateCohort, type CohortSize } from './generator/index.js';
import { renderLauncher } from './launcher.js';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 8080. */
  port?: number;
  /** Host to bind: loopback only. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Where the example apps are served (Vite), for the launcher's links. Default http://127.0.0.1:5173 */
  appsBaseUrl?: string;
  /** Synthetic cohort: seed and size. Default seed 1, size 'small'. */
  seed?: number;
  size?: CohortSize | number;
  /** Extra folders of FHIR bundles/resources to load (e.g. ../shared/fhir-corpus/synthea). */
  bundleDirs?: string[];
  /** Access token lifetime in seconds. */
  accessTokenTtl?: number;
  /** Log requests to stdout. */
  log?: boolean;
}

export interface Sandbox {
  readonly origin: string;
  readonly fhirBaseUrl: string;
  readonly openFhirBaseUrl: string;
  readonly authBaseUrl: string;
  readonly appsBaseUrl: string;
  readonly auth: SmartAuthServer;
  readonly fhir: FhirServer;
  readonly openFhir: FhirServer;
  readonly server: Server;
  close(): Promise<void>;
}

/** Starts the sandbox and resolves once it listens and the data is loaded. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8080, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const origin = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  const fhirBaseUrl = `${origin}/fhir`;
  const openFhirBaseUrl = `${origin}/open/fhir`;
  const authBaseUrl = `${origin}/auth`;
  const appsBaseUrl = (options.appsBaseUrl ?? 'http://127.0.0.1:5173').replace(/\/$/, '');

  const resources: Resource[] = generateCohort({ seed: options.seed ?? 1, size: options.size ?? 'small' }).flatMap(
    (record) => record.resources,
  );

  let fhir: FhirServer | undefined;
  const auth = createSmartAuthServer({
    authBaseUrl,
    fhirBaseUrl,
    accessTokenTtl: options.accessTokenTtl,
    patients: () =>
      (fhir?.listPatients() ?? []).map(({ id, name, birthDate, gender }) => ({ id, name, birthDate, gender })),
  });
  fhir = await createFhirServer({ baseUrl: fhirBaseUrl, authorize: (req) => auth.verifyRequest(req) });
  const openFhir = await createFhirServer({ baseUrl: openFhirBaseUrl });
  for (const server of [fhir, openFhir]) {
    await server.load(resources);
    for (const dir of options.bundleDirs ?? []) await server.loadFolder(dir);
  }
  const protectedFhir = fhir;

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (options.log) console.log(`${req.method} ${url}`);
    const route = (prefix: string) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
    const rest = (prefix: string) => url.slice(prefix.length);
    const done = (promise: Promise<void>) =>
      promise.catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal sandbox error');
      });

    if (url.startsWith('/fhir/.well-known/smart-configuration')) return auth.handleSmartConfiguration(req, res);
    if (route('/fhir')) return done(protectedFhir.handle(req, res, rest('/fhir')));
    if (route('/open/fhir')) return done(openFhir.handle(req, res, rest('/open/fhir')));
    if (route('/auth')) return done(auth.handle(req, res, rest('/auth')));
    if (route('/launch')) return handleLaunch(req, res);
    if (url === '/' || url.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        renderLauncher({
          patients: protectedFhir.listPatients(),
          fhirBaseUrl,
          openFhirBaseUrl,
          authBaseUrl,
          appsBaseUrl,
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  });

  /**
   * An EHR launch (SMART App Launch 2.2, "EHR Launch"): the EHR opens the app's launch URL
   * with `iss` (the FHIR base) and an opaque `launch` bound to the patient in context.
   */
  function handleLaunch(req: IncomingMessage, res: ServerResponse) {
    const query = new URL(req.url ?? '/', origin).searchParams;
    const patient = query.get('patient');
    if (!patient || !protectedFhir.listPatients().some((p) => p.id === patient)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Unknown or missing patient');
      return;
    }
    const launch = auth.createLaunch({
      patient,
      // The launcher offers both: an EHR that shows its own banner (embedded) and one that does not.
      needPatientBanner: query.get('banner') !== 'ehr',
    });
    const app = query.get('app') ?? 'smart-app';
    if (!/^[a-z0-9-]+$/.test(app)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad app name');
      return;
    }
    const target = new URL(`${appsBaseUrl}/${app}/launch.html`);
    target.searchParams.set('iss', fhirBaseUrl);
    target.searchParams.set('launch', launch);
    res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    res.end();
  }

  return {
    origin,
    fhirBaseUrl,
    openFhirBaseUrl,
    authBaseUrl,
    appsBaseUrl,
    auth,
    fhir: protectedFhir,
    openFhir,
    server: http,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

import { installFakeServer, restoreFetch } from './fetch-dispatcher.js'; // first: before fhirclient loads
import { expect } from '@open-wc/testing';
import FHIR from 'fhirclient';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import { SmartSource } from '../../../packages/core/src/smart/index.js';
import { capturingWarnings, json, observation, outcome, rejection, searchset } from '../source/fake-fhir-server.js';

const SERVER = 'https://ehr.example.test/fhir';
const FOREIGN = 'https://tracker.example.test';

/** An unsigned id_token: fhirclient only decodes it (it does not verify it). */
function idToken(claims: Record<string, unknown>): string {
  return `${btoa(JSON.stringify({ alg: 'none' }))}.${btoa(JSON.stringify(claims))}.`;
}

type TokenResponse = Record<string, unknown>;

function client(tokenResponse: TokenResponse = {}, state: Record<string, unknown> = {}) {
  return FHIR.client({
    serverUrl: SERVER,
    tokenResponse: { access_token: 'at-123', patient: '123', ...tokenResponse },
    ...state,
  });
}

describe('SmartSource', () => {
  let sessionKeys: Set<string>;

  beforeEach(() => {
    sessionKeys = new Set(Object.keys(sessionStorage));
  });

  afterEach(() => {
    restoreFetch();
    // fhirclient clears or writes its session in sessionStorage (a 401, a refresh).
    for (const key of Object.keys(sessionStorage)) if (!sessionKeys.has(key)) sessionStorage.removeItem(key);
  });

  it('takes the server, patient and launch context from the SMART launch', () => {
    const source = new SmartSource(
      client({
        need_patient_banner: false,
        smart_style_url: 'https://ehr.example.test/smart-style.json',
        encounter: 'enc-9',
        scope: 'launch/patient patient/*.rs openid fhirUser',
        id_token: idToken({ fhirUser: 'https://ehr.example.test/fhir/Practitioner/dr-1' }),
      }),
    );
    expect(source.server).to.deep.equal({ baseUrl: SERVER, label: 'ehr.example.test' });
    expect(source.patientId).to.equal('123');
    expect(source.launchContext).to.deep.equal({
      needPatientBanner: false,
      smartStyleUrl: 'https://ehr.example.test/smart-style.json',
      encounterId: 'enc-9',
      fhirUser: 'Practitioner/dr-1',
      scopes: ['launch/patient', 'patient/*.rs', 'openid', 'fhirUser'],
    });
    expect(source.userKey).to.equal('Practitioner/dr-1');
  });

  it('reads fhirUser from a base64url id_token (characters plain base64 has not), and refuses one issued to another client', () => {
    const base64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    // "?>>" and "~~~" encode to '/' and '+' in base64: '_' and '-' in base64url.
    const claims = { fhirUser: 'Practitioner/dr-2', name: '?>>~~~', aud: 'my-app' };
    const token = `${base64url({ alg: 'none' })}.${base64url(claims)}.`;
    expect(token).to.match(/[-_]/);
    const source = new SmartSource(client({ id_token: token }, { clientId: 'my-app' }));
    expect(source.userKey).to.equal('Practitioner/dr-2');
    const otherClient = new SmartSource(client({ id_token: token }, { clientId: 'another-app' }));
    expect(otherClient.userKey).to.equal(undefined);
  });

  it('signOut() revokes the tokens at the revocation endpoint and forgets the session in sessionStorage (fake endpoints)', async () => {
    const posted: string[] = [];
    const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url === `${SERVER}/.well-known/smart-configuration`) return new Response(JSON.stringify({ revocation_endpoint: 'https://auth.example.test/revoke' }), { status: 200 });
      if (url === 'https://auth.example.test/revoke') {
        posted.push(String(init?.body));
        return new Response('', { status: 200 });
      }
      return new Response('', { status: 404 });
    }) as typeof fetch;
    sessionStorage.setItem('SMART_KEY', JSON.stringify('session-under-test'));
    sessionStorage.setItem('session-under-test', JSON.stringify({ tokenResponse: { access_token: 'at-123' } }));
    const source = new SmartSource(client({ refresh_token: 'rt-456' }, { clientId: 'my-app' }));
    await source.signOut({ fetch: fakeFetch });
    expect(posted).to.deep.equal(['token=rt-456&client_id=my-app', 'token=at-123&client_id=my-app']);
    expect(sessionStorage.getItem('SMART_KEY')).to.equal(null);
    expect(sessionStorage.getItem('session-under-test')).to.equal(null);
  });

  it('leaves out what the launch did not say', () => {
    const source = new SmartSource(FHIR.client({ serverUrl: `${SERVER}/`, tokenResponse: { access_token: 'x' } }), { label: 'Example EHR' });
    expect(source.server).to.deep.equal({ baseUrl: SERVER, label: 'Example EHR' });
    expect(source.patientId).to.equal(undefined);
    expect(source.launchContext).to.deep.equal({});
    expect(source.userKey).to.equal(undefined);
  });

  it('with a fake server that has two pages, sends the token to the server and gathers both pages', async () => {
    const server = installFakeServer((url) =>
      url.searchParams.get('page')
        ? json(searchset([observation('b')]))
        : json(searchset([observation('a')], { total: 2, next: `${SERVER}/Observation?page=2` })),
    );
    const result = await new SmartSource(client()).search('Observation', { patient: '123' });
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a', 'b']);
    expect(result.complete).to.equal(true);
    expect(server.requests.map((r) => r.url)).to.deep.equal([`${SERVER}/Observation?patient=123`, `${SERVER}/Observation?page=2`]);
    for (const request of server.requests) {
      expect(request.headers.get('authorization')).to.equal('Bearer at-123');
      expect(request.headers.get('accept')).to.equal('application/fhir+json');
    }
  });

  it('with a fake server whose next link points to another origin, never sends the token there', async () => {
    const server = installFakeServer((url) =>
      url.origin === FOREIGN ? json(searchset([observation('x')])) : json(searchset([observation('a')], { next: `${FOREIGN}/fhir/Observation?page=2` })),
    );
    const { result, warnings } = await capturingWarnings(() => new SmartSource(client()).search('Observation'));
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a']);
    expect(result.incompleteReason).to.equal('foreign-next-link');
    expect(warnings).to.have.length(1);
    expect(server.requests.filter((r) => r.url.startsWith(FOREIGN))).to.deep.equal([]);
  });

  it('with a fake server whose pages link in a loop, stops', async () => {
    const server = installFakeServer(() => json(searchset([observation('a')], { next: `${SERVER}/Observation` })));
    const result = await new SmartSource(client()).search('Observation');
    expect(result.incompleteReason).to.equal('repeated-next-link');
    expect(server.requests).to.have.length(1);
  });

  it('with a fake server, reads a resource and checks its type', async () => {
    installFakeServer((url) => (url.pathname.endsWith('/Patient/123') ? json({ resourceType: 'Patient', id: '123' }) : json(outcome('nope'))));
    const source = new SmartSource(client());
    expect(await source.read('Patient', '123')).to.deep.equal({ resourceType: 'Patient', id: '123' });
    const error = (await rejection(source.read('Patient', '456'))) as FhirError;
    expect(error.kind).to.equal('invalid-response');
    expect(error.message).to.equal('The FHIR server sent an OperationOutcome when asked for a Patient.');
  });

  const statuses: [number, FhirError['kind']][] = [
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [410, 'not-found'],
    [500, 'server'],
  ];
  for (const [status, kind] of statuses) {
    it(`with a fake server that answers ${status} with an OperationOutcome, rejects with kind ${kind} quoting it`, async () => {
      installFakeServer(() => json(outcome(`Reason ${status}`), status));
      const error = (await rejection(new SmartSource(client()).read('Observation', 'o1'))) as FhirError;
      expect(error).to.be.instanceOf(FhirError);
      expect(error.kind).to.equal(kind);
      expect(error.status).to.equal(status);
      expect(error.message).to.contain(`(${status}). The server said: Reason ${status}`);
      expect(error.url).to.equal(`${SERVER}/Observation/o1`);
    });
  }

  it('with a fake server that cannot be reached, rejects with kind network', async () => {
    installFakeServer(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = (await rejection(new SmartSource(client()).search('Observation'))) as FhirError;
    expect(error.kind).to.equal('network');
    expect(error.message).to.equal('The FHIR server could not be reached.');
  });

  it('with a fake server that answers HTML, rejects with kind invalid-response', async () => {
    installFakeServer(() => new Response('<html>Sign in</html>', { headers: { 'content-type': 'text/html' } }));
    const error = (await rejection(new SmartSource(client()).read('Patient', '123'))) as FhirError;
    expect(error.kind).to.equal('invalid-response');
  });

  it('with a fake server that answers broken JSON, rejects with kind invalid-response', async () => {
    installFakeServer(() => new Response('{"resourceType": "Patient", ', { headers: { 'content-type': 'application/fhir+json' } }));
    const error = (await rejection(new SmartSource(client()).read('Patient', '123'))) as FhirError;
    expect(error.kind).to.equal('invalid-response');
  });

  it('with a fake server that hangs, rejects as aborted when the signal fires', async () => {
    installFakeServer(
      (_url, _request, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        }),
    );
    const controller = new AbortController();
    const pending = new SmartSource(client()).search('Observation', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(((await rejection(pending)) as FhirError).kind).to.equal('aborted');
  });

  it('with a fake token endpoint that refuses the refresh of an expired token, rejects with kind unauthorized and sends no FHIR request', async () => {
    const server = installFakeServer((url) =>
      url.pathname === '/auth/token' ? json({ error: 'invalid_grant' }, 400, 'application/json') : json({ resourceType: 'Patient', id: '123' }),
    );
    const source = new SmartSource(
      client(
        { refresh_token: 'rt-1', scope: 'launch/patient patient/*.rs offline_access' },
        { tokenUri: 'https://ehr.example.test/auth/token', expiresAt: Math.floor(Date.now() / 1000) - 60 },
      ),
    );
    const error = (await rejection(source.read('Patient', '123'))) as FhirError;
    expect(error.kind).to.equal('unauthorized');
    expect(error.message).to.equal('Your session has expired and could not be renewed. Please launch the app again.');
    expect(server.requests.map((r) => new URL(r.url).pathname)).to.deep.equal(['/auth/token']);
  });

  it('with a fake token endpoint, refreshes an expired token and uses the new one', async () => {
    const server = installFakeServer((url) =>
      url.pathname === '/auth/token'
        ? json({ access_token: 'at-new', token_type: 'bearer', expires_in: 3600, scope: 'patient/*.rs offline_access' }, 200, 'application/json')
        : json({ resourceType: 'Patient', id: '123' }),
    );
    const source = new SmartSource(
      client(
        { refresh_token: 'rt-1', scope: 'launch/patient patient/*.rs offline_access' },
        { tokenUri: 'https://ehr.example.test/auth/token', expiresAt: Math.floor(Date.now() / 1000) - 60 },
      ),
    );
    await source.read('Patient', '123');
    const fhirRequest = server.requests.find((r) => r.url.startsWith(SERVER));
    expect(fhirRequest?.headers.get('authorization')).to.equal('Bearer at-new');
  });
});

import { installFakeServer, restoreFetch } from './fetch-dispatcher.js'; // first: before fhirclient loads
import { expect } from '@open-wc/testing';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import {
  DEFAULT_SMART_SCOPE,
  SmartSource,
  buildSmartAuthorizeUrl,
  completeSmartLaunch,
  isSmartLaunchCallback,
  launchSmartApp,
} from '../../../packages/core/src/smart/index.js';
import type { SmartLaunchOptions } from '../../../packages/core/src/smart/index.js';
import { json, rejection } from '../source/fake-fhir-server.js';

// fhirclient caches each server's smart-configuration for the life of the page: every
// test uses a server of its own.
let serverNumber = 0;
function nextServer(): string {
  serverNumber += 1;
  return `https://ehr${serverNumber}.example.test/fhir`;
}

/** A fake authorization server's .well-known/smart-configuration (SMART App Launch 2.2, conformance). */
function smartConfiguration(iss: string, methods: string[] | undefined) {
  const auth = new URL(iss).origin;
  return installFakeServer((url) =>
    url.pathname.endsWith('/.well-known/smart-configuration')
      ? json(
          {
            authorization_endpoint: `${auth}/auth/authorize`,
            token_endpoint: `${auth}/auth/token`,
            capabilities: ['launch-ehr', 'launch-standalone', 'client-public'],
            ...(methods ? { code_challenge_methods_supported: methods } : {}),
          },
          200,
          'application/json',
        )
      : new Response('', { status: 404 }),
  );
}

describe('SMART launch', () => {
  let sessionKeys: Set<string>;

  beforeEach(() => {
    sessionKeys = new Set(Object.keys(sessionStorage));
  });

  afterEach(() => {
    restoreFetch();
    for (const key of Object.keys(sessionStorage)) if (!sessionKeys.has(key)) sessionStorage.removeItem(key);
  });

  it('with a fake server that supports S256, builds an authorize URL with a PKCE S256 challenge', async () => {
    const iss = nextServer();
    const server = smartConfiguration(iss, ['S256']);
    const url = new URL(await buildSmartAuthorizeUrl({ clientId: 'my-app', iss, redirectUri: 'https://app.example.test/index.html' }));

    expect(`${url.origin}${url.pathname}`).to.equal(`${new URL(iss).origin}/auth/authorize`);
    const query = url.searchParams;
    expect(query.get('response_type')).to.equal('code');
    expect(query.get('client_id')).to.equal('my-app');
    expect(query.get('scope')).to.equal(DEFAULT_SMART_SCOPE);
    expect(query.get('aud')).to.equal(iss);
    expect(query.get('redirect_uri')).to.equal('https://app.example.test/index.html');
    expect(query.get('code_challenge_method')).to.equal('S256');
    expect(query.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('state')).to.be.a('string');
    expect(server.requests.map((r) => new URL(r.url).pathname)).to.deep.equal(['/fhir/.well-known/smart-configuration']);
    // The verifier stays in this tab's sessionStorage, under the state.
    const stored = JSON.parse(sessionStorage.getItem(query.get('state')!)!) as { codeVerifier?: string };
    expect(stored.codeVerifier).to.be.a('string');
  });

  it('never hands a client secret to fhirclient: public clients only', async () => {
    const iss = nextServer();
    smartConfiguration(iss, ['S256']);
    const options = { clientId: 'my-app', iss, clientSecret: 'do-not-store' } as SmartLaunchOptions;
    const url = new URL(await buildSmartAuthorizeUrl(options));
    const stored = sessionStorage.getItem(url.searchParams.get('state')!)!;
    expect(stored).not.to.contain('do-not-store');
  });

  it('with a fake server that lists only plain, refuses to launch (no S256)', async () => {
    const iss = nextServer();
    smartConfiguration(iss, ['plain']);
    const error = (await rejection(launchSmartApp({ clientId: 'my-app', iss }))) as FhirError;
    expect(error).to.be.instanceOf(FhirError);
    expect(error.kind).to.equal('launch');
    expect(error.message).to.contain('PKCE S256');
    expect(location.href).not.to.contain('/auth/authorize');
  });

  it('with a fake server that lists no code challenge methods, refuses to launch', async () => {
    const iss = nextServer();
    smartConfiguration(iss, undefined);
    const error = (await rejection(buildSmartAuthorizeUrl({ clientId: 'my-app', iss }))) as FhirError;
    expect(error.kind).to.equal('launch');
    expect(error.message).to.contain('PKCE S256');
  });

  it('refuses a server outside allowedServers before contacting it', async () => {
    const iss = nextServer();
    const server = smartConfiguration(iss, ['S256']);
    const error = (await rejection(launchSmartApp({ clientId: 'my-app', iss, allowedServers: ['https://trusted.example.test/fhir/'] }))) as FhirError;
    expect(error.kind).to.equal('launch');
    expect(error.message).to.equal(`This app is not set up to connect to ${iss}.`);
    expect(server.requests).to.have.length(0);
  });

  it('accepts a server in allowedServers whatever its trailing slash', async () => {
    const iss = nextServer();
    smartConfiguration(iss, ['S256']);
    const url = await buildSmartAuthorizeUrl({ clientId: 'my-app', iss: `${iss}/`, allowedServers: [iss] });
    expect(new URL(url).searchParams.get('code_challenge_method')).to.equal('S256');
  });

  it('refuses to start without a FHIR server address', async () => {
    const error = (await rejection(launchSmartApp({ clientId: 'my-app' }))) as FhirError;
    expect(error.kind).to.equal('launch');
    expect(error.message).to.contain('without a FHIR server address');
  });

  it('refuses a fhirServiceUrl (a launch without sign-in) that comes from the page URL only', async () => {
    const original = location.href;
    const url = new URL(original);
    url.searchParams.set('fhirServiceUrl', 'https://attacker.example.test/fhir');
    history.replaceState(history.state, '', url.href);
    try {
      const error = (await rejection(launchSmartApp({ clientId: 'my-app' }))) as FhirError;
      expect(error.kind).to.equal('launch');
    } finally {
      history.replaceState(history.state, '', original);
    }
  });
});

describe('completeSmartLaunch', () => {
  let sessionKeys: Set<string>;

  beforeEach(() => {
    sessionKeys = new Set(Object.keys(sessionStorage));
    sessionStorage.removeItem('SMART_KEY');
  });

  afterEach(() => {
    for (const key of Object.keys(sessionStorage)) if (!sessionKeys.has(key)) sessionStorage.removeItem(key);
  });

  it('rejects with kind launch when this page was not opened by a launch', async () => {
    const error = (await rejection(completeSmartLaunch())) as FhirError;
    expect(error).to.be.instanceOf(FhirError);
    expect(error.kind).to.equal('launch');
    expect(error.message).to.contain('Please launch the app again');
  });

  it('revives a completed session in this tab as a SmartSource', async () => {
    sessionStorage.setItem('SMART_KEY', JSON.stringify('session-1'));
    sessionStorage.setItem(
      'session-1',
      JSON.stringify({
        serverUrl: 'https://ehr.example.test/fhir',
        clientId: 'my-app',
        authorizeUri: 'https://ehr.example.test/auth/authorize',
        tokenUri: 'https://ehr.example.test/auth/token',
        key: 'session-1',
        tokenResponse: { access_token: 'at', patient: 'p-7', need_patient_banner: true, scope: 'launch/patient patient/*.rs' },
      }),
    );
    const source = await completeSmartLaunch({ label: 'Example EHR' });
    expect(source).to.be.instanceOf(SmartSource);
    expect(source.patientId).to.equal('p-7');
    expect(source.server).to.deep.equal({ baseUrl: 'https://ehr.example.test/fhir', label: 'Example EHR' });
    expect(source.launchContext.needPatientBanner).to.equal(true);
  });

  it('rejects with kind launch when a launch started but never came back with a token', async () => {
    sessionStorage.setItem('SMART_KEY', JSON.stringify('session-2'));
    sessionStorage.setItem(
      'session-2',
      JSON.stringify({
        serverUrl: 'https://ehr.example.test/fhir',
        clientId: 'my-app',
        authorizeUri: 'https://ehr.example.test/auth/authorize',
        tokenUri: 'https://ehr.example.test/auth/token',
        key: 'session-2',
        tokenResponse: {},
      }),
    );
    const error = (await rejection(completeSmartLaunch())) as FhirError;
    expect(error.kind).to.equal('launch');
    expect(error.message).to.equal('The sign-in was not completed. Please launch the app again.');
  });
});

describe('isSmartLaunchCallback', () => {
  let sessionKeys: Set<string>;

  beforeEach(() => {
    sessionKeys = new Set(Object.keys(sessionStorage));
    sessionStorage.removeItem('SMART_KEY');
  });

  afterEach(() => {
    for (const key of Object.keys(sessionStorage)) if (!sessionKeys.has(key)) sessionStorage.removeItem(key);
  });

  it('recognises the authorization server redirect, with a code or an error', () => {
    expect(isSmartLaunchCallback('https://app.example.test/index.html?code=abc&state=xyz')).to.equal(true);
    expect(isSmartLaunchCallback('https://app.example.test/index.html?error=access_denied&state=xyz')).to.equal(true);
    expect(isSmartLaunchCallback('https://app.example.test/index.html?code=abc')).to.equal(false);
    expect(isSmartLaunchCallback('https://app.example.test/index.html')).to.equal(false);
  });

  it('recognises a completed session in this tab, not one still waiting for its token', () => {
    sessionStorage.setItem('SMART_KEY', JSON.stringify('s1'));
    sessionStorage.setItem('s1', JSON.stringify({ serverUrl: 'https://ehr.example.test/fhir', tokenResponse: {} }));
    expect(isSmartLaunchCallback('https://app.example.test/index.html')).to.equal(false);
    sessionStorage.setItem('s1', JSON.stringify({ serverUrl: 'https://ehr.example.test/fhir', tokenResponse: { access_token: 'at' } }));
    expect(isSmartLaunchCallback('https://app.example.test/index.html')).to.equal(true);
  });
});

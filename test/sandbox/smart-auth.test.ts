// The sandbox SMART App Launch 2.2 authorization server, driven over real HTTP
// the way a browser app (fhirclient) would: redirects are read, not followed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { createSmartAuthServer, scopesAllow } from '../../packages/sandbox/src/smart/index.js';
import type { SmartAuthServer } from '../../packages/sandbox/src/smart/index.js';

const CLIENT_ID = 'ehr-elements-example';
const APP_REDIRECT = 'http://127.0.0.1:5173/smart-app/';

let server: Server;
let auth: SmartAuthServer;
let origin: string;
let authBase: string;
let fhirBase: string;
/** The server's clock; tests move it forward to expire tokens. */
let clock = Date.UTC(2025, 0, 15, 12, 0, 0);

before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/fhir/.well-known/smart-configuration')) return auth.handleSmartConfiguration(req, res);
    if (url === '/auth' || url.startsWith('/auth/')) {
      auth.handle(req, res, url.slice('/auth'.length)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    if (url.startsWith('/fhir/')) {
      // A stand-in protected resource: what verifyRequest lets a FHIR server see.
      const grant = auth.verifyRequest(req);
      if (!grant) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="sandbox"' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(grant));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  authBase = `${origin}/auth`;
  fhirBase = `${origin}/fhir`;
  auth = createSmartAuthServer({
    authBaseUrl: authBase,
    fhirBaseUrl: fhirBase,
    patients: () => [
      { id: 'pat-1', name: 'Amara Okafor', birthDate: '1984-03-02', gender: 'female' },
      { id: 'pat-2', name: '<script>alert(1)</script> O\'Brien & Sons', gender: 'male' },
    ],
    now: () => clock,
  });
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// ---- helpers ----------------------------------------------------------------

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url'); // 64 unreserved characters
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${authBase}/authorize`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

function authorizeParams(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const { challenge } = pkce();
  return {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: APP_REDIRECT,
    scope: 'launch/patient patient/*.rs openid fhirUser offline_access',
    state: randomBytes(16).toString('base64url'),
    aud: fhirBase,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
}

async function get(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

function location(response: Response): URL {
  assert.ok([302, 303].includes(response.status), `expected a redirect, got ${response.status}`);
  const value = response.headers.get('location');
  assert.ok(value, 'redirect has a Location');
  return new URL(value);
}

/** Run an EHR launch up to the redirect with the code. */
async function ehrAuthorize(scope: string, context: Parameters<SmartAuthServer['createLaunch']>[0] = { patient: 'pat-1' }) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('base64url');
  const launch = auth.createLaunch(context);
  const response = await get(authorizeUrl(authorizeParams({ scope, state, launch, code_challenge: challenge })));
  const redirect = location(response);
  assert.equal(redirect.origin + redirect.pathname, APP_REDIRECT);
  assert.equal(redirect.searchParams.get('state'), state);
  const code = redirect.searchParams.get('code');
  assert.ok(code, `code in ${redirect.href}`);
  return { code, verifier, state };
}

async function exchangeCode(code: string, verifier: string, overrides: Record<string, string> = {}): Promise<Response> {
  return postForm(`${authBase}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: APP_REDIRECT,
    client_id: CLIENT_ID,
    code_verifier: verifier,
    ...overrides,
  });
}

async function refresh(refreshToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return postForm(`${authBase}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
}

async function fhirRead(accessToken: string | undefined): Promise<Response> {
  return fetch(`${fhirBase}/Patient/pat-1`, {
    headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
  });
}

async function expectOAuthError(response: Response, error: string): Promise<string> {
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const body = (await response.json()) as { error: string; error_description: string };
  assert.equal(body.error, error, body.error_description);
  assert.equal(typeof body.error_description, 'string');
  return body.error_description;
}

function expectRedirectError(response: Response, error: string, state: string | undefined): URL {
  const redirect = location(response);
  assert.equal(redirect.origin + redirect.pathname, APP_REDIRECT);
  assert.equal(redirect.searchParams.get('error'), error, redirect.searchParams.get('error_description') ?? '');
  assert.equal(redirect.searchParams.get('code'), null);
  assert.equal(redirect.searchParams.get('state'), state ?? null);
  return redirect;
}

function decodeJwtPart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

// ---- tests --------------------------------------------------------------------

describe('discovery', () => {
  test('smart-configuration advertises SMART 2.2 endpoints and capabilities', async () => {
    const response = await get(`${fhirBase}/.well-known/smart-configuration`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const config = (await response.json()) as Record<string, unknown>;
    assert.equal(config.issuer, authBase);
    assert.equal(config.jwks_uri, `${authBase}/jwks`);
    assert.equal(config.authorization_endpoint, `${authBase}/authorize`);
    assert.equal(config.token_endpoint, `${authBase}/token`);
    assert.equal(config.introspection_endpoint, `${authBase}/introspect`);
    assert.deepEqual(config.grant_types_supported, ['authorization_code', 'refresh_token']);
    assert.deepEqual(config.response_types_supported, ['code']);
    assert.deepEqual(config.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(config.token_endpoint_auth_methods_supported, ['none']);
    const scopes = config.scopes_supported as string[];
    for (const scope of ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'patient/*.rs', 'patient/*.read']) {
      assert.ok(scopes.includes(scope), `scopes_supported has ${scope}`);
    }
    const capabilities = config.capabilities as string[];
    for (const capability of [
      'launch-ehr',
      'launch-standalone',
      'authorize-post',
      'client-public',
      'context-ehr-patient',
      'context-standalone-patient',
      'context-passthrough-banner',
      'context-passthrough-style',
      'permission-patient',
      'permission-v1',
      'permission-v2',
      'sso-openid-connect',
    ]) {
      assert.ok(capabilities.includes(capability), `capabilities has ${capability}`);
    }
    // Not implemented, so not advertised.
    assert.ok(!capabilities.includes('client-confidential-symmetric'));
  });

  test('the same document is served under the auth base, and a SMART style document exists', async () => {
    const config = (await (await get(`${authBase}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    assert.equal(config.token_endpoint, `${authBase}/token`);
    const style = (await (await get(`${authBase}/smart-style.json`)).json()) as Record<string, unknown>;
    for (const key of [
      'color_background',
      'color_error',
      'color_highlight',
      'color_modal_backdrop',
      'color_success',
      'color_text',
      'dim_border_radius',
      'dim_font_size',
      'dim_spacing_size',
      'font_family_body',
      'font_family_heading',
    ]) {
      assert.equal(typeof style[key], 'string', key);
    }
  });
});

describe('EHR launch', () => {
  test('launch -> code -> token with patient context, banner off, style URL and a verifiable id_token', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs openid fhirUser offline_access', {
      patient: 'pat-1',
      encounter: 'enc-9',
    });
    const response = await exchangeCode(code, verifier);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const token = (await response.json()) as Record<string, unknown>;
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, 3600);
    assert.equal(token.scope, 'launch patient/*.rs openid fhirUser offline_access');
    assert.equal(token.patient, 'pat-1');
    assert.equal(token.encounter, 'enc-9');
    assert.equal(token.need_patient_banner, false);
    assert.equal(token.smart_style_url, `${authBase}/smart-style.json`);
    assert.equal(typeof token.access_token, 'string');
    assert.equal(typeof token.refresh_token, 'string');

    // id_token: RS256, signed by a key in the JWKS, with fhirUser.
    const [headerPart, payloadPart, signaturePart] = String(token.id_token).split('.');
    const header = decodeJwtPart(headerPart);
    const claims = decodeJwtPart(payloadPart);
    assert.equal(header.alg, 'RS256');
    const jwks = (await (await get(`${authBase}/jwks`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    assert.ok(jwk, 'the id_token kid is in the JWKS');
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    assert.equal(verify('sha256', signed, publicKey, Buffer.from(signaturePart, 'base64url')), true);
    const tampered = Buffer.from(`${headerPart}.${Buffer.from(JSON.stringify({ ...claims, sub: 'x' })).toString('base64url')}`);
    assert.equal(verify('sha256', tampered, publicKey, Buffer.from(signaturePart, 'base64url')), false);
    assert.equal(claims.iss, authBase);
    assert.equal(claims.aud, CLIENT_ID);
    assert.equal(claims.fhirUser, `${fhirBase}/Practitioner/sandbox-practitioner`);
    assert.equal(typeof claims.sub, 'string');
    assert.equal(claims.iat, Math.floor(clock / 1000));
    assert.ok((claims.exp as number) > (claims.iat as number));

    // The token opens the FHIR API with the launch context.
    const read = await fhirRead(String(token.access_token));
    assert.equal(read.status, 200);
    const grant = (await read.json()) as Record<string, unknown>;
    assert.equal(grant.clientId, CLIENT_ID);
    assert.equal(grant.patient, 'pat-1');
    assert.equal(grant.encounter, 'enc-9');
    assert.deepEqual(grant.scopes, ['launch', 'patient/*.rs', 'openid', 'fhirUser', 'offline_access']);
  });

  test('createLaunch overrides need_patient_banner and smart_style_url', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/Observation.read', {
      patient: 'pat-2',
      needPatientBanner: true,
      smartStyleUrl: 'http://127.0.0.1:9999/ehr-style.json',
    });
    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, unknown>;
    assert.equal(token.patient, 'pat-2');
    assert.equal(token.need_patient_banner, true);
    assert.equal(token.smart_style_url, 'http://127.0.0.1:9999/ehr-style.json');
    assert.equal(token.scope, 'launch patient/Observation.read');
    // No openid, no offline_access: no id_token, no refresh token.
    assert.equal(token.id_token, undefined);
    assert.equal(token.refresh_token, undefined);
  });

  test('an EHR launch must ask for launch context; launch/patient alone is enough (fhirclient adds no `launch` then)', async () => {
    const launch = auth.createLaunch({ patient: 'pat-2' });
    const refused = await get(authorizeUrl(authorizeParams({ scope: 'patient/*.rs openid', launch, state: 'no-launch-scope' })));
    expectRedirectError(refused, 'invalid_scope', 'no-launch-scope');

    const { verifier, challenge } = pkce();
    const accepted = await get(
      authorizeUrl(authorizeParams({ scope: 'launch/patient patient/*.rs', launch, code_challenge: challenge })),
    );
    const token = (await (await exchangeCode(location(accepted).searchParams.get('code') ?? '', verifier)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(token.patient, 'pat-2', 'no picker: the patient comes from the launch');
    assert.equal(token.scope, 'launch/patient patient/*.rs');
  });

  test('authorize-post: the same request form-encoded in a POST body', async () => {
    const { verifier, challenge } = pkce();
    const launch = auth.createLaunch({ patient: 'pat-1' });
    const params = authorizeParams({ scope: 'launch patient/*.rs', launch, code_challenge: challenge, state: 'post-state' });
    const response = await postForm(`${authBase}/authorize`, params as Record<string, string>);
    assert.equal(response.status, 303);
    const redirect = location(response);
    assert.equal(redirect.searchParams.get('state'), 'post-state');
    const token = await exchangeCode(redirect.searchParams.get('code') ?? '', verifier);
    assert.equal(token.status, 200);
  });
});

describe('standalone launch', () => {
  test('picker lists the patients (escaped), posting a choice redirects with a code and the same state', async () => {
    const { verifier, challenge } = pkce();
    const state = 'standalone-state-123';
    const page = await get(authorizeUrl(authorizeParams({ state, code_challenge: challenge })));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await page.text();
    assert.match(html, /Amara Okafor/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; O&#39;Brien &amp; Sons/);
    assert.doesNotMatch(html, /<script>/);
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"\s]+\.(css|js)/, 'no external resources');
    // One submit button per patient, named by its text.
    const buttons = [...html.matchAll(/<button class="patient" type="submit" name="patient" value="([^"]+)">/g)];
    assert.deepEqual(
      buttons.map((match) => match[1]),
      ['pat-1', 'pat-2'],
    );
    // The pending request travels as an opaque transaction id only.
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
    assert.equal(action, `${authBase}/authorize/select`);
    const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(transaction);
    assert.doesNotMatch(html, new RegExp(challenge), 'the code challenge is not re-posted by the page');

    const selected = await postForm(action, { transaction, patient: 'pat-1' });
    const redirect = location(selected);
    assert.equal(redirect.origin + redirect.pathname, APP_REDIRECT);
    assert.equal(redirect.searchParams.get('state'), state);
    const code = redirect.searchParams.get('code');
    assert.ok(code);

    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, unknown>;
    assert.equal(token.patient, 'pat-1');
    assert.equal(token.need_patient_banner, true);
    assert.equal(token.scope, 'launch/patient patient/*.rs openid fhirUser offline_access');

    // The transaction is single use.
    const again = await postForm(action, { transaction, patient: 'pat-2' });
    assert.equal(again.status, 400);
    assert.equal(again.headers.get('location'), null);
  });

  test('cancelling in the picker returns access_denied with the state', async () => {
    const page = await get(authorizeUrl(authorizeParams({ state: 'cancel-state' })));
    const transaction = /name="transaction" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const response = await postForm(`${authBase}/authorize/select`, { transaction, decision: 'deny' });
    expectRedirectError(response, 'access_denied', 'cancel-state');
  });

  test('without launch/patient there is no picker, no patient, and patient/ scopes are not granted', async () => {
    const { verifier, challenge } = pkce();
    const response = await get(
      authorizeUrl(authorizeParams({ scope: 'patient/*.rs user/*.rs openid fhirUser unknown/scope', code_challenge: challenge })),
    );
    const code = location(response).searchParams.get('code') ?? '';
    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, unknown>;
    assert.equal(token.scope, 'user/*.rs openid fhirUser');
    assert.equal(token.patient, undefined);
  });
});

describe('authorization request refusals', () => {
  test('no code_challenge: invalid_request, state echoed', async () => {
    const response = await get(authorizeUrl(authorizeParams({ code_challenge: undefined, state: 's1' })));
    expectRedirectError(response, 'invalid_request', 's1');
  });

  test('code_challenge_method plain: invalid_request', async () => {
    const verifier = pkce().verifier;
    const response = await get(
      authorizeUrl(authorizeParams({ code_challenge: verifier.slice(0, 43), code_challenge_method: 'plain', state: 's2' })),
    );
    const redirect = expectRedirectError(response, 'invalid_request', 's2');
    assert.match(redirect.searchParams.get('error_description') ?? '', /S256/);
  });

  test('wrong aud: invalid_request; a trailing slash is tolerated', async () => {
    const wrong = await get(authorizeUrl(authorizeParams({ aud: 'http://127.0.0.1:1/other-fhir', state: 's3' })));
    expectRedirectError(wrong, 'invalid_request', 's3');
    const missing = await get(authorizeUrl(authorizeParams({ aud: undefined, state: 's3b' })));
    expectRedirectError(missing, 'invalid_request', 's3b');
    const slash = await get(authorizeUrl(authorizeParams({ aud: `${fhirBase}/` })));
    assert.equal(slash.status, 200, 'the picker, not an error');
  });

  test('missing state and wrong response_type are refused', async () => {
    expectRedirectError(await get(authorizeUrl(authorizeParams({ state: undefined }))), 'invalid_request', undefined);
    expectRedirectError(
      await get(authorizeUrl(authorizeParams({ response_type: 'token', state: 's4' }))),
      'unsupported_response_type',
      's4',
    );
  });

  test('unknown or expired launch: invalid_request (invalid_launch)', async () => {
    const unknown = await get(authorizeUrl(authorizeParams({ scope: 'launch patient/*.rs', launch: 'not-a-launch', state: 's5' })));
    const redirect = expectRedirectError(unknown, 'invalid_request', 's5');
    assert.match(redirect.searchParams.get('error_description') ?? '', /invalid_launch/);

    const launch = auth.createLaunch({ patient: 'pat-1' });
    clock += 2 * 3600 * 1000;
    const expired = await get(authorizeUrl(authorizeParams({ scope: 'launch patient/*.rs', launch, state: 's6' })));
    expectRedirectError(expired, 'invalid_request', 's6');
  });

  test('non-loopback or malformed redirect_uri: an HTML error page, never a redirect', async () => {
    for (const redirectUri of [
      'https://evil.example/callback',
      'http://127.0.0.1.evil.example/cb',
      'javascript:alert(1)',
      'http://localhost:5173/cb#fragment',
    ]) {
      const response = await get(authorizeUrl(authorizeParams({ redirect_uri: redirectUri, code_challenge: undefined })));
      assert.equal(response.status, 400, redirectUri);
      assert.equal(response.headers.get('location'), null, redirectUri);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const html = await response.text();
      assert.doesNotMatch(html, /<script/);
    }
    const ipv6 = await get(authorizeUrl(authorizeParams({ redirect_uri: 'http://[::1]:5173/cb' })));
    assert.equal(ipv6.status, 200, '[::1] is loopback');
  });
});

describe('token endpoint', () => {
  test('tampered PKCE verifier: invalid_grant, and the code is then spent', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs');
    const wrongVerifier = pkce().verifier;
    assert.match(await expectOAuthError(await exchangeCode(code, wrongVerifier), 'invalid_grant'), /code_verifier/);
    await expectOAuthError(await exchangeCode(code, verifier), 'invalid_grant');
  });

  test('malformed verifier: invalid_request', async () => {
    const { code } = await ehrAuthorize('launch patient/*.rs');
    await expectOAuthError(await exchangeCode(code, 'too-short'), 'invalid_request');
  });

  test('code reuse: invalid_grant and the tokens issued from the code are revoked', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs offline_access');
    const first = (await (await exchangeCode(code, verifier)).json()) as Record<string, string>;
    assert.equal((await fhirRead(first.access_token)).status, 200);
    await expectOAuthError(await exchangeCode(code, verifier), 'invalid_grant');
    assert.equal((await fhirRead(first.access_token)).status, 401, 'access token revoked');
    await expectOAuthError(await refresh(first.refresh_token), 'invalid_grant');
  });

  test('redirect_uri mismatch and another client_id: invalid_grant', async () => {
    const one = await ehrAuthorize('launch patient/*.rs');
    await expectOAuthError(
      await exchangeCode(one.code, one.verifier, { redirect_uri: 'http://127.0.0.1:5173/other/' }),
      'invalid_grant',
    );
    const two = await ehrAuthorize('launch patient/*.rs');
    await expectOAuthError(await exchangeCode(two.code, two.verifier, { client_id: 'someone-else' }), 'invalid_grant');
  });

  test('codes expire after 60 seconds', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs');
    clock += 61_000;
    await expectOAuthError(await exchangeCode(code, verifier), 'invalid_grant');
  });

  test('unsupported grant type, wrong content type, client secrets', async () => {
    await expectOAuthError(await postForm(`${authBase}/token`, { grant_type: 'password' }), 'unsupported_grant_type');
    const json = await fetch(`${authBase}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code' }),
    });
    await expectOAuthError(json, 'invalid_request');
    const basic = await postForm(
      `${authBase}/token`,
      { grant_type: 'refresh_token', refresh_token: 'x' },
      { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    );
    assert.equal(basic.status, 401);
    assert.equal(((await basic.json()) as { error: string }).error, 'invalid_client');
  });

  test('CORS preflight is answered', async () => {
    const response = await fetch(`${authBase}/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  });
});

describe('refresh tokens', () => {
  test('rotate on every use; reuse is refused and revokes the whole family', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs patient/Observation.rs offline_access');
    const first = (await (await exchangeCode(code, verifier)).json()) as Record<string, string>;

    const secondResponse = await refresh(first.refresh_token, { client_id: CLIENT_ID });
    assert.equal(secondResponse.status, 200);
    assert.equal(secondResponse.headers.get('cache-control'), 'no-store');
    const second = (await secondResponse.json()) as Record<string, string>;
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.notEqual(second.access_token, first.access_token);
    assert.equal(second.patient, 'pat-1');
    assert.equal(second.scope, 'launch patient/*.rs patient/Observation.rs offline_access');

    // Narrowing is allowed; the rotated refresh token still carries the full grant.
    const third = (await (await refresh(second.refresh_token, { scope: 'patient/Observation.rs' })).json()) as Record<
      string,
      string
    >;
    assert.equal(third.scope, 'patient/Observation.rs');
    const thirdGrant = (await (await fhirRead(third.access_token)).json()) as { scopes: string[] };
    assert.deepEqual(thirdGrant.scopes, ['patient/Observation.rs']);
    // Widening is not.
    const widened = await refresh(third.refresh_token, { scope: 'patient/*.rs user/*.rs' });
    await expectOAuthError(widened, 'invalid_scope');

    // Replaying the first (rotated) refresh token: refused, and everything in the family dies.
    assert.equal((await fhirRead(third.access_token)).status, 200);
    assert.match(await expectOAuthError(await refresh(first.refresh_token), 'invalid_grant'), /already used/);
    assert.equal((await fhirRead(second.access_token)).status, 401);
    assert.equal((await fhirRead(third.access_token)).status, 401);
    await expectOAuthError(await refresh(third.refresh_token), 'invalid_grant');
  });

  test('online_access also yields a refresh token; another client cannot use it', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs online_access');
    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, string>;
    assert.equal(typeof token.refresh_token, 'string');
    await expectOAuthError(await refresh(token.refresh_token, { client_id: 'someone-else' }), 'invalid_grant');
  });
});

describe('verifyRequest and introspection', () => {
  test('valid, expired (by the clock) and missing tokens', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs fhirUser');
    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, string>;

    const valid = await fhirRead(token.access_token);
    assert.equal(valid.status, 200);
    const grant = (await valid.json()) as Record<string, unknown>;
    assert.equal(grant.patient, 'pat-1');
    assert.equal(grant.fhirUser, 'Practitioner/sandbox-practitioner');
    assert.equal(grant.expiresAt, clock + 3600 * 1000);

    const introspection = (await (await postForm(`${authBase}/introspect`, { token: token.access_token })).json()) as Record<
      string,
      unknown
    >;
    assert.equal(introspection.active, true);
    assert.equal(introspection.client_id, CLIENT_ID);
    assert.equal(introspection.scope, 'launch patient/*.rs fhirUser');
    assert.equal(introspection.patient, 'pat-1');
    assert.equal(introspection.fhirUser, `${fhirBase}/Practitioner/sandbox-practitioner`);
    assert.equal(introspection.exp, Math.floor((clock + 3600 * 1000) / 1000));

    assert.equal((await fhirRead(undefined)).status, 401);
    assert.equal((await fhirRead('not-a-token')).status, 401);
    const basic = await fetch(`${fhirBase}/Patient/pat-1`, { headers: { Authorization: `Basic ${token.access_token}` } });
    assert.equal(basic.status, 401);

    clock += 3600 * 1000;
    assert.equal((await fhirRead(token.access_token)).status, 401, 'expired at expires_in');
    const inactive = (await (await postForm(`${authBase}/introspect`, { token: token.access_token })).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(inactive, { active: false });
  });

  test('expireAllTokens expires access tokens now; accessTokensOnly keeps refresh tokens usable', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs offline_access');
    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, string>;
    auth.expireAllTokens({ accessTokensOnly: true });
    assert.equal((await fhirRead(token.access_token)).status, 401);
    const refreshed = (await (await refresh(token.refresh_token)).json()) as Record<string, string>;
    assert.equal((await fhirRead(refreshed.access_token)).status, 200);
    auth.expireAllTokens();
    assert.equal((await fhirRead(refreshed.access_token)).status, 401);
    await expectOAuthError(await refresh(refreshed.refresh_token), 'invalid_grant');
  });

  test('revocation of a refresh token revokes its access tokens', async () => {
    const { code, verifier } = await ehrAuthorize('launch patient/*.rs offline_access');
    const token = (await (await exchangeCode(code, verifier)).json()) as Record<string, string>;
    const revoke = await postForm(`${authBase}/revoke`, { token: token.refresh_token });
    assert.equal(revoke.status, 200);
    assert.equal((await fhirRead(token.access_token)).status, 401);
  });
});

describe('scopesAllow', () => {
  test('v1 and v2 scopes map to interactions; patient/ scopes need a patient', () => {
    assert.equal(scopesAllow(['patient/*.read'], 'Observation', 's', true), true);
    assert.equal(scopesAllow(['patient/*.read'], 'Observation', 'c', true), false);
    assert.equal(scopesAllow(['patient/Observation.rs'], 'Observation', 'r', true), true);
    assert.equal(scopesAllow(['patient/Observation.rs'], 'Condition', 'r', true), false);
    assert.equal(scopesAllow(['patient/*.rs'], 'Observation', 'r', false), false);
    assert.equal(scopesAllow(['user/*.cruds'], 'Patient', 'd', false), true);
    assert.equal(scopesAllow(['patient/*.sr'], 'Patient', 'r', true), false, 'v2 letters must be in cruds order');
  });
});

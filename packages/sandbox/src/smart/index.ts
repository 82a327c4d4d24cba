/**
 * A SMART App Launch 2.2.0 authorization server for the local dev sandbox.
 *
 * Loopback only, public clients only, auto-approve: an EHR launch needs no
 * click, a standalone launch one (choosing the patient). It is nonetheless
 * strict about the protocol so apps built against it behave against real EHRs:
 * PKCE S256 is required, `aud` and `state` are required, codes are single-use,
 * refresh tokens rotate with reuse detection.
 *
 * Spec map:
 * - SMART App Launch 2.2.0 "Conformance": /.well-known/smart-configuration
 * - "App Launch: Launch and Authorization": EHR launch (`launch`), standalone
 *   launch, "Obtain authorization code" (Step 4), "Obtain access token"
 *   (Step 5), "Refresh access token" (Step 7)
 * - "Scopes and Launch Context": scopes, launch context, need_patient_banner,
 *   smart_style_url, id_token with fhirUser
 * - RFC 6749 §4.1 (authorization code grant), §5.1/§5.2 (token responses and errors), §6 (refresh)
 * - RFC 7636 (PKCE), RFC 7662 (introspection), RFC 7009 (revocation)
 * - OAuth 2.0 Security BCP (RFC 9700) §4.14.2: refresh token rotation and reuse detection
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSigningKey, isValidCodeVerifier, isValidS256Challenge, randomToken, verifyS256 } from './crypto.js';
import type { SigningKey } from './crypto.js';
import {
  RequestError,
  allowCors,
  isFormRequest,
  readForm,
  repeatedParameter,
  sendHtml,
  sendJson,
  sendMethodNotAllowed,
  sendOAuthError,
  sendPreflight,
  sendRedirect,
} from './http.js';
import type { OAuthErrorCode } from './http.js';
import { SMART_STYLE, openidConfiguration, smartConfiguration, smartEndpoints, trimTrailingSlashes } from './metadata.js';
import type { SmartEndpoints } from './metadata.js';
import { renderErrorPage, renderPatientPicker } from './pages.js';
import { grantScopes, parseScopeString } from './scopes.js';
import type {
  AccessGrant,
  SmartAuthOptions,
  SmartAuthServer,
  SmartLaunchContext,
  SmartPatientChoice,
} from './types.js';

export type {
  AccessGrant,
  SmartAuthOptions,
  SmartAuthServer,
  SmartLaunchContext,
  SmartPatientChoice,
} from './types.js';
export { parseResourceScope, scopesAllow } from './scopes.js';
export type { ResourceScope, ScopeInteraction } from './scopes.js';

const DEFAULT_FHIR_USER = 'Practitioner/sandbox-practitioner';
const DEFAULT_ACCESS_TOKEN_TTL_S = 3600;
const DEFAULT_REFRESH_TOKEN_TTL_S = 24 * 3600;
const DEFAULT_LAUNCH_TTL_S = 3600;
// RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED"; 60 s is plenty locally.
const CODE_TTL_MS = 60_000;
// How long a patient picker stays usable.
const TRANSACTION_TTL_MS = 10 * 60_000;
// Redeemed codes are remembered this long after expiry so a replay still revokes what they issued.
const USED_CODE_RETENTION_MS = 10 * 60_000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A launch context created by the launcher page, bound to an opaque `launch` value. */
interface LaunchRecord extends SmartLaunchContext {
  expiresAt: number;
}

/** An authorization request that passed validation (SMART 2.2.0 Step 4). */
interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  requestedScopes: string[];
  nonce?: string;
  launch?: LaunchRecord;
}

/** A standalone request waiting for the user to choose a patient. */
interface PendingTransaction {
  request: AuthorizationRequest;
  expiresAt: number;
}

/** The context a code, and the tokens later issued for it, carry. */
interface Authorization {
  clientId: string;
  scopes: string[];
  patient?: string;
  encounter?: string;
  needPatientBanner: boolean;
  smartStyleUrl: string;
}

interface CodeRecord {
  authorization: Authorization;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  expiresAt: number;
  /** Set by the first redemption attempt: a code is good for one attempt (RFC 6749 §4.1.2). */
  consumed: boolean;
  /** The token family the code was exchanged for, revoked if the code is replayed. */
  familyId?: string;
}

/** Every token descending from one authorization code (Security BCP §4.14.2 "token family"). */
interface TokenFamily extends Authorization {
  revoked: boolean;
}

interface AccessTokenRecord {
  familyId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
}

interface RefreshTokenRecord {
  familyId: string;
  expiresAt: number;
  /** Rotated away: presenting it again is reuse. */
  used: boolean;
}

type AuthorizationValidation =
  | { kind: 'valid'; request: AuthorizationRequest }
  /** RFC 6749 §4.1.2.1: the redirect_uri can't be trusted, so tell the user, not the app. */
  | { kind: 'page-error'; message: string }
  | { kind: 'redirect-error'; redirectUri: string; state?: string; error: OAuthErrorCode; description: string };

/** Create the sandbox SMART authorization server. */
export function createSmartAuthServer(options: SmartAuthOptions): SmartAuthServer {
  return new SandboxAuthorizationServer(options);
}

class SandboxAuthorizationServer implements SmartAuthServer {
  #options: SmartAuthOptions;
  #endpoints: SmartEndpoints;
  #fhirBaseUrl: string;
  #fhirUser: string;
  #now: () => number;
  #accessTokenTtlMs: number;
  #refreshTokenTtlMs: number;
  #launchTtlMs: number;
  #signingKey: SigningKey;

  #launches = new Map<string, LaunchRecord>();
  #transactions = new Map<string, PendingTransaction>();
  #codes = new Map<string, CodeRecord>();
  #families = new Map<string, TokenFamily>();
  #accessTokens = new Map<string, AccessTokenRecord>();
  #refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(options: SmartAuthOptions) {
    this.#options = options;
    this.#endpoints = smartEndpoints(options.authBaseUrl);
    this.#fhirBaseUrl = trimTrailingSlashes(options.fhirBaseUrl);
    this.#fhirUser = options.fhirUser ?? DEFAULT_FHIR_USER;
    this.#now = options.now ?? Date.now;
    this.#accessTokenTtlMs = (options.accessTokenTtl ?? DEFAULT_ACCESS_TOKEN_TTL_S) * 1000;
    this.#refreshTokenTtlMs = (options.refreshTokenTtl ?? DEFAULT_REFRESH_TOKEN_TTL_S) * 1000;
    this.#launchTtlMs = (options.launchTtl ?? DEFAULT_LAUNCH_TTL_S) * 1000;
    this.#signingKey = createSigningKey();
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): Promise<void> {
    const url = new URL(pathAndQuery, 'http://sandbox.invalid/');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    try {
      switch (path) {
        case '/.well-known/smart-configuration':
          return this.#serveDocument(req, res, smartConfiguration(this.#endpoints));
        case '/.well-known/openid-configuration':
          return this.#serveDocument(req, res, openidConfiguration(this.#endpoints));
        case '/jwks':
          return this.#serveDocument(req, res, { keys: [this.#signingKey.publicJwk] });
        case '/smart-style.json':
          return this.#serveDocument(req, res, SMART_STYLE);
        case '/authorize':
          return await this.#handleAuthorize(req, res, url.searchParams);
        case '/authorize/select':
          return await this.#handleSelect(req, res);
        case '/token':
          return await this.#handleToken(req, res);
        case '/introspect':
          return await this.#handleIntrospect(req, res);
        case '/revoke':
          return await this.#handleRevoke(req, res);
        default:
          sendJson(res, 404, { error: 'not_found', error_description: `No sandbox auth endpoint at ${path}.` });
      }
    } catch (error) {
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      sendOAuthError(res, 'server_error', error instanceof Error ? error.message : String(error), 500);
    }
  }

  handleSmartConfiguration(req: IncomingMessage, res: ServerResponse): void {
    this.#serveDocument(req, res, smartConfiguration(this.#endpoints));
  }

  createLaunch(context: SmartLaunchContext): string {
    this.#sweep();
    const launch = randomToken();
    this.#launches.set(launch, { ...context, expiresAt: this.#now() + this.#launchTtlMs });
    return launch;
  }

  verifyRequest(req: IncomingMessage): AccessGrant | null {
    // RFC 6750 §2.1: "Authorization: Bearer <token>"; the scheme is case-insensitive (RFC 9110 §11.1).
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(req.headers.authorization ?? '');
    if (!match) return null;
    const active = this.#activeAccessToken(match[1]);
    if (!active) return null;
    const { record, family } = active;
    return {
      clientId: family.clientId,
      scopes: [...record.scopes],
      ...(family.patient ? { patient: family.patient } : {}),
      ...(family.encounter ? { encounter: family.encounter } : {}),
      fhirUser: this.#fhirUser,
      expiresAt: record.expiresAt,
    };
  }

  expireAllTokens(options: { accessTokensOnly?: boolean } = {}): void {
    const now = this.#now();
    for (const record of this.#accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
    if (options.accessTokensOnly) return;
    for (const record of this.#refreshTokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
    for (const record of this.#codes.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  // ---- discovery documents -------------------------------------------------

  #serveDocument(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (req.method === 'OPTIONS') return sendPreflight(res, 'GET, OPTIONS');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendMethodNotAllowed(res, 'GET');
    allowCors(res);
    sendJson(res, 200, body, { headers: { 'Cache-Control': 'no-cache' } });
  }

  // ---- authorization endpoint (SMART 2.2.0 Step 4, RFC 6749 §4.1.1) -------

  async #handleAuthorize(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    let params: URLSearchParams;
    if (req.method === 'GET') {
      params = query;
    } else if (req.method === 'POST') {
      // authorize-post: parameters form-encoded in the body instead of the query.
      try {
        params = await readForm(req);
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        return sendHtml(res, error.status, renderErrorPage('Invalid authorization request', error.message));
      }
    } else {
      res.setHeader('Allow', 'GET, POST');
      return sendHtml(res, 405, renderErrorPage('Method not allowed', 'Use GET or POST for the authorization endpoint.'));
    }
    this.#sweep();

    const validation = this.#validateAuthorizationRequest(params);
    if (validation.kind === 'page-error') {
      return sendHtml(res, 400, renderErrorPage('This app could not be authorized', validation.message));
    }
    if (validation.kind === 'redirect-error') {
      return this.#redirectError(req, res, validation);
    }
    const { request } = validation;

    if (request.launch) {
      // EHR launch: the context comes from the launch; zero clicks.
      return this.#issueCode(req, res, request, {
        patient: request.launch.patient,
        encounter: request.launch.encounter,
        needPatientBanner: request.launch.needPatientBanner ?? false,
        smartStyleUrl: request.launch.smartStyleUrl ?? this.#endpoints.style,
      });
    }
    if (request.requestedScopes.includes('launch/patient')) {
      // Standalone launch asking for patient context: the user picks one.
      const transaction = randomToken();
      this.#transactions.set(transaction, { request, expiresAt: this.#now() + TRANSACTION_TTL_MS });
      return this.#sendPicker(res, 200, transaction, request);
    }
    return this.#issueCode(req, res, request, {
      needPatientBanner: true,
      smartStyleUrl: this.#endpoints.style,
    });
  }

  #validateAuthorizationRequest(params: URLSearchParams): AuthorizationValidation {
    const repeated = repeatedParameter(params);
    const clientId = params.get('client_id');
    const redirectUri = params.get('redirect_uri');
    // RFC 6749 §4.1.2.1: with a missing or invalid client_id or redirect_uri the
    // server "MUST NOT automatically redirect the user-agent to the invalid redirection URI".
    if (repeated === 'client_id' || repeated === 'redirect_uri') {
      return { kind: 'page-error', message: `The ${repeated} parameter was sent more than once.` };
    }
    if (!clientId) return { kind: 'page-error', message: 'The request has no client_id.' };
    if (!redirectUri) return { kind: 'page-error', message: 'The request has no redirect_uri.' };
    if (!isLoopbackRedirectUri(redirectUri)) {
      return {
        kind: 'page-error',
        message:
          `The redirect_uri "${redirectUri}" is not registered: the sandbox only redirects to http(s) URLs ` +
          'without a fragment on a loopback host (localhost, 127.0.0.1 or [::1]).',
      };
    }

    const state = params.get('state') ?? undefined;
    const fail = (error: OAuthErrorCode, description: string): AuthorizationValidation => ({
      kind: 'redirect-error',
      redirectUri,
      state,
      error,
      description,
    });
    if (repeated) return fail('invalid_request', `The ${repeated} parameter was sent more than once (RFC 6749 §3.1).`);

    const responseType = params.get('response_type');
    if (!responseType) return fail('invalid_request', 'response_type is required and must be "code".');
    if (responseType !== 'code') {
      return fail('unsupported_response_type', `response_type "${responseType}" is not supported; use "code".`);
    }
    // SMART 2.2.0 Step 4: state is REQUIRED (it protects the app against CSRF).
    if (!state) return fail('invalid_request', 'state is required (SMART App Launch 2.2.0, "Obtain authorization code").');

    // RFC 7636 §4.4.1 and SMART 2.2.0: PKCE with S256 is required; "plain" is refused.
    const codeChallenge = params.get('code_challenge');
    const method = params.get('code_challenge_method');
    if (!codeChallenge) return fail('invalid_request', 'code challenge required: send code_challenge and code_challenge_method=S256 (PKCE).');
    if (method !== 'S256') {
      return fail(
        'invalid_request',
        method
          ? `code_challenge_method "${method}" is not supported; only S256 (RFC 7636 §4.4.1).`
          : 'code_challenge_method is required; only S256 is supported.',
      );
    }
    if (!isValidS256Challenge(codeChallenge)) {
      return fail('invalid_request', 'code_challenge must be BASE64URL(SHA256(code_verifier)): 43 characters (RFC 7636 §4.2).');
    }

    // SMART 2.2.0 Step 4: aud is REQUIRED and must be the FHIR base URL of the
    // resource server, so a token is never minted for a server the app did not mean.
    const aud = params.get('aud');
    if (!aud) return fail('invalid_request', `aud is required; send the FHIR base URL ${this.#fhirBaseUrl}.`);
    if (trimTrailingSlashes(aud) !== this.#fhirBaseUrl) {
      return fail('invalid_request', `aud "${aud}" is not this server's FHIR base URL ${this.#fhirBaseUrl}.`);
    }

    const requestedScopes = parseScopeString(params.get('scope'));
    // RFC 6749 §3.3: without a scope the server fails the request with invalid_scope (no default scope here).
    if (requestedScopes.length === 0) return fail('invalid_scope', 'scope is required.');

    const launchValue = params.get('launch');
    let launch: LaunchRecord | undefined;
    if (launchValue) {
      launch = this.#launches.get(launchValue);
      if (!launch || launch.expiresAt <= this.#now()) {
        return fail('invalid_request', 'invalid_launch: the launch parameter is unknown or has expired; launch the app again from the EHR.');
      }
      // "Scopes for requesting context data": an EHR launch requests the `launch`
      // scope. fhirclient only appends it when the scope has no "launch" substring,
      // so `launch/patient` alone also counts as asking for the launch context.
      if (!requestedScopes.some((scope) => scope === 'launch' || scope.startsWith('launch/'))) {
        return fail('invalid_scope', 'An EHR launch (launch parameter present) must request the "launch" scope.');
      }
    }

    return {
      kind: 'valid',
      request: {
        clientId,
        redirectUri,
        state,
        codeChallenge,
        requestedScopes,
        ...(params.get('nonce') ? { nonce: params.get('nonce') as string } : {}),
        ...(launch ? { launch } : {}),
      },
    };
  }

  #sendPicker(res: ServerResponse, status: number, transaction: string, request: AuthorizationRequest, error?: string): void {
    const html = renderPatientPicker({
      action: this.#endpoints.select,
      transaction,
      clientId: request.clientId,
      scopes: grantScopes(request.requestedScopes, { ehrLaunch: false, patient: true, encounter: false }),
      patients: this.#options.patients(),
      ...(error ? { error } : {}),
    });
    sendHtml(res, status, html, [new URL(this.#endpoints.select).origin, new URL(request.redirectUri).origin]);
  }

  /** The picker's form target: completes a pending standalone authorization with the chosen patient. */
  async #handleSelect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendHtml(res, 405, renderErrorPage('Method not allowed', 'Choose a patient from the picker page.'));
    }
    let params: URLSearchParams;
    try {
      params = await readForm(req);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      return sendHtml(res, error.status, renderErrorPage('Invalid patient selection', error.message));
    }
    const transaction = params.get('transaction') ?? '';
    const pending = this.#transactions.get(transaction);
    if (!pending || pending.expiresAt <= this.#now()) {
      this.#transactions.delete(transaction);
      return sendHtml(
        res,
        400,
        renderErrorPage('This sign-in has expired', 'The patient picker was already used or has expired.'),
      );
    }
    const { request } = pending;
    if (params.get('decision') === 'deny') {
      this.#transactions.delete(transaction);
      // RFC 6749 §4.1.2.1: access_denied when the resource owner refuses.
      return this.#redirectError(req, res, {
        redirectUri: request.redirectUri,
        state: request.state,
        error: 'access_denied',
        description: 'The user cancelled patient selection.',
      });
    }
    const patientId = params.get('patient');
    const choice = this.#options.patients().find((patient: SmartPatientChoice) => patient.id === patientId);
    if (!choice) {
      return this.#sendPicker(res, 400, transaction, request, 'That patient is not in the sandbox. Choose one from the list.');
    }
    this.#transactions.delete(transaction);
    return this.#issueCode(req, res, request, {
      patient: choice.id,
      // A standalone app runs outside any EHR chrome, so it must show who the record belongs to.
      needPatientBanner: true,
      smartStyleUrl: this.#endpoints.style,
    });
  }

  #issueCode(
    req: IncomingMessage,
    res: ServerResponse,
    request: AuthorizationRequest,
    context: { patient?: string; encounter?: string; needPatientBanner: boolean; smartStyleUrl: string },
  ): void {
    const scopes = grantScopes(request.requestedScopes, {
      ehrLaunch: request.launch !== undefined,
      patient: context.patient !== undefined,
      encounter: context.encounter !== undefined,
    });
    if (scopes.length === 0) {
      return this.#redirectError(req, res, {
        redirectUri: request.redirectUri,
        state: request.state,
        error: 'invalid_scope',
        description: `None of the requested scopes can be granted: ${request.requestedScopes.join(' ')}`,
      });
    }
    const code = randomToken();
    this.#codes.set(code, {
      authorization: {
        clientId: request.clientId,
        scopes,
        ...(context.patient ? { patient: context.patient } : {}),
        ...(context.encounter ? { encounter: context.encounter } : {}),
        needPatientBanner: context.needPatientBanner,
        smartStyleUrl: context.smartStyleUrl,
      },
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      expiresAt: this.#now() + CODE_TTL_MS,
      consumed: false,
    });
    // RFC 6749 §4.1.2: code and state as query parameters, keeping the redirect_uri's own query.
    const location = new URL(request.redirectUri);
    location.searchParams.set('code', code);
    location.searchParams.set('state', request.state);
    sendRedirect(res, req, location.href);
  }

  #redirectError(
    req: IncomingMessage,
    res: ServerResponse,
    failure: { redirectUri: string; state?: string; error: OAuthErrorCode; description: string },
  ): void {
    // RFC 6749 §4.1.2.1: error, error_description and the state the client sent.
    const location = new URL(failure.redirectUri);
    location.searchParams.set('error', failure.error);
    location.searchParams.set('error_description', failure.description);
    if (failure.state) location.searchParams.set('state', failure.state);
    sendRedirect(res, req, location.href);
  }

  // ---- token endpoint (SMART 2.2.0 Steps 5 and 7, RFC 6749 §4.1.3, §6) ----

  async #handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await this.#readTokenEndpointForm(req, res);
    if (!params) return;
    this.#sweep();

    // Public clients only (token_endpoint_auth_methods_supported ["none"]).
    if (req.headers.authorization) {
      // RFC 6749 §5.2: a failed Authorization-header authentication is answered with 401 and WWW-Authenticate.
      return sendOAuthError(
        res,
        'invalid_client',
        'Client authentication is not supported: the sandbox only has public clients (send client_id, no secret).',
        401,
        { 'WWW-Authenticate': 'Basic realm="ehr-elements sandbox"' },
      );
    }
    if (params.has('client_secret') || params.has('client_assertion')) {
      return sendOAuthError(
        res,
        'invalid_client',
        'Client authentication is not supported: the sandbox only has public clients (send client_id, no secret).',
      );
    }

    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') return this.#exchangeCode(res, params);
    if (grantType === 'refresh_token') return this.#exchangeRefreshToken(res, params);
    if (!grantType) return sendOAuthError(res, 'invalid_request', 'grant_type is required.');
    return sendOAuthError(res, 'unsupported_grant_type', `grant_type "${grantType}" is not supported.`);
  }

  /** Read a form body for a token, introspection or revocation endpoint; answers the request itself when it can't. */
  async #readTokenEndpointForm(req: IncomingMessage, res: ServerResponse): Promise<URLSearchParams | undefined> {
    if (req.method === 'OPTIONS') {
      sendPreflight(res, 'POST, OPTIONS');
      return undefined;
    }
    allowCors(res);
    if (req.method !== 'POST') {
      sendMethodNotAllowed(res, 'POST');
      return undefined;
    }
    if (!isFormRequest(req)) {
      sendOAuthError(res, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded (RFC 6749 §4.1.3).');
      return undefined;
    }
    let params: URLSearchParams;
    try {
      params = await readForm(req);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      sendOAuthError(res, 'invalid_request', error.message, error.status);
      return undefined;
    }
    const repeated = repeatedParameter(params);
    if (repeated) {
      sendOAuthError(res, 'invalid_request', `The ${repeated} parameter was sent more than once (RFC 6749 §3.2).`);
      return undefined;
    }
    return params;
  }

  /** RFC 6749 §4.1.3 access token request, with the RFC 7636 §4.5 code_verifier. */
  #exchangeCode(res: ServerResponse, params: URLSearchParams): void {
    const code = params.get('code');
    const redirectUri = params.get('redirect_uri');
    const clientId = params.get('client_id');
    const verifier = params.get('code_verifier');
    const missing = [
      ['code', code],
      ['redirect_uri', redirectUri],
      ['client_id', clientId],
      ['code_verifier', verifier],
    ].find(([, value]) => !value);
    if (missing) return sendOAuthError(res, 'invalid_request', `${missing[0]} is required.`);
    if (!isValidCodeVerifier(verifier as string)) {
      return sendOAuthError(
        res,
        'invalid_request',
        'code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).',
      );
    }

    const record = this.#codes.get(code as string);
    if (!record) return sendOAuthError(res, 'invalid_grant', 'The authorization code is unknown.');
    if (record.consumed) {
      // RFC 6749 §4.1.2: a code used twice is refused, and the tokens it
      // already produced SHOULD be revoked: the replay means it leaked.
      if (record.familyId) this.#revokeFamily(record.familyId);
      return sendOAuthError(res, 'invalid_grant', 'The authorization code was already used; tokens issued from it are revoked.');
    }
    // One attempt per code, successful or not, so a leaked code can't be retried with guessed verifiers.
    record.consumed = true;
    if (record.expiresAt <= this.#now()) return sendOAuthError(res, 'invalid_grant', 'The authorization code has expired.');
    if (record.authorization.clientId !== clientId) {
      return sendOAuthError(res, 'invalid_grant', 'The authorization code was issued to another client.');
    }
    // RFC 6749 §4.1.3: redirect_uri must be identical to the one in the authorization request.
    if (record.redirectUri !== redirectUri) {
      return sendOAuthError(res, 'invalid_grant', 'redirect_uri does not match the one sent to the authorization endpoint.');
    }
    // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal code_challenge.
    if (!verifyS256(verifier as string, record.codeChallenge)) {
      return sendOAuthError(res, 'invalid_grant', 'code_verifier does not match the code_challenge (PKCE).');
    }

    const familyId = randomToken();
    const family: TokenFamily = { ...record.authorization, revoked: false };
    this.#families.set(familyId, family);
    record.familyId = familyId;

    const body = this.#issueTokens(familyId, family, family.scopes);
    if (family.scopes.includes('openid')) body.id_token = this.#idToken(family, record.nonce);
    sendJson(res, 200, body, { noStore: true });
  }

  /** RFC 6749 §6 refresh with rotation and reuse detection (Security BCP §4.14.2). */
  #exchangeRefreshToken(res: ServerResponse, params: URLSearchParams): void {
    const token = params.get('refresh_token');
    if (!token) return sendOAuthError(res, 'invalid_request', 'refresh_token is required.');
    const record = this.#refreshTokens.get(token);
    const family = record ? this.#families.get(record.familyId) : undefined;
    if (!record || !family) return sendOAuthError(res, 'invalid_grant', 'The refresh token is unknown.');
    if (family.revoked) return sendOAuthError(res, 'invalid_grant', 'The refresh token has been revoked.');
    if (record.used) {
      // A rotated-away token came back: either the app or an attacker holds a
      // stolen copy, and the server can't tell which, so the family dies.
      this.#revokeFamily(record.familyId);
      return sendOAuthError(res, 'invalid_grant', 'The refresh token was already used; its token family is revoked.');
    }
    if (record.expiresAt <= this.#now()) return sendOAuthError(res, 'invalid_grant', 'The refresh token has expired.');
    const clientId = params.get('client_id');
    // Refresh tokens are bound to their client (RFC 6749 §6); public clients may omit client_id.
    if (clientId && clientId !== family.clientId) {
      return sendOAuthError(res, 'invalid_grant', 'The refresh token was issued to another client.');
    }

    // RFC 6749 §6: a requested scope "MUST NOT include any scope not originally granted".
    let scopes = family.scopes;
    const requested = parseScopeString(params.get('scope'));
    if (requested.length > 0) {
      const widened = requested.filter((scope) => !family.scopes.includes(scope));
      if (widened.length > 0) {
        return sendOAuthError(res, 'invalid_scope', `Scope can be narrowed, not widened: ${widened.join(' ')} was not granted.`);
      }
      scopes = requested;
    }

    record.used = true;
    sendJson(res, 200, this.#issueTokens(record.familyId, family, scopes), { noStore: true });
  }

  /**
   * An access token (and a rotated refresh token when offline_access or
   * online_access was granted) with the launch context: the SMART 2.2.0
   * "Response to token request" body.
   */
  #issueTokens(familyId: string, family: TokenFamily, scopes: string[]): Record<string, unknown> {
    const now = this.#now();
    const accessToken = randomToken();
    this.#accessTokens.set(accessToken, {
      familyId,
      scopes,
      issuedAt: now,
      expiresAt: now + this.#accessTokenTtlMs,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.floor(this.#accessTokenTtlMs / 1000),
      scope: scopes.join(' '),
    };
    if (family.patient) body.patient = family.patient;
    if (family.encounter) body.encounter = family.encounter;
    body.need_patient_banner = family.needPatientBanner;
    body.smart_style_url = family.smartStyleUrl;
    // "Scopes for requesting a refresh token". The new refresh token keeps the
    // family's full scope even when this access token was narrowed (RFC 6749 §6).
    if (family.scopes.includes('offline_access') || family.scopes.includes('online_access')) {
      const refreshToken = randomToken();
      this.#refreshTokens.set(refreshToken, { familyId, expiresAt: now + this.#refreshTokenTtlMs, used: false });
      body.refresh_token = refreshToken;
    }
    return body;
  }

  /**
   * An OpenID Connect id_token (OIDC Core §2) signed RS256 with the key in
   * /jwks; carries `fhirUser` when that scope was granted ("Scopes for
   * requesting identity data"), as an absolute URL of the user's resource.
   */
  #idToken(family: TokenFamily, nonce: string | undefined): string {
    const issuedAt = Math.floor(this.#now() / 1000);
    return this.#signingKey.signJwt({
      iss: this.#endpoints.issuer,
      sub: this.#fhirUser,
      aud: family.clientId,
      iat: issuedAt,
      auth_time: issuedAt,
      exp: issuedAt + Math.floor(this.#accessTokenTtlMs / 1000),
      ...(nonce ? { nonce } : {}),
      ...(family.scopes.includes('fhirUser') ? { fhirUser: this.#absoluteFhirUser() } : {}),
    });
  }

  #absoluteFhirUser(): string {
    return /^https?:\/\//.test(this.#fhirUser) ? this.#fhirUser : `${this.#fhirBaseUrl}/${this.#fhirUser}`;
  }

  // ---- introspection (RFC 7662, SMART 2.2.0 "Token Introspection") --------

  async #handleIntrospect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await this.#readTokenEndpointForm(req, res);
    if (!params) return;
    const token = params.get('token');
    if (!token) return sendOAuthError(res, 'invalid_request', 'token is required (RFC 7662 §2.1).');
    // The sandbox skips the caller authentication RFC 7662 §2.1 asks for: loopback only, synthetic data.
    const active = this.#activeAccessToken(token);
    if (active) {
      const { record, family } = active;
      return sendJson(
        res,
        200,
        {
          active: true,
          scope: record.scopes.join(' '),
          client_id: family.clientId,
          token_type: 'Bearer',
          exp: Math.floor(record.expiresAt / 1000),
          iat: Math.floor(record.issuedAt / 1000),
          iss: this.#endpoints.issuer,
          sub: this.#fhirUser,
          ...(family.patient ? { patient: family.patient } : {}),
          ...(family.encounter ? { encounter: family.encounter } : {}),
          ...(record.scopes.includes('fhirUser') ? { fhirUser: this.#absoluteFhirUser() } : {}),
        },
        { noStore: true },
      );
    }
    const refresh = this.#refreshTokens.get(token);
    const family = refresh ? this.#families.get(refresh.familyId) : undefined;
    if (refresh && family && !refresh.used && !family.revoked && refresh.expiresAt > this.#now()) {
      return sendJson(
        res,
        200,
        {
          active: true,
          scope: family.scopes.join(' '),
          client_id: family.clientId,
          exp: Math.floor(refresh.expiresAt / 1000),
          iss: this.#endpoints.issuer,
          sub: this.#fhirUser,
          ...(family.patient ? { patient: family.patient } : {}),
        },
        { noStore: true },
      );
    }
    // RFC 7662 §2.2: anything unknown, expired or revoked is just inactive.
    sendJson(res, 200, { active: false }, { noStore: true });
  }

  // ---- revocation (RFC 7009) -----------------------------------------------

  async #handleRevoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await this.#readTokenEndpointForm(req, res);
    if (!params) return;
    const token = params.get('token');
    if (!token) return sendOAuthError(res, 'invalid_request', 'token is required (RFC 7009 §2.1).');
    const refresh = this.#refreshTokens.get(token);
    if (refresh) {
      // RFC 7009 §2.1: revoking a refresh token also invalidates the access tokens of the same grant.
      this.#revokeFamily(refresh.familyId);
    } else {
      this.#accessTokens.delete(token);
    }
    // RFC 7009 §2.2: 200 whether or not the token was known.
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(200).end();
  }

  // ---- bookkeeping ---------------------------------------------------------

  #activeAccessToken(token: string): { record: AccessTokenRecord; family: TokenFamily } | undefined {
    const record = this.#accessTokens.get(token);
    if (!record || record.expiresAt <= this.#now()) return undefined;
    const family = this.#families.get(record.familyId);
    if (!family || family.revoked) return undefined;
    return { record, family };
  }

  #revokeFamily(familyId: string): void {
    const family = this.#families.get(familyId);
    if (family) family.revoked = true;
    for (const [token, record] of this.#accessTokens) if (record.familyId === familyId) this.#accessTokens.delete(token);
    // Used refresh tokens stay (marked by the revoked family) so later replays are still recognised.
  }

  /** Forget what can no longer matter, so a long-running sandbox doesn't grow without bound. */
  #sweep(): void {
    const now = this.#now();
    for (const [key, record] of this.#launches) if (record.expiresAt <= now) this.#launches.delete(key);
    for (const [key, record] of this.#transactions) if (record.expiresAt <= now) this.#transactions.delete(key);
    for (const [key, record] of this.#codes) {
      if (record.expiresAt + USED_CODE_RETENTION_MS <= now) this.#codes.delete(key);
    }
    for (const [key, record] of this.#accessTokens) if (record.expiresAt <= now) this.#accessTokens.delete(key);
    for (const [key, record] of this.#refreshTokens) if (record.expiresAt <= now) this.#refreshTokens.delete(key);
    const referenced = new Set<string>();
    for (const record of this.#accessTokens.values()) referenced.add(record.familyId);
    for (const record of this.#refreshTokens.values()) referenced.add(record.familyId);
    for (const record of this.#codes.values()) if (record.familyId) referenced.add(record.familyId);
    for (const key of this.#families.keys()) if (!referenced.has(key)) this.#families.delete(key);
  }
}

/**
 * The sandbox registers no clients, so it accepts a redirect_uri only on the
 * loopback interface (RFC 8252 §7.3 style): http or https, host localhost,
 * 127.0.0.1 or [::1], no fragment (RFC 6749 §3.1.2), no userinfo.
 */
export function isLoopbackRedirectUri(value: string): boolean {
  if (value.includes('#')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  return LOOPBACK_HOSTS.has(url.hostname);
}

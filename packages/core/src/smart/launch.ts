import FHIR from 'fhirclient';
import { FhirError } from '../source/fhir-source.js';
import { SMART_KEY, SmartSource } from './smart-source.js';
import type { SmartSourceOptions } from './smart-source.js';

/** fhirclient's Client, as `FHIR.oauth2.ready()` resolves it. */
export type FhirClient = Awaited<ReturnType<typeof FHIR.oauth2.ready>>;

/** Scopes asked for when the app does not say (SMART App Launch 2.2, scopes-and-launch-context). */
export const DEFAULT_SMART_SCOPE = 'launch launch/patient patient/*.rs openid fhirUser offline_access';


type AuthorizeParams = Parameters<typeof FHIR.oauth2.authorize>[0];

/** How a public SMART client starts a launch. Confidential clients (a secret) are not supported in a browser. */
export interface SmartLaunchOptions {
  /** The client id registered with the EHR's authorization server. */
  clientId: string;
  /** Scopes to ask for (default {@link DEFAULT_SMART_SCOPE}). */
  scope?: string;
  /** Where the authorization server sends the user back; defaults to the current directory. */
  redirectUri?: string;
  /** The FHIR server for a standalone launch, when the URL has no `iss`. */
  iss?: string;
  /**
   * An open FHIR server to use without any authorization (development). Honoured only when
   * set here; a `fhirServiceUrl` in the page URL alone is refused.
   */
  fhirServiceUrl?: string;
  /**
   * FHIR base URLs this app may launch against. When set, an `iss` (from the URL or these
   * options) that is not in the list is refused before anything is sent to it.
   */
  allowedServers?: readonly string[];
  /** Where to open the authorization page (fhirclient's `target`: `_self`, `_blank`, `popup`...). */
  target?: AuthorizeParams['target'];
  /** Complete the launch in the target window rather than returning to the opener. */
  completeInTarget?: boolean;
}

function normalizeServer(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * The parameters handed to fhirclient: only what a public client needs, with PKCE
 * S256 required (SMART App Launch 2.x, "app-launch#step-1": PKCE is mandatory, S256 only).
 * With `pkceMode: 'required'` fhirclient throws before redirecting when the server's
 * `.well-known/smart-configuration` does not list S256 in `code_challenge_methods_supported`.
 */
function authorizeParams(options: SmartLaunchOptions, location: URL): AuthorizeParams {
  if (!options.clientId) throw new FhirError('launch', 'The app has no SMART client id configured.');
  const urlIss = location.searchParams.get('iss') ?? undefined;
  const urlServiceUrl = location.searchParams.get('fhirServiceUrl') ?? undefined;
  // fhirclient lets URL parameters win over options; check the server it will really use.
  const iss = urlIss || options.iss;
  if (!iss && urlServiceUrl && normalizeServer(urlServiceUrl) !== normalizeServer(options.fhirServiceUrl ?? '')) {
    // fhirclient treats fhirServiceUrl as "skip authorization": never from a link alone.
    throw new FhirError('launch', 'This app was opened with a FHIR server address it is not set up to use without sign-in.');
  }
  const server = iss || urlServiceUrl || options.fhirServiceUrl;
  if (!server) {
    throw new FhirError('launch', 'The app was opened without a FHIR server address (iss). Please open it from your EHR or patient portal.');
  }
  if (options.allowedServers && !options.allowedServers.map(normalizeServer).includes(normalizeServer(server))) {
    throw new FhirError('launch', `This app is not set up to connect to ${server}.`);
  }
  return {
    clientId: options.clientId,
    scope: options.scope ?? DEFAULT_SMART_SCOPE,
    ...(options.redirectUri !== undefined ? { redirectUri: options.redirectUri } : {}),
    ...(options.iss !== undefined ? { iss: options.iss } : {}),
    ...(options.fhirServiceUrl !== undefined ? { fhirServiceUrl: options.fhirServiceUrl } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.completeInTarget !== undefined ? { completeInTarget: options.completeInTarget } : {}),
    pkceMode: 'required',
  };
}

function launchError(error: unknown): FhirError {
  if (error instanceof FhirError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (/PKCE|code challenge/i.test(detail)) {
    return new FhirError(
      'launch',
      'The EHR’s sign-in server does not support the secure sign-in method this app requires (PKCE S256), so the app was not started.',
      { cause: error },
    );
  }
  if (/well-known|conformance|Failed to fetch/i.test(detail)) {
    return new FhirError('launch', 'The EHR’s sign-in settings could not be read, so the app could not start.', { cause: error });
  }
  return new FhirError('launch', 'The SMART launch could not be started.', { cause: error });
}

/**
 * Starts a SMART App Launch (EHR launch with `iss` + `launch` in the URL, or standalone
 * with `iss`): redirects to the authorization server with PKCE S256. Rejects with a
 * FhirError of kind 'launch', before any redirect, when it cannot start safely.
 */
export async function launchSmartApp(options: SmartLaunchOptions): Promise<void> {
  const params = authorizeParams(options, new URL(globalThis.location.href));
  try {
    await FHIR.oauth2.authorize(params);
  } catch (error) {
    throw launchError(error);
  }
}

/**
 * The authorization URL {@link launchSmartApp} would redirect to, without redirecting
 * (a launch in a new window the host opens itself, or a check in tests). It stores the
 * same state in sessionStorage as a launch does.
 */
export async function buildSmartAuthorizeUrl(options: SmartLaunchOptions): Promise<string> {
  const params = authorizeParams(options, new URL(globalThis.location.href));
  let url: string | void;
  try {
    url = await FHIR.oauth2.authorize({ ...params, noRedirect: true });
  } catch (error) {
    throw launchError(error);
  }
  if (typeof url !== 'string') throw new FhirError('launch', 'The SMART launch could not be started.');
  return url;
}

function readyError(error: unknown): FhirError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/No 'state' parameter|No state found/i.test(detail)) {
    return new FhirError(
      'launch',
      'The sign-in could not be completed: this page was not opened by a launch from this browser tab, or the launch has expired. Please launch the app again.',
      { cause: error },
    );
  }
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number' || /access token/i.test(detail)) {
    return new FhirError('launch', 'The sign-in could not be completed: the EHR did not issue an access token. Please launch the app again.', {
      status: typeof status === 'number' ? status : undefined,
      cause: error,
    });
  }
  // The authorization server's `error` code (RFC 6749 4.1.2.1); its free-text description
  // comes from the URL, so it is not shown.
  const code = /^([a-z_]+)(?::|$)/.exec(detail)?.[1];
  if (code) {
    return new FhirError('launch', `The EHR refused the sign-in (${code}). Please launch the app again.`, { cause: error });
  }
  return new FhirError('launch', 'The sign-in could not be completed. Please launch the app again.', { cause: error });
}

/**
 * Completes a launch on the redirect page: checks `state`, exchanges the code for a
 * token (with the PKCE verifier) and returns a {@link SmartSource}. Also revives the
 * session after a reload. Rejects with a FhirError of kind 'launch'.
 */
export async function completeSmartLaunch(options: SmartSourceOptions = {}): Promise<SmartSource> {
  let client: Awaited<ReturnType<typeof FHIR.oauth2.ready>>;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    throw readyError(error);
  }
  // fhirclient's ready() returns a client without a token when the page is reloaded
  // after a launch that never came back with a code; that client could only fail.
  if ((client.state.authorizeUri || client.state.tokenUri) && !client.state.tokenResponse?.access_token) {
    throw new FhirError('launch', 'The sign-in was not completed. Please launch the app again.');
  }
  return new SmartSource(client, options);
}

/**
 * True when this page is the end of a SMART launch (the authorization server's redirect,
 * with `state` and `code` or `error`) or holds a completed session fhirclient can revive.
 */
export function isSmartLaunchCallback(url: string = globalThis.location.href): boolean {
  const params = new URL(url).searchParams;
  if (params.has('state') && (params.has('code') || params.has('error'))) return true;
  try {
    const key = sessionStorage.getItem(SMART_KEY);
    if (!key) return false;
    const state = sessionStorage.getItem(JSON.parse(key) as string);
    if (!state) return false;
    return Boolean((JSON.parse(state) as { tokenResponse?: { access_token?: unknown } }).tokenResponse?.access_token);
  } catch {
    // sessionStorage is unavailable (sandboxed frame) or holds something else.
    return false;
  }
}

import type { OperationOutcome } from '@medplum/fhirtypes';
// The fhirclient type comes through launch.ts, the one module that imports fhirclient.
import type { FhirClient as Client } from './launch.js';
import { FhirError } from '../source/fhir-source.js';
import type { FhirServerIdentity, LaunchContext } from '../source/fhir-source.js';
import { FHIR_JSON, abortedError, errorForStatus, isOnServer, throwIfAborted } from '../source/http.js';
import { HttpFhirSource } from '../source/http-source.js';

export interface SmartSourceOptions {
  /** A human label for the server; defaults to its host. */
  label?: string;
}

/** What fhirclient's HttpError carries (lib/HttpError.js). */
interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  message?: string;
  name?: string;
}

/**
 * A FhirSource over a SMART on FHIR session (a fhirclient `Client` from the launch).
 *
 * Requests go through `client.request()`, which adds the token and refreshes it when it
 * expires, but paging is done here with the shared same-origin paging engine (`searchAllPages`): fhirclient's own
 * `pageLimit` follows `next` links to any origin with the token and has no loop guard.
 */
export class SmartSource extends HttpFhirSource {
  readonly server: FhirServerIdentity;
  readonly patientId: string | undefined;
  readonly launchContext: LaunchContext;
  readonly userKey?: string;

  /** A SMART session: every request carries the user's access token. */
  readonly authenticated = true;
  private readonly client: Client;

  constructor(client: Client, options: SmartSourceOptions = {}) {
    super();
    this.client = client;
    const baseUrl = String(client.state.serverUrl).replace(/\/+$/, '');
    this.server = { baseUrl, label: options.label ?? new URL(baseUrl).host };
    // Read once: fhirclient empties its state when a request gets a 401.
    this.patientId = client.patient.id ?? undefined;
    const token = client.state.tokenResponse ?? {};
    const fhirUser = fhirUserOf(token.id_token, client.state.clientId);
    this.launchContext = {
      ...(parseBoolean(token.need_patient_banner) !== undefined ? { needPatientBanner: parseBoolean(token.need_patient_banner) } : {}),
      ...(typeof token.smart_style_url === 'string' ? { smartStyleUrl: token.smart_style_url } : {}),
      ...(typeof token.encounter === 'string' ? { encounterId: token.encounter } : {}),
      ...(fhirUser ? { fhirUser } : {}),
      ...(typeof token.scope === 'string' ? { scopes: token.scope.split(/\s+/).filter(Boolean) } : {}),
    };
    this.userKey = fhirUser;
  }

  /**
   * Ends the SMART session on this device: asks the authorization server to revoke the
   * refresh and access tokens (RFC 7009, at the `revocation_endpoint` the server's
   * `.well-known/smart-configuration` names, when it names one), then forgets fhirclient's
   * session in sessionStorage and in memory, so a reload cannot revive it. Best effort and
   * never rejects: a server that cannot be reached still leaves nothing usable here.
   */
  async signOut(options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<void> {
    const tokens = this.client.state.tokenResponse ?? {};
    const candidates = [tokens.refresh_token, tokens.access_token].filter((value): value is string => typeof value === 'string' && value !== '');
    const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
    try {
      if (candidates.length > 0) {
        const discovery = await fetchImpl(`${this.server.baseUrl}/.well-known/smart-configuration`, { headers: { accept: 'application/json' }, credentials: 'omit', signal });
        const endpoint = discovery.ok ? ((await discovery.json()) as { revocation_endpoint?: unknown }).revocation_endpoint : undefined;
        const target = typeof endpoint === 'string' ? safeEndpoint(endpoint) : undefined;
        if (target) {
          for (const token of candidates) {
            const body = new URLSearchParams({ token, client_id: String(this.client.state.clientId ?? '') });
            await fetchImpl(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, credentials: 'omit', signal });
          }
        }
      }
    } catch {
      // Unreachable or slow: the session is still forgotten below.
    }
    forgetSmartSession();
    this.client.state.tokenResponse = {};
  }

  /** The one place requests are made: same origin as the server, or not at all, since fhirclient always adds the token. */
  protected async request(url: string, signal: AbortSignal | undefined): Promise<unknown> {
    if (!isOnServer(url, this.server.baseUrl)) {
      throw new FhirError('invalid-response', 'The address is not on the FHIR server this record comes from; it was not requested.', { url });
    }
    throwIfAborted(signal, url);
    // fhirclient refreshes an expiring token inside request(), but a failed refresh
    // surfaces as a token-endpoint error; refresh first to tell that case apart.
    try {
      await this.client.refreshIfNeeded({ signal });
    } catch (error) {
      if (signal?.aborted || isAbort(error)) throw abortedError(url, error);
      throw new FhirError('unauthorized', 'Your session has expired and could not be renewed. Please launch the app again.', {
        url,
        cause: error,
      });
    }
    let body: unknown;
    try {
      // An absolute URL and fhirclient's default pageLimit (1): it follows no links itself.
      body = await this.client.request({ url, signal, headers: { accept: FHIR_JSON } });
    } catch (error) {
      throw toFhirError(error, url, signal);
    }
    // fhirclient returns a string or the Response itself for bodies that are not JSON.
    if (typeof body !== 'object' || body === null || body instanceof Response) {
      throw new FhirError('invalid-response', 'The FHIR server sent a response that is not FHIR JSON.', { url });
    }
    return body;
  }
}

/** fhirclient keeps the key of the current session's state under this sessionStorage key (lib/settings.js). */
export const SMART_KEY = 'SMART_KEY';

/** Removes fhirclient's session (its state, tokens included, and the pointer to it) from sessionStorage. */
export function forgetSmartSession(): void {
  try {
    const key = sessionStorage.getItem(SMART_KEY);
    if (key) sessionStorage.removeItem(JSON.parse(key) as string);
    sessionStorage.removeItem(SMART_KEY);
  } catch {
    // No sessionStorage (a sandboxed frame): nothing was kept there.
  }
}

/** A revocation endpoint a token may be posted to: https, or http on this machine. */
function safeEndpoint(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return url.href;
    if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname))) return url.href;
  } catch {
    // not a URL
  }
  return undefined;
}

/**
 * The user's `fhirUser` from the launch's id_token (SMART App Launch 2.2, "fhirUser" claim),
 * or undefined when it cannot be trusted to say whose data this is. The token came over TLS
 * from the token endpoint, which OpenID Connect Core §3.1.3.7 accepts in place of checking its
 * signature, but its `aud` must name this client. `exp` is not checked: a session revived after
 * a reload keeps the id_token it signed in with, which still names that user (whether the
 * session is still valid is the access token's business). Decoded as base64url (RFC 7515 §2),
 * which fhirclient's own `getFhirUser()` (plain `atob`) cannot do.
 */
export function fhirUserOf(idToken: unknown, clientId: unknown): string | undefined {
  if (typeof idToken !== 'string') return undefined;
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (typeof clientId === 'string' && clientId !== '' && !audience.includes(clientId)) return undefined;
  const user = claims.fhirUser ?? claims.profile; // `profile` is the SMART v1 name of the claim
  if (typeof user !== 'string' || user === '') return undefined;
  // `Practitioner/dr-1` from an absolute or relative reference, as fhirclient reports it.
  return user.split('/').filter(Boolean).slice(-2).join('/') || undefined;
}

function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  // Some servers send the launch context's booleans as strings.
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function isAbort(error: unknown): boolean {
  return (error as HttpErrorLike | undefined)?.name === 'AbortError';
}

/** Maps what fhirclient's request() rejects with to a FhirError. */
function toFhirError(error: unknown, url: string, signal: AbortSignal | undefined): FhirError {
  if (error instanceof FhirError) return error;
  if (signal?.aborted || isAbort(error)) return abortedError(url, error);
  const http = error as HttpErrorLike | undefined;
  const status = http?.status ?? http?.statusCode;
  if (typeof status === 'number') return errorForStatus(status, url, outcomeFromMessage(http?.message), error);
  if (error instanceof SyntaxError) {
    return new FhirError('invalid-response', 'The FHIR server sent a response that is not FHIR JSON.', { url, cause: error });
  }
  return new FhirError('network', 'The FHIR server could not be reached.', { url, cause: error });
}

/**
 * fhirclient's HttpError reads the error body into its message ("404 Not Found\nURL: ...\n\n{json}")
 * and keeps nothing else; recover an OperationOutcome from it.
 */
function outcomeFromMessage(message: string | undefined): OperationOutcome | undefined {
  if (!message) return undefined;
  const start = message.indexOf('\n\n{');
  if (start < 0) return undefined;
  let json = message.slice(start + 2);
  // A 401 gets a sentence appended after the body.
  const end = json.lastIndexOf('}');
  json = json.slice(0, end + 1);
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'OperationOutcome'
      ? (value as OperationOutcome)
      : undefined;
  } catch {
    return undefined;
  }
}

import type { OperationOutcome } from '@medplum/fhirtypes';
import { FhirError } from './fhir-source.js';

/** The media type asked for on every request (FHIR R4 http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json';

/** A fetch-shaped function: the global `fetch` or a test double. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

// FHIR R4 datatypes: `id` is [A-Za-z0-9\-\.]{1,64}; a resource type name is a capitalised word.
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const RESOURCE_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * True when `url` has the same origin (scheme, host, port) as `baseUrl`. The one test
 * that decides whether a request may carry the user's token.
 */
export function isSameOrigin(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

/**
 * True when `url` is on the FHIR server `baseUrl` names: the same origin, and a path at or
 * under the base's path. Where the token may go: on a shared origin (`/tenant-a/fhir` and
 * `/tenant-b/fhir` behind one host) a `next` link into another tenant is not the server
 * the user authorised.
 */
export function isOnServer(url: string, baseUrl: string): boolean {
  try {
    const target = new URL(url);
    const base = new URL(baseUrl);
    if (target.origin !== base.origin) return false;
    const basePath = base.pathname.replace(/\/+$/, '');
    return basePath === '' || target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
  } catch {
    return false;
  }
}

/** True for loopback hosts, where plain http is as private as the machine. */
export function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** Removes trailing slashes, and checks the base is an absolute http(s) URL. */
export function normalizeBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`"${baseUrl}" is not an absolute FHIR base URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`"${baseUrl}" is not an http(s) FHIR base URL.`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/**
 * Rejects resource types and ids a server could not hold. It keeps a caller's value
 * from changing the path (`../`) of a request that carries a token.
 */
export function assertResourcePath(resourceType: string, id?: string): void {
  if (!RESOURCE_TYPE.test(resourceType)) {
    throw new FhirError('not-found', `"${resourceType}" is not a FHIR resource type.`);
  }
  if (id !== undefined && !RESOURCE_ID.test(id)) {
    throw new FhirError('not-found', `"${id}" is not a valid ${resourceType} id.`);
  }
}

/** The error for an AbortSignal that fired. */
export function abortedError(url?: string, cause?: unknown): FhirError {
  return new FhirError('aborted', 'The request was cancelled.', { url, cause });
}

/** Rejects at once when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, url?: string): void {
  if (signal?.aborted) throw abortedError(url, signal.reason);
}

/** The first human-readable text of an OperationOutcome (`diagnostics`, else `details.text`). */
export function outcomeText(outcome: OperationOutcome | undefined): string | undefined {
  for (const issue of outcome?.issue ?? []) {
    const text = issue.diagnostics?.trim() || issue.details?.text?.trim();
    if (text) return text;
  }
  return undefined;
}

/** The error for a read answered with another resource type than the one asked for. */
export function wrongTypeError(actual: unknown, expected: string, url: string): FhirError {
  const article = (word: string) => (/^[AEIOU]/.test(word) ? `an ${word}` : `a ${word}`);
  const sent = typeof actual === 'string' && actual ? article(actual) : 'something else';
  return new FhirError('invalid-response', `The FHIR server sent ${sent} when asked for ${article(expected)}.`, { url });
}

function isOperationOutcome(value: unknown): value is OperationOutcome {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}

/**
 * The FhirError for an HTTP status that is not a success, with a sentence a
 * clinician-facing UI can show, followed by what the server said, if anything.
 */
export function errorForStatus(status: number, url: string | undefined, outcome?: OperationOutcome, cause?: unknown): FhirError {
  let kind: FhirError['kind'];
  let message: string;
  if (status === 401) {
    kind = 'unauthorized';
    message = 'Your session has expired or is not authorised (401).';
  } else if (status === 403) {
    kind = 'forbidden';
    message = 'You do not have permission to see this information (403).';
  } else if (status === 404) {
    kind = 'not-found';
    message = 'The record was not found on the FHIR server (404).';
  } else if (status === 410) {
    kind = 'not-found';
    message = 'The record has been deleted from the FHIR server (410).';
  } else if (status >= 400 && status < 500) {
    kind = 'server';
    message = `The FHIR server could not process the request (${status}).`;
  } else {
    kind = 'server';
    message = `The FHIR server reported an error (${status}).`;
  }
  const said = outcomeText(outcome);
  if (said) message += ` The server said: ${said}`;
  return new FhirError(kind, message, { status, outcome, url, cause });
}

/**
 * GET a FHIR JSON document and parse it, mapping every failure to a {@link FhirError}:
 * fetch throws -> 'network' (or 'aborted'), 401 -> 'unauthorized', 403 -> 'forbidden',
 * 404/410 -> 'not-found', other non-2xx -> 'server', a body that is not JSON -> 'invalid-response'.
 * An OperationOutcome in an error body is kept in `outcome` and quoted in the message.
 */
export async function fetchFhirJson(url: string, init: RequestInit = {}, fetchImpl: FetchLike = (input, options) => fetch(input, options)): Promise<unknown> {
  const signal = init.signal ?? undefined;
  throwIfAborted(signal, url);
  const headers = new Headers(init.headers);
  headers.set('Accept', FHIR_JSON);

  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, method: init.method ?? 'GET', headers });
  } catch (error) {
    if (signal?.aborted || (error as { name?: unknown })?.name === 'AbortError') throw abortedError(url, error);
    throw new FhirError('network', 'The FHIR server could not be reached.', { url, cause: error });
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted || (error as { name?: unknown })?.name === 'AbortError') throw abortedError(url, error);
    throw new FhirError('network', 'The connection to the FHIR server was interrupted.', { url, status: response.status, cause: error });
  }

  let body: unknown;
  let parsed = false;
  try {
    body = JSON.parse(text);
    parsed = true;
  } catch {
    parsed = false;
  }

  if (!response.ok) {
    throw errorForStatus(response.status, url, parsed && isOperationOutcome(body) ? body : undefined);
  }
  if (!parsed || typeof body !== 'object' || body === null) {
    throw new FhirError('invalid-response', 'The FHIR server sent a response that is not FHIR JSON.', {
      url,
      status: response.status,
    });
  }
  return body;
}

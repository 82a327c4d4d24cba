import { FhirError } from './fhir-source.js';
import type { FhirServerIdentity } from './fhir-source.js';
import { fetchFhirJson, isLoopback, isOnServer, normalizeBaseUrl } from './http.js';
import type { FetchLike } from './http.js';
import { HttpFhirSource } from './http-source.js';

export interface OpenServerSourceOptions {
  /** The FHIR base URL, e.g. `https://ehr.example.org/fhir/r4`. */
  baseUrl: string;
  /** The patient in context (a logical id). */
  patientId?: string;
  /** A bearer token the portal already holds. Sent only to the base URL's origin. */
  token?: string;
  /** A human label for the server; defaults to its host. */
  label?: string;
  /** A stable key of the signed-in user, for cache partitions. */
  userKey?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
  /** Extra request headers, e.g. a tenant header. Sent only to the base URL's origin, like every request. */
  headers?: Record<string, string>;
}

/**
 * Reads from a FHIR R4 server with plain fetch: an open server, or one whose token the
 * host page already holds (a patient portal). Every request goes through one check:
 * it must be on the base URL's origin, so the token never leaves for another site.
 */
export class OpenServerSource extends HttpFhirSource {
  readonly server: FhirServerIdentity;
  readonly patientId: string | undefined;
  readonly userKey?: string;
  /** True when a bearer token is sent. */
  readonly authenticated: boolean;

  private readonly token?: string;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: FetchLike;

  constructor(options: OpenServerSourceOptions) {
    super();
    const baseUrl = normalizeBaseUrl(options.baseUrl);
    // A bearer token travels only over TLS (SMART App Launch: "all exchanges ... over TLS";
    // RFC 6750 §5.3), except to this machine itself, where a developer's server runs.
    if (options.token && new URL(baseUrl).protocol === 'http:' && !isLoopback(new URL(baseUrl))) {
      throw new TypeError(`A token is sent only over https; "${baseUrl}" is plain http.`);
    }
    this.server = { baseUrl, label: options.label ?? new URL(baseUrl).host };
    this.patientId = options.patientId;
    this.userKey = options.userKey;
    this.token = options.token;
    this.authenticated = Boolean(options.token);
    this.headers = { ...options.headers };
    const custom = options.fetch;
    // Called unbound: `window.fetch` kept as a property would throw "Illegal invocation".
    this.fetchImpl = custom ? (input, init) => custom(input, init) : (input, init) => fetch(input, init);
  }

  /** The one place requests are made: same origin as the base, or not at all. */
  protected request(url: string, signal: AbortSignal | undefined): Promise<unknown> {
    if (!isOnServer(url, this.server.baseUrl)) {
      return Promise.reject(
        new FhirError('invalid-response', 'The address is not on the FHIR server this record comes from; it was not requested.', { url }),
      );
    }
    const headers: Record<string, string> = { ...this.headers };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    return fetchFhirJson(url, { headers, signal }, this.fetchImpl);
  }
}

/** An {@link OpenServerSource}, for those who prefer a factory. */
export function openServerSource(options: OpenServerSourceOptions): OpenServerSource {
  return new OpenServerSource(options);
}

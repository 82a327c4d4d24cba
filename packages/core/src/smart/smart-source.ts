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
    const fhirUser = client.getFhirUser() ?? undefined;
    this.launchContext = {
      ...(parseBoolean(token.need_patient_banner) !== undefined ? { needPatientBanner: parseBoolean(token.need_patient_banner) } : {}),
      ...(typeof token.smart_style_url === 'string' ? { smartStyleUrl: token.smart_style_url } : {}),
      ...(typeof token.encounter === 'string' ? { encounterId: token.encounter } : {}),
      ...(fhirUser ? { fhirUser } : {}),
      ...(typeof token.scope === 'string' ? { scopes: token.scope.split(/\s+/).filter(Boolean) } : {}),
    };
    this.userKey = fhirUser;
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

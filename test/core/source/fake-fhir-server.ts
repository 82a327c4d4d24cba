// A fake FHIR server for browser tests: a fetch implementation that answers from a
// route function and records every request (URL and headers) it receives.
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Headers;
}

export type Route = (url: URL, request: RecordedRequest, init: RequestInit | undefined) => Response | Promise<Response>;

export interface FakeServer {
  /** Pass as `fetch` to a source, or install as window.fetch. */
  readonly fetch: typeof fetch;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
}

export function fakeServer(route: Route): FakeServer {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const request: RecordedRequest = { url, headers: new Headers(init?.headers) };
    requests.push(request);
    return route(new URL(url), request, init);
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

/** A JSON response, FHIR's media type by default. */
export function json(body: unknown, status = 200, contentType = 'application/fhir+json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

export function outcome(diagnostics: string | undefined, detailsText?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'processing', ...(diagnostics ? { diagnostics } : {}), ...(detailsText ? { details: { text: detailsText } } : {}) }],
  };
}

export interface PageOptions {
  next?: string;
  total?: number;
  include?: Resource[];
  outcomes?: OperationOutcome[];
}

/** A searchset page of `resources` (mode match), with optional includes, outcomes and a next link. */
export function searchset(resources: Resource[], options: PageOptions = {}): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(options.total !== undefined ? { total: options.total } : {}),
    link: [{ relation: 'self', url: 'https://self.example.test/' }, ...(options.next ? [{ relation: 'next', url: options.next }] : [])],
    entry: [
      ...resources.map((resource) => ({ resource, search: { mode: 'match' as const } })),
      ...(options.include ?? []).map((resource) => ({ resource, search: { mode: 'include' as const } })),
      ...(options.outcomes ?? []).map((resource) => ({ resource, search: { mode: 'outcome' as const } })),
    ],
  };
}

export function observation(id: string, extra: Record<string, unknown> = {}): Resource {
  return { resourceType: 'Observation', id, status: 'final', code: { text: id }, ...extra } as Resource;
}

/** Runs `fn` with console.warn captured; returns what was warned. */
export async function capturingWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const original = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    const result = await fn();
    return { result, warnings };
  } finally {
    console.warn = original;
  }
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}

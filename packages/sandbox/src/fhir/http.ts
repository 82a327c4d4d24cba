// HTTP plumbing for the FHIR server: JSON responses, OperationOutcomes, CORS, request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * CORS for browser apps on another origin (the example apps run on Vite's port). Bearer tokens
 * travel in the Authorization header, not in cookies, so a wildcard origin is safe here.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Last-Modified, Location, Content-Location, WWW-Authenticate, Server-Timing',
};

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Accept, Prefer, If-None-Match, If-Modified-Since',
  'access-control-max-age': '600',
};

/** An OperationOutcome with one issue (R4 operationoutcome.html; issue codes from valueset-issue-type). */
export function operationOutcome(
  code: string,
  text: string,
  severity: 'error' | 'fatal' | 'information' = 'error',
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code: code as NonNullable<OperationOutcome['issue']>[number]['code'], details: { text } }],
  };
}

export interface SendOptions {
  headers?: Record<string, string>;
  pretty?: boolean;
  head?: boolean;
}

/** Sends a FHIR JSON body with the CORS headers. */
export function sendResource(res: ServerResponse, status: number, body: Resource, options: SendOptions = {}): void {
  const text = JSON.stringify(body, undefined, options.pretty ? 2 : undefined);
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': FHIR_JSON,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...options.headers,
  });
  res.end(options.head ? undefined : text);
}

/** Sends an OperationOutcome as the body of an error response. */
export function sendOutcome(
  res: ServerResponse,
  status: number,
  code: string,
  text: string,
  options: SendOptions = {},
): void {
  sendResource(res, status, operationOutcome(code, text), options);
}

export class BodyTooLargeError extends Error {}

/** Reads a request body as text, refusing bodies over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`Request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

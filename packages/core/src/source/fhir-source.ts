import type { Bundle, OperationOutcome, Resource, ResourceType } from '@medplum/fhirtypes';

/** Who and where a source talks to: shown as the provenance of every record it returns. */
export interface FhirServerIdentity {
  /** The FHIR base URL, without a trailing slash (e.g. `https://ehr.example.org/fhir/r4`). */
  readonly baseUrl: string;
  /** A human label for the server, e.g. the organisation or product name. Falls back to the URL's host. */
  readonly label: string;
}

/**
 * What a SMART launch told the app beyond the token (SMART App Launch 2.2,
 * "Launch context arrives with your access_token"). Absent for sources without a launch.
 */
export interface LaunchContext {
  /** `need_patient_banner`: false when the EHR already shows one. Absent = unknown (treat as true). */
  readonly needPatientBanner?: boolean;
  /** `smart_style_url`: the EHR's style document, to theme the elements like the host. */
  readonly smartStyleUrl?: string;
  /** `encounter` in context, if any. */
  readonly encounterId?: string;
  /** The signed-in user as a FHIR reference (`fhirUser` claim), e.g. `Practitioner/123`. */
  readonly fhirUser?: string;
  /** Scopes actually granted. */
  readonly scopes?: readonly string[];
}

/** Search parameters: a record (arrays repeat the parameter, e.g. two `date` bounds) or URLSearchParams. */
export type SearchParams = URLSearchParams | Record<string, string | number | readonly (string | number)[] | undefined>;

export interface SearchProgress {
  /** Matching resources received so far. */
  readonly loaded: number;
  /** `Bundle.total` when the server reports it. */
  readonly total?: number;
  /** Pages received so far. */
  readonly pages: number;
}

export interface SearchOptions {
  readonly signal?: AbortSignal;
  /** Stop after this many pages (default 100). A loop guard: a server that links a page to itself is stopped too. */
  readonly pageLimit?: number;
  /** Stop once this many matching resources are held. */
  readonly limit?: number;
  /** Called after every page. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
}

/** Every page of a search, gathered. */
export interface SearchResult<T extends Resource = Resource> {
  /** Entries with `search.mode` "match" (or no mode), in server order, de-duplicated by type/id. */
  readonly resources: T[];
  /** Entries with `search.mode` "include" (from `_include` / `_revinclude`), de-duplicated. */
  readonly included: Resource[];
  /** `Bundle.total` of the first page, when given. */
  readonly total?: number;
  /**
   * False when a page limit, a resource limit or a refused `next` link stopped the paging
   * early, or when the server said in the bundle that it could not give every match.
   */
  readonly complete: boolean;
  /**
   * Why the answer is incomplete, when it is. `server-outcome`: an OperationOutcome entry of
   * severity error or fatal came with the matches (see `outcomes`).
   */
  readonly incompleteReason?: 'page-limit' | 'limit' | 'foreign-next-link' | 'repeated-next-link' | 'server-outcome';
  /** OperationOutcome entries the server put in the bundle (warnings such as "results truncated"). */
  readonly outcomes: OperationOutcome[];
  /**
   * `Bundle.meta.lastUpdated` of the first page: when the server assembled the answer, by the
   * server's clock. A later "what changed since" question is asked from this time, never from
   * the device's clock (which may be off by minutes or hours).
   */
  readonly serverTime?: string;
  /**
   * Set by a caching source (`createCachedSource`): when the data was fetched from the
   * server (`asOf`, an ISO instant) and whether it is `fresh`, being checked in the
   * background (`revalidating`), kept while the server is unreachable (`offline`), or kept
   * after the server refused the session (`expired`: HTTP 401; the user must sign in again).
   * Absent when the answer did not go through a cache.
   */
  readonly cache?: { readonly asOf: string; readonly state: 'fresh' | 'revalidating' | 'offline' | 'expired' };
}

/**
 * The only seam between elements and a FHIR server. Elements never call fetch or
 * fhirclient; they are given a FhirSource (through `<ehr-context>`) and call these.
 */
export interface FhirSource {
  /** The server this source reads from. */
  readonly server: FhirServerIdentity;
  /** The patient in context (a logical id), when there is one. */
  readonly patientId: string | undefined;
  /** What the launch said, for SMART sources. */
  readonly launchContext?: LaunchContext;
  /** A stable key of the signed-in user for cache partitions (fhirUser, or a portal's user id). */
  readonly userKey?: string;
  /**
   * True when requests carry the user's credentials (a bearer token, a SMART session). Such
   * a source's answers are what this user may see, so the cache never keeps them without
   * knowing whose they are (see `createCachedSource`).
   */
  readonly authenticated?: boolean;
  /** GET [base]/[type]/[id]. Rejects with a {@link FhirError}. */
  read<T extends Resource = Resource>(resourceType: ResourceType | string, id: string, options?: ReadOptions): Promise<T>;
  /** GET [base]/[type]?params, following `next` links within the limits. Rejects with a {@link FhirError}. */
  search<T extends Resource = Resource>(
    resourceType: ResourceType | string,
    params?: SearchParams,
    options?: SearchOptions,
  ): Promise<SearchResult<T>>;
}

/** Kinds of failure an element tells apart when it explains what went wrong. */
export type FhirErrorKind =
  | 'network' // no response: offline, DNS, CORS, connection refused
  | 'unauthorized' // 401: missing or expired token
  | 'forbidden' // 403: not allowed by the granted scopes
  | 'not-found' // 404 / 410
  | 'server' // 5xx and other non-success statuses
  | 'invalid-response' // not JSON, not FHIR, or the wrong resource type
  | 'aborted' // the AbortSignal fired
  | 'launch'; // the SMART launch could not complete

/** A failure reading from a FHIR server, with enough detail for a clear message. */
export class FhirError extends Error {
  override readonly name = 'FhirError';
  readonly kind: FhirErrorKind;
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** The OperationOutcome the server sent, when it sent one. */
  readonly outcome?: OperationOutcome;
  /** The URL requested (never includes a token). */
  readonly url?: string;

  constructor(
    kind: FhirErrorKind,
    message: string,
    details: { status?: number; outcome?: OperationOutcome; url?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.outcome = details.outcome;
    this.url = details.url;
  }
}

/** True when `value` is a FHIR Bundle (a light structural check, not validation). */
export function isBundle(value: unknown): value is Bundle {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'Bundle';
}

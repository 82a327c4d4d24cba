import type { Resource } from '@medplum/fhirtypes';
import { FhirError } from '../source/fhir-source.js';
import type {
  FhirServerIdentity,
  FhirSource,
  LaunchContext,
  ReadOptions,
  SearchOptions,
  SearchParams,
  SearchProgress,
  SearchResult,
} from '../source/fhir-source.js';
import { abortedError, throwIfAborted } from '../source/http.js';
import { searchParamEntries } from '../source/paging.js';
import { cacheDatabase, DEFAULT_CACHE_DATABASE } from './cache-store.js';
import type { EntryMeta, PartitionStore } from './cache-store.js';
import { CacheStatusEvent, CacheUpdateEvent } from './events.js';
import type { CacheConnection, CacheStorageState, CacheUpdateReason } from './events.js';
import { mergeIncremental, planIncremental } from './incremental.js';
import { readQueryKey, resourceDigest, resultDigest, searchQueryKey } from './query-key.js';

/**
 * How a cached source answers:
 * - `cache-first-revalidate` (default): a cached answer at once, checked with the server
 *   in the background (stale-while-revalidate); the network when nothing is cached.
 * - `network-first`: the server first; the cached answer only when the server cannot be reached.
 * - `no-store`: nothing is read from or written to the cache.
 */
export type CachePolicy = 'cache-first-revalidate' | 'network-first' | 'no-store';

/** Where an answer came from: `SearchResult.cache`, and {@link cacheProvenance} for reads. */
export type CacheProvenance = NonNullable<SearchResult['cache']>;

export interface CacheOptions {
  /**
   * The signed-in user, when the source does not say (`source.userKey`, the SMART
   * `fhirUser`): a portal's own user id. Users never share a partition. Without any user
   * key, everyone using this browser profile with the same server and patient shares one.
   */
  userKey?: string;
  /** Default `cache-first-revalidate`. */
  policy?: CachePolicy;
  /** Cached data older than this (ms since the server last confirmed it) is never shown, and is deleted. Default 24 h. */
  maxAge?: number;
  /** A cached answer younger than this (ms) is shown without asking the server again. Default 10 s. */
  revalidateAfter?: number;
  /** The size budget of the whole cache database, in bytes; least recently used entries go first. Default 50 MB. */
  maxBytes?: number;
  /** Ask servers only for what changed since the cached answer (`_lastUpdated`). Default true. */
  incremental?: boolean;
  /** A full refresh replaces incremental ones when the last full one is older than this (ms). Default 6 h. */
  fullRefreshInterval?: number;
  /** A full refresh replaces incremental ones after this many in a row. Default 24. */
  fullRefreshEvery?: number;
  /** The IndexedDB database name. Default `ehr-elements-cache`. */
  databaseName?: string;
  /** The clock (epoch ms); tests inject one. Default `Date.now`. */
  now?: () => number;
}

/** The events a {@link CachedSource} dispatches. */
export interface CachedSourceEventMap {
  update: CacheUpdateEvent;
  status: CacheStatusEvent;
}

/**
 * A FhirSource that keeps an encrypted copy of what it reads in IndexedDB, partitioned by
 * server, user and patient. Same `read` / `search` as any source, so every element
 * benefits unchanged; listen to `update` to reload when a background check found newer data.
 */
export interface CachedSource extends FhirSource, EventTarget {
  /** The source being cached. */
  readonly source: FhirSource;
  readonly policy: CachePolicy;
  /** `offline` once a request failed for want of a server (network, 5xx, 401); `online` again after the next answer. */
  readonly status: CacheConnection;
  /** Whether data is being stored, and how. */
  readonly storage: CacheStorageState;
  /** Deletes this partition's cached answers (its keys stay). */
  clear(): Promise<void>;
  /**
   * Logout: deletes this partition's answers, index and keys, so nothing of it can be
   * decrypted again, tells other tabs to stop caching it, and keeps working uncached.
   */
  destroyPartition(): Promise<void>;
  /** Resolves once the background work started so far (revalidations, writes) has finished. */
  settled(): Promise<void>;
  /** Stops background work and cross-tab messages; later reads go straight to the source. */
  close(): void;
  addEventListener<K extends keyof CachedSourceEventMap>(
    type: K,
    listener: (this: CachedSource, event: CachedSourceEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof CachedSourceEventMap>(
    type: K,
    listener: (this: CachedSource, event: CachedSourceEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

const HOUR = 3_600_000;
const DEFAULTS = {
  policy: 'cache-first-revalidate' as CachePolicy,
  maxAge: 24 * HOUR,
  revalidateAfter: 10_000,
  maxBytes: 50 * 1024 * 1024,
  incremental: true,
  fullRefreshInterval: 6 * HOUR,
  fullRefreshEvery: 24,
};
/** Device and server clocks differ: an incremental query from device time reaches back this far more. */
const CLOCK_SKEW_MARGIN = 5 * 60_000;
const CHANNEL_PREFIX = 'ehr-elements-cache';

/** Provenance of answers (search results and read resources) this page's cached sources returned. */
const provenances = new WeakMap<object, CacheProvenance>();

/** Where a search result or a read resource came from, when a cached source returned it. */
export function cacheProvenance(value: object | undefined): CacheProvenance | undefined {
  return value ? provenances.get(value) : undefined;
}

let warned = false;

/** One console warning per page, whatever fails and however often. */
function warnUnavailable(error: unknown): void {
  if (warned) return;
  warned = true;
  const name = (error as { name?: unknown })?.name;
  const what = typeof name === 'string' && name ? name : 'an error';
  console.warn(
    `ehr-elements: the encrypted offline cache is not available in this browser (${what}); records are read from the FHIR server without caching.`,
  );
}

let warnedNoUser = false;

function warnNoUser(): void {
  if (warnedNoUser) return;
  warnedNoUser = true;
  console.warn(
    'ehr-elements: records read with a token are not cached because no user is known (set `user` on <ehr-context>, `userKey` in createCachedSource, or grant `openid fhirUser` in a SMART launch).',
  );
}

/** True for failures that say nothing about the data: keep showing the cached copy. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof FhirError)) return true;
  switch (error.kind) {
    case 'forbidden':
    case 'not-found':
    case 'aborted':
      return false;
    case 'server':
      return error.status === undefined || error.status >= 500 || error.status === 408 || error.status === 429;
    default:
      return true; // network, unauthorized (an expired session), invalid-response (a proxy's HTML page), launch
  }
}

/** HTTP 401: the server refused the session (expired, revoked), not the data. */
function isUnauthorized(error: unknown): boolean {
  return error instanceof FhirError && error.kind === 'unauthorized';
}

function isAborted(error: unknown): boolean {
  return error instanceof FhirError ? error.kind === 'aborted' : (error as { name?: unknown })?.name === 'AbortError';
}

/** A server refusing a parameter it does not support (R4 search.html#errors: 400, or 501 Not Implemented). */
function isRejectedParameter(error: unknown): boolean {
  return error instanceof FhirError && error.kind === 'server' && (error.status === 400 || error.status === 422 || error.status === 501);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One question to the server, the same for reads and searches. */
interface Query<V> {
  readonly kind: 'read' | 'search';
  readonly key: string;
  readonly resourceType: string;
  fetch(signal: AbortSignal, onProgress?: (progress: SearchProgress) => void): Promise<V>;
  digest(value: V): string;
  /** A light check of a value parsed back from the cache. */
  valid(value: unknown): value is V;
  /** Attaches where the value came from. */
  decorate(value: V, provenance: CacheProvenance): V;
  /** Search parameters, in their order (incremental refresh). */
  readonly entries?: [string, string][];
  readonly limit?: number;
}

interface Hit<V> {
  readonly value: V;
  readonly digest: string;
  readonly meta: EntryMeta;
}

interface Flight<V> {
  readonly controller: AbortController;
  readonly listeners: Set<(progress: SearchProgress) => void>;
  readonly promise: Promise<V>;
  waiters: number;
  handedOut: boolean;
}

interface StoredPayload {
  readonly v: 1;
  readonly asOf: string;
  readonly digest: string;
  readonly value: unknown;
}

type ChannelMessage = { readonly t: 'update' | 'removed'; readonly name: string } | { readonly t: 'destroyed' } | { readonly t: 'cleared-all' };

function isSearchResult(value: unknown): value is SearchResult {
  const result = value as Partial<SearchResult> | undefined;
  return (
    typeof result === 'object' &&
    result !== null &&
    Array.isArray(result.resources) &&
    Array.isArray(result.included) &&
    Array.isArray(result.outcomes) &&
    typeof result.complete === 'boolean'
  );
}

/** A search result as it is stored: no provenance, every list present. */
function plainResult<T extends Resource>(result: SearchResult<T>): SearchResult<T> {
  const { cache: _cache, ...plain } = result;
  return { ...plain, included: plain.included ?? [], outcomes: plain.outcomes ?? [] };
}

class CachedFhirSource extends EventTarget implements CachedSource {
  readonly source: FhirSource;
  readonly policy: CachePolicy;

  private readonly options: Required<Omit<CacheOptions, 'userKey' | 'policy' | 'now'>>;
  private readonly now: () => number;
  private readonly user: string | undefined;
  private currentStatus: CacheConnection = 'online';
  private currentStorage: CacheStorageState;
  private partitionPromise?: Promise<PartitionStore | undefined>;
  private partitionChannel?: BroadcastChannel;
  private globalChannel?: BroadcastChannel;
  private readonly lifetime = new AbortController();
  private readonly flights = new Map<string, Flight<unknown>>();
  private readonly revalidations = new Map<string, Promise<void>>();
  private readonly writes = new Map<string, Promise<unknown>>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly noIncremental = new Set<string>();

  constructor(source: FhirSource, options: CacheOptions) {
    super();
    this.source = source;
    this.policy = options.policy ?? DEFAULTS.policy;
    this.now = options.now ?? (() => Date.now());
    this.user = options.userKey ?? source.userKey ?? source.launchContext?.fhirUser;
    this.options = {
      maxAge: options.maxAge ?? DEFAULTS.maxAge,
      revalidateAfter: options.revalidateAfter ?? DEFAULTS.revalidateAfter,
      maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
      incremental: options.incremental ?? DEFAULTS.incremental,
      fullRefreshInterval: options.fullRefreshInterval ?? DEFAULTS.fullRefreshInterval,
      fullRefreshEvery: options.fullRefreshEvery ?? DEFAULTS.fullRefreshEvery,
      databaseName: options.databaseName ?? DEFAULT_CACHE_DATABASE,
    };
    // A source that reads with the user's credentials but names no user: whose data this is
    // cannot be known, and two users of one browser profile would share a partition (the
    // second would see the first's record before the server could refuse it). OWASP ASVS
    // 8.2: nothing is kept rather than kept for anyone.
    const unknownUser = this.user === undefined && source.authenticated === true;
    if (unknownUser && this.policy !== 'no-store') warnNoUser();
    this.currentStorage = this.policy === 'no-store' || unknownUser ? 'off' : 'pending';
  }

  get server(): FhirServerIdentity {
    return this.source.server;
  }

  get patientId(): string | undefined {
    return this.source.patientId;
  }

  get authenticated(): boolean | undefined {
    return this.source.authenticated;
  }

  get launchContext(): LaunchContext | undefined {
    return this.source.launchContext;
  }

  get userKey(): string | undefined {
    return this.user;
  }

  get status(): CacheConnection {
    return this.currentStatus;
  }

  get storage(): CacheStorageState {
    return this.currentStorage;
  }

  // -------------------------------------------------------------------------
  // FhirSource

  async read<T extends Resource = Resource>(resourceType: string, id: string, options: ReadOptions = {}): Promise<T> {
    if (this.currentStorage === 'off' || this.currentStorage === 'unavailable') return this.source.read<T>(resourceType, id, options);
    throwIfAborted(options.signal);
    const query: Query<T> = {
      kind: 'read',
      key: readQueryKey(resourceType, id),
      resourceType,
      fetch: (signal) => this.source.read<T>(resourceType, id, { signal }),
      digest: (value) => resourceDigest(value),
      valid: (value): value is T => typeof value === 'object' && value !== null && (value as Resource).resourceType === resourceType,
      decorate: (value, provenance) => {
        provenances.set(value, provenance);
        return value;
      },
    };
    const partition = await this.partition();
    if (!partition) return this.source.read<T>(resourceType, id, options);
    return this.load(partition, query, options);
  }

  async search<T extends Resource = Resource>(resourceType: string, params?: SearchParams, options: SearchOptions = {}): Promise<SearchResult<T>> {
    if (this.currentStorage === 'off' || this.currentStorage === 'unavailable') return this.source.search<T>(resourceType, params, options);
    throwIfAborted(options.signal);
    const entries = searchParamEntries(params);
    const limits = { limit: options.limit, pageLimit: options.pageLimit };
    const query: Query<SearchResult<T>> = {
      kind: 'search',
      key: searchQueryKey(resourceType, entries.length ? new URLSearchParams(entries) : undefined, limits),
      resourceType,
      entries,
      limit: options.limit,
      fetch: async (signal, onProgress) =>
        plainResult(await this.source.search<T>(resourceType, new URLSearchParams(entries), { ...limits, signal, onProgress })),
      digest: (value) => resultDigest(value),
      valid: (value): value is SearchResult<T> => isSearchResult(value),
      decorate: (value, provenance) => {
        const decorated = { ...value, cache: provenance };
        provenances.set(decorated, provenance);
        return decorated;
      },
    };
    const partition = await this.partition();
    if (!partition) return this.source.search<T>(resourceType, params, options);
    return this.load(partition, query, options);
  }

  // -------------------------------------------------------------------------
  // Public methods

  async clear(): Promise<void> {
    const partition = await this.partition();
    await Promise.allSettled([...this.writes.values()]);
    await partition?.clear();
  }

  async destroyPartition(): Promise<void> {
    const opened = this.partitionPromise;
    this.stop('off');
    await Promise.allSettled([...this.writes.values()]);
    if (typeof indexedDB === 'undefined') return; // nothing can have been stored
    const database = cacheDatabase(this.options.databaseName);
    const pid = (await opened)?.pid ?? (await database.existingPartitionId(this.identity()));
    if (pid === undefined) return;
    await database.destroyPartition(pid);
    this.post(pid, { t: 'destroyed' });
  }

  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  close(): void {
    this.stop('off');
  }

  // -------------------------------------------------------------------------
  // Loading

  private async load<V>(
    partition: PartitionStore,
    query: Query<V>,
    options: { signal?: AbortSignal; onProgress?: (progress: SearchProgress) => void },
  ): Promise<V> {
    let hit = await this.readEntry(partition, query);
    if (this.currentStorage !== 'encrypted') {
      // Storage failed (or was turned off) meanwhile: straight to the source, as uncached.
      return query.fetch(options.signal ?? new AbortController().signal, options.onProgress);
    }
    const now = this.now();
    if (hit && now - hit.meta.t > this.options.maxAge) {
      // Too old to show: delete it rather than keep it around.
      this.track(this.guard(() => partition.remove(query.key)));
      hit = undefined;
    }
    throwIfAborted(options.signal);

    if (this.policy === 'network-first') {
      try {
        return await this.fetchAndStore(partition, query, options);
      } catch (error) {
        if (hit && !isAborted(error) && !isTransient(error)) {
          // The server's answer (404, 410, 403) outranks the copy: it goes.
          this.track(this.guard(() => partition.remove(query.key)));
        }
        if (!hit || isAborted(error) || !isTransient(error)) throw error;
        this.track(this.guard(() => partition.touch(query.key, { a: now })));
        return query.decorate(hit.value, { asOf: iso(hit.meta.t), state: isUnauthorized(error) ? 'expired' : 'offline' });
      }
    }

    if (hit) {
      const stale = now - hit.meta.t >= this.options.revalidateAfter;
      this.track(this.guard(() => partition.touch(query.key, { a: now })));
      if (stale) this.revalidate(partition, query, hit);
      const state =
        this.currentStatus === 'offline' ? 'offline' : this.currentStatus === 'unauthorized' ? 'expired' : stale ? 'revalidating' : 'fresh';
      return query.decorate(hit.value, { asOf: iso(hit.meta.t), state });
    }
    return this.fetchAndStore(partition, query, options);
  }

  /** The cached answer of a query, parsed and checked; undefined when there is none (or it is unusable, and then deleted). */
  private async readEntry<V>(partition: PartitionStore, query: Query<V>): Promise<Hit<V> | undefined> {
    // A write of this query still running: wait for it rather than ask the server again.
    await this.writes.get(query.key)?.catch(() => undefined);
    const stored = await this.guard(() => partition.load(query.key));
    if (!stored) return undefined;
    let payload: Partial<StoredPayload> | undefined;
    try {
      payload = JSON.parse(stored.text) as Partial<StoredPayload>;
    } catch {
      payload = undefined;
    }
    if (!payload || payload.v !== 1 || typeof payload.digest !== 'string' || !query.valid(payload.value)) {
      await this.guard(() => partition.remove(query.key));
      return undefined;
    }
    return { value: payload.value, digest: payload.digest, meta: stored.meta };
  }

  /** A network load, shared by every caller asking the same query at the same time, stored once it arrives. */
  private async fetchAndStore<V>(
    partition: PartitionStore,
    query: Query<V>,
    options: { signal?: AbortSignal; onProgress?: (progress: SearchProgress) => void },
  ): Promise<V> {
    let flight = this.flights.get(query.key) as Flight<V> | undefined;
    if (!flight) {
      const controller = new AbortController();
      const listeners = new Set<(progress: SearchProgress) => void>();
      const startedAt = this.now();
      const promise = query
        .fetch(controller.signal, (progress) => listeners.forEach((listener) => listener(progress)))
        .then(
          (value) => {
            this.setStatus('online');
            // Serialized now, before any caller can change the objects it is given.
            this.persist(partition, query, value, { t: startedAt, f: startedAt, n: 0 });
            return query.decorate(value, { asOf: iso(startedAt), state: 'fresh' });
          },
          (error: unknown) => {
            if (!isAborted(error) && isTransient(error)) this.setStatus(isUnauthorized(error) ? 'unauthorized' : 'offline', error);
            throw error;
          },
        )
        .finally(() => {
          if (this.flights.get(query.key) === flight) this.flights.delete(query.key);
        });
      flight = { controller, listeners, promise, waiters: 0, handedOut: false };
      this.flights.set(query.key, flight as Flight<unknown>);
    }
    const current = flight;
    current.waiters += 1;
    const onProgress = options.onProgress;
    if (onProgress) current.listeners.add(onProgress);
    const signal = options.signal;
    return new Promise<V>((resolve, reject) => {
      let done = false;
      const leave = (): boolean => {
        if (done) return false;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        if (onProgress) current.listeners.delete(onProgress);
        current.waiters -= 1;
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (current.waiters === 0) {
          // The last caller is gone: nobody wants the answer, and a new caller must not join a cancelled request.
          current.controller.abort(signal?.reason);
          if (this.flights.get(query.key) === current) this.flights.delete(query.key);
        }
        reject(abortedError(undefined, signal?.reason));
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          if (!leave()) return;
          // Callers sharing one answer each get their own copy.
          const copy = current.handedOut ? (query.decorate(structuredClone(value), cacheProvenance(value as object)!) as V) : value;
          current.handedOut = true;
          resolve(copy);
        },
        (error: unknown) => {
          if (leave()) reject(error);
        },
      );
    });
  }

  /** Serializes now, then seals and stores in the background; a later read of the query waits for it. */
  private persist<V>(partition: PartitionStore, query: Query<V>, value: V, meta: Omit<EntryMeta, 's' | 'a'>): Promise<void> {
    let text: string;
    try {
      text = JSON.stringify({ v: 1, asOf: iso(meta.t), digest: query.digest(value), value } satisfies StoredPayload);
    } catch (error) {
      this.degrade(error);
      return Promise.resolve();
    }
    const write = (async () => {
      const now = this.now();
      const outcome = await this.guard(() => partition.save(query.key, text, meta, now, this.options.maxBytes));
      if (outcome === 'key-replaced') this.forgetPartition();
      if (outcome === 'saved') {
        await this.guard(() => partition.database.sweep({ maxAge: this.options.maxAge, maxBytes: this.options.maxBytes, now }));
      }
    })();
    const tracked = write.finally(() => {
      if (this.writes.get(query.key) === tracked) this.writes.delete(query.key);
    });
    this.writes.set(query.key, tracked);
    this.track(tracked);
    return tracked;
  }

  /** Checks a cached answer with the server in the background; stores and announces it only when it changed. */
  private revalidate<V>(partition: PartitionStore, query: Query<V>, hit: Hit<V>): void {
    if (this.revalidations.has(query.key)) return;
    const signal = this.lifetime.signal;
    const task = (async () => {
      const startedAt = this.now();
      try {
        let value: V | undefined;
        let full = true;
        if (query.kind === 'search') {
          const merged = await this.incremental(query as unknown as Query<SearchResult>, hit as unknown as Hit<SearchResult>, signal);
          if (merged) {
            value = merged.result as V;
            full = merged.full;
          }
        }
        value ??= await query.fetch(signal);
        if (signal.aborted) return;
        this.setStatus('online');
        const meta = full ? { t: startedAt, f: startedAt, n: 0 } : { t: startedAt, f: hit.meta.f, n: hit.meta.n + 1 };
        if (query.digest(value) === hit.digest) {
          // Nothing changed: no event, no flicker; only the confirmation time moves.
          await this.guard(() => partition.touch(query.key, meta));
          return;
        }
        await this.persist(partition, query, value, meta);
        this.announce(partition, query.key, query.resourceType, 'revalidated');
      } catch (error) {
        if (signal.aborted || isAborted(error)) return;
        if (isTransient(error)) {
          // Cached data is never replaced by an error: it stays, and the source says it is
          // offline, or, for a 401, that the session expired (no retry can fix that: the
          // user must sign in again, and the note says so).
          this.setStatus(isUnauthorized(error) ? 'unauthorized' : 'offline', error);
          return;
        }
        // The server's answer is authoritative (the record is gone, or access was withdrawn): the copy must not outlive it.
        this.setStatus('online');
        await this.guard(() => partition.remove(query.key));
        this.announce(partition, query.key, query.resourceType, 'removed');
      }
    })().finally(() => this.revalidations.delete(query.key));
    this.revalidations.set(query.key, task);
    this.track(task);
  }

  /** Asks only for what changed since the cached answer, and merges it; undefined when only a full search will do. */
  private async incremental(
    query: Query<SearchResult>,
    hit: Hit<SearchResult>,
    signal: AbortSignal,
  ): Promise<{ result: SearchResult; full: boolean } | undefined> {
    if (!this.options.incremental || this.noIncremental.has(query.resourceType) || !query.entries) return undefined;
    const now = this.now();
    if (now - hit.meta.f >= this.options.fullRefreshInterval || hit.meta.n >= this.options.fullRefreshEvery) return undefined;
    const plan = planIncremental(query.entries, hit.value, iso(hit.meta.t - CLOCK_SKEW_MARGIN));
    if (!plan) return undefined;
    try {
      const [changes, changedInCompartment] = await Promise.all([
        this.source.search(query.resourceType, new URLSearchParams(plan.changes), { signal, limit: query.limit }),
        plan.changedInCompartment ? this.source.search(query.resourceType, new URLSearchParams(plan.changedInCompartment), { signal }) : undefined,
      ]);
      const merged = mergeIncremental(hit.value, plan, plainResult(changes), changedInCompartment && plainResult(changedInCompartment), query.limit);
      if (merged === 'full') return undefined;
      if (merged.full) this.noIncremental.add(query.resourceType); // it ignored `_lastUpdated`: do not ask again
      return merged;
    } catch (error) {
      if (!isRejectedParameter(error)) throw error;
      // A strict server refusing `_lastUpdated` (or `_elements`) for this type: full refreshes from now on.
      this.noIncremental.add(query.resourceType);
      return undefined;
    }
  }

  // -------------------------------------------------------------------------
  // Partition, storage state, other tabs

  /** server + user + patient: what a partition is for. */
  private identity(): string {
    return JSON.stringify(['ehr-elements-cache/1', this.source.server.baseUrl, this.user ?? '', this.source.patientId ?? '']);
  }

  private partition(): Promise<PartitionStore | undefined> {
    if (this.currentStorage === 'off' || this.currentStorage === 'unavailable') return Promise.resolve(undefined);
    this.partitionPromise ??= this.openPartition();
    return this.partitionPromise;
  }

  private async openPartition(): Promise<PartitionStore | undefined> {
    try {
      const database = cacheDatabase(this.options.databaseName);
      const now = this.now();
      if (!database.swept) {
        database.swept = true;
        await database.sweep({ maxAge: this.options.maxAge, maxBytes: this.options.maxBytes, now });
      }
      const partition = await database.openPartition(this.identity(), now);
      if (this.currentStorage === 'off' || this.currentStorage === 'unavailable') return undefined;
      this.listen(partition);
      this.setStorage('encrypted');
      return partition;
    } catch (error) {
      this.degrade(error);
      return undefined;
    }
  }

  /** Drops the partition held in memory; the next load opens it again (with new keys if they were deleted). */
  private forgetPartition(): void {
    this.partitionPromise = undefined;
    this.partitionChannel?.close();
    this.partitionChannel = undefined;
  }

  private listen(partition: PartitionStore): void {
    if (typeof BroadcastChannel === 'undefined') return;
    this.partitionChannel?.close();
    const channel = new BroadcastChannel(`${CHANNEL_PREFIX}:${this.options.databaseName}:${partition.pid}`);
    channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
      const message = event.data;
      if (message?.t === 'destroyed') {
        // A logout of this partition elsewhere: stop caching it here too.
        this.stop('off');
      } else if ((message?.t === 'update' || message?.t === 'removed') && typeof message.name === 'string') {
        const key = partition.queryKeyOf(message.name);
        if (key) this.dispatchEvent(new CacheUpdateEvent(key, resourceTypeOf(key), 'other-tab'));
      }
    };
    this.partitionChannel = channel;
    if (!this.globalChannel) {
      this.globalChannel = new BroadcastChannel(`${CHANNEL_PREFIX}:${this.options.databaseName}`);
      this.globalChannel.onmessage = (event: MessageEvent<ChannelMessage>) => {
        if (event.data?.t === 'cleared-all') {
          cacheDatabase(this.options.databaseName).forgetRoot();
          this.forgetPartition();
        }
      };
    }
  }

  private post(pid: string, message: ChannelMessage): void {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(`${CHANNEL_PREFIX}:${this.options.databaseName}:${pid}`);
    channel.postMessage(message);
    channel.close();
  }

  private announce(partition: PartitionStore, key: string, resourceType: string, reason: CacheUpdateReason): void {
    this.dispatchEvent(new CacheUpdateEvent(key, resourceType, reason));
    void partition.entryName(key).then(
      (name) => this.partitionChannel?.postMessage({ t: reason === 'removed' ? 'removed' : 'update', name } satisfies ChannelMessage),
      () => undefined,
    );
  }

  /** Runs a storage operation; a failure turns the cache off for this source (one warning per page), never reaches the caller. */
  private async guard<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      this.degrade(error);
      return undefined;
    }
  }

  private degrade(error: unknown): void {
    if (this.currentStorage === 'unavailable' || this.currentStorage === 'off') return;
    warnUnavailable(error);
    this.forgetPartition();
    this.partitionPromise = Promise.resolve(undefined);
    this.setStorage('unavailable', error);
  }

  private stop(storage: 'off'): void {
    this.lifetime.abort();
    for (const flight of this.flights.values()) if (flight.waiters === 0) flight.controller.abort();
    this.forgetPartition();
    this.globalChannel?.close();
    this.globalChannel = undefined;
    this.partitionPromise = Promise.resolve(undefined);
    this.setStorage(storage);
  }

  private setStatus(status: CacheConnection, error?: unknown): void {
    if (this.currentStatus === status) return;
    this.currentStatus = status;
    this.dispatchEvent(new CacheStatusEvent(status, this.currentStorage, error));
  }

  private setStorage(storage: CacheStorageState, error?: unknown): void {
    if (this.currentStorage === storage) return;
    const announce = storage !== 'encrypted' || this.currentStorage !== 'pending';
    this.currentStorage = storage;
    if (announce) this.dispatchEvent(new CacheStatusEvent(this.currentStatus, storage, error));
  }

  private track(promise: Promise<unknown>): void {
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(settled);
    void settled.then(() => this.background.delete(settled));
  }
}

function resourceTypeOf(key: string): string {
  const match = /^[A-Za-z]+/.exec(key);
  return match ? match[0] : key;
}

/**
 * Wraps a FhirSource in an encrypted IndexedDB cache (stale-while-revalidate by default).
 *
 * ```ts
 * const source = createCachedSource(await smartSource(), { userKey: portal.userId });
 * context.source = source;                       // every element now reads through it
 * source.addEventListener('update', () => ...);  // newer data was found and stored
 * logout: await source.destroyPartition();
 * ```
 */
export function createCachedSource(source: FhirSource, options: CacheOptions = {}): CachedSource {
  return new CachedFhirSource(source, options);
}

/**
 * Deletes every cached answer of every partition, with every key, and tells this page's
 * and other tabs' cached sources to start afresh. For "forget this device" settings.
 */
export async function clearAll(options: { databaseName?: string } = {}): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const name = options.databaseName ?? DEFAULT_CACHE_DATABASE;
  await cacheDatabase(name).clearAll();
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(`${CHANNEL_PREFIX}:${name}`);
    channel.postMessage({ t: 'cleared-all' } satisfies ChannelMessage);
    channel.close();
  }
}

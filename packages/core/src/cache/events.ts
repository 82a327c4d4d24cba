/** Why cached data changed. */
export type CacheUpdateReason =
  /** A background revalidation found different data on the server and stored it. */
  | 'revalidated'
  /** The server no longer returns it (404/410, or access now refused): the cached copy was deleted. */
  | 'removed'
  /** Another tab (or another cached source of this page) stored fresher data for the same query. */
  | 'other-tab';

/**
 * `update`: the cached answer to a query changed. Re-run the load (the controller of an
 * element calls its task again) and the new data comes from the cache at once.
 */
export class CacheUpdateEvent extends Event {
  static readonly eventName = 'update';
  /** The query key: `Type?sorted-params` for a search, `Type/id` for a read. */
  readonly key: string;
  /** The resource type the query reads, to skip reloads that do not concern a view. */
  readonly resourceType: string;
  readonly reason: CacheUpdateReason;

  constructor(key: string, resourceType: string, reason: CacheUpdateReason) {
    super(CacheUpdateEvent.eventName);
    this.key = key;
    this.resourceType = resourceType;
    this.reason = reason;
  }
}

/**
 * Whether the server answered the last request: `online`; `offline` (it could not be
 * reached); `unauthorized` (it refused the session, HTTP 401: the sign-in expired or was
 * revoked, and only signing in again will refresh the data).
 */
export type CacheConnection = 'online' | 'offline' | 'unauthorized';

/**
 * Where cached data lives:
 * `pending` (not opened yet), `encrypted` (IndexedDB, AES-GCM), `unavailable` (IndexedDB or
 * WebCrypto failed: working uncached), `off` (policy `no-store`, after `destroyPartition()`
 * or `close()`, or a logout of the partition in another tab).
 */
export type CacheStorageState = 'pending' | 'encrypted' | 'unavailable' | 'off';

/** `status`: the connection or the storage changed (e.g. `offline`: cached data is shown while the server cannot be reached). */
export class CacheStatusEvent extends Event {
  static readonly eventName = 'status';
  readonly status: CacheConnection;
  readonly storage: CacheStorageState;
  /** The failure that made the source `offline` (a FhirError), or that made storage `unavailable`. */
  readonly error?: unknown;

  constructor(status: CacheConnection, storage: CacheStorageState, error?: unknown) {
    super(CacheStatusEvent.eventName);
    this.status = status;
    this.storage = storage;
    this.error = error;
  }
}

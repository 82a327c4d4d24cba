// The encrypted IndexedDB cache: a FhirSource wrapper between the source and the queries,
// so every element benefits without knowing it is there.
export { cacheProvenance, clearAll, createCachedSource } from './cached-source.js';
export type { CachedSource, CachedSourceEventMap, CacheOptions, CachePolicy, CacheProvenance } from './cached-source.js';
export { CacheStatusEvent, CacheUpdateEvent } from './events.js';
export type { CacheConnection, CacheStorageState, CacheUpdateReason } from './events.js';
export { DEFAULT_CACHE_DATABASE } from './cache-store.js';
// Keys as `update` events name them, to tell whether an update concerns a view.
export { readQueryKey, searchQueryKey } from './query-key.js';

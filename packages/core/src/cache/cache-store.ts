// The cache's IndexedDB layout, through idb-keyval (one database, one object store):
//
//   root              HMAC key (non-extractable CryptoKey) that names partitions
//   k:<pid>           a partition's keys { id, aes, hmac } (non-extractable CryptoKeys)
//   i:<pid>           a partition's index: entry names, sizes, times (for LRU and expiry)
//   e:<pid>:<name>    one entry: a sealed (deflated, AES-GCM) JSON document per query
//
// <pid> is HMAC(root, server + user + patient) and <name> is HMAC(partition key, query),
// both base64url: no key or value says whose record it is. One value per query, not one
// per resource: a 5,000-record answer is one get, not 5,000.
import { createStore, promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import { CacheIntegrityError, createHmacKey, createPartitionKeys, digestName, isPartitionKeys, seal, unseal } from './cache-crypto.js';
import type { PartitionKeys } from './cache-crypto.js';

/** The IndexedDB database the cache uses unless told otherwise. */
export const DEFAULT_CACHE_DATABASE = 'ehr-elements-cache';
const OBJECT_STORE = 'entries';
const ROOT = 'root';

/** What the index keeps of an entry, in plaintext: nothing about the patient. */
export interface EntryMeta {
  /** Stored size in bytes. */
  readonly s: number;
  /** Last access (epoch ms), for least-recently-used eviction. */
  readonly a: number;
  /** When the server last confirmed the data (epoch ms): the data's "as of" time. */
  readonly t: number;
  /** When the last full (not incremental) refresh was fetched (epoch ms). */
  readonly f: number;
  /** Incremental revalidations since the last full refresh. */
  readonly n: number;
}

interface PartitionIndex {
  readonly v: 1;
  /** Last activity in the partition (epoch ms). */
  a: number;
  e: Record<string, EntryMeta>;
}

/** Limits a sweep enforces across every partition of the database. */
export interface SweepPolicy {
  readonly maxAge: number;
  readonly maxBytes: number;
  readonly now: number;
}

const prefixRange = (prefix: string) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);
const keyRecord = (pid: string) => `k:${pid}`;
const indexRecord = (pid: string) => `i:${pid}`;
const entryPrefix = (pid: string) => `e:${pid}:`;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return promisifyRequest(req);
}

function isMeta(value: unknown): value is EntryMeta {
  const meta = value as Partial<EntryMeta> | undefined;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    [meta.s, meta.a, meta.t, meta.f, meta.n].every((field) => typeof field === 'number' && Number.isFinite(field))
  );
}

/** An index read back from IndexedDB, with anything malformed dropped. */
function readIndex(value: unknown): PartitionIndex {
  const index: PartitionIndex = { v: 1, a: 0, e: {} };
  if (typeof value !== 'object' || value === null) return index;
  const raw = value as { a?: unknown; e?: unknown };
  if (typeof raw.a === 'number' && Number.isFinite(raw.a)) index.a = raw.a;
  if (typeof raw.e === 'object' && raw.e !== null) {
    for (const [name, meta] of Object.entries(raw.e as Record<string, unknown>)) if (isMeta(meta)) index.e[name] = meta;
  }
  return index;
}

/** One IndexedDB database of the cache, shared by every cached source of the page that names it. */
export class CacheDatabase {
  readonly name: string;
  /** True once this page has swept the database (expired entries, orphans, the size budget). */
  swept = false;

  private readonly store: UseStore;
  private root?: Promise<CryptoKey>;
  private sweeping?: Promise<void>;
  private sweepAgain?: SweepPolicy;

  constructor(name: string) {
    this.name = name;
    this.store = createStore(name, OBJECT_STORE);
  }

  /**
   * Runs `body` in one transaction and resolves when the transaction has committed.
   * `body` may only await requests of this transaction (an await on anything else lets
   * IndexedDB commit early). A failure aborts the whole transaction.
   */
  async transact<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => Promise<T>): Promise<T> {
    return this.store(mode, async (store) => {
      const committed = promisifyRequest(store.transaction as unknown as IDBRequest<void>);
      committed.catch(() => undefined);
      try {
        const value = await body(store);
        await committed;
        return value;
      } catch (error) {
        try {
          store.transaction.abort();
        } catch {
          // It already finished or aborted.
        }
        throw error;
      }
    });
  }

  /** The key that names partitions, created on first use. */
  rootKey(): Promise<CryptoKey> {
    this.root ??= (async () => {
      const candidate = await createHmacKey();
      return this.transact('readwrite', async (store) => {
        const existing = await request(store.get(ROOT));
        if (existing instanceof CryptoKey) return existing;
        store.put(candidate, ROOT);
        return candidate;
      });
    })();
    this.root.catch(() => (this.root = undefined));
    return this.root;
  }

  /** Forgets the root key held in memory (after everything was cleared). */
  forgetRoot(): void {
    this.root = undefined;
  }

  /**
   * The partition named by `identity` (server, user, patient), with its keys; created
   * (keys and an empty index, in one transaction) when it does not exist yet.
   */
  async openPartition(identity: string, now: number): Promise<PartitionStore> {
    const pid = await digestName(await this.rootKey(), identity);
    const candidate = await createPartitionKeys();
    const keys = await this.transact('readwrite', async (store) => {
      const [existing, index] = await Promise.all([request(store.get(keyRecord(pid))), request(store.get(indexRecord(pid)))]);
      if (isPartitionKeys(existing)) {
        const updated = readIndex(index);
        updated.a = now;
        store.put(updated, indexRecord(pid));
        return existing;
      }
      // A new key: whatever an older key sealed here can never be read again.
      store.delete(prefixRange(entryPrefix(pid)));
      store.put(candidate, keyRecord(pid));
      store.put({ v: 1, a: now, e: {} } satisfies PartitionIndex, indexRecord(pid));
      return candidate;
    });
    return new PartitionStore(this, pid, keys);
  }

  /** The id of the partition named by `identity`, without creating anything; undefined when the database has no root key. */
  async existingPartitionId(identity: string): Promise<string | undefined> {
    const root = await this.transact('readonly', (store) => request(store.get(ROOT)));
    return root instanceof CryptoKey ? digestName(root, identity) : undefined;
  }

  /** Deletes a partition's entries, index and keys: nothing of it can be decrypted again. */
  async destroyPartition(pid: string): Promise<void> {
    await this.transact('readwrite', async (store) => {
      store.delete(prefixRange(entryPrefix(pid)));
      store.delete(indexRecord(pid));
      store.delete(keyRecord(pid));
    });
  }

  /** Deletes everything: every partition, its keys, and the root key. */
  async clearAll(): Promise<void> {
    this.root = undefined;
    await this.transact('readwrite', async (store) => {
      store.clear();
    });
  }

  /**
   * Enforces the limits across every partition: deletes entries older than `maxAge`,
   * entries whose partition key is gone (nothing could decrypt them), stray values, idle
   * empty partitions, then the least recently used entries until the total fits
   * `maxBytes`. Calls made while a sweep runs are folded into one more sweep.
   */
  sweep(policy: SweepPolicy): Promise<void> {
    if (this.sweeping) {
      this.sweepAgain = policy;
      return this.sweeping;
    }
    const run = async (current: SweepPolicy): Promise<void> => {
      try {
        await this.sweepOnce(current);
      } finally {
        const next = this.sweepAgain;
        this.sweepAgain = undefined;
        if (next) await run(next);
      }
    };
    this.sweeping = run(policy).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private sweepOnce({ maxAge, maxBytes, now }: SweepPolicy): Promise<void> {
    return this.transact('readwrite', async (store) => {
      const [allKeys, indexKeys, indexValues] = await Promise.all([
        request(store.getAllKeys()),
        request(store.getAllKeys(prefixRange('i:'))),
        request(store.getAll(prefixRange('i:'))),
      ]);
      const names = allKeys.filter((key): key is string => typeof key === 'string');
      const keyed = new Set(names.filter((key) => key.startsWith('k:')).map((key) => key.slice(2)));
      const stored = new Set(names.filter((key) => key.startsWith('e:')));
      const indexes = new Map<string, PartitionIndex>();
      const changed = new Set<string>();
      const live: { pid: string; name: string; meta: EntryMeta }[] = [];
      const referenced = new Set<string>();

      indexKeys.forEach((key, i) => {
        const pid = String(key).slice(2);
        if (!keyed.has(pid)) {
          // Its key is gone (a logout in another tab): nothing here can be decrypted.
          store.delete(prefixRange(entryPrefix(pid)));
          store.delete(indexRecord(pid));
          return;
        }
        const index = readIndex(indexValues[i]);
        indexes.set(pid, index);
        for (const [name, meta] of Object.entries(index.e)) {
          const record = `${entryPrefix(pid)}${name}`;
          if (!stored.has(record)) {
            delete index.e[name];
            changed.add(pid);
          } else if (now - meta.t > maxAge) {
            store.delete(record);
            delete index.e[name];
            changed.add(pid);
          } else {
            referenced.add(record);
            live.push({ pid, name, meta });
          }
        }
      });
      // Values no index lists (a partition deleted mid-write, or corruption) are unreachable.
      for (const record of stored) if (!referenced.has(record)) store.delete(record);
      const indexed = new Set(indexKeys.map((key) => String(key).slice(2)));
      for (const pid of keyed) if (!indexed.has(pid)) store.delete(keyRecord(pid));

      let total = live.reduce((sum, entry) => sum + entry.meta.s, 0);
      if (total > maxBytes) {
        live.sort((a, b) => a.meta.a - b.meta.a);
        for (const entry of live) {
          if (total <= maxBytes) break;
          store.delete(`${entryPrefix(entry.pid)}${entry.name}`);
          delete indexes.get(entry.pid)!.e[entry.name];
          changed.add(entry.pid);
          total -= entry.meta.s;
        }
      }

      for (const [pid, index] of indexes) {
        if (Object.keys(index.e).length === 0 && now - index.a > maxAge) {
          // An idle, empty partition: drop its keys too, so they do not pile up.
          store.delete(indexRecord(pid));
          store.delete(keyRecord(pid));
        } else if (changed.has(pid)) {
          store.put(index, indexRecord(pid));
        }
      }
    });
  }
}

/** A cached answer as stored: its decrypted JSON text and its index metadata. */
export interface StoredEntry {
  readonly text: string;
  readonly meta: EntryMeta;
}

/** What became of a write. */
export type SaveOutcome = 'saved' | 'too-large' | 'key-replaced';

/**
 * One partition (server + user + patient): reads and writes its entries, sealed with its
 * own key and authenticated with the partition id and query key.
 */
export class PartitionStore {
  readonly database: CacheDatabase;
  /** The partition id (an HMAC digest). */
  readonly pid: string;
  private readonly keys: PartitionKeys;
  private readonly names = new Map<string, string>();

  constructor(database: CacheDatabase, pid: string, keys: PartitionKeys) {
    this.database = database;
    this.pid = pid;
    this.keys = keys;
  }

  /** The stored name of a query (HMAC digest), memoized. */
  async entryName(queryKey: string): Promise<string> {
    let name = this.names.get(queryKey);
    if (!name) {
      name = await digestName(this.keys.hmac, queryKey);
      this.names.set(queryKey, name);
    }
    return name;
  }

  /** The query key a stored name belongs to, when this partition has named it. */
  queryKeyOf(name: string): string | undefined {
    for (const [queryKey, known] of this.names) if (known === name) return queryKey;
    return undefined;
  }

  private context(queryKey: string): string {
    return `${this.pid}\u0000${queryKey}`;
  }

  /**
   * The entry of a query, decrypted; undefined when there is none. An entry that fails
   * authentication (tampered, moved, sealed with a replaced key) is deleted, never returned.
   */
  async load(queryKey: string): Promise<StoredEntry | undefined> {
    const name = await this.entryName(queryKey);
    const record = `${entryPrefix(this.pid)}${name}`;
    const [value, index] = await this.database.transact('readonly', (store) =>
      Promise.all([request(store.get(record)), request(store.get(indexRecord(this.pid)))]),
    );
    if (value === undefined) return undefined;
    const meta = readIndex(index).e[name];
    if (!meta) return undefined;
    try {
      return { text: await unseal(this.keys.aes, this.context(queryKey), value), meta };
    } catch (error) {
      if (!(error instanceof CacheIntegrityError)) throw error;
      await this.remove(queryKey);
      return undefined;
    }
  }

  /**
   * Seals and stores the entry of a query, with its index metadata, in one transaction.
   * Nothing is written when the partition's key was deleted or replaced meanwhile (a
   * logout in another tab), or when the entry alone exceeds `maxBytes`.
   */
  async save(queryKey: string, text: string, meta: Omit<EntryMeta, 's' | 'a'>, now: number, maxBytes: number): Promise<SaveOutcome> {
    const name = await this.entryName(queryKey);
    const sealed = await seal(this.keys.aes, this.context(queryKey), text);
    const size = sealed.byteLength + name.length;
    if (size > maxBytes) {
      await this.remove(queryKey);
      return 'too-large';
    }
    return this.database.transact('readwrite', async (store) => {
      const [keys, index] = await Promise.all([request(store.get(keyRecord(this.pid))), request(store.get(indexRecord(this.pid)))]);
      if (!isPartitionKeys(keys) || keys.id !== this.keys.id) return 'key-replaced';
      const updated = readIndex(index);
      updated.a = now;
      updated.e[name] = { ...meta, s: size, a: now };
      store.put(sealed, `${entryPrefix(this.pid)}${name}`);
      store.put(updated, indexRecord(this.pid));
      return 'saved';
    });
  }

  /** Updates an entry's index metadata (last access, confirmation time) without rewriting it. */
  async touch(queryKey: string, patch: Partial<Omit<EntryMeta, 's'>>): Promise<void> {
    const name = await this.entryName(queryKey);
    await this.database.transact('readwrite', async (store) => {
      const index = readIndex(await request(store.get(indexRecord(this.pid))));
      const meta = index.e[name];
      if (!meta) return;
      index.e[name] = { ...meta, ...patch };
      if (patch.a !== undefined) index.a = Math.max(index.a, patch.a);
      store.put(index, indexRecord(this.pid));
    });
  }

  /** Deletes the entry of a query. */
  async remove(queryKey: string): Promise<void> {
    const name = await this.entryName(queryKey);
    await this.database.transact('readwrite', async (store) => {
      const index = readIndex(await request(store.get(indexRecord(this.pid))));
      store.delete(`${entryPrefix(this.pid)}${name}`);
      if (index.e[name]) {
        delete index.e[name];
        store.put(index, indexRecord(this.pid));
      }
    });
  }

  /** Deletes every entry of the partition; its keys stay. */
  async clear(): Promise<void> {
    await this.database.transact('readwrite', async (store) => {
      const index = readIndex(await request(store.get(indexRecord(this.pid))));
      store.delete(prefixRange(entryPrefix(this.pid)));
      index.e = {};
      store.put(index, indexRecord(this.pid));
    });
  }

  /** Deletes the partition's entries, index and keys: nothing of it can be decrypted again. */
  destroy(): Promise<void> {
    return this.database.destroyPartition(this.pid);
  }
}

const databases = new Map<string, CacheDatabase>();

/** The page's handle on a cache database (one connection per name). */
export function cacheDatabase(name: string = DEFAULT_CACHE_DATABASE): CacheDatabase {
  let database = databases.get(name);
  if (!database) {
    database = new CacheDatabase(name);
    databases.set(name, database);
  }
  return database;
}

// Reads and changes the cache's IndexedDB database directly, with the plain IndexedDB API,
// as someone with access to the browser profile could: no help from the cache's code.

export interface RawRecord {
  readonly key: string;
  readonly value: unknown;
}

/** A database name no other test uses. */
export function uniqueDatabase(): string {
  return `ehr-cache-test-${crypto.randomUUID()}`;
}

function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function exists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((database) => database.name === name);
}

/** Every key and value of every object store of the database (none when it does not exist). */
export async function rawRecords(name: string): Promise<RawRecord[]> {
  if (!(await exists(name))) return [];
  const db = await open(name);
  try {
    const records: RawRecord[] = [];
    for (const storeName of Array.from(db.objectStoreNames)) {
      await new Promise<void>((resolve, reject) => {
        const cursor = db.transaction(storeName, 'readonly').objectStore(storeName).openCursor();
        cursor.onsuccess = () => {
          const current = cursor.result;
          if (!current) return resolve();
          records.push({ key: String(current.key), value: current.value });
          current.continue();
        };
        cursor.onerror = () => reject(cursor.error);
      });
    }
    return records;
  } finally {
    db.close();
  }
}

/** Entries (sealed values) only. */
export async function rawEntries(name: string): Promise<RawRecord[]> {
  return (await rawRecords(name)).filter((record) => record.value instanceof ArrayBuffer);
}

/** Replaces values in place: `change` gets each value and returns the new one (or undefined to keep it). */
export async function rewriteRaw(name: string, change: (record: RawRecord) => unknown): Promise<number> {
  const db = await open(name);
  let changed = 0;
  try {
    const storeName = db.objectStoreNames[0];
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction(storeName, 'readwrite');
      const cursor = transaction.objectStore(storeName).openCursor();
      cursor.onsuccess = () => {
        const current = cursor.result;
        if (!current) return;
        const next = change({ key: String(current.key), value: current.value });
        if (next !== undefined) {
          current.update(next);
          changed += 1;
        }
        current.continue();
      };
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
  return changed;
}

/** Puts a raw value under a raw key. */
export async function putRaw(name: string, key: string, value: unknown): Promise<void> {
  const db = await open(name);
  try {
    const storeName = db.objectStoreNames[0];
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction(storeName, 'readwrite');
      transaction.objectStore(storeName).put(value, key);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** Everything readable in a raw value, as text: decoded bytes, JSON, object keys. */
export function rawText(record: RawRecord): string {
  const { value } = record;
  let text = record.key;
  if (value instanceof ArrayBuffer) {
    const bytes = new Uint8Array(value);
    text += new TextDecoder('utf-8').decode(bytes);
    text += Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
  } else if (typeof value === 'string') {
    text += value;
  } else if (value !== null && typeof value === 'object') {
    text += JSON.stringify(value, (_key, inner: unknown) => (inner instanceof CryptoKey ? { algorithm: inner.algorithm, extractable: inner.extractable } : inner));
  }
  return text;
}

/** A mutable clock for `now`. */
export function testClock(start = Date.parse('2026-06-01T12:00:00.000Z')) {
  const clock = { time: start, now: () => clock.time, advance: (ms: number) => (clock.time += ms) };
  return clock;
}

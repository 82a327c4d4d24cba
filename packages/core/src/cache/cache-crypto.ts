// Encryption at rest for the cache: AES-GCM-256 with non-extractable WebCrypto keys, and
// HMAC-SHA-256 digests for every name that would otherwise say whose data an entry holds.

/** A partition's keys: one encrypts entries, one names them. Both non-extractable. */
export interface PartitionKeys {
  /** A random id of this key pair, to notice that another tab replaced it. */
  readonly id: string;
  readonly aes: CryptoKey;
  readonly hmac: CryptoKey;
}

/** An entry that cannot be decrypted or parsed: tampered with, moved, truncated, or sealed with a key that is gone. */
export class CacheIntegrityError extends Error {
  override readonly name = 'CacheIntegrityError';
}

// Byte 0 of a sealed value says how the plaintext was packed. It is authenticated too.
const FORMAT_JSON = 1;
const FORMAT_DEFLATE_JSON = 2;
// NIST SP 800-38D: a 96-bit IV, random per message (2^32 messages per key at most; a cache writes far fewer).
const IV_BYTES = 12;

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  // crypto.subtle is missing outside secure contexts (plain http on another host than localhost).
  if (!value) throw new DOMException('WebCrypto is not available (not a secure context).', 'NotSupportedError');
  return value;
}

/** A random id, base64url. */
export function randomId(bytes = 16): string {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A new non-extractable HMAC-SHA-256 key (names partitions and entries). */
export function createHmacKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']) as Promise<CryptoKey>;
}

/** New non-extractable keys for a partition. */
export async function createPartitionKeys(): Promise<PartitionKeys> {
  const [aes, hmac] = await Promise.all([
    subtle().generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) as Promise<CryptoKey>,
    createHmacKey(),
  ]);
  return { id: randomId(), aes, hmac };
}

/** True when a value read back from IndexedDB is a usable key pair. */
export function isPartitionKeys(value: unknown): value is PartitionKeys {
  const keys = value as Partial<PartitionKeys> | undefined;
  return (
    typeof keys === 'object' &&
    keys !== null &&
    typeof keys.id === 'string' &&
    keys.aes instanceof CryptoKey &&
    keys.hmac instanceof CryptoKey
  );
}

/** HMAC-SHA-256 of `text`, base64url: a name that reveals nothing without the key. */
export async function digestName(key: CryptoKey, text: string): Promise<string> {
  const signature = await subtle().sign('HMAC', key, encoder.encode(text));
  return base64url(new Uint8Array(signature));
}

async function pipe(bytes: Uint8Array<ArrayBuffer>, transform: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const canCompress = () => typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

/**
 * Encrypts `text` for storage: `[format][96-bit IV][AES-GCM ciphertext + tag]`. FHIR JSON
 * is deflated first (a 5,000-resource record: 5.3 MB to 0.3 MB, which also makes the
 * IndexedDB write several times faster). `context` (partition id and query key) is the
 * additional authenticated data, so a value moved to another key fails to decrypt.
 */
export async function seal(key: CryptoKey, context: string, text: string): Promise<ArrayBuffer> {
  const plain = encoder.encode(text);
  const format = canCompress() ? FORMAT_DEFLATE_JSON : FORMAT_JSON;
  const packed = format === FORMAT_DEFLATE_JSON ? await pipe(plain, new CompressionStream('deflate-raw')) : plain;
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(`${format}\u0000${context}`) }, key, packed);
  const out = new Uint8Array(1 + IV_BYTES + cipher.byteLength);
  out[0] = format;
  out.set(iv, 1);
  out.set(new Uint8Array(cipher), 1 + IV_BYTES);
  return out.buffer;
}

/** Decrypts a value {@link seal} made for the same `context`; throws {@link CacheIntegrityError} otherwise. */
export async function unseal(key: CryptoKey, context: string, value: unknown): Promise<string> {
  const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value instanceof Uint8Array ? value : undefined;
  if (!bytes || bytes.byteLength < 1 + IV_BYTES + 16) throw new CacheIntegrityError('The cached entry is not a sealed value.');
  const format = bytes[0];
  if (format !== FORMAT_JSON && format !== FORMAT_DEFLATE_JSON) throw new CacheIntegrityError(`Unknown cache entry format ${format}.`);
  let packed: ArrayBuffer;
  try {
    packed = await subtle().decrypt(
      { name: 'AES-GCM', iv: bytes.slice(1, 1 + IV_BYTES), additionalData: encoder.encode(`${format}\u0000${context}`) },
      key,
      bytes.slice(1 + IV_BYTES),
    );
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'NotSupportedError') throw error;
    throw new CacheIntegrityError('The cached entry failed authentication.', { cause: error });
  }
  try {
    const plain = format === FORMAT_DEFLATE_JSON ? await pipe(new Uint8Array(packed), new DecompressionStream('deflate-raw')) : new Uint8Array(packed);
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch (error) {
    throw new CacheIntegrityError('The cached entry could not be unpacked.', { cause: error });
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Per-record bookkeeping: stable ids, `meta.lastUpdated` stamps and references.
 */
import type { Meta, Reference, Resource } from '@medplum/fhirtypes';
import { mixSeed } from './random.js';
import { DAY, HOUR, MINUTE, instant } from './time.js';

/** Ids are FHIR ids: [A-Za-z0-9\-\.]{1,64}. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export class RecordBuilder {
  /** The part of every id that names this record, e.g. `1-3` for patient 3 of seed 1. */
  readonly key: string;
  readonly now: number;
  /**
   * When the record was bulk-loaded into the server. Anything clinically older
   * carries this as `meta.lastUpdated`, so a UI that shows lastUpdated instead
   * of the clinical date shows the wrong day.
   */
  readonly loadedAt: number;
  readonly patientId: string;
  private readonly counters = new Map<string, number>();
  private stamps = 0;

  constructor(key: string, now: number) {
    if (!FHIR_ID.test(`enc-${key}-99999`)) throw new Error(`Record key "${key}" does not make valid FHIR ids`);
    this.key = key;
    this.now = now;
    this.loadedAt = now - 45 * DAY - 9 * HOUR + 12 * MINUTE;
    this.patientId = `p-${key}`;
  }

  /** The next id for a resource kind: `obs-1-3-17`. */
  id(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${this.key}-${n}`;
  }

  /** `meta` for a resource made at `clinical` (undefined for administrative resources). */
  meta(clinical?: number, profile?: string): Meta {
    const lastUpdated = instant(this.storedAt(clinical));
    return profile === undefined ? { lastUpdated } : { lastUpdated, profile: [profile] };
  }

  /** A server-storage time: a day to weeks after the clinical time, never before the bulk load. */
  private storedAt(clinical: number | undefined): number {
    this.stamps++;
    const jitter = mixSeed(this.key, this.stamps);
    const millis = jitter % 1000;
    if (clinical === undefined) return this.loadedAt + this.stamps * 1000 + millis;
    // At least a day later, so even the calendar date differs from the clinical one.
    let stored = clinical + 26 * HOUR + (jitter % (20 * 24)) * HOUR + millis;
    if (stored < this.loadedAt) stored = this.loadedAt + (this.stamps % 3600) * 1000 + millis;
    if (stored >= this.now) stored = clinical + Math.floor((this.now - clinical) / 2);
    return stored;
  }

  patientReference(display?: string): AnyReference {
    return reference('Patient', this.patientId, display);
  }
}

/**
 * A reference to any resource. Medplum types each reference by its target
 * (`Reference<Patient>`); the generator builds references generically.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReference = Reference<any>;

export function reference(type: string, id: string, display?: string): AnyReference {
  return display === undefined ? { reference: `${type}/${id}` } : { reference: `${type}/${id}`, display };
}

export function referenceTo(resource: Resource & { id?: string }, display?: string): AnyReference {
  return reference(resource.resourceType, resource.id as string, display);
}

/**
 * Calls `visit` for every `reference` string inside a resource (contained
 * references and absolute URLs included), with the object holding it.
 */
export function forEachReference(value: unknown, visit: (reference: string, holder: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) forEachReference(item, visit);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'reference' && typeof child === 'string') visit(child, record);
      else if (typeof child === 'object') forEachReference(child, visit);
    }
  }
}

/** Base64 of UTF-8 text, for Attachment.data. */
export function base64(text: string): string {
  // btoa over UTF-8 bytes, not Node's Buffer: the generator also runs in the browser
  // (tests, stories and benchmarks build records in the page).
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Rounds to a number of decimals without float noise (0.1 + 0.2 style). */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

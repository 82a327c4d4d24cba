// The in-memory index the sandbox server searches. Medplum's MemoryRepository keeps the
// resources for reads and history; this store keeps the same resources indexed the way a
// patient-facing app queries them: by type in load order, by every reference a resource
// makes (so `Observation?patient=X` starts from X's referrers, not from every Observation),
// by patient compartment, and with each search parameter's values extracted once.
import {
  convertToSearchableReferences,
  convertToSearchableTokens,
  evalFhirPathTyped,
  toTypedValue,
  type TypedValue,
} from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { parseDateRange, type DateRange } from './dates.js';
import type { PreparedSearchParameter, R4Definitions } from './definitions.js';

/** Marks tokens that come from CodeableConcept.text / Coding.display: only `:text` searches see them. */
export const TEXT_TOKEN_SYSTEM = '\u0000text';

/** A token search value as indexed: system and code as written in the resource. */
export interface IndexedToken {
  readonly system: string | undefined;
  readonly value: string | undefined;
}

/** A Quantity (or a plain number) as indexed for quantity search. */
export interface IndexedQuantity {
  readonly value: number;
  readonly system?: string;
  readonly code?: string;
  readonly unit?: string;
}

/** The values of one search parameter in one resource; the element type follows the parameter type. */
export type IndexedValues =
  | readonly IndexedToken[]
  | readonly string[]
  | readonly DateRange[]
  | readonly number[]
  | readonly IndexedQuantity[];

/** One stored resource and what the indexes know about it. */
export interface StoredResource {
  readonly resource: Resource & { id: string };
  readonly type: string;
  readonly id: string;
  /** `Type/id`, the relative reference other resources use. */
  readonly reference: string;
  /** Load order; the default and tie-breaking sort key, so paging is stable. */
  readonly seq: number;
  /** Every `Type/id` this resource references (any element named `reference`). */
  readonly references: readonly string[];
  /** Ids of the patients whose compartment holds this resource. */
  readonly patients: readonly string[];
  /** Search parameter values, extracted on first use. */
  readonly values: Map<string, IndexedValues>;
}

/** Resources by type and id with reference, compartment and value indexes. */
export class ResourceStore {
  private readonly byType = new Map<string, Map<string, StoredResource>>();
  private readonly referrers = new Map<string, Set<StoredResource>>();
  private readonly compartments = new Map<string, Map<string, Set<StoredResource>>>();
  private nextSeq = 0;
  private readonly definitions: R4Definitions;
  /** Turns a reference as written into the form the indexes use (`Type/id` for local resources). */
  readonly normalizeReference: (reference: string) => string;

  constructor(definitions: R4Definitions, normalizeReference: (reference: string) => string) {
    this.definitions = definitions;
    this.normalizeReference = normalizeReference;
  }

  /** Adds a resource, replacing any earlier one with the same type and id. */
  put(resource: Resource & { id: string }): StoredResource {
    const type = resource.resourceType;
    const existing = this.get(type, resource.id);
    if (existing) this.remove(existing);

    const references = new Set<string>();
    collectReferences(resource, (reference) => references.add(this.normalizeReference(reference)));
    const values = new Map<string, IndexedValues>();
    // Compartment membership (R4 compartmentdefinition-patient): the Patient itself, and any
    // resource whose compartment parameters (subject, patient, performer...) point at it.
    const patients = new Set<string>();
    if (type === 'Patient') patients.add(resource.id);
    const params = this.definitions.searchParameters(type);
    for (const code of this.definitions.patientCompartmentParams(type)) {
      const param = params.get(code);
      if (!param) continue;
      for (const reference of this.cachedValues(resource, values, param) as readonly string[]) {
        if (reference.startsWith('Patient/')) patients.add(reference.slice('Patient/'.length));
      }
    }
    const stored: StoredResource = {
      resource,
      type,
      id: resource.id,
      reference: `${type}/${resource.id}`,
      seq: this.nextSeq++,
      references: [...references],
      patients: [...patients],
      values,
    };

    let ofType = this.byType.get(type);
    if (!ofType) this.byType.set(type, (ofType = new Map()));
    ofType.set(stored.id, stored);
    for (const reference of stored.references) {
      let set = this.referrers.get(reference);
      if (!set) this.referrers.set(reference, (set = new Set()));
      set.add(stored);
    }
    for (const patient of stored.patients) {
      let byType = this.compartments.get(patient);
      if (!byType) this.compartments.set(patient, (byType = new Map()));
      let set = byType.get(type);
      if (!set) byType.set(type, (set = new Set()));
      set.add(stored);
    }
    return stored;
  }

  private remove(stored: StoredResource): void {
    this.byType.get(stored.type)?.delete(stored.id);
    for (const reference of stored.references) this.referrers.get(reference)?.delete(stored);
    for (const patient of stored.patients) this.compartments.get(patient)?.get(stored.type)?.delete(stored);
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.byType.get(type)?.get(id);
  }

  /** Resolves a `Type/id` reference (after normalization) to a stored resource. */
  resolve(reference: string): StoredResource | undefined {
    const normalized = this.normalizeReference(reference);
    const slash = normalized.indexOf('/');
    if (slash < 0 || normalized.indexOf('/', slash + 1) >= 0) return undefined;
    return this.get(normalized.slice(0, slash), normalized.slice(slash + 1));
  }

  /** Every resource of a type, in load order. */
  ofType(type: string): Iterable<StoredResource> {
    return this.byType.get(type)?.values() ?? [];
  }

  countOfType(type: string): number {
    return this.byType.get(type)?.size ?? 0;
  }

  /** Types that have at least one resource. */
  types(): string[] {
    return [...this.byType].filter(([, resources]) => resources.size > 0).map(([type]) => type);
  }

  /** Resources that reference `Type/id` anywhere, in load order. */
  referencing(reference: string): Iterable<StoredResource> {
    return this.referrers.get(reference) ?? [];
  }

  /** Resources of a type in a patient's compartment (the Patient itself for type Patient). */
  inCompartment(patientId: string, type: string): ReadonlySet<StoredResource> {
    return this.compartments.get(patientId)?.get(type) ?? EMPTY;
  }

  /** How many resources a patient's compartment holds, the Patient itself not counted. */
  compartmentSize(patientId: string): number {
    let size = 0;
    for (const [type, set] of this.compartments.get(patientId) ?? []) if (type !== 'Patient') size += set.size;
    return size;
  }

  /** The values of a search parameter in a resource, extracted with the prepared FHIRPath expression once. */
  valuesOf(stored: StoredResource, param: PreparedSearchParameter): IndexedValues {
    return this.cachedValues(stored.resource, stored.values, param);
  }

  private cachedValues(
    resource: Resource,
    cache: Map<string, IndexedValues>,
    param: PreparedSearchParameter,
  ): IndexedValues {
    let values = cache.get(param.code);
    if (!values) {
      const typed = param.expression ? evalFhirPathTyped(param.expression, [toTypedValue(resource)]) : [];
      values = this.extract(param, typed);
      cache.set(param.code, values);
    }
    return values;
  }

  private extract(param: PreparedSearchParameter, typed: TypedValue[]): IndexedValues {
    switch (param.type) {
      case 'token':
        return convertToSearchableTokens(typed, { textSearchSystem: TEXT_TOKEN_SYSTEM });
      case 'reference':
        return convertToSearchableReferences(typed).map((reference) => this.normalizeReference(reference));
      case 'date':
        return typed.flatMap((value) => toDateRanges(value.value));
      case 'string':
        return typed.flatMap((value) => stringsOf(value.value));
      case 'uri':
        return typed.map((value) => value.value).filter((value): value is string => typeof value === 'string');
      case 'number':
        return typed.flatMap((value) => numbersOf(value.value));
      case 'quantity':
        return typed.flatMap((value) => quantitiesOf(value.value));
      default:
        return [];
    }
  }
}

const EMPTY: ReadonlySet<StoredResource> = new Set();

/** Calls `visit` with every string `reference` element in a resource, contained resources included. */
function collectReferences(value: unknown, visit: (reference: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, visit);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') {
        if (!child.startsWith('#')) visit(child);
      } else if (typeof child === 'object') {
        collectReferences(child, visit);
      }
    }
  }
}

/** Lower case without diacritics: string search is case- and accent-insensitive (R4 search.html#string). */
export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

function toDateRanges(value: unknown): DateRange[] {
  if (typeof value === 'string') {
    const range = parseDateRange(value);
    return range ? [range] : [];
  }
  if (!value || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  // Timing: its events, else the bounds of its repeat.
  if (Array.isArray(object.event) || object.repeat) {
    const events = (object.event as unknown[] | undefined)?.flatMap(toDateRanges) ?? [];
    const bounds = (object.repeat as { boundsPeriod?: unknown } | undefined)?.boundsPeriod;
    return events.length ? events : toDateRanges(bounds);
  }
  // Period: an open end stretches to the end of time (R4 datatypes.html#Period).
  if ('start' in object || 'end' in object) {
    const start = typeof object.start === 'string' ? parseDateRange(object.start) : undefined;
    const end = typeof object.end === 'string' ? parseDateRange(object.end) : undefined;
    if (!start && !end) return [];
    return [{ low: start?.low ?? -Infinity, high: end?.high ?? Infinity }];
  }
  return [];
}

// Coded parts of HumanName, Address and ContactPoint that a string search must not match ("official", "home").
const NON_TEXT_KEYS: ReadonlySet<string> = new Set(['id', 'use', 'type', 'system']);

/** The strings a string search looks at: each part of a HumanName or Address, or the text itself. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!value || typeof value !== 'object') return [];
  const result: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (NON_TEXT_KEYS.has(key)) continue;
    if (typeof child === 'string') result.push(child);
    else if (Array.isArray(child)) for (const item of child) if (typeof item === 'string') result.push(item);
  }
  return result;
}

function numbersOf(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') {
    const object = value as { value?: unknown; low?: { value?: unknown }; high?: { value?: unknown } };
    if (typeof object.value === 'number') return [object.value];
    return [object.low?.value, object.high?.value].filter((n): n is number => typeof n === 'number');
  }
  return [];
}

function quantitiesOf(value: unknown): IndexedQuantity[] {
  if (typeof value === 'number') return [{ value }];
  if (value && typeof value === 'object') {
    const quantity = value as { value?: unknown; system?: string; code?: string; unit?: string };
    if (typeof quantity.value === 'number') {
      return [{ value: quantity.value, system: quantity.system, code: quantity.code, unit: quantity.unit }];
    }
  }
  return [];
}

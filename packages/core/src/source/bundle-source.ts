import type {
  AllergyIntolerance,
  Bundle,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Identifier,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  OperationOutcome,
  Patient,
  Period,
  Procedure,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { FhirError } from './fhir-source.js';
import type { FhirServerIdentity, FhirSource, ReadOptions, SearchOptions, SearchParams, SearchResult } from './fhir-source.js';
import { abortedError, errorForStatus, throwIfAborted } from './http.js';
import { searchParamEntries } from './paging.js';

export interface BundleSourceOptions {
  /** Resources to hold. Bundles among them are unpacked. */
  resources?: Resource[];
  /** Bundles (transaction, collection, searchset...) to unpack. */
  bundle?: Bundle | Bundle[];
  /** The patient in context. Defaults to the only Patient, when there is exactly one. */
  patientId?: string;
  /** A human label shown as provenance. */
  label?: string;
  /** The base URL reported as the server (default `memory://bundle`). */
  baseUrl?: string;
  /** Simulated latency of every read and search, in milliseconds (default 0). */
  latency?: number;
  /** Force a failure for every read and search of a resource type (error states in stories and tests). */
  failures?: Partial<Record<string, FhirError>>;
}

// ---------------------------------------------------------------------------
// Values a search parameter is evaluated on

/** A date or a period as [start, end) in epoch milliseconds; open ends are infinite. */
interface DateRange {
  readonly start: number;
  readonly end: number;
}

/** A coded value: a Coding, a code (its system implied by the binding) or an Identifier. */
interface Token {
  readonly system?: string;
  readonly code?: string;
  /** A `code` element: its system is implied, so a searched system is not compared. */
  readonly implicitSystem?: boolean;
}

type Extractor<V> = (resource: Resource) => V;

type ParamDef =
  | { readonly kind: 'token'; readonly values: Extractor<Token[]> }
  | { readonly kind: 'date'; readonly value: Extractor<DateRange | undefined> }
  | { readonly kind: 'reference'; readonly values: Extractor<string[]>; readonly targets?: readonly string[] };

function token<T extends Resource>(values: (resource: T) => Token[]): ParamDef {
  return { kind: 'token', values: values as Extractor<Token[]> };
}
function date<T extends Resource>(value: (resource: T) => DateRange | undefined): ParamDef {
  return { kind: 'date', value: value as Extractor<DateRange | undefined> };
}
function reference<T extends Resource>(
  values: (resource: T) => (Reference | undefined)[] | Reference | undefined,
  targets?: readonly string[],
): ParamDef {
  const refs = (resource: Resource): string[] => {
    const found = values(resource as T);
    const list = Array.isArray(found) ? found : [found];
    return list.map((ref) => ref?.reference).filter((ref): ref is string => typeof ref === 'string');
  };
  return { kind: 'reference', values: refs, targets };
}

function concepts(value: CodeableConcept | CodeableConcept[] | undefined): Token[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((concept) => (concept.coding ?? []).map((coding) => ({ system: coding.system, code: coding.code })));
}
function codes(value: string | string[] | undefined): Token[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map((code) => ({ code, implicitSystem: true }));
}
function identifiers(value: Identifier[] | undefined): Token[] {
  return (value ?? []).map((identifier) => ({ system: identifier.system, code: identifier.value }));
}

// FHIR R4 datatypes: date / dateTime / instant, each with its own precision.
const DATE_PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The range a FHIR date covers at its precision (R4 search.html#date): `2020` is all of
 * 2020, `2020-03-15T10:00:00Z` one second. Values without a time zone are read as UTC.
 */
function dateRange(value: string | undefined): DateRange | undefined {
  if (!value) return undefined;
  const match = DATE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo ? Number(mo) - 1 : 0;
  const day = d ? Number(d) : 1;
  if (h === undefined) {
    const start = Date.UTC(year, month, day);
    const end = d ? Date.UTC(year, month, day + 1) : mo ? Date.UTC(year, month + 1, 1) : Date.UTC(year + 1, 0, 1);
    return { start, end };
  }
  let offset = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const start = Date.UTC(year, month, day, Number(h), Number(mi), s ? Number(s) : 0, millis) - offset;
  const width = fraction ? 1 : s ? 1000 : 60_000;
  return { start, end: start + width };
}

function periodRange(period: Period | undefined): DateRange | undefined {
  if (!period || (!period.start && !period.end)) return undefined;
  return {
    start: dateRange(period.start)?.start ?? -Infinity,
    end: dateRange(period.end)?.end ?? Infinity,
  };
}

/** The date a record is about, per type: what `date` searches and `_sort=date` use. */
function clinicalDate(resource: Resource): DateRange | undefined {
  switch (resource.resourceType) {
    case 'Observation': {
      const r = resource as Observation;
      return dateRange(r.effectiveDateTime) ?? periodRange(r.effectivePeriod) ?? dateRange(r.effectiveInstant);
    }
    case 'DiagnosticReport': {
      const r = resource as DiagnosticReport;
      return dateRange(r.effectiveDateTime) ?? periodRange(r.effectivePeriod);
    }
    case 'Condition': {
      const r = resource as Condition;
      return dateRange(r.onsetDateTime) ?? periodRange(r.onsetPeriod) ?? dateRange(r.recordedDate);
    }
    case 'AllergyIntolerance': {
      const r = resource as AllergyIntolerance;
      return dateRange(r.onsetDateTime) ?? periodRange(r.onsetPeriod) ?? dateRange(r.recordedDate);
    }
    case 'Encounter':
      return periodRange((resource as Encounter).period);
    case 'Immunization':
      return dateRange((resource as Immunization).occurrenceDateTime);
    case 'MedicationRequest':
      return dateRange((resource as MedicationRequest).authoredOn);
    case 'MedicationStatement': {
      const r = resource as MedicationStatement;
      return dateRange(r.effectiveDateTime) ?? periodRange(r.effectivePeriod);
    }
    case 'Procedure': {
      const r = resource as Procedure;
      return dateRange(r.performedDateTime) ?? periodRange(r.performedPeriod);
    }
    case 'DocumentReference':
      return dateRange((resource as DocumentReference).date);
    default:
      return undefined;
  }
}

const clinical = date(clinicalDate);
const subjectParams = <T extends Resource & { subject?: Reference }>() => ({
  patient: reference<T>((r) => r.subject, ['Patient']),
  subject: reference<T>((r) => r.subject),
});

/** Search parameters per type, as FHIR R4 defines them (and `date` where the elements use it). */
const PARAMS: Record<string, Record<string, ParamDef>> = {
  Patient: {
    identifier: token<Patient>((r) => identifiers(r.identifier)),
  },
  Observation: {
    ...subjectParams<Observation>(),
    encounter: reference<Observation>((r) => r.encounter, ['Encounter']),
    code: token<Observation>((r) => concepts(r.code)),
    category: token<Observation>((r) => concepts(r.category)),
    status: token<Observation>((r) => codes(r.status)),
    date: clinical,
  },
  Condition: {
    ...subjectParams<Condition>(),
    encounter: reference<Condition>((r) => r.encounter, ['Encounter']),
    code: token<Condition>((r) => concepts(r.code)),
    category: token<Condition>((r) => concepts(r.category)),
    'clinical-status': token<Condition>((r) => concepts(r.clinicalStatus)),
    'verification-status': token<Condition>((r) => concepts(r.verificationStatus)),
    date: clinical,
    'onset-date': date<Condition>((r) => dateRange(r.onsetDateTime) ?? periodRange(r.onsetPeriod)),
    'recorded-date': date<Condition>((r) => dateRange(r.recordedDate)),
  },
  AllergyIntolerance: {
    patient: reference<AllergyIntolerance>((r) => r.patient, ['Patient']),
    code: token<AllergyIntolerance>((r) => concepts(r.code)),
    category: token<AllergyIntolerance>((r) => codes(r.category)),
    'clinical-status': token<AllergyIntolerance>((r) => concepts(r.clinicalStatus)),
    'verification-status': token<AllergyIntolerance>((r) => concepts(r.verificationStatus)),
    criticality: token<AllergyIntolerance>((r) => codes(r.criticality)),
    date: clinical,
  },
  Encounter: {
    ...subjectParams<Encounter>(),
    status: token<Encounter>((r) => codes(r.status)),
    class: token<Encounter>((r) => (r.class ? [{ system: r.class.system, code: r.class.code }] : [])),
    type: token<Encounter>((r) => concepts(r.type)),
    date: clinical,
  },
  Immunization: {
    patient: reference<Immunization>((r) => r.patient, ['Patient']),
    'vaccine-code': token<Immunization>((r) => concepts(r.vaccineCode)),
    status: token<Immunization>((r) => codes(r.status)),
    date: clinical,
  },
  MedicationRequest: {
    ...subjectParams<MedicationRequest>(),
    encounter: reference<MedicationRequest>((r) => r.encounter, ['Encounter']),
    medication: reference<MedicationRequest>((r) => r.medicationReference, ['Medication']),
    code: token<MedicationRequest>((r) => concepts(r.medicationCodeableConcept)),
    status: token<MedicationRequest>((r) => codes(r.status)),
    intent: token<MedicationRequest>((r) => codes(r.intent)),
    category: token<MedicationRequest>((r) => concepts(r.category)),
    authoredon: date<MedicationRequest>((r) => dateRange(r.authoredOn)),
    date: clinical,
  },
  MedicationStatement: {
    ...subjectParams<MedicationStatement>(),
    medication: reference<MedicationStatement>((r) => r.medicationReference, ['Medication']),
    code: token<MedicationStatement>((r) => concepts(r.medicationCodeableConcept)),
    status: token<MedicationStatement>((r) => codes(r.status)),
    category: token<MedicationStatement>((r) => concepts(r.category)),
    effective: clinical,
  },
  Procedure: {
    ...subjectParams<Procedure>(),
    encounter: reference<Procedure>((r) => r.encounter, ['Encounter']),
    code: token<Procedure>((r) => concepts(r.code)),
    category: token<Procedure>((r) => concepts(r.category)),
    status: token<Procedure>((r) => codes(r.status)),
    date: clinical,
  },
  DiagnosticReport: {
    ...subjectParams<DiagnosticReport>(),
    encounter: reference<DiagnosticReport>((r) => r.encounter, ['Encounter']),
    result: reference<DiagnosticReport>((r) => r.result, ['Observation']),
    code: token<DiagnosticReport>((r) => concepts(r.code)),
    category: token<DiagnosticReport>((r) => concepts(r.category)),
    status: token<DiagnosticReport>((r) => codes(r.status)),
    date: clinical,
  },
  DocumentReference: {
    ...subjectParams<DocumentReference>(),
    encounter: reference<DocumentReference>((r) => r.context?.encounter, ['Encounter']),
    type: token<DocumentReference>((r) => concepts(r.type)),
    category: token<DocumentReference>((r) => concepts(r.category)),
    status: token<DocumentReference>((r) => codes(r.status)),
    date: clinical,
  },
};

/** For types not in the table: the patient compartment links most resources use. */
const FALLBACK_PARAMS: Record<string, ParamDef> = {
  patient: reference<Resource & { patient?: Reference; subject?: Reference }>((r) => [r.patient, r.subject], ['Patient']),
  subject: reference<Resource & { subject?: Reference }>((r) => r.subject),
};

/** Parameters every type has (R4 search.html#all). */
const COMMON_PARAMS: Record<string, ParamDef> = {
  _lastUpdated: date((r) => dateRange(r.meta?.lastUpdated)),
};

function paramsOf(resourceType: string): Record<string, ParamDef> {
  return { ...COMMON_PARAMS, ...(PARAMS[resourceType] ?? FALLBACK_PARAMS) };
}

// ---------------------------------------------------------------------------
// Matching

/** Splits on commas (OR) that are not escaped, then unescapes (R4 search.html#escaping). */
function splitOr(value: string): string[] {
  return value
    .split(/(?<!\\),/)
    .map((part) => part.replace(/\\([,|$\\])/g, '$1'))
    .filter((part) => part !== '');
}

function tokenMatches(search: string, candidates: Token[]): boolean {
  const bar = search.indexOf('|');
  if (bar < 0) return candidates.some((candidate) => candidate.code === search);
  const system = search.slice(0, bar);
  const code = search.slice(bar + 1);
  return candidates.some((candidate) => {
    if (code && candidate.code !== code) return false;
    if (candidate.implicitSystem) return code !== '';
    // `|code`: the code without a system; `system|`: any code of that system.
    return system ? candidate.system === system : !candidate.system;
  });
}

/** `Type/id` of a reference, whether relative, absolute or versioned. */
function referenceKey(reference: string): { type?: string; id: string } | undefined {
  const path = reference.split(/[?#]/)[0].replace(/\/_history\/[^/]+$/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return { id: parts[0] };
  return { type: parts[parts.length - 2], id: parts[parts.length - 1] };
}

function referenceMatches(search: string, references: string[], targets: readonly string[] | undefined): boolean {
  const wanted = referenceKey(search);
  if (!wanted) return false;
  return references.some((reference) => {
    const actual = referenceKey(reference);
    if (!actual || actual.id !== wanted.id) return false;
    if (wanted.type && actual.type !== wanted.type) return false;
    if (targets && targets.length === 1 && actual.type !== targets[0]) return false;
    return true;
  });
}

type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le';

function parseDateSearch(value: string): { prefix: DatePrefix; range: DateRange } | { error: string } {
  const prefixMatch = /^([a-z]{2})(?=\d)/.exec(value);
  const prefix = prefixMatch ? prefixMatch[1] : 'eq';
  if (!['eq', 'ne', 'gt', 'lt', 'ge', 'le'].includes(prefix)) {
    return { error: `The date prefix "${prefix}" is not supported.` };
  }
  const range = dateRange(prefixMatch ? value.slice(2) : value);
  if (!range) return { error: `"${value}" is not a valid date.` };
  return { prefix: prefix as DatePrefix, range };
}

/** R4 search.html#prefix: comparisons between the range searched and the range of the value. */
function dateMatches(prefix: DatePrefix, search: DateRange, target: DateRange): boolean {
  switch (prefix) {
    case 'eq':
      return search.start <= target.start && target.end <= search.end;
    case 'ne':
      return !(search.start <= target.start && target.end <= search.end);
    case 'gt':
      return target.end > search.end;
    case 'lt':
      return target.start < search.start;
    case 'ge':
      return target.end > search.start;
    case 'le':
      return target.start < search.end;
  }
}

// ---------------------------------------------------------------------------
// Loading

/** Deep-walks a value and rewrites every `reference` string through `resolve`. */
function rewriteReferences(value: unknown, resolve: (reference: string) => string | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, resolve);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'reference' && typeof child === 'string') {
      const resolved = resolve(child);
      if (resolved) record[key] = resolved;
    } else {
      rewriteReferences(child, resolve);
    }
  }
}

function isBundleResource(resource: Resource): resource is Bundle {
  return resource.resourceType === 'Bundle';
}

function wait(ms: number, signal: AbortSignal | undefined, url: string): Promise<void> {
  throwIfAborted(signal, url);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(url, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A FhirSource over resources held in memory, for stories, tests and offline demos.
 * Transaction and collection bundles are unpacked and `urn:uuid:` references (Synthea)
 * become `Type/id`. Searches follow FHIR R4 semantics for the parameters the elements
 * use, and, like a strict server, reject the parameters they do not know (400).
 */
export class BundleSource implements FhirSource {
  readonly server: FhirServerIdentity;
  readonly patientId: string | undefined;

  private readonly latency: number;
  private readonly failures: Partial<Record<string, FhirError>>;
  private readonly byKey = new Map<string, Resource>();

  constructor(options: BundleSourceOptions = {}) {
    const baseUrl = (options.baseUrl ?? 'memory://bundle').replace(/\/+$/, '');
    this.server = { baseUrl, label: options.label ?? 'In-memory record' };
    this.latency = options.latency ?? 0;
    this.failures = { ...options.failures };
    this.load(options.resources ?? [], options.bundle === undefined ? [] : Array.isArray(options.bundle) ? options.bundle : [options.bundle]);
    const patients = this.ofType('Patient');
    this.patientId = options.patientId ?? (patients.length === 1 ? patients[0].id : undefined);
  }

  async read<T extends Resource = Resource>(resourceType: string, id: string, options: ReadOptions = {}): Promise<T> {
    const url = `${this.server.baseUrl}/${resourceType}/${id}`;
    await wait(this.latency, options.signal, url);
    const failure = this.failures[resourceType];
    if (failure) throw failure;
    const resource = this.byKey.get(`${resourceType}/${id}`);
    if (!resource) {
      throw errorForStatus(404, url, outcome('not-found', `${resourceType}/${id} is not in this record.`));
    }
    return structuredClone(resource) as T;
  }

  async search<T extends Resource = Resource>(resourceType: string, params?: SearchParams, options: SearchOptions = {}): Promise<SearchResult<T>> {
    const entries = searchParamEntries(params);
    const url = `${this.server.baseUrl}/${resourceType}${entries.length ? `?${new URLSearchParams(entries)}` : ''}`;
    await wait(this.latency, options.signal, url);
    const failure = this.failures[resourceType];
    if (failure) throw failure;

    const reject = (message: string) => errorForStatus(400, url, outcome('not-supported', message));
    const defs = paramsOf(resourceType);
    const filters: ((resource: Resource) => boolean)[] = [];
    const sortKeys: { descending: boolean; value: (resource: Resource) => number | string | undefined }[] = [];
    const includes: { def: Extractor<string[]>; target?: string }[] = [];
    let count: number | undefined;

    for (const [rawName, value] of entries) {
      const [name, modifier] = rawName.split(':', 2);
      if (modifier !== undefined) throw reject(`The modifier ":${modifier}" of "${name}" is not supported.`);
      if (value === '') continue; // R4 search.html: a parameter without a value is ignored
      switch (name) {
        case '_id': {
          const ids = splitOr(value);
          filters.push((resource) => resource.id !== undefined && ids.includes(resource.id));
          continue;
        }
        case '_count': {
          if (!/^\d+$/.test(value)) throw reject(`_count must be a whole number, not "${value}".`);
          count = Number(value);
          continue;
        }
        case '_summary': {
          if (value === 'count') count = 0;
          else if (value !== 'false') throw reject(`_summary=${value} is not supported.`);
          continue;
        }
        case '_total':
          continue; // the total is always reported
        case '_sort': {
          for (const key of value.split(',')) {
            const descending = key.startsWith('-');
            const field = descending ? key.slice(1) : key;
            if (field === '_lastUpdated') {
              sortKeys.push({ descending, value: (r) => dateRange(r.meta?.lastUpdated)?.start });
            } else if (field === '_id') {
              sortKeys.push({ descending, value: (r) => r.id });
            } else if (defs[field]?.kind === 'date') {
              const def = defs[field] as Extract<ParamDef, { kind: 'date' }>;
              sortKeys.push({ descending, value: (r) => def.value(r)?.start });
            } else {
              throw reject(`Sorting ${resourceType} by "${field}" is not supported.`);
            }
          }
          continue;
        }
        case '_include': {
          const [source, param, target] = value.split(':');
          if (source !== resourceType) continue; // it names another type: nothing here to include from
          const def = param === undefined ? undefined : defs[param];
          if (!def || def.kind !== 'reference') throw reject(`_include=${value} is not supported.`);
          includes.push({ def: def.values, target: target ?? (def.targets?.length === 1 ? def.targets[0] : undefined) });
          continue;
        }
      }
      const def = defs[name];
      if (!def) throw reject(`Unknown search parameter "${name}" for ${resourceType}.`);
      const alternatives = splitOr(value);
      if (def.kind === 'token') {
        filters.push((resource) => {
          const tokens = def.values(resource);
          return alternatives.some((alternative) => tokenMatches(alternative, tokens));
        });
      } else if (def.kind === 'reference') {
        filters.push((resource) => {
          const references = def.values(resource);
          return alternatives.some((alternative) => referenceMatches(alternative, references, def.targets));
        });
      } else {
        const searches = alternatives.map(parseDateSearch);
        const invalid = searches.find((search): search is { error: string } => 'error' in search);
        if (invalid) throw reject(invalid.error);
        const valid = searches as { prefix: DatePrefix; range: DateRange }[];
        filters.push((resource) => {
          const range = def.value(resource);
          return range !== undefined && valid.some((search) => dateMatches(search.prefix, search.range, range));
        });
      }
    }

    let matches = this.ofType(resourceType).filter((resource) => filters.every((filter) => filter(resource)));
    if (sortKeys.length) matches = [...matches].sort((a, b) => compareBy(sortKeys, a, b));
    const total = matches.length;
    if (count === 0) matches = [];
    const limit = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));
    const truncated = matches.length > limit;
    if (truncated) matches = matches.slice(0, limit);

    const included: Resource[] = [];
    const seen = new Set(matches.map((resource) => `${resource.resourceType}/${resource.id}`));
    for (const { def, target } of includes) {
      for (const match of matches) {
        for (const reference of def(match)) {
          const key = referenceKey(reference);
          if (!key?.type || (target && key.type !== target)) continue;
          const found = this.byKey.get(`${key.type}/${key.id}`);
          const foundKey = `${key.type}/${key.id}`;
          if (!found || seen.has(foundKey)) continue;
          seen.add(foundKey);
          included.push(found);
        }
      }
    }

    throwIfAborted(options.signal, url);
    options.onProgress?.({ loaded: matches.length, total, pages: 1 });
    return {
      resources: matches.map((resource) => structuredClone(resource) as T),
      included: included.map((resource) => structuredClone(resource)),
      total,
      complete: !truncated,
      ...(truncated ? { incompleteReason: 'limit' as const } : {}),
      outcomes: [],
    };
  }

  private ofType(resourceType: string): Resource[] {
    const list: Resource[] = [];
    for (const resource of this.byKey.values()) if (resource.resourceType === resourceType) list.push(resource);
    return list;
  }

  private load(resources: Resource[], bundles: Bundle[]): void {
    const items: { fullUrl?: string; resource: Resource }[] = [];
    const unpack = (bundle: Bundle) => {
      for (const entry of bundle.entry ?? []) {
        if (!entry.resource) continue;
        if (isBundleResource(entry.resource)) unpack(entry.resource);
        else items.push({ fullUrl: entry.fullUrl, resource: entry.resource });
      }
    };
    for (const resource of resources) {
      if (isBundleResource(resource)) unpack(resource);
      else items.push({ resource });
    }
    for (const bundle of bundles) unpack(bundle);

    const aliases = new Map<string, string>();
    let generated = 0;
    for (const item of items) {
      const resource = structuredClone(item.resource);
      if (!resource.id) {
        // A transaction entry may leave the id to the server: take it from its urn:uuid.
        const uuid = item.fullUrl?.startsWith('urn:uuid:') ? item.fullUrl.slice('urn:uuid:'.length) : undefined;
        resource.id = uuid ?? `generated-${++generated}`;
      }
      const key = `${resource.resourceType}/${resource.id}`;
      if (item.fullUrl) aliases.set(item.fullUrl, key);
      // Later copies of a resource replace earlier ones, as an update would.
      this.byKey.set(key, resource);
    }

    const byIdentifier = (type: string, query: string): string | undefined => {
      const search = new URLSearchParams(query).get('identifier');
      if (!search) return undefined;
      for (const resource of this.byKey.values()) {
        if (resource.resourceType !== type) continue;
        const ids = identifiers((resource as Resource & { identifier?: Identifier[] }).identifier);
        if (tokenMatches(search, ids)) return `${type}/${resource.id}`;
      }
      return undefined;
    };
    const resolve = (reference: string): string | undefined => {
      const alias = aliases.get(reference);
      if (alias) return alias;
      // Synthea's conditional references: `Practitioner?identifier=system|value`.
      const conditional = /^([A-Z][A-Za-z]+)\?(.+)$/.exec(reference);
      return conditional ? byIdentifier(conditional[1], conditional[2]) : undefined;
    };
    for (const resource of this.byKey.values()) rewriteReferences(resource, resolve);
  }
}

function compareBy(
  keys: readonly { descending: boolean; value: (resource: Resource) => number | string | undefined }[],
  a: Resource,
  b: Resource,
): number {
  for (const { descending, value } of keys) {
    const left = value(a);
    const right = value(b);
    if (left === right) continue;
    // Records without the value go last, whichever the direction.
    if (left === undefined) return 1;
    if (right === undefined) return -1;
    const order = left < right ? -1 : 1;
    return descending ? -order : order;
  }
  return 0;
}

function outcome(code: 'not-found' | 'not-supported', diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

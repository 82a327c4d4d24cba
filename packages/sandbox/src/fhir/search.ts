// FHIR R4 search (http://hl7.org/fhir/R4/search.html) over the ResourceStore: parsing a
// query into filters, choosing a narrow candidate set from the indexes, matching with R4
// semantics per parameter type, sorting, and _include / _revinclude.
import { getDataType } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { matchesDate, parseDateRange, PREFIXES, type DateRange, type Prefix } from './dates.js';
import type { PreparedSearchParameter, R4Definitions } from './definitions.js';
import {
  normalizeText,
  TEXT_TOKEN_SYSTEM,
  type IndexedQuantity,
  type IndexedToken,
  type ResourceStore,
  type StoredResource,
} from './store.js';

/** A request the server refuses, with the HTTP status and the OperationOutcome issue code to send. */
export class SearchError extends Error {
  readonly status: number;
  readonly issueCode: string;
  constructor(message: string, status = 400, issueCode = 'invalid') {
    super(message);
    this.status = status;
    this.issueCode = issueCode;
  }
}

type TokenValue = { readonly kind: 'token'; readonly system?: string; readonly code: string; readonly text: string };
type ReferenceValue = { readonly kind: 'reference'; readonly reference?: string; readonly id?: string };
type DateValue = { readonly kind: 'date'; readonly prefix: Prefix; readonly range: DateRange };
type StringValue = { readonly kind: 'string'; readonly text: string };
type NumberValue = {
  readonly kind: 'number';
  readonly prefix: Prefix;
  readonly value: number;
  /** Half the width of the value's implicit range, from its significant digits (R4 search.html#number). */
  readonly tolerance: number;
  readonly system?: string;
  readonly code?: string;
};
type FilterValue = TokenValue | ReferenceValue | DateValue | StringValue | NumberValue;

/** One search parameter of the query: its values are ORed (comma), filters are ANDed. */
export interface Filter {
  readonly param: PreparedSearchParameter;
  readonly modifier: string;
  readonly values: readonly FilterValue[];
  /** For `:missing`. */
  readonly missing?: boolean;
  /** Resource types a bare reference id may point at. */
  readonly referenceTypes?: readonly string[];
}

export interface SortKey {
  readonly param: PreparedSearchParameter;
  readonly descending: boolean;
}

export interface IncludeSpec {
  readonly sourceType: string;
  readonly params: readonly PreparedSearchParameter[];
  readonly targetType?: string;
  readonly iterate: boolean;
}

export type Summary = 'true' | 'text' | 'data' | 'count' | 'false';

export interface ParsedSearch {
  readonly resourceType: string;
  readonly filters: readonly Filter[];
  readonly sort: readonly SortKey[];
  /** Page size (already capped); 0 asks for the total only. */
  readonly count: number;
  readonly offset: number;
  readonly includes: readonly IncludeSpec[];
  readonly revIncludes: readonly IncludeSpec[];
  readonly summary?: Summary;
  readonly elements?: readonly string[];
  /** The query's parameters as understood, without _count and _offset, for self and paging links. */
  readonly linkParams: ReadonlyArray<readonly [string, string]>;
}

export interface ParseOptions {
  defaultPageSize: number;
  maxPageSize: number;
  /** `Prefer: handling=lenient`: unknown or unsupported parameters are ignored instead of refused. */
  lenient: boolean;
}

// Result parameters this server understands (R4 search.html#return).
const RESULT_PARAMETERS: ReadonlySet<string> = new Set([
  '_count',
  '_offset',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_elements',
  '_total',
  '_format',
  '_pretty',
]);

const UNSUPPORTED_PARAMETERS: ReadonlySet<string> = new Set([
  '_text',
  '_content',
  '_list',
  '_query',
  '_filter',
  '_has',
  '_type',
  '_contained',
  '_containedType',
  '_score',
]);

/** Parses a type-level search query. Throws SearchError for what the server cannot honour. */
export function parseSearch(
  definitions: R4Definitions,
  resourceType: string,
  query: ReadonlyArray<readonly [string, string]>,
  options: ParseOptions,
): ParsedSearch {
  const params = definitions.searchParameters(resourceType);
  const filters: Filter[] = [];
  const sort: SortKey[] = [];
  const includes: IncludeSpec[] = [];
  const revIncludes: IncludeSpec[] = [];
  const linkParams: Array<readonly [string, string]> = [];
  let count = options.defaultPageSize;
  let offset = 0;
  let summary: Summary | undefined;
  let elements: string[] | undefined;

  const refuse = (message: string, status = 400, issueCode = 'not-supported'): void => {
    if (!options.lenient) throw new SearchError(message, status, issueCode);
  };

  for (const [key, value] of query) {
    const colon = key.indexOf(':');
    const code = colon < 0 ? key : key.slice(0, colon);
    const modifier = colon < 0 ? '' : key.slice(colon + 1);
    // `_` is a cache-buster some clients add (jQuery, React Native); never a FHIR parameter.
    if (code === '_' || code === '') continue;

    if (RESULT_PARAMETERS.has(code)) {
      switch (code) {
        case '_count':
          count = Math.min(parseNonNegativeInteger(key, value), options.maxPageSize);
          continue;
        case '_offset':
          offset = parseNonNegativeInteger(key, value);
          continue;
        case '_sort':
          for (const field of value.split(',').filter(Boolean)) {
            const descending = field.startsWith('-');
            const name = descending ? field.slice(1) : field;
            const param = params.get(name);
            if (!param?.expression || param.type === 'composite' || param.type === 'special') {
              refuse(`Cannot sort by '${name}': not a search parameter of ${resourceType}`, 400, 'invalid');
              continue;
            }
            sort.push({ param, descending });
          }
          break;
        case '_include':
        case '_revinclude': {
          const spec = parseInclude(definitions, key, modifier, value, refuse);
          if (spec) (code === '_include' ? includes : revIncludes).push(spec);
          break;
        }
        case '_summary':
          if (!['true', 'text', 'data', 'count', 'false'].includes(value)) {
            throw new SearchError(`_summary must be one of true, text, data, count, false (got '${value}')`);
          }
          summary = value as Summary;
          break;
        case '_elements':
          elements = value.split(',').map((element) => element.trim()).filter(Boolean);
          break;
        case '_total':
          if (!['none', 'estimate', 'accurate'].includes(value)) {
            throw new SearchError(`_total must be one of none, estimate, accurate (got '${value}')`);
          }
          break;
        case '_format':
          if (/xml|turtle|ttl/i.test(value)) {
            throw new SearchError('This server only speaks JSON', 406, 'not-supported');
          }
          continue;
        case '_pretty':
          continue;
      }
      linkParams.push([key, value]);
      continue;
    }

    if (UNSUPPORTED_PARAMETERS.has(code) || code.includes('.')) {
      refuse(`Search parameter '${key}' is not supported by this server`);
      continue;
    }
    const param = params.get(code);
    if (!param) {
      refuse(`Unknown search parameter '${code}' for ${resourceType}`, 400, 'invalid');
      continue;
    }
    // R4 search.html#errors: a parameter with an empty value is ignored.
    if (value === '') continue;
    const filter = parseFilter(definitions, param, modifier, value, refuse);
    if (filter) {
      filters.push(filter);
      linkParams.push([key, value]);
    }
  }
  if (summary === 'count') count = 0;
  return { resourceType, filters, sort, count, offset, includes, revIncludes, summary, elements, linkParams };
}

function parseNonNegativeInteger(key: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new SearchError(`${key} must be a non-negative integer (got '${value}')`);
  return Number(value);
}

function parseInclude(
  definitions: R4Definitions,
  key: string,
  modifier: string,
  value: string,
  refuse: (message: string, status?: number, issueCode?: string) => void,
): IncludeSpec | undefined {
  if (modifier && modifier !== 'iterate' && modifier !== 'recurse') {
    refuse(`Unknown modifier in '${key}'`, 400, 'invalid');
    return undefined;
  }
  const [sourceType, name, targetType, extra] = value.split(':');
  if (!sourceType || !name || extra !== undefined || !definitions.resourceTypes.includes(sourceType)) {
    refuse(`${key} must be SourceType:parameter[:TargetType] (got '${value}')`, 400, 'invalid');
    return undefined;
  }
  if (targetType && !definitions.resourceTypes.includes(targetType)) {
    refuse(`Unknown target type '${targetType}' in ${key}`, 400, 'invalid');
    return undefined;
  }
  const sourceParams = definitions.searchParameters(sourceType);
  const params =
    name === '*'
      ? [...sourceParams.values()].filter((param) => param.type === 'reference' && param.expression)
      : [sourceParams.get(name)].filter((param): param is PreparedSearchParameter => param?.type === 'reference');
  if (params.length === 0) {
    refuse(`'${name}' is not a reference search parameter of ${sourceType}`, 400, 'invalid');
    return undefined;
  }
  return { sourceType, params, targetType: targetType || undefined, iterate: modifier !== '' };
}

const TOKEN_MODIFIERS: ReadonlySet<string> = new Set(['', 'not', 'text']);
const STRING_MODIFIERS: ReadonlySet<string> = new Set(['', 'exact', 'contains']);
const URI_MODIFIERS: ReadonlySet<string> = new Set(['', 'below', 'above']);

function parseFilter(
  definitions: R4Definitions,
  param: PreparedSearchParameter,
  modifier: string,
  value: string,
  refuse: (message: string, status?: number, issueCode?: string) => void,
): Filter | undefined {
  const key = modifier ? `${param.code}:${modifier}` : param.code;
  if (!param.expression || param.type === 'composite' || param.type === 'special') {
    refuse(`Search parameter '${param.code}' (${param.type}) is not supported by this server`);
    return undefined;
  }
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw new SearchError(`${key} must be true or false`);
    return { param, modifier, values: [], missing: value === 'true' };
  }
  let referenceTypes: readonly string[] | undefined;
  const supported =
    param.type === 'token'
      ? TOKEN_MODIFIERS.has(modifier)
      : param.type === 'string'
        ? STRING_MODIFIERS.has(modifier)
        : param.type === 'uri'
          ? URI_MODIFIERS.has(modifier)
          : param.type === 'reference'
            ? modifier === '' || definitions.resourceTypes.includes(modifier)
            : modifier === '';
  if (!supported) {
    refuse(`Modifier ':${modifier}' is not supported for ${param.type} parameter '${param.code}'`);
    return undefined;
  }
  if (param.type === 'reference') {
    // `subject:Patient=123` (R4 search.html#reference) narrows the bare id to one type.
    referenceTypes = modifier ? [modifier] : param.targets;
  }

  const values: FilterValue[] = [];
  for (const raw of splitUnescaped(value, ',')) {
    const parsed = parseValue(param, key, raw);
    if (parsed) values.push(parsed);
  }
  if (values.length === 0) return undefined;
  return { param, modifier, values, referenceTypes };
}

function parseValue(param: PreparedSearchParameter, key: string, raw: string): FilterValue | undefined {
  switch (param.type) {
    case 'token': {
      const parts = splitUnescaped(raw, '|');
      if (parts.length > 2) throw new SearchError(`Invalid token '${raw}' for ${key}`);
      const text = unescape(raw);
      if (parts.length === 1) return { kind: 'token', code: unescape(parts[0]), text };
      return { kind: 'token', system: unescape(parts[0]), code: unescape(parts[1]), text };
    }
    case 'reference': {
      const text = unescape(raw);
      return text.includes('/') ? { kind: 'reference', reference: text } : { kind: 'reference', id: text };
    }
    case 'date': {
      const { prefix, rest } = splitPrefix(raw);
      // An unencoded '+' in a time zone arrives as a space (form encoding); read it back as '+'.
      const range = parseDateRange(rest.replace(/ (\d{2}:\d{2})$/, '+$1'));
      if (!range) {
        const expected = '[prefix]YYYY[-MM[-DD[Thh:mm[:ss][Z|+hh:mm]]]]';
        throw new SearchError(`Invalid date '${raw}' for ${key}: expected ${expected}`);
      }
      return { kind: 'date', prefix, range };
    }
    case 'string':
    case 'uri':
      return { kind: 'string', text: unescape(raw) };
    case 'number':
    case 'quantity': {
      const { prefix, rest } = splitPrefix(raw);
      const [number, system, code, extra] = splitUnescaped(rest, '|');
      if (extra !== undefined || (param.type === 'number' && system !== undefined)) {
        throw new SearchError(`Invalid ${param.type} '${raw}' for ${key}`);
      }
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(number)) {
        throw new SearchError(`Invalid ${param.type} '${raw}' for ${key}`);
      }
      const decimals = /[eE]/.test(number) ? 0 : (number.split('.')[1]?.length ?? 0);
      const exponent = /[eE]([+-]?\d+)/.exec(number);
      const tolerance = exponent ? 0.5 * 10 ** Number(exponent[1]) : 0.5 * 10 ** -decimals;
      return {
        kind: 'number',
        prefix,
        value: Number(number),
        tolerance,
        system: system ? unescape(system) : undefined,
        code: code ? unescape(code) : undefined,
      };
    }
    default:
      return undefined;
  }
}

function splitPrefix(raw: string): { prefix: Prefix; rest: string } {
  const prefix = raw.slice(0, 2);
  if (PREFIXES.has(prefix) && /^[\d+\-.]/.test(raw.slice(2))) return { prefix: prefix as Prefix, rest: raw.slice(2) };
  return { prefix: 'eq', rest: raw };
}

/** Splits on a separator not preceded by a backslash (R4 search.html#escaping); escapes are kept. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\([\\,|$])/g, '$1');
}

/** What a search may see: a patient-level grant limits compartment resource types to one patient. */
export interface SearchScope {
  readonly patient?: string;
}

/** Runs a parsed search: every matching resource, sorted (the requested keys, then load order). */
export function executeSearch(
  store: ResourceStore,
  definitions: R4Definitions,
  search: ParsedSearch,
  scope: SearchScope = {},
): StoredResource[] {
  const type = search.resourceType;
  const restricted = scope.patient !== undefined && isCompartmentType(definitions, type);
  let candidates: Iterable<StoredResource> | undefined;
  let candidateCount = Infinity;
  if (restricted) {
    const inCompartment = store.inCompartment(scope.patient as string, type);
    candidates = inCompartment;
    candidateCount = inCompartment.size;
  }
  // Start from the narrowest index: the referrers of the referenced resources, or the ids asked for.
  for (const filter of search.filters) {
    const narrowed = indexedCandidates(store, type, filter);
    if (narrowed && narrowed.length < candidateCount) {
      candidates = narrowed;
      candidateCount = narrowed.length;
    }
  }
  const patient = scope.patient;
  const matches: StoredResource[] = [];
  for (const stored of candidates ?? store.ofType(type)) {
    if (stored.type !== type) continue;
    if (restricted && !stored.patients.includes(patient as string)) continue;
    if (search.filters.every((filter) => matchesFilter(store, stored, filter))) matches.push(stored);
  }
  return sortResults(store, matches, search.sort);
}

/** Whether resources of a type belong to patient compartments (so a patient-level grant limits them). */
export function isCompartmentType(definitions: R4Definitions, type: string): boolean {
  return type === 'Patient' || definitions.patientCompartmentParams(type).length > 0;
}

function indexedCandidates(store: ResourceStore, type: string, filter: Filter): StoredResource[] | undefined {
  if (filter.missing !== undefined) return undefined;
  if (filter.param.type === 'reference' && (filter.modifier === '' || filter.referenceTypes?.length)) {
    const references: string[] = [];
    for (const value of filter.values as ReferenceValue[]) {
      if (value.reference) references.push(store.normalizeReference(value.reference));
      else if (filter.referenceTypes?.length) references.push(...filter.referenceTypes.map((t) => `${t}/${value.id}`));
      else return undefined;
    }
    const found = new Set<StoredResource>();
    for (const reference of references) {
      for (const stored of store.referencing(reference)) if (stored.type === type) found.add(stored);
    }
    return references.length > 1 ? [...found].sort((a, b) => a.seq - b.seq) : [...found];
  }
  if (filter.param.code === '_id' && filter.modifier === '') {
    const found: StoredResource[] = [];
    for (const value of filter.values as TokenValue[]) {
      if (value.system !== undefined) return undefined;
      const stored = store.get(type, value.code);
      if (stored && !found.includes(stored)) found.push(stored);
    }
    return found.sort((a, b) => a.seq - b.seq);
  }
  return undefined;
}

function matchesFilter(store: ResourceStore, stored: StoredResource, filter: Filter): boolean {
  const values = store.valuesOf(stored, filter.param);
  if (filter.missing !== undefined) return (values.length === 0) === filter.missing;
  switch (filter.param.type) {
    case 'token': {
      const tokens = values as readonly IndexedToken[];
      if (filter.modifier === 'text') {
        return filter.values.some((value) =>
          tokens.some((token) => matchesTokenText(token, (value as TokenValue).text)),
        );
      }
      const found = filter.values.some((value) => tokens.some((token) => matchesToken(token, value as TokenValue)));
      return filter.modifier === 'not' ? !found : found;
    }
    case 'reference':
      return filter.values.some((value) =>
        (values as readonly string[]).some((reference) =>
          matchesReference(store, reference, value as ReferenceValue, filter),
        ),
      );
    case 'date':
      return filter.values.some((value) => {
        const { prefix, range } = value as DateValue;
        return (values as readonly DateRange[]).some((target) => matchesDate(target, prefix, range));
      });
    case 'string':
      return filter.values.some((value) => {
        const text = (value as StringValue).text;
        const wanted = normalizeText(text);
        return (values as readonly string[]).some((candidate) => {
          if (filter.modifier === 'exact') return candidate === text;
          const normalized = normalizeText(candidate);
          return filter.modifier === 'contains' ? normalized.includes(wanted) : normalized.startsWith(wanted);
        });
      });
    case 'uri':
      return filter.values.some((value) => {
        const text = (value as StringValue).text;
        return (values as readonly string[]).some((uri) => {
          if (filter.modifier === 'below') return uri.startsWith(text);
          if (filter.modifier === 'above') return text.startsWith(uri);
          return uri === text;
        });
      });
    case 'number':
      return filter.values.some((value) =>
        (values as readonly number[]).some((number) => matchesNumber(number, value as NumberValue)),
      );
    case 'quantity':
      return filter.values.some((value) => {
        const wanted = value as NumberValue;
        return (values as readonly IndexedQuantity[]).some(
          (quantity) =>
            (!wanted.system || quantity.system === wanted.system) &&
            (!wanted.code || quantity.code === wanted.code || quantity.unit === wanted.code) &&
            matchesNumber(quantity.value, wanted),
        );
      });
    default:
      return false;
  }
}

// R4 search.html#token: `[code]` matches any system, `[system]|[code]` both, `|[code]` only
// codes without a system, `[system]|` any code in the system. Codes compare case-sensitively.
function matchesToken(token: IndexedToken, value: TokenValue): boolean {
  if (token.system === TEXT_TOKEN_SYSTEM) return false;
  if (value.system === undefined) return token.value === value.code;
  if (value.system === '') return !token.system && token.value === value.code;
  return token.system === value.system && (value.code === '' || token.value === value.code);
}

// `:text` looks at CodeableConcept.text and Coding.display: a case- and accent-insensitive word prefix.
function matchesTokenText(token: IndexedToken, text: string): boolean {
  if (token.system !== TEXT_TOKEN_SYSTEM || !token.value) return false;
  const haystack = normalizeText(token.value);
  const needle = normalizeText(text);
  return haystack.startsWith(needle) || haystack.includes(` ${needle}`);
}

function matchesReference(store: ResourceStore, reference: string, value: ReferenceValue, filter: Filter): boolean {
  if (value.reference !== undefined) return reference === store.normalizeReference(value.reference);
  const slash = reference.lastIndexOf('/');
  if (slash < 0 || reference.slice(slash + 1) !== value.id) return false;
  const type = reference.slice(0, slash);
  return !filter.referenceTypes?.length ? !type.includes('/') : filter.referenceTypes.includes(type);
}

function matchesNumber(number: number, value: NumberValue): boolean {
  const low = value.value - value.tolerance;
  const high = value.value + value.tolerance;
  switch (value.prefix) {
    case 'eq':
      return number >= low && number < high;
    case 'ne':
      return !(number >= low && number < high);
    case 'gt':
    case 'sa':
      return number > value.value;
    case 'lt':
    case 'eb':
      return number < value.value;
    case 'ge':
      return number >= value.value;
    case 'le':
      return number <= value.value;
    case 'ap':
      return Math.abs(number - value.value) <= Math.abs(value.value) * 0.1;
  }
}

type SortValue = number | string | undefined;

/** Sorts by the keys given; resources without a value go last either way; ties keep load order. */
function sortResults(store: ResourceStore, matches: StoredResource[], keys: readonly SortKey[]): StoredResource[] {
  if (keys.length === 0) return matches.sort((a, b) => a.seq - b.seq);
  const decorated = matches.map((stored) => ({
    stored,
    keys: keys.map((key) => sortValue(store, stored, key)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const order = x < y ? -1 : 1;
      return keys[i].descending ? -order : order;
    }
    return a.stored.seq - b.stored.seq;
  });
  return decorated.map((item) => item.stored);
}

function sortValue(store: ResourceStore, stored: StoredResource, key: SortKey): SortValue {
  const values = store.valuesOf(stored, key.param);
  if (values.length === 0) return undefined;
  switch (key.param.type) {
    case 'date': {
      // Ascending sorts on the earliest start, descending on the latest end (an ongoing Period sorts first).
      const ranges = values as readonly DateRange[];
      return key.descending ? Math.max(...ranges.map((r) => r.high)) : Math.min(...ranges.map((r) => r.low));
    }
    case 'number':
      return key.descending ? Math.max(...(values as number[])) : Math.min(...(values as number[]));
    case 'quantity': {
      const numbers = (values as readonly IndexedQuantity[]).map((q) => q.value);
      return key.descending ? Math.max(...numbers) : Math.min(...numbers);
    }
    case 'token':
      return (values as readonly IndexedToken[]).find((token) => token.system !== TEXT_TOKEN_SYSTEM && token.value)
        ?.value;
    case 'string':
      return normalizeText((values as readonly string[])[0]);
    default:
      return (values as readonly string[])[0];
  }
}

/**
 * The resources `_include` and `_revinclude` add to a page (R4 search.html#include), without
 * the page's matches and without duplicates; `:iterate` specs also run on what was included.
 * `allowed` drops what the caller may not see.
 */
export function collectIncludes(
  store: ResourceStore,
  search: ParsedSearch,
  page: readonly StoredResource[],
  allowed: (stored: StoredResource) => boolean,
): StoredResource[] {
  if (search.includes.length === 0 && search.revIncludes.length === 0) return [];
  const seen = new Set<StoredResource>(page);
  const included: StoredResource[] = [];
  let sources: readonly StoredResource[] = page;
  for (let round = 0; round < 4 && sources.length > 0; round++) {
    const added: StoredResource[] = [];
    const add = (stored: StoredResource | undefined) => {
      if (stored && !seen.has(stored) && allowed(stored)) {
        seen.add(stored);
        added.push(stored);
      }
    };
    for (const spec of search.includes) {
      if (round > 0 && !spec.iterate) continue;
      for (const source of sources) {
        if (source.type !== spec.sourceType) continue;
        for (const param of spec.params) {
          for (const reference of store.valuesOf(source, param) as readonly string[]) {
            const target = store.resolve(reference);
            if (target && (!spec.targetType || target.type === spec.targetType)) add(target);
          }
        }
      }
    }
    for (const spec of search.revIncludes) {
      if (round > 0 && !spec.iterate) continue;
      for (const target of sources) {
        for (const referrer of store.referencing(target.reference)) {
          if (referrer.type !== spec.sourceType || (spec.targetType && spec.targetType !== target.type)) continue;
          const pointsAtTarget = spec.params.some((param) =>
            (store.valuesOf(referrer, param) as readonly string[]).includes(target.reference),
          );
          if (pointsAtTarget) add(referrer);
        }
      }
    }
    included.push(...added);
    sources = added;
  }
  return included;
}

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

/**
 * Applies `_summary` and `_elements` (R4 search.html#summary, #elements): keeps the requested
 * top-level elements plus id, meta and mandatory elements, and tags the copy SUBSETTED.
 */
export function shapeResource(
  resource: Resource,
  summary: Summary | undefined,
  elements: readonly string[] | undefined,
): Resource {
  if ((!summary || summary === 'false' || summary === 'count') && !elements) return resource;
  const schema = getDataType(resource.resourceType);
  const mandatory = schema.mandatoryProperties ?? new Set<string>();
  let keep: (key: string) => boolean;
  if (summary === 'data') {
    keep = (key) => key !== 'text';
  } else if (summary === 'text') {
    keep = (key) => key === 'text' || hasProperty(mandatory, key);
  } else if (summary === 'true') {
    const summaryProperties = schema.summaryProperties ?? new Set<string>();
    keep = (key) => hasProperty(summaryProperties, key) || hasProperty(mandatory, key);
  } else {
    const wanted = new Set(elements);
    keep = (key) => hasProperty(wanted, key) || hasProperty(mandatory, key);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'resourceType' || key === 'id' || key === 'meta' || keep(key)) copy[key] = value;
  }
  const meta = (resource.meta ?? {}) as NonNullable<Resource['meta']>;
  copy.meta = { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] };
  return copy as unknown as Resource;
}

// Schema property names drop the choice suffix: `effective` stands for effectiveDateTime.
function hasProperty(properties: ReadonlySet<string>, key: string): boolean {
  if (properties.has(key)) return true;
  for (const property of properties) {
    if (key.length > property.length && key.startsWith(property) && /[A-Z]/.test(key[property.length])) return true;
  }
  return false;
}

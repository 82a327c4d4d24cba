// Readers shared by the clinical list models (conditions, medications, immunizations):
// CodeableConcept labels with a preferred code system, references resolved against
// contained and included resources, clinical dates and Quantities. Like read.ts, every
// function takes untrusted JSON and never throws.
import { formatFhirDate, parseFhirDate, type FhirDatePrecision, type ParsedFhirDate } from '../format/fhir-date.js';
import { formatHumanName, selectDisplayName } from './human-name.js';
import { isObject, objects, text, type JsonObject } from './read.js';
import { numberFormat } from '../format/number-format.js';

/**
 * Code systems the clinical lists prefer, each with the equivalent URIs real servers send
 * (the canonical URI of FHIR R4 terminologies.html, and the HL7 OID some EHRs still use).
 */
export const CODE_SYSTEMS = {
  snomed: ['http://snomed.info/sct', 'urn:oid:2.16.840.1.113883.6.96'],
  icd10cm: ['http://hl7.org/fhir/sid/icd-10-cm', 'urn:oid:2.16.840.1.113883.6.90'],
  icd10: ['http://hl7.org/fhir/sid/icd-10', 'urn:oid:2.16.840.1.113883.6.3'],
  icd9cm: ['http://hl7.org/fhir/sid/icd-9-cm', 'urn:oid:2.16.840.1.113883.6.103'],
  rxnorm: ['http://www.nlm.nih.gov/research/umls/rxnorm', 'urn:oid:2.16.840.1.113883.6.88'],
  ndc: ['http://hl7.org/fhir/sid/ndc', 'urn:oid:2.16.840.1.113883.6.69'],
  cvx: ['http://hl7.org/fhir/sid/cvx', 'urn:oid:2.16.840.1.113883.12.292'],
  ucum: ['http://unitsofmeasure.org'],
} as const satisfies Record<string, readonly string[]>;

/** Short names of code systems, for a code shown without a display ("ICD-10-CM E11.9"). */
const SYSTEM_NAMES: ReadonlyArray<readonly [readonly string[], string]> = [
  [CODE_SYSTEMS.snomed, 'SNOMED CT'],
  [CODE_SYSTEMS.icd10cm, 'ICD-10-CM'],
  [CODE_SYSTEMS.icd10, 'ICD-10'],
  [CODE_SYSTEMS.icd9cm, 'ICD-9-CM'],
  [CODE_SYSTEMS.rxnorm, 'RxNorm'],
  [CODE_SYSTEMS.ndc, 'NDC'],
  [CODE_SYSTEMS.cvx, 'CVX'],
];

/** The short name of a code system ("SNOMED CT", "RxNorm"), when it is one the lists know. */
export function codeSystemName(system: unknown): string | undefined {
  if (typeof system !== 'string') return undefined;
  return SYSTEM_NAMES.find(([uris]) => uris.includes(system))?.[1];
}

/** How a concept's label was found: its text, a coding's display, or a bare code. */
export type ConceptLabelSource = 'text' | 'display' | 'code';

export interface ConceptLabel {
  /** What to show. For a bare code, prefixed by its system's short name when known ("ICD-10-CM E11.9"). */
  readonly text: string;
  readonly source: ConceptLabelSource;
  /** The coding the label (or, for `text`, the preferred code) comes from. */
  readonly system?: string;
  readonly code?: string;
}

/**
 * A CodeableConcept's label for people, in the order FHIR R4 (datatypes.html#CodeableConcept)
 * suggests: `text` (what the user saw or typed), else the `display` of a coding in the
 * preferred systems (in the order given), else any coding's display, else a bare code
 * (preferred systems first). Undefined when the concept has none of these.
 *
 * `prefer` lists groups of equivalent system URIs, e.g. `[CODE_SYSTEMS.snomed, CODE_SYSTEMS.icd10cm]`.
 */
export function conceptLabel(concept: unknown, prefer: ReadonlyArray<readonly string[]> = []): ConceptLabel | undefined {
  if (!isObject(concept)) return undefined;
  const codings = rankCodings(objects(concept.coding), prefer);
  const primary = codings.find((coding) => text(coding.code) !== undefined);
  const reference = primary ? { system: text(primary.system), code: text(primary.code) } : {};
  const given = text(concept.text);
  if (given) return { text: given, source: 'text', ...defined(reference) };
  for (const coding of codings) {
    const display = text(coding.display);
    if (display) return { text: display, source: 'display', ...defined({ system: text(coding.system), code: text(coding.code) }) };
  }
  if (primary && reference.code) {
    const name = codeSystemName(reference.system);
    return { text: name ? `${name} ${reference.code}` : reference.code, source: 'code', ...defined(reference) };
  }
  return undefined;
}

/** The codes of a concept's codings, any system, lower-cased (for matching status and category codes). */
export function conceptCodes(concept: unknown): string[] {
  // STU3 and DSTU2 servers sent some of these elements as a bare code string.
  if (typeof concept === 'string') return text(concept) ? [text(concept)!.toLowerCase()] : [];
  if (!isObject(concept)) return [];
  return objects(concept.coding)
    .map((coding) => text(coding.code)?.toLowerCase())
    .filter((code): code is string => code !== undefined);
}

/**
 * The first of `known` codes a status concept carries: a coding in one of `systems`
 * first, then any coding with a known code, then the concept's text or a bare string
 * (STU3). Undefined when none is known.
 */
export function statusCode<T extends string>(concept: unknown, known: readonly T[], systems: readonly string[] = []): T | undefined {
  const isKnown = (code: string | undefined): code is T => code !== undefined && (known as readonly string[]).includes(code);
  if (typeof concept === 'string') {
    const code = concept.trim().toLowerCase();
    return isKnown(code) ? code : undefined;
  }
  if (!isObject(concept)) return undefined;
  const codings = objects(concept.coding);
  const inSystem = codings.filter((coding) => typeof coding.system === 'string' && systems.includes(coding.system));
  for (const coding of [...inSystem, ...codings]) {
    const code = text(coding.code)?.toLowerCase();
    if (isKnown(code)) return code;
  }
  const fromText = text(concept.text)?.toLowerCase();
  return isKnown(fromText) ? fromText : undefined;
}

/** A status written as words ("Entered in Error", "entered_in_error") as a FHIR code (`entered-in-error`). */
export function wordsAsCode(words: string): string {
  return words.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/**
 * A status code from its codings (see {@link statusCode}), else from its text, or a bare
 * string (STU3 and DSTU2 sent some status elements as a code), written as words ("Entered
 * in Error"): what a server that never coded its statuses sends. Case-insensitive.
 */
export function statusCodeOrWords<T extends string>(concept: unknown, known: readonly T[], systems: readonly string[] = []): T | undefined {
  const coded = statusCode(concept, known, systems);
  if (coded) return coded;
  const words = typeof concept === 'string' ? concept : isObject(concept) ? text(concept.text) : undefined;
  return words ? statusCode(wordsAsCode(words), known) : undefined;
}

/**
 * True when a status says `entered-in-error` (FHIR R4: the record should never have
 * existed and is never shown): a code string in any case or written as words, or a
 * CodeableConcept (R4 Condition/AllergyIntolerance.verificationStatus) whose codings say
 * so, else, when it has no coded status at all, whose text says so. A coded status
 * (`confirmed`) wins over a text that disagrees.
 */
export function isEnteredInError(status: unknown): boolean {
  if (typeof status === 'string') return status === 'entered-in-error' || (status.length >= 16 && wordsAsCode(status) === 'entered-in-error');
  if (!isObject(status)) return false;
  const codes = conceptCodes(status);
  if (codes.length > 0) return codes.some((code) => wordsAsCode(code) === 'entered-in-error');
  const words = text(status.text);
  return words !== undefined && wordsAsCode(words) === 'entered-in-error';
}

// ---------------------------------------------------------------------------
// Negations: records that say there is nothing to list

/** The IPS code system absent-unknown-uv-ips: "No known problems", "No information about medications"... */
export const IPS_ABSENT_UNKNOWN = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';

/**
 * What a negation record says. `no-known`: there is none ("No known medications").
 * `no-information`: nothing is known either way ("No information about medications"):
 * neither a record nor a negation.
 */
export type NegationKind = 'no-known' | 'no-information';

/** The codes that make a record of one kind a negation. */
export interface NegationCodes {
  /** SNOMED CT situations meaning "no known ..." (e.g. 160245001 |No current problems or disability|). */
  readonly snomed: readonly string[];
  /** IPS absent-unknown-uv-ips codes meaning "no known ..." (`no-known-problems`). */
  readonly noKnown: readonly string[];
  /** IPS absent-unknown-uv-ips codes meaning "no information about ..." (`no-problem-info`). */
  readonly noInformation: readonly string[];
}

/**
 * Whether a record's code (Condition.code, medication[x], Immunization.vaccineCode) is a
 * negation, as the IPS uses them (IPS Problems, Medication Summary and Immunizations
 * sections: absent-unknown-uv-ips, or the SNOMED CT situation). A code with no system is
 * accepted: these codes are unambiguous.
 */
export function negationOf(concept: unknown, codes: NegationCodes): NegationKind | undefined {
  if (!isObject(concept)) return undefined;
  const snomed: readonly string[] = CODE_SYSTEMS.snomed;
  for (const coding of objects(concept.coding)) {
    const code = text(coding.code);
    const system = text(coding.system);
    if (!code) continue;
    if ((system === undefined || snomed.includes(system)) && codes.snomed.includes(code)) return 'no-known';
    if (system === undefined || system === IPS_ABSENT_UNKNOWN) {
      if (codes.noKnown.includes(code)) return 'no-known';
      if (codes.noInformation.includes(code)) return 'no-information';
    }
  }
  return undefined;
}

/** A list's negation records, apart from its records (see {@link splitNegations}). */
export interface NegationSummary<T> {
  /** Negations in force that no record in force contradicts: the list's statement ("No known problems"). */
  readonly noKnown: readonly T[];
  /** "No information about ..." records that no record in force contradicts. */
  readonly noInformation: readonly T[];
  /** Negations beside records in force: to be reviewed, never presented as the patient's status. */
  readonly contradicted: readonly T[];
}

/**
 * Splits negation records from the records in force. A negation is the list's statement
 * only when nothing in force contradicts it: "No known medications" beside an active
 * prescription is contradicted, and the prescription wins.
 */
export function splitNegations<T>(negations: readonly T[], kindOf: (item: T) => NegationKind | undefined, recordsInForce: number): NegationSummary<T> {
  if (recordsInForce > 0) return { noKnown: [], noInformation: [], contradicted: [...negations] };
  return {
    noKnown: negations.filter((item) => kindOf(item) === 'no-known'),
    noInformation: negations.filter((item) => kindOf(item) === 'no-information'),
    contradicted: [],
  };
}

function rankCodings(codings: JsonObject[], prefer: ReadonlyArray<readonly string[]>): JsonObject[] {
  const rank = (coding: JsonObject) => {
    const index = prefer.findIndex((uris) => typeof coding.system === 'string' && uris.includes(coding.system));
    return index < 0 ? prefer.length : index;
  };
  // A stable sort: within a rank, data order (the server's own preference).
  return codings
    .map((coding, index) => ({ coding, index, rank: rank(coding) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ coding }) => coding);
}

function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------
// References

/** `Type/id` of a literal reference: relative (`Medication/123`), absolute, or versioned (`/_history/2`). */
export function referenceKey(reference: unknown): { readonly type: string; readonly id: string } | undefined {
  const value = text(reference);
  if (!value || value.startsWith('#') || value.startsWith('urn:')) return undefined;
  const path = value.split(/[?#]/)[0]!.replace(/\/_history\/[^/]+$/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  const type = parts[parts.length - 2]!;
  const id = parts[parts.length - 1]!;
  // FHIR R4 datatypes: a type is a capitalised name, an id is [A-Za-z0-9\-.]{1,64}.
  if (!/^[A-Z][A-Za-z]+$/.test(type) || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return undefined;
  return { type, id };
}

/** Resources by `Type/id`, to resolve references against (search includes, or resources given directly). */
export type ResourceIndex = ReadonlyMap<string, JsonObject>;

/** Indexes resources by `Type/id`; later copies replace earlier ones. Skips anything without a type and id. */
export function indexResources(resources: readonly unknown[] | undefined): Map<string, JsonObject> {
  const index = new Map<string, JsonObject>();
  for (const resource of Array.isArray(resources) ? resources : []) {
    if (!isObject(resource)) continue;
    const type = text(resource.resourceType);
    const id = text(resource.id);
    if (type && id) index.set(`${type}/${id}`, resource);
  }
  return index;
}

/**
 * The resource a Reference points at, when it is at hand: a contained resource for
 * `#id` (FHIR R4 references.html#contained: resolved within the containing resource
 * only), else one in `index` by `Type/id`. Undefined when it is not at hand, or when it
 * is not one of `types`.
 */
export function resolveReference(
  reference: unknown,
  index: ResourceIndex,
  container?: unknown,
  types?: readonly string[],
): JsonObject | undefined {
  if (!isObject(reference)) return undefined;
  const value = text(reference.reference);
  if (!value) return undefined;
  let found: JsonObject | undefined;
  if (value.startsWith('#')) {
    const id = value.slice(1);
    found = isObject(container) ? objects(container.contained).find((resource) => resource.id === id) : undefined;
  } else {
    const key = referenceKey(value);
    found = key ? index.get(`${key.type}/${key.id}`) : undefined;
  }
  if (found && types && !types.includes(String(found.resourceType))) return undefined;
  return found;
}

/**
 * A Reference for people: its `display`, else the name of the resource it resolves to
 * (a Practitioner's or Patient's name, an Organization's or Location's name, a
 * PractitionerRole's practitioner and organisation, a Device's name). Undefined when
 * neither is at hand: a bare `Practitioner/123` is not a label.
 */
export function referenceLabel(reference: unknown, index: ResourceIndex, container?: unknown): string | undefined {
  if (!isObject(reference)) return undefined;
  return text(reference.display) ?? resourceLabel(resolveReference(reference, index, container), index);
}

/** The name of a resource a reference may point at, for the kinds a clinical list names. */
export function resourceLabel(resource: JsonObject | undefined, index: ResourceIndex): string | undefined {
  if (!resource) return undefined;
  switch (resource.resourceType) {
    case 'Practitioner':
    case 'Patient':
    case 'RelatedPerson': {
      const name = selectDisplayName(objects(resource.name).filter((candidate) => candidate.use !== 'old'));
      return name ? formatHumanName(name) : undefined;
    }
    case 'Organization':
    case 'Location':
    case 'CareTeam':
      return text(resource.name);
    case 'PractitionerRole': {
      // Never resolved further than one step: a role's practitioner from the index, not from a chain.
      const practitioner = isObject(resource.practitioner)
        ? (text(resource.practitioner.display) ?? resourceLabel(resolveReference(resource.practitioner, index, undefined, ['Practitioner']), index))
        : undefined;
      const organization = isObject(resource.organization)
        ? (text(resource.organization.display) ?? resourceLabel(resolveReference(resource.organization, index, undefined, ['Organization']), index))
        : undefined;
      return practitioner && organization ? `${practitioner} (${organization})` : (practitioner ?? organization);
    }
    case 'Device':
      return objects(resource.deviceName).map((entry) => text(entry.name)).find(Boolean) ?? conceptLabel(resource.type)?.text;
    case 'Medication':
      return conceptLabel(resource.code, [CODE_SYSTEMS.rxnorm])?.text;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Dates, periods and quantities

/** A clinical date as given (partial stays partial) and for people. */
export interface ClinicalDateView {
  /** The FHIR value as given, e.g. `2016-08` or `2016-08-10T09:30:00-05:00`. */
  readonly value: string;
  readonly precision: FhirDatePrecision;
  /** "Aug 2016", "Aug 10, 2016". */
  readonly display: string;
}

/** A FHIR date or dateTime for display; undefined when missing or malformed. */
export function clinicalDate(value: unknown, locale: string): ClinicalDateView | undefined {
  const parsed = parseFhirDate(value);
  const display = parsed ? formatFhirDate(parsed, { locale }) : undefined;
  return parsed && display ? { value: (value as string).trim(), precision: parsed.precision, display } : undefined;
}

/**
 * A number to sort clinical dates by (epoch milliseconds): the moment of a dateTime with
 * a zone, else the start of the (possibly partial) day, month or year in UTC. Undefined
 * for a missing or malformed value.
 */
export function dateSortKey(value: unknown): number | undefined {
  const parsed = typeof value === 'object' && value !== null ? (value as ParsedFhirDate) : parseFhirDate(value);
  if (!parsed || typeof parsed.year !== 'number') return undefined;
  const wall = Date.UTC(
    parsed.year,
    (parsed.month ?? 1) - 1,
    parsed.day ?? 1,
    parsed.hour ?? 0,
    parsed.minute ?? 0,
    parsed.second ?? 0,
    parsed.millisecond ?? 0,
  );
  return parsed.offsetMinutes === undefined ? wall : wall - parsed.offsetMinutes * 60_000;
}

/** Sort keys newest first, undefined (no date) last. */
export function compareNewestFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return b - a;
}

/** A FHIR Period for people: "Mar 2010 – Jun 2011", "since Mar 2010", "until Jun 2011". */
export function periodText(period: unknown, locale: string): string | undefined {
  if (!isObject(period)) return undefined;
  const start = clinicalDate(period.start, locale)?.display;
  const end = clinicalDate(period.end, locale)?.display;
  if (start && end) return start === end ? start : `${start} – ${end}`;
  if (start) return `since ${start}`;
  if (end) return `until ${end}`;
  return undefined;
}

const collators = new Map<string, Intl.Collator>();

/** Compares names for sorting in `locale` (one collator per locale: `localeCompare` builds one per call). */
export function compareText(a: string, b: string, locale: string): number {
  let collator = collators.get(locale);
  if (!collator) {
    collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    collators.set(locale, collator);
  }
  return collator.compare(a, b);
}

/** A number for people in `locale` ("1,000", "0.5"), with a reused formatter. */
export function formatNumber(value: number, locale: string, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, options).format(value);
}

/** A FHIR Quantity for people: "480 mL", "< 5 mg"; the unit text, else its code. */
export function quantityText(quantity: unknown, locale: string): string | undefined {
  if (!isObject(quantity) || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) return undefined;
  const number = formatNumber(quantity.value, locale, { maximumFractionDigits: 6 });
  const comparator = typeof quantity.comparator === 'string' && ['<', '<=', '>=', '>'].includes(quantity.comparator) ? `${quantity.comparator} ` : '';
  const unit = text(quantity.unit) ?? text(quantity.code);
  return `${comparator}${number}${unit ? ` ${unit}` : ''}`;
}


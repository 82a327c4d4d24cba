// The timeline model: one stream of dated clinical events from a patient's record,
// newest first, with grouping and filtering fast enough for 20,000 events. Pure functions,
// no DOM; robust to missing and malformed fields (a resource that cannot be read becomes
// an event with fallbacks, never an exception).
import type { Resource } from '@medplum/fhirtypes';
import { formatFhirDate } from '../format/fhir-date.js';
import { resolveLocale } from '../format/locale.js';
import { isEnteredInError } from './codeable.js';
import { formatHumanName } from './human-name.js';
import { immunizationStatus, notGivenReason } from './immunization.js';
import { isObject, objects, text, type JsonObject } from './read.js';
import { dayBound, firstDayOf, lastDayOf, sortKeyOf, timelineDate, type TimelineDate } from './timeline-dates.js';
import {
  abnormalFlag,
  DEFAULT_TIMELINE_OBSERVATION_RULE,
  notableObservationFlag,
  type TimelineFlag,
  type TimelineObservationSelection,
} from './timeline-observations.js';

/** What an event is about. MedicationRequest and MedicationStatement are both `medication`. */
export type TimelineKind =
  | 'encounter'
  | 'condition'
  | 'procedure'
  | 'immunization'
  | 'medication'
  | 'report'
  | 'document'
  | 'allergy'
  | 'observation';

/** Every kind, in the order filters and legends list them. */
export const TIMELINE_KINDS: readonly TimelineKind[] = [
  'encounter',
  'condition',
  'procedure',
  'immunization',
  'medication',
  'report',
  'document',
  'allergy',
  'observation',
];

/** Words for each kind: `one` for an event ("Procedure"), `other` for a filter or a count ("Procedures"). */
export const TIMELINE_KIND_LABELS: Readonly<Record<TimelineKind, { readonly one: string; readonly other: string }>> = {
  encounter: { one: 'Encounter', other: 'Encounters' },
  condition: { one: 'Condition', other: 'Conditions' },
  procedure: { one: 'Procedure', other: 'Procedures' },
  immunization: { one: 'Immunization', other: 'Immunizations' },
  medication: { one: 'Medication', other: 'Medications' },
  report: { one: 'Report', other: 'Reports' },
  document: { one: 'Document', other: 'Documents' },
  allergy: { one: 'Allergy', other: 'Allergies' },
  observation: { one: 'Observation', other: 'Observations' },
};

/** The FHIR resource types behind each kind (what `loadTimeline` searches). */
export const TIMELINE_RESOURCE_TYPES: Readonly<Record<TimelineKind, readonly string[]>> = {
  encounter: ['Encounter'],
  condition: ['Condition'],
  procedure: ['Procedure'],
  immunization: ['Immunization'],
  medication: ['MedicationRequest', 'MedicationStatement'],
  report: ['DiagnosticReport'],
  document: ['DocumentReference'],
  allergy: ['AllergyIntolerance'],
  observation: ['Observation'],
};

const KIND_OF_TYPE: Readonly<Record<string, TimelineKind>> = Object.fromEntries(
  TIMELINE_KINDS.flatMap((kind) => TIMELINE_RESOURCE_TYPES[kind].map((type) => [type, kind] as const)),
);

/** The kind a resource type maps to, or undefined for types the timeline does not show. */
export function timelineKindOf(resourceType: string): TimelineKind | undefined {
  return KIND_OF_TYPE[resourceType];
}

/** A resource's status, labelled for people. */
export interface TimelineStatus {
  /** The code as given (e.g. `not-done`, or a Condition's clinical status `resolved`). */
  readonly code: string;
  /** "Not done", "Resolved · Provisional". */
  readonly label: string;
  /** False for the routine outcome (finished, completed, final, current): not worth a badge. */
  readonly notable: boolean;
}

/**
 * One dated thing that happened (or was recorded) in the patient's care.
 *
 * Events are read-only. What ordering, filtering by kind or date and grouping by date need
 * (kind, dates, sort keys) is computed when the timeline is built; the descriptive fields
 * (title, detail, status, people, encounter, search text) are read from the resource the
 * first time any of them is asked for, then kept: a 20,000-event timeline paints without
 * describing the 19,950 events that are not on screen.
 */
export interface TimelineEvent {
  /** Unique within a timeline: the reference, plus `#abatement` for a condition's resolution. */
  readonly key: string;
  readonly kind: TimelineKind;
  /** The resource it comes from. */
  readonly resource: Resource;
  readonly resourceType: string;
  /** `resourceType/id` of that resource; undefined when the resource has no id. */
  readonly reference: string | undefined;
  /** What happened, for people: code.text, else a coding's display, else a code. */
  readonly title: string;
  /** A second line: a result's value, an encounter's class and reason, a document's description. A result's flag is in `flag`. */
  readonly detail?: string;
  /** A Condition yields up to two events: its onset and its abatement (resolution or remission). */
  readonly phase?: 'onset' | 'abatement';
  /** Which date this is: "Onset", "Recorded", "Performed", "Issued"... */
  readonly dateLabel: string;
  /** When it happened (or began), kept at its precision. Undefined: the date is unknown or malformed. */
  readonly start?: TimelineDate;
  /** When a period ended, if it has ended and the end is known. */
  readonly end?: TimelineDate;
  /** When there is no date, what the record says instead ("childhood", "Age 45"). */
  readonly dateText?: string;
  /** Orders events (see DateKeys.sortKey); -Infinity when undated. */
  readonly sortKey: number;
  /** First and last calendar day (yyyymmdd) the event may fall on; NaN when undated. */
  readonly firstDay: number;
  readonly lastDay: number;
  readonly status?: TimelineStatus;
  /** An abnormal result's flag (Observations only). */
  readonly flag?: TimelineFlag;
  /** Who performed, recorded, requested or wrote it. */
  readonly performer?: string;
  /** The organisation responsible (service provider, lab, custodian). */
  readonly organization?: string;
  /** `Encounter/<id>` the event belongs to, for grouping by encounter. */
  readonly encounter?: string;
  /** Lower-case, accent-free text the free-text filter searches: title, detail, performer, organisation, status, flag. */
  readonly searchText: string;
}

/** The events of a record, built once and then filtered and grouped as often as needed. */
export interface Timeline {
  /** Newest first; events without a usable date last. */
  readonly events: readonly TimelineEvent[];
  /** Events per kind. */
  readonly kindCounts: Readonly<Record<TimelineKind, number>>;
  /** Events whose date is unknown or malformed. */
  readonly undatedCount: number;
  /** Encounter events by reference, for grouping even when the encounters are filtered out. */
  readonly encounters: ReadonlyMap<string, TimelineEvent>;
}

export interface TimelineOptions {
  /** Which Observations become events. Default {@link DEFAULT_TIMELINE_OBSERVATION_RULE}: social history and abnormal lab results. */
  readonly observations?: TimelineObservationSelection;
  /** Only these kinds. Default: every kind. */
  readonly kinds?: readonly TimelineKind[];
}

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------
// Reading resources
//
// Built for speed as well as safety. The build reads only what ordering and filtering
// need; an event describes itself (title, status, people...) on first use. No object
// spread (slow in V8), one event class (one shape), dates parsed once per distinct value.

interface Context {
  readonly input: readonly unknown[];
  /** Display names of Practitioners, Organizations, Locations, Medications... in the input (built on first use). */
  names?: Map<string, string>;
  /** Resource keys by id, built on the first `urn:uuid:` reference (unpacked transaction bundles). */
  keysById?: Map<string, string>;
  /** Parsed dates by value: a lab panel's results share one timestamp. */
  readonly dates: Map<string, TimelineDate | null>;
  readonly observations: TimelineObservationSelection;
}

/**
 * A trimmed string, or undefined when empty (read.ts `text`, with a fast path: a string
 * that neither starts nor ends with whitespace is used as is; inner runs of whitespace
 * are left to the renderer, which collapses them).
 */
function str(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32 ? value : text(value);
}

function dateOf(value: unknown, context: Context): TimelineDate | undefined {
  if (typeof value !== 'string') return undefined;
  let date = context.dates.get(value);
  if (date === undefined) {
    date = timelineDate(value) ?? null;
    context.dates.set(value, date);
  }
  return date ?? undefined;
}

function keysById(context: Context): Map<string, string> {
  if (!context.keysById) {
    const keys = new Map<string, string>();
    for (const resource of context.input) {
      if (isObject(resource) && typeof resource.resourceType === 'string' && typeof resource.id === 'string') {
        keys.set(resource.id, `${resource.resourceType}/${resource.id}`);
      }
    }
    context.keysById = keys;
  }
  return context.keysById;
}

/** Display names of the resources events refer to, when they are in the input. */
function namesOf(context: Context): Map<string, string> {
  if (!context.names) {
    const names = new Map<string, string>();
    for (const resource of context.input) {
      if (!isObject(resource) || typeof resource.resourceType !== 'string' || typeof resource.id !== 'string') continue;
      if (KIND_OF_TYPE[resource.resourceType] !== undefined) continue;
      const name = nameOf(resource);
      if (name) names.set(`${resource.resourceType}/${resource.id}`, name);
    }
    context.names = names;
  }
  return context.names;
}

function nameOf(resource: JsonObject): string | undefined {
  switch (resource.resourceType) {
    case 'Practitioner':
    case 'RelatedPerson':
    case 'Patient': {
      const names = objects(resource.name);
      const official = names.find((name) => name.use === 'official') ?? names[0];
      return formatHumanName(official);
    }
    case 'Organization':
    case 'Location':
    case 'HealthcareService':
      return str(resource.name);
    case 'Medication':
      return conceptTitle(resource.code);
    case 'Device':
      return objects(resource.deviceName)
        .map((name) => str(name.name))
        .find(Boolean);
    default:
      return undefined;
  }
}

/** `Type/id` of a reference: relative, absolute, versioned, or a `urn:uuid:` of a resource in the input. */
function referenceKey(reference: unknown, context: Context): string | undefined {
  if (typeof reference !== 'string' || reference === '') return undefined;
  const slash = reference.indexOf('/');
  // The common case, `Encounter/123`, without allocating.
  if (slash > 0 && reference.indexOf('/', slash + 1) < 0 && reference.indexOf(':') < 0 && reference.indexOf('?') < 0 && reference.indexOf('#') < 0) {
    return reference;
  }
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) {
    return keysById(context).get(reference.slice(reference.indexOf(':', 4) + 1));
  }
  const path = reference.split(/[?#]/)[0]!.replace(/\/_history\/[^/]+\/?$/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  const type = parts[parts.length - 2]!;
  return /^[A-Z][A-Za-z]+$/.test(type) ? `${type}/${parts[parts.length - 1]}` : undefined;
}

/** A Reference for people: its display, else the name of the resource it points at, when that is in the input. */
function referenceDisplay(reference: unknown, context: Context): string | undefined {
  if (!isObject(reference)) return undefined;
  const display = str(reference.display);
  if (display) return display;
  const key = referenceKey(reference.reference, context);
  return key ? namesOf(context).get(key) : undefined;
}

/** Whether a Reference points at a resource of `type` (by `type`, else by the reference string). */
function referencesType(reference: JsonObject, type: string, context: Context): boolean {
  const declared = str(reference.type);
  if (declared) return declared === type || declared.endsWith(`/${type}`);
  const key = referenceKey(reference.reference, context);
  return key !== undefined && key.startsWith(type) && key.charCodeAt(type.length) === 47; // '/'
}

/** A CodeableConcept as a title: text, else the first coding's display, else the first code. */
function conceptTitle(concept: unknown): string | undefined {
  if (!isObject(concept)) return undefined;
  const direct = str(concept.text);
  if (direct) return direct;
  const codings = concept.coding;
  if (!Array.isArray(codings)) return undefined;
  for (const coding of codings) {
    const display = isObject(coding) ? str(coding.display) : undefined;
    if (display) return display;
  }
  for (const coding of codings) {
    const code = isObject(coding) ? str(coding.code) : undefined;
    if (code) return code;
  }
  return undefined;
}

/** The first title among several concepts (a CodeableConcept[] such as Encounter.type). */
function firstConceptTitle(concepts: unknown): string | undefined {
  if (!Array.isArray(concepts)) return undefined;
  for (const concept of concepts) {
    const title = conceptTitle(concept);
    if (title) return title;
  }
  return undefined;
}

function codeOf(concept: unknown): string | undefined {
  if (!isObject(concept) || !Array.isArray(concept.coding)) return undefined;
  for (const coding of concept.coding) {
    const code = isObject(coding) ? str(coding.code) : undefined;
    if (code) return code;
  }
  return undefined;
}

function hasCode(concept: unknown, code: string): boolean {
  return isObject(concept) && Array.isArray(concept.coding) && concept.coding.some((coding) => isObject(coding) && coding.code === code);
}

const STATUS_LABELS: Readonly<Record<string, string>> = {
  planned: 'Planned',
  arrived: 'Arrived',
  triaged: 'Triaged',
  'in-progress': 'In progress',
  onleave: 'On leave',
  finished: 'Finished',
  cancelled: 'Cancelled',
  unknown: 'Status unknown',
  active: 'Active',
  recurrence: 'Recurrence',
  relapse: 'Relapse',
  inactive: 'Inactive',
  remission: 'In remission',
  resolved: 'Resolved',
  unconfirmed: 'Unconfirmed',
  provisional: 'Provisional',
  differential: 'Differential',
  confirmed: 'Confirmed',
  refuted: 'Refuted',
  preparation: 'In preparation',
  'not-done': 'Not done',
  'on-hold': 'On hold',
  stopped: 'Stopped',
  completed: 'Completed',
  draft: 'Draft',
  intended: 'Intended',
  'not-taken': 'Not taken',
  registered: 'Registered',
  partial: 'Partial',
  preliminary: 'Preliminary',
  final: 'Final',
  amended: 'Amended',
  corrected: 'Corrected',
  appended: 'Appended',
  current: 'Current',
  superseded: 'Superseded',
};

// The outcome most records have: shown in the details, not as a badge.
const ROUTINE_STATUSES = new Set(['finished', 'completed', 'final', 'current', 'confirmed']);
// A prescription or medication statement that is active is the usual case too: no badge on every current medicine.
const ROUTINE_MEDICATION_STATUSES = new Set([...ROUTINE_STATUSES, 'active']);
// One status object per code: 20,000 "final" results share one.
const plainStatuses = new Map<string, TimelineStatus>();

function statusLabel(code: string): string {
  return STATUS_LABELS[code] ?? code.charAt(0).toUpperCase() + code.slice(1).replace(/-/g, ' ');
}

function plainStatus(value: unknown, routine: ReadonlySet<string> = ROUTINE_STATUSES): TimelineStatus | undefined {
  const code = str(value);
  if (!code) return undefined;
  const notable = !routine.has(code);
  const cacheKey = notable ? code : `${code}|routine`;
  let status = plainStatuses.get(cacheKey);
  if (!status) {
    status = Object.freeze({ code, label: statusLabel(code), notable });
    if (plainStatuses.size < 200) plainStatuses.set(cacheKey, status);
  }
  return status;
}

/**
 * Condition and AllergyIntolerance status: the clinical status, with the verification
 * status when it is not simply "confirmed" (R4: clinicalStatus and verificationStatus).
 */
function clinicalStatus(clinical: unknown, verification: unknown): TimelineStatus | undefined {
  const clinicalCode = codeOf(clinical);
  const verificationCode = codeOf(verification);
  const unconfirmed = verificationCode !== undefined && verificationCode !== 'confirmed';
  const code = clinicalCode ?? verificationCode;
  if (!code) return undefined;
  const parts: string[] = [];
  if (clinicalCode) parts.push(statusLabel(clinicalCode));
  if (unconfirmed) parts.push(statusLabel(verificationCode));
  return { code, label: parts.length ? parts.join(' · ') : statusLabel(code), notable: clinicalCode !== undefined || unconfirmed };
}

/**
 * FHIR R4: `entered-in-error` means the record should not have existed; it is never shown.
 * Status elements: Encounter/Procedure/Immunization/MedicationRequest/MedicationStatement/
 * DiagnosticReport/Observation.status, DocumentReference.status and .docStatus, and the
 * verificationStatus of Condition and AllergyIntolerance.
 */
function enteredInError(resource: JsonObject, resourceType: string): boolean {
  // In any case, or as words ("Entered-In-Error", "entered in error"), as the lists read it.
  if (isEnteredInError(resource.status)) return true;
  if (resourceType === 'DocumentReference') return isEnteredInError(resource.docStatus);
  // A coded verificationStatus, its text when it has no coding, or an STU3 bare code string.
  if (resourceType === 'Condition' || resourceType === 'AllergyIntolerance') return isEnteredInError(resource.verificationStatus);
  return false;
}

// UCUM codes servers put in Quantity.unit, the human-readable slot, as people write them.
const UNIT_DISPLAY: Readonly<Record<string, string>> = {
  Cel: '°C',
  '[degF]': '°F',
  'mm[Hg]': 'mmHg',
  '[lb_av]': 'lb',
  '[oz_av]': 'oz',
  '[in_i]': 'in',
  '[ft_i]': 'ft',
  'kg/m2': 'kg/m²',
  '{beats}/min': '/min',
  '{beat}/min': '/min',
  '{breaths}/min': '/min',
  '{breath}/min': '/min',
  '10*3/uL': '× 10³/µL',
  '10*6/uL': '× 10⁶/µL',
  '10*9/L': '× 10⁹/L',
  '10*12/L': '× 10¹²/L',
  uL: 'µL',
  ug: 'µg',
  'ug/L': 'µg/L',
  'ug/dL': 'µg/dL',
  'umol/L': 'µmol/L',
  'u[IU]/mL': 'µIU/mL',
};

/** A Quantity as text: "9.1 g/dL", "36.6 °C", "<5 mg/L". */
function quantityText(quantity: unknown): string | undefined {
  if (!isObject(quantity) || typeof quantity.value !== 'number') return undefined;
  const written = str(quantity.unit) ?? str(quantity.code);
  const unit = written ? (UNIT_DISPLAY[written] ?? written) : undefined;
  const comparator = str(quantity.comparator) ?? '';
  return unit ? `${comparator}${quantity.value} ${unit}` : `${comparator}${quantity.value}`;
}

// LOINC systolic and diastolic blood pressure: a panel shown as "128/82 mmHg".
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/** An Observation's value[x] as text; for a panel (blood pressure), its components. */
function valueText(resource: JsonObject): string | undefined {
  const quantity = quantityText(resource.valueQuantity);
  if (quantity) return quantity;
  if (resource.valueCodeableConcept !== undefined) return conceptTitle(resource.valueCodeableConcept);
  const string = str(resource.valueString);
  if (string) return string;
  if (typeof resource.valueBoolean === 'boolean') return resource.valueBoolean ? 'Yes' : 'No';
  if (typeof resource.valueInteger === 'number') return String(resource.valueInteger);
  const components = objects(resource.component);
  if (components.length === 0) return undefined;
  const systolic = components.find((component) => hasCode(component.code, SYSTOLIC));
  const diastolic = components.find((component) => hasCode(component.code, DIASTOLIC));
  const high = isObject(systolic?.valueQuantity) ? systolic.valueQuantity : undefined;
  const low = isObject(diastolic?.valueQuantity) ? diastolic.valueQuantity : undefined;
  if (high && low && typeof high.value === 'number' && typeof low.value === 'number') {
    const unit = str(high.unit) ?? str(high.code);
    return `${high.value}/${low.value}${unit ? ` ${UNIT_DISPLAY[unit] ?? unit}` : ''}`;
  }
  const parts = components
    .slice(0, 4)
    .map((component) => {
      const value = valueText(component);
      const name = conceptTitle(component.code);
      return value ? (name ? `${name} ${value}` : value) : undefined;
    })
    .filter((part): part is string => part !== undefined);
  return parts.length ? parts.join(', ') : undefined;
}

/** An Age (R4 onsetAge, performedAge...) as text: "Age 45 years". */
function ageText(value: unknown): string | undefined {
  if (!isObject(value) || typeof value.value !== 'number') return undefined;
  const unit = str(value.unit) ?? str(value.code);
  return `Age ${value.value}${unit ? ` ${unit}` : ''}`;
}

/** A Range of ages (onsetRange) as text: "Age 40–45 years". */
function rangeText(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const low = isObject(value.low) ? value.low.value : undefined;
  const high = isObject(value.high) ? value.high.value : undefined;
  if (typeof low !== 'number' && typeof high !== 'number') return undefined;
  const unit = (isObject(value.high) ? str(value.high.unit) : undefined) ?? (isObject(value.low) ? str(value.low.unit) : undefined);
  return `Age ${typeof low === 'number' ? low : '?'}–${typeof high === 'number' ? high : '?'}${unit ? ` ${unit}` : ''}`;
}

/** A date that could not be read, as written and said to be so: "2019-13-45 (not a valid date)". */
function malformedDateText(dateTime: unknown, period: unknown): string | undefined {
  const written = str(dateTime) ?? (isObject(period) ? (str(period.start) ?? str(period.end)) : undefined);
  return written ? `${written} (not a valid date)` : undefined;
}

function joinDetail(first: string | undefined, second: string | undefined): string | undefined {
  if (first && second) return `${first} · ${second}`;
  return first || second || undefined;
}

// v3 ActCode encounter classes (R4 Encounter.class, US Core): words for the codes servers send bare.
const ENCOUNTER_CLASSES: Readonly<Record<string, string>> = {
  AMB: 'Ambulatory',
  EMER: 'Emergency',
  IMP: 'Inpatient',
  ACUTE: 'Inpatient acute',
  NONAC: 'Inpatient non-acute',
  OBSENC: 'Observation',
  PRENC: 'Pre-admission',
  SS: 'Short stay',
  VR: 'Virtual',
  HH: 'Home health',
  FLD: 'Field',
};

// Search text is compared without accents: "garcia" finds "García".
const NON_ASCII = /[^\u0000-\u007f]/;
function foldText(value: string): string {
  const lower = value.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(/\p{Diacritic}/gu, '') : lower;
}

/** What `describe` fills in: the fields read on first use. */
interface Description {
  title: string;
  detail: string | undefined;
  status: TimelineStatus | undefined;
  performer: string | undefined;
  organization: string | undefined;
}

/**
 * The one event class: 20,000 events share one shape (fast property access, little
 * memory). Placement (dates, sort keys) is set by the build; the description and the
 * encounter are read from the resource on first access.
 */
class Event implements TimelineEvent {
  readonly kind: TimelineKind;
  readonly resource: Resource;
  readonly resourceType: string;
  dateLabel: string;
  phase: 'onset' | 'abatement' | undefined = undefined;
  start: TimelineDate | undefined = undefined;
  end: TimelineDate | undefined = undefined;
  dateText: string | undefined = undefined;
  sortKey = -Infinity;
  firstDay = NaN;
  lastDay = NaN;
  /** The abnormal flag once known: null until read (every Observation kept by `all` is flagged lazily). */
  private flagged: TimelineFlag | undefined | null = undefined;
  /** Input position: the key of a resource without an id. */
  readonly index: number;
  readonly context: Context;
  private described: Description | undefined = undefined;
  private linked: string | null | undefined = null;
  private folded: string | undefined = undefined;

  constructor(resource: JsonObject, kind: TimelineKind, index: number, context: Context, dateLabel: string) {
    this.resource = resource as unknown as Resource;
    this.resourceType = resource.resourceType as string;
    this.kind = kind;
    this.index = index;
    this.context = context;
    this.dateLabel = dateLabel;
  }

  /** Places the event at a dateTime, else at a Period; false when neither is usable. */
  at(label: string, value: unknown, period?: unknown): boolean {
    const date = dateOf(value, this.context);
    if (date) {
      this.dateLabel = label;
      this.start = date;
      return true;
    }
    if (!isObject(period)) return false;
    const first = dateOf(period.start, this.context);
    const last = dateOf(period.end, this.context);
    if (!first && !last) return false;
    this.dateLabel = label;
    this.start = first ?? last;
    this.end = first ? last : undefined;
    return true;
  }

  /** Sets the sort key and day span from the dates placed. */
  place(): void {
    const start = this.start;
    if (!start) return;
    this.dateText = undefined;
    this.sortKey = sortKeyOf(start.parsed);
    this.firstDay = firstDayOf(start.parsed);
    this.lastDay = this.end ? Math.max(this.firstDay, lastDayOf(this.end.parsed)) : lastDayOf(start.parsed);
  }

  get reference(): string | undefined {
    const id = str((this.resource as { id?: unknown }).id);
    return id ? `${this.resourceType}/${id}` : undefined;
  }

  get key(): string {
    const base = this.reference ?? `${this.resourceType}/#${this.index}`;
    return this.phase === 'abatement' ? `${base}#abatement` : base;
  }

  get title(): string {
    return this.description().title;
  }
  get detail(): string | undefined {
    return this.description().detail;
  }
  get status(): TimelineStatus | undefined {
    return this.description().status;
  }
  get performer(): string | undefined {
    return this.description().performer;
  }
  get organization(): string | undefined {
    return this.description().organization;
  }

  get encounter(): string | undefined {
    if (this.linked === null) {
      let linked: string | undefined;
      try {
        linked = ENCOUNTER_LINKS[this.resourceType]?.(this.resource as unknown as JsonObject, this.context);
      } catch {
        linked = undefined;
      }
      this.linked = linked;
    }
    return this.linked;
  }

  get flag(): TimelineFlag | undefined {
    if (this.flagged === null) this.flagged = abnormalFlag(this.resource);
    return this.flagged;
  }

  set flag(flag: TimelineFlag | undefined | null) {
    this.flagged = flag;
  }

  get searchText(): string {
    if (this.folded === undefined) {
      const { title, detail, performer, organization, status } = this.description();
      let search = title;
      if (detail) search += `\n${detail}`;
      if (performer) search += `\n${performer}`;
      if (organization) search += `\n${organization}`;
      if (status) search += `\n${status.label}`;
      if (this.flag) search += `\n${this.flag.label}`;
      if (this.dateText) search += `\n${this.dateText}`;
      this.folded = foldText(search);
    }
    return this.folded;
  }

  private description(): Description {
    if (!this.described) {
      const description: Description = { title: '', detail: undefined, status: undefined, performer: undefined, organization: undefined };
      try {
        DESCRIBERS[this.resourceType]?.(this.resource as unknown as JsonObject, this.context, description, this);
      } catch {
        // Defensive only: describers read through guards, but one record must never break the timeline.
      }
      if (!description.title) description.title = `Unnamed ${TIMELINE_KIND_LABELS[this.kind].one.toLowerCase()}`;
      this.described = description;
    }
    return this.described;
  }

  /** Plain data, for JSON and logs (the descriptive fields are getters). */
  toJSON(): Record<string, unknown> {
    return {
      key: this.key,
      kind: this.kind,
      reference: this.reference,
      title: this.title,
      detail: this.detail,
      phase: this.phase,
      dateLabel: this.dateLabel,
      start: this.start?.value,
      end: this.end?.value,
      dateText: this.dateText,
      status: this.status?.label,
      flag: this.flag?.label,
      performer: this.performer,
      organization: this.organization,
      encounter: this.encounter,
    };
  }
}

/** Takes performer and organisation from References, by what each points at, keeping any already set. */
function addActors(description: Description, context: Context, references: unknown): void {
  const list = Array.isArray(references) ? references : [references];
  for (const reference of list) {
    if (!isObject(reference)) continue;
    if (description.performer && description.organization) return;
    const display = referenceDisplay(reference, context);
    if (!display) continue;
    if (referencesType(reference, 'Organization', context)) description.organization ??= display;
    else description.performer ??= display;
  }
}

function encounterOf(reference: unknown, context: Context): string | undefined {
  if (!isObject(reference)) return undefined;
  const key = referenceKey(reference.reference, context);
  return key !== undefined && key.startsWith('Encounter/') ? key : undefined;
}

/** medication[x]: the concept, else the referenced Medication's code (from the input or the display). */
function medicationTitle(resource: JsonObject, context: Context): string | undefined {
  return conceptTitle(resource.medicationCodeableConcept) ?? referenceDisplay(resource.medicationReference, context);
}

/** Places a resource's events (dates, sort keys); returns them, or none for an Observation that is not notable. */
type Placer = (resource: JsonObject, kind: TimelineKind, index: number, context: Context, out: Event[]) => void;

const PLACERS: Readonly<Record<string, Placer>> = {
  // R4 Encounter.period.
  Encounter(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Visit');
    event.at('Visit', undefined, resource.period);
    out.push(event);
  },

  // R4 Condition: onset[x] (else recordedDate, US Core's required date) and abatement[x], as two events.
  Condition(resource, kind, index, context, out) {
    const onset = new Event(resource, kind, index, context, 'Onset');
    onset.phase = 'onset';
    if (!onset.at('Onset', resource.onsetDateTime, resource.onsetPeriod) && !onset.at('Recorded', resource.recordedDate)) {
      onset.dateText = str(resource.onsetString) ?? ageText(resource.onsetAge) ?? rangeText(resource.onsetRange);
    }
    out.push(onset);
    if (
      resource.abatementDateTime === undefined &&
      resource.abatementPeriod === undefined &&
      resource.abatementString === undefined &&
      resource.abatementAge === undefined &&
      resource.abatementRange === undefined
    ) {
      return;
    }
    // R4: abatement is "the date or estimated date that the condition resolved or went into remission".
    const label = codeOf(resource.clinicalStatus) === 'remission' ? 'Remission' : 'Resolved';
    const abatement = new Event(resource, kind, index, context, label);
    abatement.phase = 'abatement';
    if (!abatement.at(label, resource.abatementDateTime, resource.abatementPeriod)) {
      // R4 abatement[x] may be an Age, a Range or free text, and a date may be malformed: the
      // resolution is still shown, undated (listed apart) with what the record says, never dropped.
      abatement.dateText =
        str(resource.abatementString) ?? ageText(resource.abatementAge) ?? rangeText(resource.abatementRange) ?? malformedDateText(resource.abatementDateTime, resource.abatementPeriod);
      if (!abatement.dateText) return; // nothing readable at all (a number, an empty object)
    }
    out.push(abatement);
  },

  // R4 Procedure: performed[x].
  Procedure(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Performed');
    if (!event.at('Performed', resource.performedDateTime, resource.performedPeriod)) {
      event.dateText = str(resource.performedString) ?? ageText(resource.performedAge) ?? rangeText(resource.performedRange);
    }
    out.push(event);
  },

  // R4 Immunization: occurrence[x] (a dateTime, or a string such as "childhood").
  Immunization(resource, kind, index, context, out) {
    // R4 Immunization.status `not-done`: the dose was not given (a refusal, a contraindication).
    // It is not a dose that is due: R4 keeps schedules in ImmunizationRecommendation. STU3
    // notGiven and DSTU2 wasNotGiven say the same (see immunizationStatus).
    const label = immunizationStatus(resource) === 'not-done' ? 'Not given' : 'Given';
    const event = new Event(resource, kind, index, context, label);
    if (!event.at(label, resource.occurrenceDateTime)) event.dateText = str(resource.occurrenceString);
    out.push(event);
  },

  // R4 MedicationRequest.authoredOn.
  MedicationRequest(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Prescribed');
    event.at('Prescribed', resource.authoredOn);
    out.push(event);
  },

  // R4 MedicationStatement: effective[x] (dateAsserted is when it was said, not when it was taken).
  MedicationStatement(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Taken');
    event.at('Taken', resource.effectiveDateTime, resource.effectivePeriod);
    out.push(event);
  },

  // R4 DiagnosticReport: effective[x], else issued.
  DiagnosticReport(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Effective');
    if (!event.at('Effective', resource.effectiveDateTime, resource.effectivePeriod)) event.at('Issued', resource.issued);
    out.push(event);
  },

  // R4 DocumentReference: context.period (the care it documents), else date (when it was written).
  DocumentReference(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Service');
    const period = isObject(resource.context) ? resource.context.period : undefined;
    if (!event.at('Service', undefined, period)) event.at('Written', resource.date);
    out.push(event);
  },

  // R4 AllergyIntolerance: onset[x], else recordedDate.
  AllergyIntolerance(resource, kind, index, context, out) {
    const event = new Event(resource, kind, index, context, 'Onset');
    if (!event.at('Onset', resource.onsetDateTime, resource.onsetPeriod) && !event.at('Recorded', resource.recordedDate)) {
      event.dateText = str(resource.onsetString) ?? ageText(resource.onsetAge) ?? rangeText(resource.onsetRange);
    }
    out.push(event);
  },

  // R4 Observation: effective[x], else issued; only notable ones (see timeline-observations.ts).
  Observation(resource, kind, index, context, out) {
    // Every Observation is kept with `all`: its flag is read when shown, not for all 20,000 now.
    const flag = context.observations === 'all' ? null : notableObservationFlag(resource, context.observations);
    if (flag === false) return;
    const event = new Event(resource, kind, index, context, 'Effective');
    if (!event.at('Effective', resource.effectiveDateTime, resource.effectivePeriod) && !event.at('Effective', resource.effectiveInstant)) {
      event.at('Issued', resource.issued);
    }
    event.flag = flag;
    out.push(event);
  },
};

const NOT_GIVEN: TimelineStatus = Object.freeze({ code: 'not-done', label: 'Not given', notable: true });
const SUBPOTENT: TimelineStatus = Object.freeze({ code: 'subpotent', label: 'Subpotent', notable: true });

type Describer = (resource: JsonObject, context: Context, description: Description, event: Event) => void;

const DESCRIBERS: Readonly<Record<string, Describer>> = {
  // R4 Encounter: class/type, serviceProvider, participant.
  Encounter(resource, context, description) {
    const encounterClass = isObject(resource.class) ? resource.class : undefined;
    const classCode = encounterClass ? str(encounterClass.code) : undefined;
    const classLabel = (encounterClass ? str(encounterClass.display) : undefined) ?? (classCode ? (ENCOUNTER_CLASSES[classCode] ?? classCode) : undefined);
    description.title = firstConceptTitle(resource.type) ?? conceptTitle(resource.serviceType) ?? (classLabel ? `${classLabel} encounter` : '');
    description.detail = joinDetail(classLabel, firstConceptTitle(resource.reasonCode));
    description.status = plainStatus(resource.status);
    // The primary performer (PPRF) or attender (ATND) first, then anyone else.
    const participants = objects(resource.participant);
    const primary = participants.filter((participant) => objects(participant.type).some((type) => hasCode(type, 'PPRF') || hasCode(type, 'ATND')));
    addActors(description, context, primary.map((participant) => participant.individual));
    addActors(description, context, participants.map((participant) => participant.individual));
    description.organization =
      referenceDisplay(resource.serviceProvider, context) ??
      description.organization ??
      objects(resource.location)
        .map((entry) => referenceDisplay(entry.location, context))
        .find(Boolean);
  },

  Condition(resource, context, description) {
    description.title = conceptTitle(resource.code) ?? '';
    description.detail = firstConceptTitle(resource.category);
    description.status = clinicalStatus(resource.clinicalStatus, resource.verificationStatus);
    addActors(description, context, resource.asserter);
    addActors(description, context, resource.recorder);
  },

  Procedure(resource, context, description) {
    description.title = conceptTitle(resource.code) ?? '';
    description.detail = joinDetail(firstConceptTitle(resource.reasonCode), conceptTitle(resource.outcome));
    description.status = plainStatus(resource.status);
    for (const performer of objects(resource.performer)) {
      addActors(description, context, performer.actor);
      addActors(description, context, performer.onBehalfOf);
    }
    description.organization ??= referenceDisplay(resource.location, context);
  },

  Immunization(resource, context, description) {
    description.title = conceptTitle(resource.vaccineCode) ?? '';
    const notGiven = immunizationStatus(resource) === 'not-done';
    description.detail = notGiven ? notGivenReason(resource) : joinDetail(conceptTitle(resource.route), conceptTitle(resource.site));
    // R4 Immunization.isSubpotent: given, but the dose does not count.
    description.status = notGiven ? NOT_GIVEN : resource.isSubpotent === true ? SUBPOTENT : plainStatus(resource.status);
    for (const performer of objects(resource.performer)) addActors(description, context, performer.actor);
    description.organization ??= referenceDisplay(resource.location, context);
  },

  MedicationRequest(resource, context, description) {
    description.title = medicationTitle(resource, context) ?? '';
    description.detail = objects(resource.dosageInstruction)
      .map((dosage) => str(dosage.text))
      .find(Boolean);
    description.status = plainStatus(resource.status, ROUTINE_MEDICATION_STATUSES);
    addActors(description, context, resource.requester);
    addActors(description, context, resource.performer);
  },

  MedicationStatement(resource, context, description) {
    description.title = medicationTitle(resource, context) ?? '';
    description.detail = objects(resource.dosage)
      .map((dosage) => str(dosage.text))
      .find(Boolean);
    description.status = plainStatus(resource.status, ROUTINE_MEDICATION_STATUSES);
    const source = isObject(resource.informationSource) ? resource.informationSource : undefined;
    if (source && !str(source.display) && referencesType(source, 'Patient', context)) description.performer = 'Reported by the patient';
    else addActors(description, context, source);
  },

  DiagnosticReport(resource, context, description) {
    description.title = conceptTitle(resource.code) ?? '';
    description.detail = joinDetail(firstConceptTitle(resource.category), str(resource.conclusion));
    description.status = plainStatus(resource.status);
    addActors(description, context, resource.performer);
    addActors(description, context, resource.resultsInterpreter);
  },

  DocumentReference(resource, context, description) {
    const type = conceptTitle(resource.type);
    const text = str(resource.description);
    description.title = type ?? text ?? firstConceptTitle(resource.category) ?? '';
    description.detail = type ? text : undefined;
    // docStatus (preliminary, amended...) says more about the content than status (current) does.
    description.status =
      typeof resource.docStatus === 'string' && resource.docStatus !== 'final' ? plainStatus(resource.docStatus) : plainStatus(resource.status);
    addActors(description, context, resource.author);
    description.organization ??= referenceDisplay(resource.custodian, context);
  },

  AllergyIntolerance(resource, context, description) {
    const reactions = new Set<string>();
    for (const reaction of objects(resource.reaction)) {
      for (const manifestation of objects(reaction.manifestation)) {
        const title = conceptTitle(manifestation);
        if (title) reactions.add(title);
      }
    }
    description.title = conceptTitle(resource.code) ?? '';
    description.detail = joinDetail(resource.criticality === 'high' ? 'High criticality' : undefined, [...reactions].join(', ') || undefined);
    description.status = clinicalStatus(resource.clinicalStatus, resource.verificationStatus);
    addActors(description, context, resource.asserter);
    addActors(description, context, resource.recorder);
  },

  Observation(resource, context, description) {
    description.title = conceptTitle(resource.code) ?? '';
    description.detail = valueText(resource);
    description.status = plainStatus(resource.status);
    addActors(description, context, resource.performer);
  },
};

/** The Encounter each type's resource belongs to (R4: `encounter`; MedicationStatement.context; DocumentReference.context.encounter). */
const ENCOUNTER_LINKS: Readonly<Record<string, (resource: JsonObject, context: Context) => string | undefined>> = {
  Encounter: () => undefined,
  Condition: (resource, context) => encounterOf(resource.encounter, context),
  Procedure: (resource, context) => encounterOf(resource.encounter, context),
  Immunization: (resource, context) => encounterOf(resource.encounter, context),
  MedicationRequest: (resource, context) => encounterOf(resource.encounter, context),
  MedicationStatement: (resource, context) => encounterOf(resource.context, context),
  DiagnosticReport: (resource, context) => encounterOf(resource.encounter, context),
  DocumentReference: (resource, context) => {
    const encounters = isObject(resource.context) ? resource.context.encounter : undefined;
    for (const reference of Array.isArray(encounters) ? encounters : [encounters]) {
      const key = encounterOf(reference, context);
      if (key) return key;
    }
    return undefined;
  },
  AllergyIntolerance: (resource, context) => encounterOf(resource.encounter, context),
  Observation: (resource, context) => encounterOf(resource.encounter, context),
};

// ---------------------------------------------------------------------------
// Building

function emptyCounts(): Record<TimelineKind, number> {
  return { encounter: 0, condition: 0, procedure: 0, immunization: 0, medication: 0, report: 0, document: 0, allergy: 0, observation: 0 };
}

/**
 * The timeline of a record: every resource of a type the timeline shows, as events,
 * newest first. Condition onset and abatement are two events; Observations are kept
 * only when notable (`options.observations`); entered-in-error records are dropped; a
 * resource appearing twice (same type and id) counts once. Other resources in the input
 * (Practitioner, Organization, Location, Medication) name the people and things events
 * refer to. Never throws.
 */
export function buildTimeline(resources: readonly unknown[] | undefined, options: TimelineOptions = {}): Timeline {
  const input = Array.isArray(resources) ? resources : [];
  const kinds = options.kinds ? new Set(options.kinds) : undefined;
  const context: Context = { input, dates: new Map(), observations: options.observations ?? DEFAULT_TIMELINE_OBSERVATION_RULE };
  const dated: Event[] = [];
  const undated: Event[] = [];
  const placed: Event[] = [];

  for (let index = 0; index < input.length; index++) {
    const resource = input[index];
    if (!isObject(resource)) continue;
    const resourceType = resource.resourceType;
    if (typeof resourceType !== 'string') continue;
    const kind = KIND_OF_TYPE[resourceType];
    if (kind === undefined || (kinds && !kinds.has(kind))) continue;
    if (enteredInError(resource, resourceType)) continue;
    placed.length = 0;
    try {
      PLACERS[resourceType]!(resource, kind, index, context, placed);
    } catch {
      // Defensive only: placers read through guards, but one record must never break the timeline.
      placed.length = 0;
      placed.push(new Event(resource, kind, index, context, 'Date'));
    }
    for (const event of placed) {
      event.place();
      (event.start ? dated : undated).push(event);
    }
  }

  // Newest first. Array.prototype.sort is stable: ties keep input order.
  dated.sort((a, b) => b.sortKey - a.sortKey);
  const events = withoutDuplicates(dated, undated);
  const kindCounts = emptyCounts();
  const encounters = new Map<string, TimelineEvent>();
  let undatedCount = 0;
  for (const event of events) {
    kindCounts[event.kind]++;
    if (!event.start) undatedCount++;
    if (event.kind === 'encounter') {
      const reference = event.reference;
      if (reference && !encounters.has(reference)) encounters.set(reference, event);
    }
  }
  return { events, kindCounts, undatedCount, encounters };
}

/** Same resource (type and id, or the same object), same phase. */
function sameEvent(a: Event, b: Event): boolean {
  if (a.resource === b.resource) return a.phase === b.phase;
  if (a.resourceType !== b.resourceType || a.phase !== b.phase) return false;
  const id = (a.resource as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' && id === (b.resource as { id?: unknown }).id;
}

/**
 * Sorted events with each resource once (the first copy wins): a resource given twice (a
 * host page concatenating pages, an include repeating a match) counts once. Copies of one
 * resource share their dates, so after sorting they sit in one run of equal sort keys:
 * only that run is searched, far cheaper than hashing 20,000 keys.
 */
function withoutDuplicates(dated: readonly Event[], undated: readonly Event[]): TimelineEvent[] {
  const out: Event[] = [];
  let runStart = 0;
  let runKeys: Set<string> | undefined;
  const all = undated.length ? dated.concat(undated) : dated;
  for (let i = 0; i < all.length; i++) {
    const event = all[i]!;
    if (i > 0 && all[i - 1]!.sortKey !== event.sortKey) {
      runStart = out.length;
      runKeys = undefined;
    }
    if (out.length - runStart > 32) {
      // A long run (hundreds of events on one date-only day, or the undated): hash it.
      runKeys ??= new Set(out.slice(runStart).map((kept) => kept.key));
      const key = event.key;
      if (runKeys.has(key) && event.reference !== undefined) continue;
      runKeys.add(key);
    } else {
      let duplicate = false;
      for (let j = runStart; j < out.length; j++) {
        if (sameEvent(out[j]!, event)) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) continue;
    }
    out.push(event);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Filtering

/** What to show. Every field is optional; an empty filter shows everything. */
export interface TimelineFilter {
  /** Only these kinds. Undefined: every kind. */
  readonly kinds?: Iterable<TimelineKind>;
  /**
   * From this day on, inclusive: a FHIR date, partial allowed (`2020` = from 1 Jan 2020).
   * An event is shown when the days it may fall on overlap the range: "2019" is kept for
   * a range from 2019-06-01, since it may be in June. Undated events never match a range.
   */
  readonly from?: string;
  /** Up to this day, inclusive (`2020` = through 31 Dec 2020). */
  readonly to?: string;
  /** Words that must all appear (case- and accent-insensitive) in title, detail, performer, organisation or status. */
  readonly text?: string;
}

export interface TimelineFilterResult {
  /** The events that match, in timeline order. */
  readonly events: TimelineEvent[];
  /** Per kind, the events that match the date range and text (whatever the kind filter): the counts beside kind toggles. */
  readonly kindCounts: Record<TimelineKind, number>;
  /** Undated events left out only because a date range is set. */
  readonly undatedHidden: number;
}

/** True when the filter would show everything. */
export function isEmptyTimelineFilter(filter: TimelineFilter): boolean {
  return filter.kinds === undefined && !filter.from && !filter.to && !(filter.text ?? '').trim();
}

/** Filters timeline events (already ordered): one pass, no sorting, no allocation per event. */
export function filterTimeline(events: readonly TimelineEvent[], filter: TimelineFilter = {}): TimelineFilterResult {
  const kinds = filter.kinds === undefined ? undefined : new Set(filter.kinds);
  const from = dayBound(filter.from, 'from');
  const to = dayBound(filter.to, 'to');
  const ranged = from !== undefined || to !== undefined;
  const terms = foldText(filter.text ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const termCount = terms.length;
  const kindCounts = emptyCounts();
  if (!kinds && !ranged && termCount === 0) {
    // Nothing to filter: count, and copy the list as it is.
    for (let i = 0; i < events.length; i++) kindCounts[events[i]!.kind]++;
    return { events: events.slice(), kindCounts, undatedHidden: 0 };
  }
  const matched: TimelineEvent[] = [];
  let undatedHidden = 0;

  outer: for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    for (let t = 0; t < termCount; t++) if (!event.searchText.includes(terms[t]!)) continue outer;
    if (ranged) {
      if (event.start === undefined) {
        if (!kinds || kinds.has(event.kind)) undatedHidden++;
        continue;
      }
      if (from !== undefined && event.lastDay < from) continue;
      if (to !== undefined && event.firstDay > to) continue;
    }
    kindCounts[event.kind]++;
    if (kinds && !kinds.has(event.kind)) continue;
    matched.push(event);
  }
  return { events: matched, kindCounts, undatedHidden };
}

/**
 * Reads the search text of events from `start` until `budgetMs` has passed, and returns
 * where it stopped (`events.length` when done). The descriptive fields are read on first
 * use; an element calls this in idle time after the first paint, so the first keystroke
 * in its search box does not pay for describing 20,000 events.
 */
export function prepareTimelineSearch(events: readonly TimelineEvent[], start = 0, budgetMs = Infinity): number {
  const began = budgetMs === Infinity ? 0 : performance.now();
  let index = Math.max(0, start);
  while (index < events.length) {
    void events[index]!.searchText;
    index++;
    // Checking the clock every 256 events keeps its cost out of the loop.
    if ((index & 255) === 0 && budgetMs !== Infinity && performance.now() - began >= budgetMs) break;
  }
  return index;
}

// ---------------------------------------------------------------------------
// Grouping

/** `date`: by month (by year when only the year is known); `encounter`: under the encounter each event belongs to; `none`: one list. */
export type TimelineGrouping = 'date' | 'encounter' | 'none';

export interface TimelineGroup {
  /** Stable across renders: `month:2024-05`, `year:2024`, `encounter:Encounter/1`, `unlinked`, `undated`, `all`. */
  readonly key: string;
  readonly type: 'month' | 'year' | 'encounter' | 'unlinked' | 'undated' | 'all';
  /** "May 2024", "2024 (month not recorded)", an encounter's title, "Date unknown". */
  readonly label: string;
  /** For an encounter group: the encounter. */
  readonly encounter?: TimelineEvent;
  /** For an encounter group: whether the encounter itself matches the filter (else it is shown as context only). */
  readonly encounterMatches?: boolean;
  /** The group's events, newest first (in an encounter group, not the encounter itself). */
  readonly events: TimelineEvent[];
}

export interface TimelineGroupOptions {
  /** BCP 47 locale of month names. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /** Every encounter of the timeline (Timeline.encounters), so events keep their encounter when it is filtered out. */
  readonly encounters?: ReadonlyMap<string, TimelineEvent>;
}

export const TIMELINE_UNDATED_LABEL = 'Date unknown';
export const TIMELINE_UNLINKED_LABEL = 'Not part of an encounter';

const monthFormats = new Map<string, Intl.DateTimeFormat | null>();

/** "May 2024" in `locale`: one Intl formatter per locale (constructing one per group is slow). */
function monthLabel(year: number, month: number, locale: string): string {
  let format = monthFormats.get(locale);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
    } catch {
      format = null;
    }
    monthFormats.set(locale, format);
  }
  const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  if (!format || year < 100) return formatFhirDate(value, { locale, style: 'long' }) ?? value;
  return format.format(Date.UTC(year, month - 1, 1));
}

/**
 * Groups events that are already in timeline order (the output of buildTimeline or
 * filterTimeline). Groups come newest first; "Date unknown" is always last; an event is
 * never dropped.
 */
export function groupTimeline(events: readonly TimelineEvent[], by: TimelineGrouping, options: TimelineGroupOptions = {}): TimelineGroup[] {
  const locale = resolveLocale(options.locale);
  const undated: TimelineEvent[] = [];
  if (by === 'encounter') return groupByEncounter(events, options.encounters);
  if (by === 'none') {
    const all: TimelineEvent[] = [];
    for (const event of events) (event.start ? all : undated).push(event);
    const groups: TimelineGroup[] = all.length ? [{ key: 'all', type: 'all', label: 'All events', events: all }] : [];
    if (undated.length) groups.push({ key: 'undated', type: 'undated', label: TIMELINE_UNDATED_LABEL, events: undated });
    return groups;
  }
  // Keyed by year * 100 + month (0 for a year alone): no string built per event.
  const groups = new Map<number, TimelineGroup>();
  let last: TimelineGroup | undefined;
  let lastKey = -1;
  for (const event of events) {
    const start = event.start?.parsed;
    if (!start) {
      undated.push(event);
      continue;
    }
    const month = start.month;
    const numeric = start.year * 100 + (month ?? 0);
    if (numeric !== lastKey) {
      let group = groups.get(numeric);
      if (!group) {
        group =
          month === undefined
            ? { key: `year:${start.year}`, type: 'year', label: `${start.year} (month not recorded)`, events: [] }
            : { key: `month:${start.year}-${month < 10 ? '0' : ''}${month}`, type: 'month', label: monthLabel(start.year, month, locale), events: [] };
        groups.set(numeric, group);
      }
      last = group;
      lastKey = numeric;
    }
    last!.events.push(event);
  }
  const list = [...groups.values()];
  if (undated.length) list.push({ key: 'undated', type: 'undated', label: TIMELINE_UNDATED_LABEL, events: undated });
  return list;
}

function groupByEncounter(events: readonly TimelineEvent[], known: ReadonlyMap<string, TimelineEvent> | undefined): TimelineGroup[] {
  const encounters = known ?? new Map(events.filter((event) => event.kind === 'encounter' && event.reference).map((event) => [event.reference!, event]));
  const groups = new Map<string, { encounter: TimelineEvent; matches: boolean; events: TimelineEvent[] }>();
  const unlinked: TimelineEvent[] = [];
  const undated: TimelineEvent[] = [];
  const groupOf = (encounter: TimelineEvent) => {
    let group = groups.get(encounter.reference!);
    if (!group) {
      group = { encounter, matches: false, events: [] };
      groups.set(encounter.reference!, group);
    }
    return group;
  };
  for (const event of events) {
    if (event.kind === 'encounter' && event.reference && encounters.has(event.reference)) {
      groupOf(event).matches = true;
      continue;
    }
    const encounter = event.encounter ? encounters.get(event.encounter) : undefined;
    if (encounter) groupOf(encounter).events.push(event);
    else (event.start ? unlinked : undated).push(event);
  }
  // Encounters newest first (stable: ties keep first-seen order); undated encounters after dated ones.
  const ordered = [...groups.values()].sort((a, b) => {
    const left = a.encounter.sortKey;
    const right = b.encounter.sortKey;
    return left === right ? 0 : left === -Infinity ? 1 : right === -Infinity ? -1 : right - left;
  });
  const list: TimelineGroup[] = ordered.map((group) => ({
    key: `encounter:${group.encounter.reference}`,
    type: 'encounter',
    label: group.encounter.title,
    encounter: group.encounter,
    encounterMatches: group.matches,
    events: group.events,
  }));
  if (unlinked.length) list.push({ key: 'unlinked', type: 'unlinked', label: TIMELINE_UNLINKED_LABEL, events: unlinked });
  if (undated.length) list.push({ key: 'undated', type: 'undated', label: TIMELINE_UNDATED_LABEL, events: undated });
  return list;
}

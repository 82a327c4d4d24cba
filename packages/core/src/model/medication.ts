import type { MedicationRequest, MedicationStatement } from '@medplum/fhirtypes';
import { resolveLocale } from '../format/locale.js';
import {
  clinicalDate,
  CODE_SYSTEMS,
  compareNewestFirst,
  compareText,
  conceptLabel,
  dateSortKey,
  formatNumber,
  indexResources,
  periodText,
  quantityText,
  referenceKey,
  referenceLabel,
  resolveReference,
  wordsAsCode,
  isEnteredInError,
  negationOf,
  splitNegations,
  type NegationCodes,
  type NegationKind,
  type NegationSummary,
  type ClinicalDateView,
  type ConceptLabelSource,
  type ResourceIndex,
} from './codeable.js';
import { isObject, objects, text, type JsonObject } from './read.js';

/** A prescription (MedicationRequest) or what the patient or someone else reports taking (MedicationStatement). */
export type MedicationRecordResource = MedicationRequest | MedicationStatement;

/**
 * Where a medication is listed: `active` (active and on hold; a statement's intended),
 * `stopped` (stopped, completed, cancelled, ended; a statement's not-taken), `other`
 * (draft, unknown or no status: labelled, never guessed), or `entered-in-error` (never shown).
 */
export type MedicationGroup = 'active' | 'stopped' | 'other' | 'entered-in-error';

/** Where the name came from; `reference` is a Reference.display, `unavailable` means no name could be found. */
export type MedicationNameSource = ConceptLabelSource | 'reference' | 'unavailable';

export interface MedicationView {
  /** The MedicationRequest or MedicationStatement as given. */
  readonly resource: MedicationRecordResource;
  readonly kind: 'request' | 'statement';
  /** A key unique within the list. */
  readonly key: string;
  /** "Lisinopril 10 MG Oral Tablet"; "Medication (details unavailable)" when it cannot be named. */
  readonly name: string;
  readonly nameSource: MedicationNameSource;
  /** True when the medication is a medicationReference that could not be resolved (not contained, included or read). */
  readonly unresolved: boolean;
  /** The dose form of a resolved Medication ("Tablet"). */
  readonly form?: string;
  readonly group: MedicationGroup;
  /** The status, with a label ("Active", "On hold", "Stopped", "Draft", "Status unknown", "Not taken"...). */
  readonly status: { readonly code?: string; readonly label: string };
  /** Why it was stopped, held or not taken (statusReason). */
  readonly statusReason?: string;
  /** MedicationRequest.intent when it is not an order: "Plan", "Proposal", "Option". */
  readonly intent?: { readonly code: string; readonly label: string };
  /** The dose: the prescriber's text ("10 mL bid"), else built from the structured dosage ("1 tablet by mouth twice daily"). */
  readonly dosage?: string;
  /** The route, when the dosage text does not already say it ("Oral route"). */
  readonly route?: string;
  /** MedicationRequest.requester: the prescriber. */
  readonly prescriber?: string;
  /** The date to show with its label: "Prescribed Apr 5, 2008", "Taking since May 1, 2010", "Reported May 1, 2016". */
  readonly date?: { readonly label: string; readonly text: string };
  /** MedicationRequest.authoredOn. */
  readonly authoredOn?: ClinicalDateView;
  /** MedicationStatement.effective[x], for people ("since May 1, 2010", "Jun 3, 2010"). */
  readonly effective?: string;
  /** MedicationStatement.dateAsserted. */
  readonly dateAsserted?: ClinicalDateView;
  /**
   * FHIR R4 MedicationRequest.doNotPerform: the order says NOT to give this medication.
   * The list must never read it as something the patient takes.
   */
  readonly doNotPerform: boolean;
  /** True for a MedicationStatement, and for a MedicationRequest with `reportedBoolean: true` or a `reportedReference`. */
  readonly reported: boolean;
  /** Who reported it: MedicationStatement.informationSource or MedicationRequest.reportedReference. */
  readonly reportedBy?: string;
  /** The date the list is sorted by (epoch milliseconds), when there is one. */
  readonly sortKey?: number;
  /** A negation record ("No known medications", IPS `no-medication-info`) rather than a medication. */
  readonly negation?: NegationKind;
}

export interface MedicationListView extends NegationSummary<MedicationView> {
  /** Active and on-hold prescriptions, and what the patient takes or intends to take: newest first. */
  readonly active: readonly MedicationView[];
  /** Stopped, completed, cancelled, not taken. */
  readonly stopped: readonly MedicationView[];
  /** Draft, unknown or missing status. */
  readonly other: readonly MedicationView[];
  /** Medications shown (all groups); negation records are not medications and are not counted. */
  readonly count: number;
  /** Records entered in error: never shown. */
  readonly enteredInError: number;
  /** Shown medications whose referenced Medication could not be resolved. */
  readonly unresolved: number;
}

export interface MedicationViewOptions {
  /** BCP 47 locale for dates and numbers. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /** Resources to resolve medicationReference, requester and informationSource against. */
  readonly index?: ResourceIndex;
}

/** The list's statement when a record in force says the patient takes no medication (and no medication in force says otherwise). */
export const NO_KNOWN_MEDICATIONS = 'No known medications';
/** The list's statement when a record says nothing is known about medications (IPS `no-medication-info`). */
export const NO_INFORMATION_ABOUT_MEDICATIONS = 'No information about medications';

// IPS Medication Summary: absent-unknown-uv-ips, or SNOMED CT 787481004 |No known medications|.
const NEGATION_CODES: NegationCodes = { snomed: ['787481004'], noKnown: ['no-known-medications'], noInformation: ['no-medication-info'] };

/** The name shown when a referenced Medication could not be read and the reference has no display. */
export const MEDICATION_DETAILS_UNAVAILABLE = 'Medication (details unavailable)';
/** The name shown when a record names no medication at all. */
export const UNSPECIFIED_MEDICATION = 'Unspecified medication';

// FHIR R4 medicationrequest-status, plus R5's `ended` (seen on servers that moved ahead).
const REQUEST_STATUS: Readonly<Record<string, readonly [MedicationGroup, string]>> = {
  active: ['active', 'Active'],
  'on-hold': ['active', 'On hold'],
  cancelled: ['stopped', 'Cancelled'],
  completed: ['stopped', 'Completed'],
  stopped: ['stopped', 'Stopped'],
  ended: ['stopped', 'Ended'],
  draft: ['other', 'Draft'],
  unknown: ['other', 'Status unknown'],
  'entered-in-error': ['entered-in-error', 'Entered in error'],
};

// FHIR R4 medication-statement-status.
const STATEMENT_STATUS: Readonly<Record<string, readonly [MedicationGroup, string]>> = {
  active: ['active', 'Active'],
  intended: ['active', 'Intended'],
  'on-hold': ['active', 'On hold'],
  completed: ['stopped', 'Completed'],
  stopped: ['stopped', 'Stopped'],
  'not-taken': ['stopped', 'Not taken'],
  unknown: ['other', 'Status unknown'],
  'entered-in-error': ['entered-in-error', 'Entered in error'],
};

// FHIR R4 medicationrequest-intent: the order kinds need no label; the others say what they are.
const INTENT_LABELS: Readonly<Record<string, string>> = { proposal: 'Proposal', plan: 'Plan', option: 'Option' };
const INTENT_DATE_LABELS: Readonly<Record<string, string>> = { proposal: 'Proposed', plan: 'Planned', option: 'Suggested' };

/**
 * A MedicationRequest or MedicationStatement for a medication list, following FHIR R4
 * and US Core. Pure and total: anything may be missing or malformed.
 *
 * - Name: `medicationCodeableConcept` (text, else a display, RxNorm first, else a code),
 *   or the Medication a `medicationReference` resolves to (contained `#id`, or one in
 *   `index`): its code, else its ingredients; else the reference's display; else
 *   "Medication (details unavailable)".
 * - Status: R4 medicationrequest-status / medication-statement-status decide the group;
 *   `entered-in-error` is never shown.
 * - Dose: Dosage.text as the prescriber wrote it; without text, built from the dose,
 *   route, timing and as-needed ("1 tablet by mouth twice daily as needed for pain").
 */
export function toMedicationView(resource: MedicationRecordResource, options: MedicationViewOptions = {}, position = 0): MedicationView {
  const record: JsonObject = isObject(resource) ? resource : {};
  const locale = resolveLocale(options.locale);
  const index = options.index ?? new Map<string, JsonObject>();
  const kind = record.resourceType === 'MedicationStatement' ? 'statement' : 'request';
  // STU3 MedicationStatement.taken "n" (no status of its own for it then) reads as R4's not-taken.
  const written = text(record.status);
  const statusCode = kind === 'statement' && record.taken === 'n' ? 'not-taken' : written ? wordsAsCode(written) : undefined;
  const known = statusCode ? (kind === 'request' ? REQUEST_STATUS : STATEMENT_STATUS)[statusCode] : undefined;
  const group: MedicationGroup = known?.[0] ?? 'other';
  const status = known ? { code: statusCode, label: known[1] } : { ...(statusCode ? { code: statusCode } : {}), label: 'Status unknown' };

  const medication = medicationName(record, index);
  const negation = negationOf(record.medicationCodeableConcept, NEGATION_CODES);
  const dosages = kind === 'request' ? record.dosageInstruction : record.dosage;
  const dose = dosageText(dosages, locale);
  const intentCode = kind === 'request' ? text(record.intent)?.toLowerCase() : undefined;
  const intentLabel = intentCode ? INTENT_LABELS[intentCode] : undefined;
  const statusReason =
    kind === 'request' ? conceptLabel(record.statusReason)?.text : objects(record.statusReason).map((reason) => conceptLabel(reason)?.text).find(Boolean);

  const authoredOn = kind === 'request' ? clinicalDate(record.authoredOn, locale) : undefined;
  const effectiveDate = kind === 'statement' ? clinicalDate(record.effectiveDateTime, locale) : undefined;
  const effective = kind === 'statement' ? (effectiveDate?.display ?? periodText(record.effectivePeriod, locale)) : undefined;
  const dateAsserted = kind === 'statement' ? clinicalDate(record.dateAsserted, locale) : undefined;

  const reportedReference = kind === 'request' && isObject(record.reportedReference) ? record.reportedReference : undefined;
  const reported = kind === 'statement' || record.reportedBoolean === true || reportedReference !== undefined;
  const reportedBy = kind === 'statement' ? referenceLabel(record.informationSource, index, record) : referenceLabel(reportedReference, index, record);
  const prescriber = kind === 'request' ? referenceLabel(record.requester, index, record) : undefined;
  const id = text(record.id);

  let date: MedicationView['date'];
  let sortKey: number | undefined;
  if (kind === 'request') {
    if (authoredOn) date = { label: (intentCode && INTENT_DATE_LABELS[intentCode]) ?? 'Prescribed', text: authoredOn.display };
    sortKey = authoredOn ? dateSortKey(authoredOn.value) : undefined;
  } else {
    const period = isObject(record.effectivePeriod) ? record.effectivePeriod : undefined;
    if (effective) {
      const ongoing = group === 'active' && period !== undefined && clinicalDate(period.end, locale) === undefined;
      date = ongoing ? { label: 'Taking', text: effective } : { label: group === 'stopped' && statusCode === 'not-taken' ? 'Effective' : 'Taken', text: effective };
    } else if (dateAsserted) {
      date = { label: 'Reported', text: dateAsserted.display };
    }
    sortKey = dateSortKey(record.effectiveDateTime) ?? dateSortKey(period?.start) ?? dateSortKey(period?.end) ?? dateSortKey(record.dateAsserted);
  }

  return {
    resource,
    kind,
    key: id ? `${kind === 'request' ? 'MedicationRequest' : 'MedicationStatement'}/${id}` : `#${position}`,
    name: medication.name,
    nameSource: medication.source,
    unresolved: medication.unresolved,
    ...(medication.form ? { form: medication.form } : {}),
    group,
    status,
    ...(statusReason ? { statusReason } : {}),
    ...(intentCode && intentLabel ? { intent: { code: intentCode, label: intentLabel } } : {}),
    ...(dose.text ? { dosage: dose.text } : {}),
    ...(dose.route && !dose.routeInText ? { route: dose.route } : {}),
    ...(prescriber ? { prescriber } : {}),
    ...(date ? { date } : {}),
    ...(authoredOn ? { authoredOn } : {}),
    ...(effective ? { effective } : {}),
    ...(dateAsserted ? { dateAsserted } : {}),
    doNotPerform: kind === 'request' && record.doNotPerform === true,
    reported,
    ...(reportedBy ? { reportedBy } : {}),
    ...(sortKey !== undefined ? { sortKey } : {}),
    ...(negation ? { negation } : {}),
  };
}

/**
 * A patient's MedicationRequests and MedicationStatements grouped for a list (see
 * {@link toMedicationView}); each group newest first, undated last, then by name. Other
 * resources in `resources` (Medications, Practitioners) resolve references.
 */
export function toMedicationList(resources: readonly unknown[], options: { readonly locale?: string } = {}): MedicationListView {
  const list = Array.isArray(resources) ? resources : [];
  const index = indexResources(list);
  const groups: Record<Exclude<MedicationGroup, 'entered-in-error'>, MedicationView[]> = { active: [], stopped: [], other: [] };
  let enteredInError = 0;
  list.forEach((resource, position) => {
    if (!isObject(resource) || (resource.resourceType !== 'MedicationRequest' && resource.resourceType !== 'MedicationStatement')) return;
    const view = toMedicationView(resource as unknown as MedicationRecordResource, { locale: options.locale, index }, position);
    if (view.group === 'entered-in-error') enteredInError += 1;
    else groups[view.group].push(view);
  });
  const locale = resolveLocale(options.locale);
  const compare = (a: MedicationView, b: MedicationView) => compareNewestFirst(a.sortKey, b.sortKey) || compareText(a.name, b.name, locale);
  // A negation in force (active, or of unknown status) is the list's statement, not a
  // medication; an active or unknown-status medication contradicts it (see splitNegations).
  const isNegation = (view: MedicationView) => view.negation !== undefined;
  const negations = [...groups.active, ...groups.other].filter(isNegation).sort(compare);
  groups.active = groups.active.filter((view) => !isNegation(view));
  groups.other = groups.other.filter((view) => !isNegation(view));
  for (const group of Object.values(groups)) group.sort(compare);
  const statements = splitNegations(negations, (view) => view.negation, groups.active.length + groups.other.length);
  const shown = [...groups.active, ...groups.stopped, ...groups.other];
  return { ...groups, ...statements, count: shown.length, enteredInError, unresolved: shown.filter((view) => view.unresolved).length };
}

/**
 * The `Medication` references among `resources` that are neither contained nor among
 * `resources` themselves: what a query still has to read. De-duplicated, in first-seen
 * order, as given (`Medication/123` or an absolute URL).
 */
export function unresolvedMedicationReferences(resources: readonly unknown[]): string[] {
  const list = Array.isArray(resources) ? resources : [];
  const index = indexResources(list);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const resource of list) {
    if (!isObject(resource) || (resource.resourceType !== 'MedicationRequest' && resource.resourceType !== 'MedicationStatement')) continue;
    if (isEnteredInError(resource.status)) continue;
    const reference = resource.medicationReference;
    if (!isObject(reference) || resolveReference(reference, index, resource, ['Medication'])) continue;
    const value = text(reference.reference);
    const key = referenceKey(value);
    if (!value || key?.type !== 'Medication' || seen.has(value)) continue;
    seen.add(value);
    out.push(value);
  }
  return out;
}

function medicationName(
  record: JsonObject,
  index: ResourceIndex,
): { name: string; source: MedicationNameSource; unresolved: boolean; form?: string } {
  const coded = conceptLabel(record.medicationCodeableConcept, [CODE_SYSTEMS.rxnorm, CODE_SYSTEMS.ndc]);
  if (coded) return { name: coded.text, source: coded.source, unresolved: false };
  const reference = isObject(record.medicationReference) ? record.medicationReference : undefined;
  if (!reference) return { name: UNSPECIFIED_MEDICATION, source: 'unavailable', unresolved: false };
  const medication = resolveReference(reference, index, record, ['Medication']);
  if (medication) {
    const form = conceptLabel(medication.form, [CODE_SYSTEMS.snomed])?.text;
    const label = conceptLabel(medication.code, [CODE_SYSTEMS.rxnorm, CODE_SYSTEMS.ndc]);
    if (label) return { name: label.text, source: label.source, unresolved: false, ...(form ? { form } : {}) };
    // A compounded Medication may have no code: its ingredients name it.
    const ingredients = objects(medication.ingredient)
      .map((ingredient) => conceptLabel(ingredient.itemCodeableConcept, [CODE_SYSTEMS.rxnorm])?.text ?? referenceLabel(ingredient.itemReference, index, medication))
      .filter((name): name is string => name !== undefined);
    if (ingredients.length > 0) return { name: ingredients.join(' / '), source: 'display', unresolved: false, ...(form ? { form } : {}) };
    const display = text(reference.display);
    return display ? { name: display, source: 'reference', unresolved: false, ...(form ? { form } : {}) } : { name: MEDICATION_DETAILS_UNAVAILABLE, source: 'unavailable', unresolved: false };
  }
  const display = text(reference.display);
  return display ? { name: display, source: 'reference', unresolved: true } : { name: MEDICATION_DETAILS_UNAVAILABLE, source: 'unavailable', unresolved: true };
}

// ---------------------------------------------------------------------------
// Dosage (FHIR R4 Dosage)

/** The dose to show for a list of Dosage, and the route of the first. */
export function dosageText(dosages: unknown, locale: string): { text?: string; route?: string; routeInText: boolean } {
  const list = objects(dosages)
    .map((dosage, index) => ({ dosage, index, sequence: typeof dosage.sequence === 'number' ? dosage.sequence : Infinity }))
    .sort((a, b) => a.sequence - b.sequence || a.index - b.index)
    .map(({ dosage }) => dosage);
  const route = list.map((dosage) => conceptLabel(dosage.route, [CODE_SYSTEMS.snomed])?.text).find(Boolean);
  let routeInText = false;
  const parts = list
    .map((dosage) => {
      const given = text(dosage.text);
      if (given) return given;
      const built = buildDosage(dosage, locale);
      if (built.routeInText) routeInText = true;
      return built.text;
    })
    .filter((part): part is string => part !== undefined && part !== '');
  const unique = [...new Set(parts)];
  const joined = unique.join('; ');
  // The prescriber's text often says the route already ("Take 1 tablet by mouth"): not twice.
  const phrase = list.map((dosage) => routePhrase(dosage.route)).find(Boolean);
  if (route && (joined.toLowerCase().includes(route.toLowerCase()) || (phrase !== undefined && joined.toLowerCase().includes(phrase)))) routeInText = true;
  return { ...(unique.length ? { text: joined } : {}), ...(route ? { route } : {}), routeInText };
}

const COUNTABLE_UNITS = new Set([
  'tablet', 'capsule', 'puff', 'drop', 'patch', 'spray', 'suppository', 'lozenge', 'unit', 'application', 'actuation', 'dose', 'vial',
  'ampule', 'inhalation', 'sachet', 'packet', 'teaspoon', 'tablespoon', 'pill', 'injection', 'film', 'strip', 'pen',
]);

// UCUM annotations and units used for doses, as words.
const UNIT_WORDS: Readonly<Record<string, string>> = {
  '{tbl}': 'tablet', '{tablet}': 'tablet', '{tab}': 'tablet', '{capsule}': 'capsule', '{cap}': 'capsule', '{puff}': 'puff',
  '{drop}': 'drop', '[drp]': 'drop', '{patch}': 'patch', '{spray}': 'spray', '{actuat}': 'actuation', '{application}': 'application',
  '[iU]': 'IU', '[IU]': 'IU', U: 'unit',
};

// Routes as a clinician writes them in a sig: SNOMED CT route codes (US Core), HL7 v3 RouteOfAdministration, then words.
const ROUTE_PHRASES_BY_CODE: Readonly<Record<string, string>> = {
  '26643006': 'by mouth', PO: 'by mouth',
  '37839007': 'under the tongue', SL: 'under the tongue',
  '34206005': 'under the skin', SQ: 'under the skin', SC: 'under the skin',
  '78421000': 'into the muscle', IM: 'into the muscle',
  '47625008': 'intravenously', IV: 'intravenously',
  '6064005': 'to the skin',
  '18679011000001101': 'by inhalation', '447694001': 'by inhalation', IPINHL: 'by inhalation', ORINHL: 'by inhalation',
  '37161004': 'rectally', PR: 'rectally',
  '46713006': 'in the nose', NASINHL: 'in the nose',
  '54485002': 'in the eye', OPTHALTA: 'in the eye',
  '10547007': 'in the ear', OTIC: 'in the ear',
  '45890007': 'through the skin', TRNSDERM: 'through the skin',
  '16857009': 'vaginally',
};
const ROUTE_PHRASES_BY_WORD: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(oral|by mouth|po)\b/i, 'by mouth'],
  [/sublingual/i, 'under the tongue'],
  [/subcutaneous/i, 'under the skin'],
  [/intramuscular/i, 'into the muscle'],
  [/intravenous/i, 'intravenously'],
  [/topical|cutaneous/i, 'to the skin'],
  [/inhal|respiratory/i, 'by inhalation'],
  [/rectal/i, 'rectally'],
  [/nasal/i, 'in the nose'],
  [/ophthalmic/i, 'in the eye'],
  [/otic|auricular/i, 'in the ear'],
  [/transdermal/i, 'through the skin'],
  [/vaginal/i, 'vaginally'],
];

// HL7 v3 GTSAbbreviation (Timing.code).
const TIMING_CODES: Readonly<Record<string, string>> = {
  QD: 'once daily', BID: 'twice daily', TID: 'three times daily', QID: 'four times daily', QOD: 'every other day',
  AM: 'every morning', PM: 'every afternoon', BED: 'at bedtime', WK: 'once weekly', MO: 'once monthly',
  Q1H: 'every hour', Q2H: 'every 2 hours', Q3H: 'every 3 hours', Q4H: 'every 4 hours', Q6H: 'every 6 hours', Q8H: 'every 8 hours',
};

// FHIR R4 event-timing (Timing.repeat.when).
const WHEN: Readonly<Record<string, string>> = {
  MORN: 'in the morning', 'MORN.early': 'early in the morning', 'MORN.late': 'late in the morning', NOON: 'at noon',
  AFT: 'in the afternoon', 'AFT.early': 'early in the afternoon', 'AFT.late': 'late in the afternoon', EVE: 'in the evening',
  'EVE.early': 'early in the evening', 'EVE.late': 'late in the evening', NIGHT: 'at night', PHS: 'after sleep', HS: 'at bedtime',
  WAKE: 'on waking', C: 'with meals', CM: 'with breakfast', CD: 'with lunch', CV: 'with dinner', AC: 'before meals',
  ACM: 'before breakfast', ACD: 'before lunch', ACV: 'before dinner', PC: 'after meals', PCM: 'after breakfast', PCD: 'after lunch',
  PCV: 'after dinner',
};

const PERIOD_UNITS: Readonly<Record<string, readonly [string, string, string]>> = {
  // [singular, plural, adverb for "once <adverb>"]
  s: ['second', 'seconds', 'every second'],
  min: ['minute', 'minutes', 'every minute'],
  h: ['hour', 'hours', 'hourly'],
  d: ['day', 'days', 'daily'],
  wk: ['week', 'weeks', 'weekly'],
  mo: ['month', 'months', 'monthly'],
  a: ['year', 'years', 'yearly'],
};

const DAYS: Readonly<Record<string, string>> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

function buildDosage(dosage: JsonObject, locale: string): { text?: string; routeInText: boolean } {
  const dose = doseText(dosage, locale);
  const route = routePhrase(dosage.route);
  const timing = timingText(dosage.timing, locale);
  const asNeeded =
    dosage.asNeededBoolean === true
      ? 'as needed'
      : isObject(dosage.asNeededCodeableConcept)
        ? `as needed${conceptLabel(dosage.asNeededCodeableConcept, [CODE_SYSTEMS.snomed]) ? ` for ${lowerFirst(conceptLabel(dosage.asNeededCodeableConcept, [CODE_SYSTEMS.snomed])!.text)}` : ''}`
        : undefined;
  const extra = objects(dosage.additionalInstruction)
    .map((instruction) => conceptLabel(instruction, [CODE_SYSTEMS.snomed])?.text)
    .filter((instruction): instruction is string => instruction !== undefined)
    .map(lowerFirst);
  const parts = [dose, route, timing, asNeeded, ...extra].filter((part): part is string => part !== undefined && part !== '');
  if (parts.length === 0 || (dose === undefined && timing === undefined && asNeeded === undefined)) {
    // A route alone is not a dose: leave it to the route field.
    return { routeInText: false };
  }
  return { text: parts.join(' '), routeInText: route !== undefined };
}

function doseText(dosage: JsonObject, locale: string): string | undefined {
  for (const entry of objects(dosage.doseAndRate)) {
    if (isObject(entry.doseQuantity)) {
      const value = entry.doseQuantity.value;
      if (typeof value === 'number' && Number.isFinite(value)) {
        const unit = doseUnit(entry.doseQuantity, value !== 1);
        const number = formatNumber(value, locale, { maximumFractionDigits: 4 });
        return unit ? `${number} ${unit}` : number;
      }
    }
    if (isObject(entry.doseRange)) {
      const low = isObject(entry.doseRange.low) ? entry.doseRange.low : undefined;
      const high = isObject(entry.doseRange.high) ? entry.doseRange.high : undefined;
      const format = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? formatNumber(value, locale, { maximumFractionDigits: 4 }) : undefined);
      const lowValue = format(low?.value);
      const highValue = format(high?.value);
      const unit = doseUnit(high ?? low ?? {}, true);
      if (lowValue && highValue) return `${lowValue}–${highValue}${unit ? ` ${unit}` : ''}`;
      if (highValue) return `up to ${highValue}${unit ? ` ${unit}` : ''}`;
      if (lowValue) return `at least ${lowValue}${unit ? ` ${unit}` : ''}`;
    }
  }
  return undefined;
}

function doseUnit(quantity: JsonObject, plural: boolean): string | undefined {
  const unitText = text(quantity.unit);
  const code = text(quantity.code);
  const word = unitText ?? (code ? (UNIT_WORDS[code] ?? code) : undefined);
  if (!word) return undefined;
  const singular = UNIT_WORDS[word] ?? word;
  return plural && COUNTABLE_UNITS.has(singular.toLowerCase()) ? `${singular}s` : singular;
}

function routePhrase(route: unknown): string | undefined {
  if (!isObject(route)) return undefined;
  for (const coding of objects(route.coding)) {
    const phrase = ROUTE_PHRASES_BY_CODE[text(coding.code) ?? ''];
    if (phrase) return phrase;
  }
  const label = conceptLabel(route)?.text;
  return label ? ROUTE_PHRASES_BY_WORD.find(([pattern]) => pattern.test(label))?.[1] : undefined;
}

function timingText(timing: unknown, locale: string): string | undefined {
  if (!isObject(timing)) return undefined;
  const coded = objects(isObject(timing.code) ? timing.code.coding : undefined)
    .map((coding) => TIMING_CODES[text(coding.code)?.toUpperCase() ?? ''])
    .find(Boolean);
  const repeat = isObject(timing.repeat) ? timing.repeat : undefined;
  const parts: string[] = [];
  const frequency = coded ?? (repeat ? frequencyText(repeat, locale) : undefined) ?? (isObject(timing.code) ? text(timing.code.text) : undefined);
  if (frequency) parts.push(frequency);
  if (repeat) {
    const days = (Array.isArray(repeat.dayOfWeek) ? repeat.dayOfWeek : []).map((day) => DAYS[String(day)]).filter(Boolean);
    if (days.length) parts.push(`on ${days.join(', ')}`);
    const times = (Array.isArray(repeat.timeOfDay) ? repeat.timeOfDay : [])
      .map((time) => (typeof time === 'string' && /^\d{2}:\d{2}/.test(time) ? time.slice(0, 5) : undefined))
      .filter(Boolean);
    if (times.length) parts.push(`at ${times.join(', ')}`);
    const when = (Array.isArray(repeat.when) ? repeat.when : []).map((code) => WHEN[String(code)]).filter(Boolean);
    if (when.length) parts.push(when.join(' and '));
    const duration = isObject(repeat.boundsDuration) ? durationText(repeat.boundsDuration, locale) : undefined;
    if (duration) parts.push(`for ${duration}`);
    else if (typeof repeat.count === 'number' && repeat.count > 0 && !frequency) parts.push(repeat.count === 1 ? 'once' : `${repeat.count} times`);
  }
  return parts.length ? parts.join(' ') : undefined;
}

function frequencyText(repeat: JsonObject, locale: string): string | undefined {
  const unit = typeof repeat.periodUnit === 'string' ? PERIOD_UNITS[repeat.periodUnit] : undefined;
  const period = typeof repeat.period === 'number' && repeat.period > 0 ? repeat.period : undefined;
  if (!unit || period === undefined) return undefined;
  const frequency = typeof repeat.frequency === 'number' && repeat.frequency > 0 ? repeat.frequency : 1;
  const frequencyMax = typeof repeat.frequencyMax === 'number' && repeat.frequencyMax > frequency ? repeat.frequencyMax : undefined;
  const periodMax = typeof repeat.periodMax === 'number' && repeat.periodMax > period ? repeat.periodMax : undefined;
  const number = (value: number) => formatNumber(value, locale, { maximumFractionDigits: 2 });
  if (frequency === 1 && frequencyMax === undefined) {
    if (period === 1 && periodMax === undefined) return unit[2] === 'hourly' ? 'every hour' : `once ${unit[2]}`;
    if (period === 2 && periodMax === undefined && unit[0] === 'day') return 'every other day';
    return `every ${number(period)}${periodMax ? `–${number(periodMax)}` : ''} ${unit[1]}`;
  }
  const times = frequencyMax ? `${number(frequency)}–${number(frequencyMax)} times` : frequency === 2 ? 'twice' : frequency === 3 ? 'three times' : frequency === 4 ? 'four times' : `${number(frequency)} times`;
  if (period === 1 && periodMax === undefined) return `${times} ${unit[2] === 'hourly' ? 'an hour' : unit[2]}`;
  return `${times} every ${number(period)}${periodMax ? `–${number(periodMax)}` : ''} ${unit[1]}`;
}

function durationText(duration: JsonObject, locale: string): string | undefined {
  if (typeof duration.value !== 'number' || !Number.isFinite(duration.value)) return undefined;
  const code = text(duration.code) ?? text(duration.unit);
  const unit = code ? PERIOD_UNITS[code] : undefined;
  if (unit) return `${formatNumber(duration.value, locale)} ${duration.value === 1 ? unit[0] : unit[1]}`;
  return quantityText(duration, locale);
}

function lowerFirst(value: string): string {
  // "Pain" -> "pain", but an acronym ("GERD") stays as written.
  return /^[A-Z][a-z]/.test(value) ? value[0]!.toLowerCase() + value.slice(1) : value;
}

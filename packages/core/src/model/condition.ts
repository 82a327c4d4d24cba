import type { Condition } from '@medplum/fhirtypes';
import { resolveLocale } from '../format/locale.js';
import {
  clinicalDate,
  CODE_SYSTEMS,
  compareNewestFirst,
  compareText,
  conceptCodes,
  conceptLabel,
  dateSortKey,
  formatNumber,
  indexResources,
  negationOf,
  referenceLabel,
  splitNegations,
  statusCodeOrWords,
  type NegationCodes,
  type NegationKind,
  type NegationSummary,
  type ClinicalDateView,
  type ConceptLabelSource,
  type ResourceIndex,
} from './codeable.js';
import { isObject, objects, text, type JsonObject } from './read.js';

/** FHIR R4 condition-clinical. */
export type ConditionClinicalStatus = 'active' | 'recurrence' | 'relapse' | 'inactive' | 'remission' | 'resolved';
/** FHIR R4 condition-ver-status. */
export type ConditionVerificationStatus = 'unconfirmed' | 'provisional' | 'differential' | 'confirmed' | 'refuted' | 'entered-in-error';

/**
 * Where a condition is listed: `active` (active, recurrence, relapse), `resolved`
 * (inactive, remission, resolved, or abated without a status), `refuted`, `unknown` (no
 * clinical status and no abatement), or `entered-in-error` (never shown).
 */
export type ConditionGroup = 'active' | 'resolved' | 'refuted' | 'unknown' | 'entered-in-error';

/** When a condition began or ended, in the form the record gives it. */
export interface ConditionTimeView {
  /** `dateTime`, `age`, `period`, `range`, `string` (free text), `boolean` (STU3 abatementBoolean). */
  readonly kind: 'dateTime' | 'age' | 'period' | 'range' | 'string' | 'boolean';
  /** For people: "Aug 10, 2016", "at age 45", "Mar 2010 – Jun 2010", "at age 40–45", "Childhood". Empty for `boolean`. */
  readonly text: string;
  /** The date, for `dateTime`. */
  readonly date?: ClinicalDateView;
}

export interface ConditionView {
  /** The Condition as given. */
  readonly resource: Condition;
  /** A key unique within the list (the id, else the position). */
  readonly key: string;
  /** "Type 2 diabetes mellitus"; a bare code ("ICD-10-CM E11.9"); "Unspecified condition" when there is no code at all. */
  readonly name: string;
  /** Where the name came from; `none` when there is no code at all. */
  readonly nameSource: ConceptLabelSource | 'none';
  readonly group: ConditionGroup;
  readonly clinicalStatus?: { readonly code: ConditionClinicalStatus; readonly label: string };
  /** Present when the verification status is not `confirmed`: "Provisional", "Differential", "Unconfirmed", "Refuted". */
  readonly verification?: { readonly code: ConditionVerificationStatus; readonly label: string };
  /** US Core categories: "Problem list", "Encounter diagnosis", "Health concern", or the category's own text. */
  readonly categories: readonly { readonly code?: string; readonly label: string }[];
  /** "Mild", "Moderate", "Severe". */
  readonly severity?: string;
  readonly bodySites: readonly string[];
  readonly onset?: ConditionTimeView;
  /** How the condition ended, with its verb: "Resolved Jun 2018", "In remission since 2019", "Resolved at age 12". */
  readonly abatement?: ConditionTimeView & { readonly label: string };
  /**
   * A record that contradicts itself, to be shown as such: "Active, but an end date is
   * recorded" (R4 con-4: an abated condition must be inactive, resolved or in remission).
   */
  readonly inconsistency?: string;
  readonly recorded?: ClinicalDateView;
  /** Who recorded it (Condition.recorder). */
  readonly recorder?: string;
  /** Who asserted it (Condition.asserter), when it is someone other than the recorder. */
  readonly asserter?: string;
  /** The onset as epoch milliseconds, for sorting; undefined when the onset has no date. */
  readonly onsetSortKey?: number;
  /** A negation record ("No current problems or disability", IPS `no-known-problems`) rather than a condition. */
  readonly negation?: NegationKind;
}

export interface ConditionListView extends NegationSummary<ConditionView> {
  /** Active, recurrence and relapse: newest onset first, unknown onset last. */
  readonly active: readonly ConditionView[];
  /** Inactive, in remission, resolved. */
  readonly resolved: readonly ConditionView[];
  /** Verification status refuted: shown apart, labelled. */
  readonly refuted: readonly ConditionView[];
  /** No clinical status and no abatement: shown, never guessed into a group. */
  readonly unknown: readonly ConditionView[];
  /** Conditions shown (all groups); negation records are not conditions and are not counted. */
  readonly count: number;
  /** Conditions entered in error: never shown (FHIR R4 Condition.verificationStatus). */
  readonly enteredInError: number;
  /** Conditions left out by the category filter. */
  readonly filteredOut: number;
}

export interface ConditionViewOptions {
  /** BCP 47 locale for dates. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /** Resources to resolve recorder and asserter references against (e.g. search includes). */
  readonly index?: ResourceIndex;
}

export interface ConditionListOptions {
  readonly locale?: string;
  /**
   * Category codes to keep (`problem-list-item`, `encounter-diagnosis`, `health-concern`,
   * any system). Empty or absent: every category.
   */
  readonly categories?: readonly string[];
}

/** The list's statement when a record in force says there are no problems (and no condition in force says otherwise). */
export const NO_KNOWN_PROBLEMS = 'No known problems';
/** The list's statement when a record says nothing is known about problems (IPS `no-problem-info`). */
export const NO_INFORMATION_ABOUT_PROBLEMS = 'No information about problems';

// IPS Problems section: absent-unknown-uv-ips, or SNOMED CT 160245001 |No current problems or disability|.
const NEGATION_CODES: NegationCodes = { snomed: ['160245001'], noKnown: ['no-known-problems'], noInformation: ['no-problem-info'] };

/** Shown when a Condition has no code, text or display at all. */
export const UNSPECIFIED_CONDITION = 'Unspecified condition';

const CLINICAL: readonly ConditionClinicalStatus[] = ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'];
const VERIFICATION: readonly ConditionVerificationStatus[] = ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'];
const CLINICAL_SYSTEMS = ['http://terminology.hl7.org/CodeSystem/condition-clinical'];
const VERIFICATION_SYSTEMS = ['http://terminology.hl7.org/CodeSystem/condition-ver-status'];

const CLINICAL_LABELS: Readonly<Record<ConditionClinicalStatus, string>> = {
  active: 'Active',
  recurrence: 'Recurrence',
  relapse: 'Relapse',
  inactive: 'Inactive',
  remission: 'In remission',
  resolved: 'Resolved',
};

const VERIFICATION_LABELS: Readonly<Record<ConditionVerificationStatus, string>> = {
  unconfirmed: 'Unconfirmed',
  provisional: 'Provisional',
  differential: 'Differential',
  confirmed: 'Confirmed',
  refuted: 'Refuted',
  'entered-in-error': 'Entered in error',
};

// US Core condition categories (condition-category and us-core-condition-category code systems).
const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  'problem-list-item': 'Problem list',
  'encounter-diagnosis': 'Encounter diagnosis',
  'health-concern': 'Health concern',
};

// UCUM units of an Age (FHIR R4 Age: system UCUM, code a | mo | wk | d | h | min).
const AGE_UNITS: Readonly<Record<string, readonly [string, string]>> = {
  a: ['year', 'years'],
  mo: ['month', 'months'],
  wk: ['week', 'weeks'],
  d: ['day', 'days'],
  h: ['hour', 'hours'],
  min: ['minute', 'minutes'],
};

/**
 * A Condition for a clinical list, following FHIR R4 Condition and US Core. Pure and
 * total: any element may be missing or malformed and a view still comes back.
 *
 * - Name: `code.text`, else a coding display (SNOMED CT first, then ICD-10-CM), else a
 *   bare code, else "Unspecified condition".
 * - Group: FHIR R4 Condition.verificationStatus `entered-in-error` is never shown and
 *   `refuted` is listed apart; otherwise Condition.clinicalStatus decides (active,
 *   recurrence, relapse: active; inactive, remission, resolved: resolved). With no
 *   clinical status, an abatement means resolved (R4 con-4); with neither, `unknown`.
 * - An active condition with an abatement breaks R4 con-4: it stays active (the safe
 *   reading) and carries an `inconsistency` to show ("Active, but an end date is recorded").
 * - Onset and abatement keep the form they were given in: a partial date stays partial,
 *   an Age reads "at age 45", free text is shown as written.
 */
export function toConditionView(condition: Condition, options: ConditionViewOptions = {}, position = 0): ConditionView {
  const record: JsonObject = isObject(condition) ? condition : {};
  const locale = resolveLocale(options.locale);
  const index = options.index ?? new Map<string, JsonObject>();

  const label = conceptLabel(record.code, [CODE_SYSTEMS.snomed, CODE_SYSTEMS.icd10cm, CODE_SYSTEMS.icd10]);
  // Codings first, else the text as words ("Entered in Error") or an STU3 bare code string.
  const clinical = statusCodeOrWords(record.clinicalStatus, CLINICAL, CLINICAL_SYSTEMS);
  const verification = statusCodeOrWords(record.verificationStatus, VERIFICATION, VERIFICATION_SYSTEMS);
  const onset = timeView(record, 'onset', locale);
  const abatementTime = timeView(record, 'abatement', locale);
  // STU3 abatementBoolean false says it has not abated: there is nothing to show.
  const abated = abatementTime !== undefined && !(abatementTime.kind === 'boolean' && record.abatementBoolean !== true);

  let group: ConditionGroup;
  if (verification === 'entered-in-error') group = 'entered-in-error';
  else if (verification === 'refuted') group = 'refuted';
  else if (clinical === 'active' || clinical === 'recurrence' || clinical === 'relapse') group = 'active';
  else if (clinical !== undefined || abated) group = 'resolved';
  else group = 'unknown';

  const negation = negationOf(record.code, NEGATION_CODES);
  const recorder = referenceLabel(record.recorder, index, record);
  const asserter = referenceLabel(record.asserter, index, record);
  const severity = conceptLabel(record.severity, [CODE_SYSTEMS.snomed])?.text;
  const recorded = clinicalDate(record.recordedDate, locale);
  const id = text(record.id);

  return {
    resource: condition,
    key: id ? `Condition/${id}` : `#${position}`,
    name: label?.text ?? UNSPECIFIED_CONDITION,
    nameSource: label?.source ?? 'none',
    group,
    ...(clinical ? { clinicalStatus: { code: clinical, label: CLINICAL_LABELS[clinical] } } : {}),
    ...(verification && verification !== 'confirmed' ? { verification: { code: verification, label: VERIFICATION_LABELS[verification] } } : {}),
    categories: categoriesOf(record.category),
    ...(severity ? { severity } : {}),
    bodySites: objects(record.bodySite)
      .map((site) => conceptLabel(site, [CODE_SYSTEMS.snomed])?.text)
      .filter((site): site is string => site !== undefined),
    ...(onset ? { onset } : {}),
    ...(abated ? { abatement: { ...abatementTime, label: abatementLabel(abatementTime, clinical) } } : {}),
    ...(abated && clinical === 'active'
      ? { inconsistency: abatementTime.kind === 'boolean' ? 'Active, but recorded as abated' : 'Active, but an end date is recorded' }
      : {}),
    ...(recorded ? { recorded } : {}),
    ...(recorder ? { recorder } : {}),
    ...(asserter && asserter !== recorder ? { asserter } : {}),
    ...(onset ? definedKey(onsetSortKey(record)) : {}),
    ...(negation ? { negation } : {}),
  };
}

/**
 * A patient's Conditions grouped for a list (see {@link toConditionView}), each group
 * sorted by onset, newest first, conditions without a dated onset last (then by recorded
 * date, newest first, then by name). Other resources in `resources` resolve references.
 */
export function toConditionList(resources: readonly unknown[], options: ConditionListOptions = {}): ConditionListView {
  const list = Array.isArray(resources) ? resources : [];
  const index = indexResources(list);
  const wanted = (options.categories ?? []).map((code) => code.trim().toLowerCase()).filter(Boolean);
  const groups: Record<Exclude<ConditionGroup, 'entered-in-error'>, ConditionView[]> = { active: [], resolved: [], refuted: [], unknown: [] };
  let enteredInError = 0;
  let filteredOut = 0;
  list.forEach((resource, position) => {
    if (!isObject(resource) || resource.resourceType !== 'Condition') return;
    const view = toConditionView(resource as unknown as Condition, { locale: options.locale, index }, position);
    if (view.group === 'entered-in-error') {
      enteredInError += 1;
      return;
    }
    if (wanted.length > 0 && !objects(resource.category).some((category) => conceptCodes(category).some((code) => wanted.includes(code)))) {
      filteredOut += 1;
      return;
    }
    groups[view.group].push(view);
  });
  const locale = resolveLocale(options.locale);
  // A negation in force (active, or with no status) is the list's statement, not a problem;
  // an active or unknown-status condition contradicts it (see splitNegations).
  const isNegation = (view: ConditionView) => view.negation !== undefined;
  const negations = [...groups.active, ...groups.unknown].filter(isNegation);
  groups.active = groups.active.filter((view) => !isNegation(view));
  groups.unknown = groups.unknown.filter((view) => !isNegation(view));
  for (const group of Object.values(groups)) sortConditions(group, locale);
  sortConditions(negations, locale);
  const statements = splitNegations(negations, (view) => view.negation, groups.active.length + groups.unknown.length);
  const count = groups.active.length + groups.resolved.length + groups.refuted.length + groups.unknown.length;
  return { ...groups, ...statements, count, enteredInError, filteredOut };
}

function sortConditions(views: ConditionView[], locale: string): void {
  // Keys computed once per condition, not once per comparison.
  const keyed = views.map((view) => ({ view, onset: view.onsetSortKey, recorded: sortKeyOf(view.recorded) }));
  keyed.sort(
    (a, b) => compareNewestFirst(a.onset, b.onset) || compareNewestFirst(a.recorded, b.recorded) || compareText(a.view.name, b.view.name, locale),
  );
  keyed.forEach((entry, position) => (views[position] = entry.view));
}

function sortKeyOf(date: ClinicalDateView | undefined): number | undefined {
  return date ? dateSortKey(date.value) : undefined;
}

function definedKey(value: number | undefined): { onsetSortKey?: number } {
  return value === undefined ? {} : { onsetSortKey: value };
}

function onsetSortKey(record: JsonObject): number | undefined {
  if (typeof record.onsetDateTime === 'string') return dateSortKey(record.onsetDateTime);
  if (isObject(record.onsetPeriod)) return dateSortKey(record.onsetPeriod.start) ?? dateSortKey(record.onsetPeriod.end);
  return undefined;
}

function categoriesOf(value: unknown): { code?: string; label: string }[] {
  const seen = new Set<string>();
  const out: { code?: string; label: string }[] = [];
  for (const category of objects(value)) {
    const code = conceptCodes(category).find((candidate) => CATEGORY_LABELS[candidate] !== undefined);
    const label = code ? CATEGORY_LABELS[code]! : conceptLabel(category)?.text;
    if (!label || seen.has(label)) continue;
    seen.add(label);
    out.push(code ? { code, label } : { label });
  }
  return out;
}

/** Condition.onset[x] or Condition.abatement[x], in the form it was given. */
function timeView(record: JsonObject, prefix: 'onset' | 'abatement', locale: string): ConditionTimeView | undefined {
  const dateTime = record[`${prefix}DateTime`];
  if (dateTime !== undefined) {
    const date = clinicalDate(dateTime, locale);
    if (date) return { kind: 'dateTime', text: date.display, date };
  }
  const age = ageText(record[`${prefix}Age`], locale);
  if (age) return { kind: 'age', text: `at age ${age}` };
  const period = record[`${prefix}Period`];
  if (isObject(period)) {
    const start = clinicalDate(period.start, locale)?.display;
    const end = clinicalDate(period.end, locale)?.display;
    const span = start && end ? (start === end ? start : `${start} – ${end}`) : (start ?? (end ? `by ${end}` : undefined));
    if (span) return { kind: 'period', text: span };
  }
  const range = record[`${prefix}Range`];
  if (isObject(range)) {
    const low = ageText(range.low, locale);
    const high = ageText(range.high, locale);
    const span = low && high ? `at age ${ageRangeText(range.low, range.high, locale)}` : low ? `from age ${low}` : high ? `by age ${high}` : undefined;
    if (span) return { kind: 'range', text: span };
  }
  const free = text(record[`${prefix}String`]);
  if (free) return { kind: 'string', text: free };
  if (prefix === 'abatement' && typeof record.abatementBoolean === 'boolean') return { kind: 'boolean', text: '' };
  return undefined;
}

/** "45" (years are implied, as clinicians say "at age 45"; `years: true` spells them), "6 months", "3 weeks". */
function ageText(quantity: unknown, locale: string, years = false): string | undefined {
  if (!isObject(quantity) || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value) || quantity.value < 0) return undefined;
  const value = quantity.value;
  const number = formatNumber(value, locale, { maximumFractionDigits: 1 });
  const code = text(quantity.code);
  const unitText = text(quantity.unit)?.toLowerCase();
  const unit =
    (code && AGE_UNITS[code]) ??
    (unitText && /^(y|yr|yrs|year|years)$/.test(unitText) ? AGE_UNITS.a : undefined) ??
    (unitText && /^(mo|mos|month|months)$/.test(unitText) ? AGE_UNITS.mo : undefined) ??
    (unitText && /^(wk|wks|week|weeks)$/.test(unitText) ? AGE_UNITS.wk : undefined) ??
    (unitText && /^(d|day|days)$/.test(unitText) ? AGE_UNITS.d : undefined);
  if (unit === AGE_UNITS.a && !years) return number;
  if (unit) return `${number} ${value === 1 ? unit[0] : unit[1]}`;
  return unitText ? `${number} ${text(quantity.unit)}` : number;
}

/** "40–45" when both ends are in years; otherwise each end with its unit: "6 months–2 years". */
function ageRangeText(low: unknown, high: unknown, locale: string): string {
  const lowText = ageText(low, locale)!;
  const highText = ageText(high, locale)!;
  const bothYears = /^[\d.,\s]+$/.test(lowText) && /^[\d.,\s]+$/.test(highText);
  return bothYears ? `${lowText}–${highText}` : `${ageText(low, locale, true)}–${ageText(high, locale, true)}`;
}

function abatementLabel(time: ConditionTimeView, clinical: ConditionClinicalStatus | undefined): string {
  // R4 con-4: "If condition is abated, then clinicalStatus must be either inactive, resolved,
  // or remission". An active condition with an abatement breaks it: it stays listed as
  // active (the safe reading) and its end is only said to be recorded, never "Resolved".
  if (clinical === 'active') return time.kind === 'boolean' ? 'Recorded as abated' : time.kind === 'string' ? `End recorded: ${time.text}` : `End recorded ${time.text}`;
  const verb =
    clinical === 'remission' ? 'In remission' : clinical === 'inactive' ? 'Inactive' : clinical === 'recurrence' || clinical === 'relapse' ? 'Previously resolved' : 'Resolved';
  switch (time.kind) {
    case 'boolean':
      return verb;
    case 'string':
      return `${verb}: ${time.text}`;
    case 'dateTime':
      return clinical === 'remission' || clinical === 'inactive' ? `${verb} since ${time.text}` : `${verb} ${time.text}`;
    default:
      return `${verb} ${time.text}`;
  }
}

import type { Immunization } from '@medplum/fhirtypes';
import { resolveLocale } from '../format/locale.js';
import {
  clinicalDate,
  CODE_SYSTEMS,
  compareNewestFirst,
  compareText,
  conceptLabel,
  dateSortKey,
  indexResources,
  referenceLabel,
  negationOf,
  splitNegations,
  wordsAsCode,
  type NegationCodes,
  type NegationKind,
  type NegationSummary,
  type ClinicalDateView,
  type ConceptLabelSource,
  type ResourceIndex,
} from './codeable.js';
import { isObject, objects, text, type JsonObject } from './read.js';

/** FHIR R4 immunization-status, or `unknown` when the record has none of its codes. */
export type ImmunizationStatus = 'completed' | 'not-done' | 'entered-in-error' | 'unknown';

export interface ImmunizationView {
  /** The Immunization as given. */
  readonly resource: Immunization;
  /** A key unique within the list. */
  readonly key: string;
  /** "Influenza, seasonal, injectable"; a bare code ("CVX 140"); "Unspecified vaccine" when there is no code at all. */
  readonly name: string;
  readonly nameSource: ConceptLabelSource | 'none';
  /** Groups doses of one vaccine: the CVX code when given, else the name. */
  readonly vaccineKey: string;
  readonly status: ImmunizationStatus;
  /** "Not given" for `not-done`; "Status unknown" when there is no known status; absent for `completed`. */
  readonly statusLabel?: string;
  /** Why it was not given (Immunization.statusReason): "Patient objection". */
  readonly statusReason?: string;
  /** occurrenceDateTime (partial stays partial), else occurrenceString as written. */
  readonly date?: { readonly text: string; readonly date?: ClinicalDateView };
  /** "Dose 2 of 3", "Dose 2", "Booster" (protocolApplied.doseNumber[x] / seriesDoses[x]). */
  readonly dose?: string;
  /** protocolApplied.series: "Hep B 3-dose series". */
  readonly series?: string;
  readonly lotNumber?: string;
  /** "Left arm". */
  readonly site?: string;
  /** "Intramuscular". */
  readonly route?: string;
  /** Who gave it: administering provider first. */
  readonly performers: readonly string[];
  /** Where it was given (Immunization.location). */
  readonly location?: string;
  readonly manufacturer?: string;
  /** FHIR R4 Immunization.isSubpotent: the dose does not count (a partial dose, a cold-chain failure); "Subpotent". */
  readonly subpotent: boolean;
  /** True when `primarySource` is false: reported by someone other than who gave it. */
  readonly reported: boolean;
  /** Immunization.reportOrigin: "Parent", "Written record". */
  readonly reportOrigin?: string;
  /** The occurrence as epoch milliseconds, for sorting. */
  readonly sortKey?: number;
  /** A negation record (IPS `no-known-immunizations`, `no-immunization-info`) rather than a dose. */
  readonly negation?: NegationKind;
}

export interface ImmunizationListView extends NegationSummary<ImmunizationView> {
  /** Every immunization shown, newest first, undated last (negation records are apart). */
  readonly items: readonly ImmunizationView[];
  /** Immunizations shown (given, not given, unknown status). */
  readonly count: number;
  /** Of those, the ones not given (`not-done`). */
  readonly notGiven: number;
  /** Entered in error: never shown. */
  readonly enteredInError: number;
}

/** All doses of one vaccine, for `group-by="vaccine"`. */
export interface ImmunizationGroupView {
  readonly key: string;
  /** The vaccine's name, from its most recent dose. */
  readonly name: string;
  /** Newest first. */
  readonly items: readonly ImmunizationView[];
  /** Valid doses given (not counting `not-done` or subpotent doses). */
  readonly given: number;
  /** Doses given but subpotent (FHIR R4 Immunization.isSubpotent): they do not count. */
  readonly subpotent: number;
  /** The most recent dated valid dose given (never a subpotent one), when there is one. */
  readonly latest?: ClinicalDateView;
}

export interface ImmunizationViewOptions {
  /** BCP 47 locale for dates. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /** Resources to resolve performer, location and manufacturer references against. */
  readonly index?: ResourceIndex;
}

/** The list's statement when a record says the patient has had no immunization (and no dose given says otherwise). */
export const NO_KNOWN_IMMUNIZATIONS = 'No known immunizations';
/** The list's statement when a record says nothing is known about immunizations (IPS `no-immunization-info`). */
export const NO_INFORMATION_ABOUT_IMMUNIZATIONS = 'No information about immunizations';

// IPS Immunizations section: absent-unknown-uv-ips.
const NEGATION_CODES: NegationCodes = { snomed: [], noKnown: ['no-known-immunizations'], noInformation: ['no-immunization-info'] };

/** Shown when an Immunization has no vaccine code, text or display at all. */
export const UNSPECIFIED_VACCINE = 'Unspecified vaccine';

const STATUSES: readonly ImmunizationStatus[] = ['completed', 'not-done', 'entered-in-error'];
// HL7 v2 table 0443: AP = administering provider, OP = ordering provider.
const ADMINISTERING = 'AP';

/**
 * An Immunization's status as R4 reads it (immunization-status), from whichever version
 * the server speaks: R4 `status`; STU3 `notGiven: true` and DSTU2 `wasNotGiven: true`
 * (their status stayed `completed`) are R4's `not-done`. Entered in error wins over both.
 */
export function immunizationStatus(immunization: unknown): ImmunizationStatus {
  const record: JsonObject = isObject(immunization) ? immunization : {};
  const written = text(record.status);
  const code = written ? wordsAsCode(written) : undefined;
  if (code === 'entered-in-error') return code;
  if (record.notGiven === true || record.wasNotGiven === true) return 'not-done';
  return code && (STATUSES as readonly string[]).includes(code) ? (code as ImmunizationStatus) : 'unknown';
}

/** Why a dose was not given: R4 statusReason, else STU3/DSTU2 explanation.reasonNotGiven. */
export function notGivenReason(immunization: unknown): string | undefined {
  const record: JsonObject = isObject(immunization) ? immunization : {};
  const reason = conceptLabel(record.statusReason)?.text;
  if (reason) return reason;
  const explanation = isObject(record.explanation) ? record.explanation : undefined;
  return explanation ? objects(explanation.reasonNotGiven).map((concept) => conceptLabel(concept)?.text).find(Boolean) : undefined;
}

/**
 * An Immunization for a list, following FHIR R4 Immunization and US Core. Pure and
 * total: anything may be missing or malformed.
 *
 * - Name: `vaccineCode.text`, else a display (CVX first, then NDC), else a bare code.
 * - FHIR R4 Immunization.status: `not-done` is shown as "Not given" with its
 *   statusReason; `entered-in-error` is never shown.
 * - FHIR R4 Immunization.primarySource false: the record was reported, not documented
 *   by whoever gave the vaccine ("Reported").
 */
export function toImmunizationView(immunization: Immunization, options: ImmunizationViewOptions = {}, position = 0): ImmunizationView {
  const record: JsonObject = isObject(immunization) ? immunization : {};
  const locale = resolveLocale(options.locale);
  const index = options.index ?? new Map<string, JsonObject>();
  const label = conceptLabel(record.vaccineCode, [CODE_SYSTEMS.cvx, CODE_SYSTEMS.ndc]);
  const name = label?.text ?? UNSPECIFIED_VACCINE;
  const negation = negationOf(record.vaccineCode, NEGATION_CODES);
  const cvx = isObject(record.vaccineCode)
    ? objects(record.vaccineCode.coding)
        .filter((coding) => typeof coding.system === 'string' && (CODE_SYSTEMS.cvx as readonly string[]).includes(coding.system))
        .map((coding) => text(coding.code))
        .find(Boolean)
    : undefined;
  const status = immunizationStatus(record);
  const statusReason = notGivenReason(record);

  const occurrence = clinicalDate(record.occurrenceDateTime, locale);
  const occurrenceText = text(record.occurrenceString);
  const date = occurrence ? { text: occurrence.display, date: occurrence } : occurrenceText ? { text: occurrenceText } : undefined;

  const protocol = objects(record.protocolApplied)[0];
  const dose = protocol ? doseText(protocol) : undefined;
  const series = protocol ? text(protocol.series) : undefined;

  const performers = objects(record.performer)
    .map((performer, order) => ({
      label: referenceLabel(performer.actor, index, record),
      rank: objects(isObject(performer.function) ? performer.function.coding : undefined).some((coding) => coding.code === ADMINISTERING) ? 0 : 1,
      order,
    }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((performer) => performer.label)
    .filter((label): label is string => label !== undefined);

  const site = conceptLabel(record.site)?.text;
  const route = conceptLabel(record.route, [CODE_SYSTEMS.snomed])?.text;
  const location = referenceLabel(record.location, index, record);
  const manufacturer = referenceLabel(record.manufacturer, index, record);
  const lotNumber = text(record.lotNumber);
  const reportOrigin = conceptLabel(record.reportOrigin)?.text;
  const id = text(record.id);
  const sortKey = occurrence ? dateSortKey(occurrence.value) : undefined;

  return {
    resource: immunization,
    key: id ? `Immunization/${id}` : `#${position}`,
    name,
    nameSource: label?.source ?? 'none',
    vaccineKey: cvx ? `cvx:${cvx.replace(/^0+(?=\d)/, '')}` : `name:${name.toLowerCase()}`,
    status,
    ...(status === 'not-done' ? { statusLabel: 'Not given' } : status === 'unknown' ? { statusLabel: 'Status unknown' } : {}),
    ...(statusReason ? { statusReason: upperFirst(statusReason) } : {}),
    ...(date ? { date } : {}),
    ...(dose ? { dose } : {}),
    ...(series ? { series } : {}),
    ...(lotNumber ? { lotNumber } : {}),
    ...(site ? { site: upperFirst(site) } : {}),
    ...(route ? { route } : {}),
    performers: [...new Set(performers)],
    ...(location ? { location } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    subpotent: status !== 'not-done' && record.isSubpotent === true,
    // FHIR R4: primarySource is a boolean; only an explicit false means reported.
    reported: record.primarySource === false,
    ...(reportOrigin ? { reportOrigin } : {}),
    ...(sortKey !== undefined ? { sortKey } : {}),
    ...(negation ? { negation } : {}),
  };
}

/**
 * A patient's Immunizations for a list (see {@link toImmunizationView}), newest first,
 * undated last (then by recorded date and name). Other resources in `resources`
 * (Practitioners, Locations, Organizations) resolve references.
 */
export function toImmunizationList(resources: readonly unknown[], options: { readonly locale?: string } = {}): ImmunizationListView {
  const list = Array.isArray(resources) ? resources : [];
  const index = indexResources(list);
  const items: ImmunizationView[] = [];
  let enteredInError = 0;
  list.forEach((resource, position) => {
    if (!isObject(resource) || resource.resourceType !== 'Immunization') return;
    const view = toImmunizationView(resource as unknown as Immunization, { locale: options.locale, index }, position);
    if (view.status === 'entered-in-error') enteredInError += 1;
    else items.push(view);
  });
  const locale = resolveLocale(options.locale);
  // Keys computed once per immunization, not once per comparison.
  const keyed = items.map((view) => ({ view, recorded: dateSortKey(view.resource.recorded) }));
  keyed.sort(
    (a, b) => compareNewestFirst(a.view.sortKey, b.view.sortKey) || compareNewestFirst(a.recorded, b.recorded) || compareText(a.view.name, b.view.name, locale),
  );
  keyed.forEach((entry, position) => (items[position] = entry.view));
  // A negation is the list's statement, not a dose; a dose given (or of unknown status)
  // contradicts it, a dose not given does not (see splitNegations).
  const doses = items.filter((item) => item.negation === undefined);
  const inForce = (item: ImmunizationView) => item.status !== 'not-done';
  const statements = splitNegations(items.filter((item) => item.negation !== undefined && inForce(item)), (item) => item.negation, doses.filter(inForce).length);
  const shown = items.filter((item) => item.negation === undefined || !inForce(item));
  return { items: shown, ...statements, count: shown.length, notGiven: shown.filter((item) => item.status === 'not-done').length, enteredInError };
}

/**
 * Immunizations grouped by vaccine (CVX code, else name): groups ordered by their most
 * recent dose, newest first, undated last; doses in each newest first.
 */
export function groupImmunizationsByVaccine(items: readonly ImmunizationView[], options: { readonly locale?: string } = {}): ImmunizationGroupView[] {
  const locale = resolveLocale(options.locale);
  const groups = new Map<string, ImmunizationView[]>();
  for (const item of items) {
    const group = groups.get(item.vaccineKey);
    if (group) group.push(item);
    else groups.set(item.vaccineKey, [item]);
  }
  const out = [...groups.entries()].map(([key, doses]) => {
    const sorted = [...doses].sort((a, b) => compareNewestFirst(a.sortKey, b.sortKey));
    // FHIR R4 Immunization.isSubpotent: "the dose is considered to be subpotent", so it does
    // not count towards the series: neither a dose given nor the latest valid dose.
    const valid = (dose: ImmunizationView) => dose.status !== 'not-done' && !dose.subpotent;
    const latest = sorted.find((dose) => valid(dose) && dose.date?.date)?.date?.date;
    const subpotent = sorted.filter((dose) => dose.status !== 'not-done' && dose.subpotent).length;
    return {
      key,
      name: sorted[0]!.name,
      items: sorted,
      given: sorted.filter(valid).length,
      subpotent,
      ...(latest ? { latest } : {}),
      sortKey: sorted[0]!.sortKey,
    };
  });
  out.sort((a, b) => compareNewestFirst(a.sortKey, b.sortKey) || compareText(a.name, b.name, locale));
  return out.map(({ sortKey: _sortKey, ...group }) => group);
}

function doseText(protocol: JsonObject): string | undefined {
  // R4 protocolApplied.doseNumber[x] is positiveInt or string; seriesDoses[x] likewise.
  const number = typeof protocol.doseNumberPositiveInt === 'number' ? String(protocol.doseNumberPositiveInt) : text(protocol.doseNumberString);
  const of = typeof protocol.seriesDosesPositiveInt === 'number' ? String(protocol.seriesDosesPositiveInt) : text(protocol.seriesDosesString);
  if (!number) return undefined;
  const numeric = /^\d+$/.test(number);
  if (!numeric) return upperFirst(number);
  return of ? `Dose ${number} of ${of}` : `Dose ${number}`;
}

function upperFirst(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

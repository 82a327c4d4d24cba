// Laboratory results for people: FHIR R4 Observations (US Core Laboratory Result
// Observation) grouped by the DiagnosticReport (US Core DiagnosticReport for Laboratory
// Results Reporting) or panel Observation they belong to, newest first, each with its
// value, reference range, flag, status and dates, and a trend per analyte. Pure and total:
// any element may be missing or malformed and a view still comes back; it never throws.
import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { resolveLocale } from '../format/locale.js';
import { compareText, conceptLabel, referenceKey, referenceLabel, resolveReference, type ResourceIndex } from './codeable.js';
import { buildLabTrend, type LabTrend } from './labs-trends.js';
import {
  labFlag,
  labFormat,
  labRange,
  labValue,
  type LabDateView,
  type LabFlagView,
  type LabFormat,
  type LabPatientFacts,
  type LabRangeView,
  type LabValueContext,
  type LabValueView,
} from './labs-values.js';
import { RESULT_STATUS_LABELS, resultStatus, type ResultStatus } from './observation-value.js';
import { isObject, objects, text, type JsonObject } from './read.js';
import { observationCategories } from './timeline-observations.js';
import { basicUnitConverter, type UnitConverter } from './units.js';

export type { LabTrend, LabTrendGap, LabTrendPoint, LabTrendStanding } from './labs-trends.js';
export type { LabDateView, LabFlagView, LabPatientFacts, LabRangeView, LabValueKind, LabValueView } from './labs-values.js';

/** One laboratory result (one Observation). */
export interface LabResultView {
  /** Unique in the view: `Observation/<id>`, or the containing report's key and `#<id>` for a contained result. */
  readonly key: string;
  /** The Observation as the server sent it. */
  readonly resource: Observation;
  /** What was measured, for people (see {@link toLabsView} for the fallbacks). */
  readonly name: string;
  /** Where the name came from: the code's text, a coding's display, the report's reference display, a bare code, or nothing. */
  readonly nameSource: 'text' | 'display' | 'reference' | 'code' | 'none';
  /** The LOINC code, when the result has one. */
  readonly loinc?: string;
  /** The analyte results are trended by: `loinc:<code>`, else `name:<normalised name>`. */
  readonly analyteKey: string;
  readonly value: LabValueView;
  readonly range?: LabRangeView;
  readonly flag?: LabFlagView;
  /** Observation.status as given (`preliminary`, `corrected`, `cancelled`...). */
  readonly status?: ResultStatus;
  /** Words for a status that needs saying ("Preliminary", "Corrected", "Cancelled"); absent for final. */
  readonly statusLabel?: string;
  /** effective[x]: when the specimen was collected or the test done. */
  readonly date?: LabDateView;
  /** `issued`: when the result was released. */
  readonly issued?: LabDateView;
  /** Epoch milliseconds to order by: effective[x], else issued. */
  readonly time?: number;
  /** Who performed it: the lab (an Organization performer first), else the first performer named. */
  readonly performer?: string;
  /** Observation.note texts. */
  readonly notes: readonly string[];
}

/** A run of results inside a panel; `name` is set for the members of a nested panel Observation. */
export interface LabSection {
  readonly name?: string;
  /** The panel Observation (hasMember) the section comes from. */
  readonly resource?: Observation;
  readonly results: readonly LabResultView[];
}

/**
 * A document of a report (FHIR R4 DiagnosticReport.presentedForm, an Attachment): what it
 * is, and where it is (a url or inline data). Nothing is fetched: the element decides what
 * may be linked.
 */
export interface LabAttachmentView {
  /** Attachment.title, else "Report document". */
  readonly title: string;
  /** Attachment.contentType as given ("application/pdf"). */
  readonly contentType?: string;
  /** Attachment.url as given (absolute, or relative to the FHIR server: `Binary/123`). */
  readonly url?: string;
  /** Attachment.data (base64), when the document is inline. */
  readonly data?: string;
  /** The words of inline text/plain data, decoded (UTF-8). */
  readonly text?: string;
  /** Attachment.size in bytes. */
  readonly size?: number;
  /** Attachment.creation. */
  readonly creation?: LabDateView;
}

/** How a panel was formed: a DiagnosticReport, a panel Observation (hasMember), or results that stand alone, grouped by date. */
export type LabPanelKind = 'report' | 'panel' | 'standalone';

/** Results shown together: a report, a panel, or results taken at the same time. */
export interface LabPanelView {
  /** Unique in the view: `DiagnosticReport/<id>`, `Observation/<id>`, or `standalone:<date>`. */
  readonly key: string;
  readonly kind: LabPanelKind;
  /** The DiagnosticReport or panel Observation. */
  readonly resource?: DiagnosticReport | Observation;
  /** "Complete blood count", or for standalone results their names ("Glucose, Hemoglobin A1c"). */
  readonly name: string;
  /** What panels of the same kind share, for "the latest of each": the panel's code, or its analytes. */
  readonly kindKey: string;
  /** The panel's LOINC code, when it has one. */
  readonly loinc?: string;
  /** The report's effective[x], else its results' date. */
  readonly date?: LabDateView;
  /** The report's `issued` (for standalone results, theirs when they share it). */
  readonly issued?: LabDateView;
  /** Epoch milliseconds to order by (newest first). */
  readonly time?: number;
  readonly status?: ResultStatus;
  /** "Preliminary", "Corrected", "Cancelled"...; absent for final. */
  readonly statusLabel?: string;
  /** The lab that issued the report. */
  readonly performer?: string;
  /** DiagnosticReport.conclusion. */
  readonly conclusion?: string;
  /** DiagnosticReport.conclusionCode, for people. */
  readonly conclusionCodes: readonly string[];
  /** DiagnosticReport.presentedForm: the report as a document (a PDF, text), with or without results. */
  readonly attachments: readonly LabAttachmentView[];
  readonly sections: readonly LabSection[];
  /** Every result of the panel, in order. */
  readonly results: readonly LabResultView[];
  /** Results the report lists that are not in the record at hand (their reference display, else the reference). */
  readonly unavailable: readonly string[];
  /** Results flagged abnormal (any non-normal flag but critical). */
  readonly abnormal: number;
  /** Results flagged critical (HH, LL, AA). */
  readonly critical: number;
}

export interface LabsView {
  /** Newest first; undated panels last. */
  readonly panels: readonly LabPanelView[];
  /** One trend per analyte (by {@link LabResultView.analyteKey}). */
  readonly trends: ReadonlyMap<string, LabTrend>;
  /** Results shown (each Observation once, wherever it is listed). */
  readonly resultCount: number;
  /** Observations and reports left out as entered-in-error. */
  readonly excluded: number;
  /**
   * Unit pairs the converter could not answer (with {@link basicUnitConverter}: any pair off
   * its fast paths). Build the view again with a UCUM converter (`loadUnitConverter()`).
   */
  readonly pendingConversions: readonly { readonly from: string; readonly to: string }[];
}

export interface LabsViewOptions {
  /** BCP 47 locale for numbers and dates. Default: the document's `lang`, else en-US. */
  readonly locale?: string;
  /** Converts units for trends and range comparisons. Default {@link basicUnitConverter}. */
  readonly converter?: UnitConverter;
  /** The patient's birth date and sex, to pick age- and sex-specific ranges. Default: the Patient among the resources. */
  readonly patient?: LabPatientFacts;
}

const LOINC_SYSTEMS = ['http://loinc.org', 'urn:oid:2.16.840.1.113883.6.1'];
const LOINC_PATTERN = /^\d{1,8}-\d$/;
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
// HL7 v2 table 0074 diagnostic service sections that are laboratory sections; US Core lab
// reports use LAB, and some servers send the section (HM, CH, MB...) instead or as well.
const LAB_SECTIONS = new Set(['LAB', 'BG', 'BLB', 'CG', 'CH', 'CP', 'GE', 'HM', 'IMM', 'MB', 'MCB', 'MYC', 'OSL', 'SP', 'SR', 'TX', 'VR']);
/** Nested panels are followed this deep at most (a hasMember cycle stops earlier). */
const MAX_DEPTH = 4;
const UNNAMED = 'Unnamed test';

/** The LOINC code of a concept, when it has one (a coding of system LOINC, or a LOINC-shaped code with no system). */
export function loincCode(concept: unknown): string | undefined {
  if (!isObject(concept)) return undefined;
  for (const coding of objects(concept.coding)) {
    const code = token(coding.code);
    if (code === undefined) continue;
    const system = token(coding.system);
    if (system !== undefined ? LOINC_SYSTEMS.includes(system) : LOINC_PATTERN.test(code)) return code;
  }
  return undefined;
}

/** True when a DiagnosticReport is a laboratory report (category LAB, or a laboratory section, of HL7 v2 table 0074). */
export function isLabReport(report: unknown): boolean {
  if (!isObject(report) || report.resourceType !== 'DiagnosticReport') return false;
  return objects(report.category).some((concept) =>
    objects(concept.coding).some((coding) => {
      const system = text(coding.system);
      const code = text(coding.code)?.toUpperCase();
      return code !== undefined && (system === undefined || system === V2_0074) && LAB_SECTIONS.has(code);
    }),
  );
}

/** True when an Observation is in the `laboratory` category (FHIR R4 observation-category, US Core). */
export function isLabObservation(observation: unknown): boolean {
  return isObject(observation) && observation.resourceType === 'Observation' && observationCategories(observation).includes('laboratory');
}

/** A trimmed string, undefined when empty: ids, codes and references (nothing to collapse, and cheaper than `text`). */
function token(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function normalisedName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Build {
  readonly context: LabValueContext;
  readonly index: ResourceIndex;
  readonly facts: LabPatientFacts | undefined;
  /** Result views by Observation object, so a result listed twice is one view. */
  readonly views: Map<JsonObject, LabResultView>;
  /** Reference displays of report results, by Observation object: a name of last resort. */
  readonly displays: Map<JsonObject, string>;
  /** Observations shown in some panel. */
  readonly used: Set<JsonObject>;
  /** The date of the panel a result is first shown in, for results without their own. */
  readonly panelTime: Map<LabResultView, number>;
  /** Performer labels by reference and display. */
  readonly performers: Map<string, string | undefined>;
}

/** Who performed a test or issued a report: an Organization (the lab) first, else the first performer that can be named. */
function performerOf(performers: unknown, build: Build, container: JsonObject): string | undefined {
  const references = objects(performers);
  if (references.length === 0) return undefined;
  // Labels repeat across thousands of results (one lab): kept by reference and display.
  const cacheKey = references.length === 1 && !String(references[0]!.reference ?? '').startsWith('#') ? `${references[0]!.reference}\u0000${references[0]!.display}` : undefined;
  if (cacheKey !== undefined && build.performers.has(cacheKey)) return build.performers.get(cacheKey);
  const { index } = build;
  const organization = references.find((reference) => {
    const key = referenceKey(reference.reference);
    return key?.type === 'Organization' || resolveReference(reference, index, container)?.resourceType === 'Organization';
  });
  let label: string | undefined;
  for (const reference of organization ? [organization, ...references] : references) {
    label = referenceLabel(reference, index, container);
    if (label) break;
  }
  if (cacheKey !== undefined) build.performers.set(cacheKey, label);
  return label;
}

/** A result's name and where it came from (see {@link toLabsView} for the order). */
function nameOf(observation: JsonObject, build: Build): { name: string; nameSource: LabResultView['nameSource']; loinc?: string } {
  const code = observation.code;
  const given = isObject(code) ? text(code.text) : undefined;
  if (given) {
    // The common case, read without ranking codings: CodeableConcept.text is what the lab named it.
    const loinc = loincCode(code);
    return loinc ? { name: given, nameSource: 'text', loinc } : { name: given, nameSource: 'text' };
  }
  const label = conceptLabel(code, [LOINC_SYSTEMS]);
  const display = build.displays.get(observation);
  const loinc = loincCode(observation.code);
  const base = loinc ? { loinc } : {};
  if (label && label.source !== 'code') return { name: label.text, nameSource: label.source, ...base };
  if (display) return { name: display, nameSource: 'reference', ...base };
  if (label) return { name: loinc && label.code === loinc ? `LOINC ${loinc}` : label.text, nameSource: 'code', ...base };
  return { name: UNNAMED, nameSource: 'none', ...base };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EMPTY_NOTES: readonly string[] = Object.freeze([]);

function resultView(observation: JsonObject, key: string, build: Build): LabResultView {
  const known = build.views.get(observation);
  if (known) return known;
  const { format } = build.context;
  const { name, nameSource, loinc } = nameOf(observation, build);
  const period = isObject(observation.effectivePeriod) ? observation.effectivePeriod : undefined;
  const date =
    format.date(observation.effectiveDateTime) ?? format.date(period?.start) ?? format.date(period?.end) ?? format.date(observation.effectiveInstant);
  const issued = format.date(observation.issued);
  const value = labValue(observation, format);
  const range = labRange(observation, value, build.facts, date?.value ?? issued?.value, format);
  const flag = labFlag(observation, value, range, build.context);
  const status = resultStatus(observation.status);
  const performer = performerOf(observation.performer, build, observation);
  const notes = Array.isArray(observation.note)
    ? objects(observation.note)
        .map((note) => text(note.text))
        .filter((note): note is string => note !== undefined)
    : EMPTY_NOTES;
  // Assigned field by field: this runs for every result of a record, and spreading
  // optional fields allocates an object per field.
  const view: Mutable<LabResultView> = {
    key,
    resource: observation as unknown as Observation,
    name,
    nameSource,
    analyteKey: loinc ? `loinc:${loinc}` : `name:${normalisedName(name)}`,
    value,
    notes,
  };
  if (loinc) view.loinc = loinc;
  if (range) view.range = range;
  if (flag) view.flag = flag;
  if (status) view.status = status;
  if (status && status !== 'final') view.statusLabel = RESULT_STATUS_LABELS[status];
  if (date) view.date = date;
  if (issued) view.issued = issued;
  const time = date?.time ?? issued?.time;
  if (time !== undefined) view.time = time;
  if (performer) view.performer = performer;
  build.views.set(observation, view);
  return view;
}

/** A panel Observation only groups its members (FHIR R4 Observation.hasMember) when it has no value of its own. */
function isGrouper(observation: JsonObject, format: LabFormat): boolean {
  return objects(observation.hasMember).length > 0 && labValue(observation, format).kind === 'none';
}

interface Resolver {
  /** The Observation a reference points to, its key, and whether it was entered in error. */
  (reference: unknown, container: JsonObject, containerKey: string): { observation: JsonObject; key: string; excluded: boolean } | undefined;
}

/**
 * The sections of a panel from its list of result references: each Observation is a
 * result; a grouper (hasMember, no value) becomes a named section of its members.
 */
function sectionsOf(
  references: JsonObject[],
  container: JsonObject,
  containerKey: string,
  build: Build,
  resolve: Resolver,
  unavailable: string[],
): LabSection[] {
  const sections: LabSection[] = [];
  let loose: LabResultView[] = [];
  const seen = new Set<JsonObject>([container]);
  const flush = () => {
    if (loose.length) sections.push({ results: loose });
    loose = [];
  };
  const visit = (reference: JsonObject, holder: JsonObject, holderKey: string, depth: number, into: LabResultView[]) => {
    const found = resolve(reference, holder, holderKey);
    if (!found) {
      unavailable.push(text(reference.display) ?? text(reference.reference) ?? 'A result without a reference');
      return;
    }
    if (found.excluded || seen.has(found.observation)) return;
    seen.add(found.observation);
    build.used.add(found.observation);
    const members = objects(found.observation.hasMember);
    if (members.length > 0 && depth < MAX_DEPTH) {
      const grouper = isGrouper(found.observation, build.context.format);
      const own: LabResultView[] = grouper ? [] : [resultView(found.observation, found.key, build)];
      for (const member of members) visit(member, found.observation, found.key, depth + 1, own);
      if (depth === 0) {
        flush();
        // A grouper is a heading, not a result: its name heads its members.
        const { name } = nameOf(found.observation, build);
        if (own.length) sections.push({ name, resource: found.observation as unknown as Observation, results: own });
      } else {
        into.push(...own);
      }
      return;
    }
    into.push(resultView(found.observation, found.key, build));
  };
  for (const reference of references) visit(reference, container, containerKey, 0, loose);
  flush();
  return sections;
}

function countFlags(results: readonly LabResultView[]): { abnormal: number; critical: number } {
  let abnormal = 0;
  let critical = 0;
  for (const result of results) {
    const severity = result.flag?.severity;
    if (severity === 'critical') critical++;
    else if (severity === 'abnormal') abnormal++;
  }
  return { abnormal, critical };
}

function panelDateOf(results: readonly LabResultView[]): LabDateView | undefined {
  // The earliest collection among the results: when the panel was drawn.
  let earliest: LabResultView | undefined;
  for (const result of results) {
    if (result.date && result.time !== undefined && (earliest?.time === undefined || result.time < earliest.time)) earliest = result;
  }
  return earliest?.date;
}

/**
 * Laboratory results grouped for people, newest first:
 *
 * - **Reports.** A laboratory DiagnosticReport (category LAB, or a lab section of HL7 v2
 *   table 0074) is a panel: its `result` references, in the report's order, are its rows
 *   (contained results too). Its name is the code's text or display, its date effective[x]
 *   (else issued), its status labelled when not final; `conclusion` is kept. A result the
 *   report lists but the record does not hold is named in `unavailable`.
 * - **Panel Observations.** An Observation with `hasMember` groups its members: inside a
 *   report as a named section; alone as a panel. Without a value of its own it is a heading,
 *   not a result row.
 * - **Standalone results.** Laboratory Observations in no report or panel are grouped by
 *   their exact effective time (results drawn together), named after their analytes.
 * - FHIR R4 Observation.status / DiagnosticReport.status `entered-in-error`: left out and
 *   counted in `excluded`; `cancelled` is shown as such. Later copies of a resource (same id)
 *   replace earlier ones.
 * - Result names: the code's text, else a LOINC display, else any display, else the
 *   report's reference display, else "LOINC <code>", else "Unnamed test".
 * - Each result's value, reference range, flag (the interpretation, else derived from the
 *   range), dates, lab and notes: see labs-values.ts. Trends per analyte: labs-trends.ts.
 */
export function toLabsView(resources: unknown, options: LabsViewOptions = {}): LabsView {
  const locale = resolveLocale(options.locale);
  const converter = options.converter ?? basicUnitConverter;
  const pending = new Map<string, { from: string; to: string }>();
  const format = labFormat(locale);
  const context: LabValueContext = { format, converter, pending };
  const list = Array.isArray(resources) ? resources : [];

  // Later copies of a resource (same id) replace earlier ones, as an update would.
  // One pass, with cheap reads: this runs over every resource of a record.
  const index = new Map<string, JsonObject>();
  const observations = new Map<string, JsonObject>();
  const reports = new Map<string, JsonObject>();
  let anonymous = 0;
  let facts = options.patient;
  for (const resource of list) {
    if (!isObject(resource)) continue;
    const type = resource.resourceType;
    if (typeof type !== 'string') continue;
    const id = token(resource.id);
    if (id) index.set(`${type}/${id}`, resource);
    if (type === 'Observation') observations.set(id ? `Observation/${id}` : `Observation#${++anonymous}`, resource);
    else if (type === 'DiagnosticReport') reports.set(id ? `DiagnosticReport/${id}` : `DiagnosticReport#${++anonymous}`, resource);
    else if (type === 'Patient' && !facts) {
      facts = { ...(text(resource.birthDate) ? { birthDate: text(resource.birthDate) } : {}), ...(text(resource.gender) ? { gender: text(resource.gender) } : {}) };
    }
  }
  const keyOf = new Map<JsonObject, string>();
  const labs = new Set<JsonObject>();
  for (const [key, observation] of observations) {
    keyOf.set(observation, key);
    if (isLabObservation(observation)) labs.add(observation);
  }

  const build: Build = { context, index, facts, views: new Map(), displays: new Map(), used: new Set(), panelTime: new Map(), performers: new Map() };
  let excluded = 0;
  const excludedSeen = new Set<JsonObject>();
  const isExcluded = (resource: JsonObject) => {
    if (resource.status !== 'entered-in-error') return false;
    if (!excludedSeen.has(resource)) {
      excludedSeen.add(resource);
      excluded++;
    }
    return true;
  };

  const resolve: Resolver = (reference, container, containerKey) => {
    if (!isObject(reference)) return undefined;
    const value = token(reference.reference) ?? '';
    // Resources taken straight out of a transaction bundle (Synthea) still point at each
    // other by `urn:uuid:<id>`; the id of the resource is that uuid.
    // The common case first: a relative `Observation/<id>` reference to a resource at hand.
    const direct = value.startsWith('Observation/') ? observations.get(value) : undefined;
    const found =
      direct ??
      resolveReference(reference, index, container, ['Observation']) ??
      (value.startsWith('urn:uuid:') ? observations.get(`Observation/${value.slice('urn:uuid:'.length)}`) : undefined);
    if (!found) return undefined;
    // A contained result is known by its container's key; a resource by the copy that won.
    const key = value.startsWith('#') ? `${containerKey}${value}` : (keyOf.get(found) ?? `Observation/${token(found.id)}`);
    const observation = value.startsWith('#') ? found : (observations.get(key) ?? found);
    const display = text(reference.display);
    if (display && !build.displays.has(observation)) build.displays.set(observation, display);
    return { observation, key, excluded: isExcluded(observation) };
  };

  const panels: LabPanelView[] = [];
  const addPanel = (panel: Omit<LabPanelView, 'results' | 'abnormal' | 'critical'>) => {
    const results = panel.sections.flatMap((section) => section.results);
    const panelTime = panel.time ?? results.find((result) => result.time !== undefined)?.time;
    if (panelTime !== undefined) for (const result of results) if (!build.panelTime.has(result)) build.panelTime.set(result, panelTime);
    panels.push({ ...panel, ...(panelTime !== undefined ? { time: panelTime } : {}), results, ...countFlags(results) });
  };

  // Reports first: their results belong to them.
  for (const [key, report] of reports) {
    if (!isLabReport(report) && !(objects(report.category).length === 0 && objects(report.result).some((reference) => {
      const found = resolve(reference, report, key);
      return found !== undefined && labs.has(found.observation);
    }))) continue;
    if (isExcluded(report)) continue;
    const unavailable: string[] = [];
    const sections = sectionsOf(objects(report.result), report, key, build, resolve, unavailable);
    const period = isObject(report.effectivePeriod) ? report.effectivePeriod : undefined;
    const effective = format.date(report.effectiveDateTime) ?? format.date(period?.start) ?? format.date(period?.end);
    const issued = format.date(report.issued);
    const date = effective ?? panelDateOf(sections.flatMap((section) => section.results)) ?? issued;
    const time = date?.time;
    const status = resultStatus(report.status);
    const label = conceptLabel(report.code, [LOINC_SYSTEMS]);
    const loinc = loincCode(report.code);
    const name = label?.text ?? 'Laboratory report';
    const performer = performerOf(report.performer, build, report);
    const conclusion = text(report.conclusion);
    addPanel({
      key,
      kind: 'report',
      resource: report as unknown as DiagnosticReport,
      name: label?.source === 'code' && loinc ? `LOINC ${loinc}` : name,
      kindKey: loinc ? `loinc:${loinc}` : `name:${normalisedName(name)}`,
      ...(loinc ? { loinc } : {}),
      ...(date ? { date } : {}),
      ...(issued ? { issued } : {}),
      ...(time !== undefined ? { time } : {}),
      ...(status ? { status } : {}),
      ...(status && status !== 'final' ? { statusLabel: RESULT_STATUS_LABELS[status] } : {}),
      ...(performer ? { performer } : {}),
      ...(conclusion ? { conclusion } : {}),
      conclusionCodes: objects(report.conclusionCode)
        .map((concept) => conceptLabel(concept)?.text)
        .filter((label): label is string => label !== undefined),
      attachments: objects(report.presentedForm)
        .map((attachment) => attachmentView(attachment, format))
        .filter((view): view is LabAttachmentView => view !== undefined),
      sections,
      unavailable,
    });
  }

  // Panel Observations outside reports, unless they are members of another panel.
  const members = new Set<JsonObject>();
  for (const [key, observation] of observations) {
    if (build.used.has(observation) || !labs.has(observation)) continue;
    for (const member of objects(observation.hasMember)) {
      const found = resolve(member, observation, key);
      if (found && found.observation !== observation) members.add(found.observation);
    }
  }
  for (const [key, observation] of observations) {
    if (build.used.has(observation) || members.has(observation) || !labs.has(observation)) continue;
    if (objects(observation.hasMember).length === 0 || isExcluded(observation)) continue;
    const unavailable: string[] = [];
    build.used.add(observation);
    const own = isGrouper(observation, format) ? [] : [resultView(observation, key, build)];
    const sections = sectionsOf(objects(observation.hasMember), observation, key, build, resolve, unavailable);
    // The panel's own value (if any) leads; its members follow, nested panels as named sections.
    if (own.length) {
      if (sections[0] && sections[0].name === undefined) sections[0] = { results: [...own, ...sections[0].results] };
      else sections.unshift({ results: own });
    }
    const { name, loinc } = nameOf(observation, build);
    const period = isObject(observation.effectivePeriod) ? observation.effectivePeriod : undefined;
    const date = [observation.effectiveDateTime, period?.start, period?.end, observation.effectiveInstant]
      .map((value) => format.date(value))
      .find((found) => found !== undefined) ?? panelDateOf(sections.flatMap((section) => section.results));
    const issued = format.date(observation.issued);
    const time = date?.time ?? issued?.time;
    const status = resultStatus(observation.status);
    const performer = performerOf(observation.performer, build, observation);
    addPanel({
      key,
      kind: 'panel',
      resource: observation as unknown as Observation,
      name,
      kindKey: loinc ? `loinc:${loinc}` : `name:${normalisedName(name)}`,
      ...(loinc ? { loinc } : {}),
      ...(date ? { date } : {}),
      ...(issued ? { issued } : {}),
      ...(time !== undefined ? { time } : {}),
      ...(status ? { status } : {}),
      ...(status && status !== 'final' ? { statusLabel: RESULT_STATUS_LABELS[status] } : {}),
      ...(performer ? { performer } : {}),
      conclusionCodes: [],
      attachments: [],
      sections,
      unavailable,
    });
  }

  // Standalone laboratory results, grouped by their exact clinical time.
  const groups = new Map<string, LabResultView[]>();
  for (const [key, observation] of observations) {
    if (build.used.has(observation) || !labs.has(observation) || isExcluded(observation)) continue;
    const view = resultView(observation, key, build);
    const groupKey = view.time === undefined ? 'undated' : `${view.time}|${view.date?.precision ?? view.issued?.precision ?? ''}`;
    const group = groups.get(groupKey);
    if (group) group.push(view);
    else groups.set(groupKey, [view]);
  }
  for (const [groupKey, results] of groups) {
    results.sort((a, b) => compareText(a.name, b.name, locale));
    const names = [...new Set(results.map((result) => result.name))];
    const name = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
    const first = results[0]!;
    const date = first.date ?? first.issued;
    // The lab that performed every result of the group, and when they were released, when they share them.
    const performer = results.every((result) => result.performer === first.performer) ? first.performer : undefined;
    const issued = results.every((result) => result.issued?.value === first.issued?.value) ? first.issued : undefined;
    addPanel({
      key: `standalone:${groupKey}`,
      kind: 'standalone',
      name,
      kindKey: `standalone:${[...new Set(results.map((result) => result.analyteKey))].sort().join('+')}`,
      ...(date ? { date } : {}),
      ...(first.time !== undefined ? { time: first.time } : {}),
      ...(performer ? { performer } : {}),
      ...(issued ? { issued } : {}),
      conclusionCodes: [],
      attachments: [],
      sections: [{ results }],
      unavailable: [],
    });
  }

  panels.sort((a, b) => {
    if (a.time !== b.time) {
      if (a.time === undefined) return 1;
      if (b.time === undefined) return -1;
      return b.time - a.time;
    }
    return compareText(a.name, b.name, locale);
  });

  // Trends: every result once, by analyte, newest first.
  const byAnalyte = new Map<string, LabResultView[]>();
  const unique = new Set<LabResultView>();
  for (const panel of panels) {
    for (const result of panel.results) {
      if (unique.has(result)) continue;
      unique.add(result);
      const list = byAnalyte.get(result.analyteKey);
      if (list) list.push(result);
      else byAnalyte.set(result.analyteKey, [result]);
    }
  }
  const timeOf = (result: LabResultView) => result.time ?? build.panelTime.get(result);
  const trends = new Map<string, LabTrend>();
  for (const [key, results] of byAnalyte) {
    results.sort((a, b) => (timeOf(b) ?? -Infinity) - (timeOf(a) ?? -Infinity));
    trends.set(key, buildLabTrend({ key, results, timeOf }, context));
  }

  return { panels, trends, resultCount: unique.size, excluded, pendingConversions: [...pending.values()] };
}

// ---------------------------------------------------------------------------
// Choosing what to show

/** Which panels to show: `all`, `latest` (the newest of each kind), or the newest N. */
export type LabPanelSelection = 'all' | 'latest' | number;

/** Reads a `panels` attribute: `all`, `latest` or a whole number; anything else is `all`. */
export function parseLabPanelSelection(value: unknown): LabPanelSelection {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : 'all';
  const trimmed = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (trimmed === 'latest') return 'latest';
  if (/^\d+$/.test(trimmed) && Number(trimmed) > 0) return Number(trimmed);
  return 'all';
}

/** Reads a `code` attribute: LOINC codes separated by commas or spaces (a `http://loinc.org|` prefix is allowed). */
export function parseLabCodes(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [
    ...new Set(
      value
        .split(/[\s,]+/)
        .map((code) => code.trim().replace(/^.*\|/, ''))
        .filter(Boolean),
    ),
  ];
}

export interface LabSelectionOptions {
  readonly panels?: LabPanelSelection;
  /** Only these LOINC codes: results with one of them, or whole panels whose code is one of them. */
  readonly codes?: readonly string[];
}

export interface LabSelection {
  /** The panels to show, newest first. */
  readonly panels: readonly LabPanelView[];
  /** Results in them (each Observation once). */
  readonly resultCount: number;
  /** Results of the view that the code filter leaves out. */
  readonly filteredOut: number;
}

/**
 * The panels to show under a selection: the code filter first (a panel whose own code is
 * listed is kept whole; otherwise only its listed results, and it is dropped when none
 * are left), then `all`, the newest N, or `latest`: the newest panel of each kind (same
 * report or panel code) and, for standalone results, the newest result of each analyte
 * not already shown in a newer panel.
 */
export function selectLabPanels(view: LabsView, options: LabSelectionOptions = {}): LabSelection {
  const codes = new Set(options.codes ?? []);
  let panels: LabPanelView[] = [...view.panels];
  if (codes.size > 0) {
    panels = panels
      .map((panel) => {
        if (panel.loinc && codes.has(panel.loinc)) return panel;
        const sections = panel.sections
          .map((section) => ({ ...section, results: section.results.filter((result) => result.loinc !== undefined && codes.has(result.loinc)) }))
          .filter((section) => section.results.length > 0);
        if (sections.length === 0) return undefined;
        const results = sections.flatMap((section) => section.results);
        return { ...panel, sections, results, ...countFlags(results) };
      })
      .filter((panel): panel is LabPanelView => panel !== undefined);
  }
  const filtered = countUnique(panels);

  const selection = options.panels ?? 'all';
  if (typeof selection === 'number') panels = panels.slice(0, selection);
  else if (selection === 'latest') {
    const kinds = new Set<string>();
    const analytes = new Set<string>();
    const latest: LabPanelView[] = [];
    for (const panel of panels) {
      if (panel.kind === 'standalone') {
        const results = panel.results.filter((result) => !analytes.has(result.analyteKey));
        if (results.length === 0) continue;
        for (const result of results) analytes.add(result.analyteKey);
        latest.push(results.length === panel.results.length ? panel : { ...panel, sections: [{ results }], results, ...countFlags(results) });
        continue;
      }
      if (kinds.has(panel.kindKey)) continue;
      kinds.add(panel.kindKey);
      for (const result of panel.results) analytes.add(result.analyteKey);
      latest.push(panel);
    }
    panels = latest;
  }
  return { panels, resultCount: countUnique(panels), filteredOut: view.resultCount - filtered };
}

const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

/** Base64 text decoded as UTF-8; undefined when it is not base64 or not UTF-8. */
function decodeBase64Text(data: string): string | undefined {
  if (!BASE64.test(data)) return undefined;
  try {
    const binary = atob(data.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * One presentedForm Attachment (FHIR R4 Attachment: contentType, data as base64Binary,
 * url, size, title, creation). Undefined when it holds neither data, a url nor a title.
 */
function attachmentView(attachment: JsonObject, format: LabFormat): LabAttachmentView | undefined {
  const title = text(attachment.title);
  const contentType = text(attachment.contentType);
  const url = text(attachment.url);
  const data = text(attachment.data);
  if (!title && !url && !data) return undefined;
  const size = typeof attachment.size === 'number' && Number.isFinite(attachment.size) && attachment.size >= 0 ? attachment.size : undefined;
  const creation = format.date(attachment.creation);
  // Only plain text is shown as words: its media type without parameters (charset) is text/plain.
  const plain = data !== undefined && contentType?.split(';')[0]!.trim().toLowerCase() === 'text/plain' ? decodeBase64Text(data) : undefined;
  return {
    title: title ?? 'Report document',
    ...(contentType ? { contentType } : {}),
    ...(url ? { url } : {}),
    ...(data ? { data } : {}),
    ...(plain !== undefined ? { text: plain } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(creation ? { creation } : {}),
  };
}

function countUnique(panels: readonly LabPanelView[]): number {
  const seen = new Set<string>();
  for (const panel of panels) for (const result of panel.results) seen.add(result.key);
  return seen.size;
}

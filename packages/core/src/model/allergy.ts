// The allergy model: AllergyIntolerance resources -> what a clinician must see, pure and
// total. Follows FHIR R4 AllergyIntolerance (with the R5 `provisional` / `differential`
// verification codes some servers already send) and US Core AllergyIntolerance.
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { formatFhirDate, parseFhirDate, type FhirDatePrecision } from '../format/fhir-date.js';
import { resolveLocale } from '../format/locale.js';
import {
  CODE_SYSTEMS,
  IPS_ABSENT_UNKNOWN,
  conceptLabel,
  dateSortKey,
  indexResources,
  referenceKey,
  referenceLabel,
  resolveReference,
  statusCode,
  type ResourceIndex,
} from './codeable.js';
import { isObject, objects, text, type JsonObject } from './read.js';
import { numberFormat } from '../format/number-format.js';

// ---------------------------------------------------------------------------
// Public types

/** AllergyIntolerance.category (R4 allergy-intolerance-category). */
export type AllergyCategory = 'food' | 'medication' | 'environment' | 'biologic';
/** AllergyIntolerance.criticality (R4 allergy-intolerance-criticality). */
export type AllergyCriticality = 'low' | 'high' | 'unable-to-assess';
/** AllergyIntolerance.clinicalStatus (R4 allergyintolerance-clinical). */
export type AllergyClinicalStatus = 'active' | 'inactive' | 'resolved';
/** AllergyIntolerance.verificationStatus (R4 allergyintolerance-verification, plus R5's kinds of unconfirmed). */
export type AllergyVerificationStatus = 'unconfirmed' | 'provisional' | 'differential' | 'confirmed' | 'refuted' | 'entered-in-error';
/** AllergyIntolerance.reaction.severity (R4 reaction-event-severity). */
export type ReactionSeverity = 'mild' | 'moderate' | 'severe';
/** AllergyIntolerance.type (R4 allergy-intolerance-type). */
export type AllergyType = 'allergy' | 'intolerance';

/**
 * How loudly a record must be shown. `life-threatening`: high criticality, a severe
 * reaction, or anaphylaxis. `caution`: any other allergy in force. `none`: not in force
 * (inactive, resolved, refuted) or not an allergy (a "no known allergies" record).
 */
export type AllergyAlertLevel = 'life-threatening' | 'caution' | 'none';
/** Why a record is life-threatening. */
export type AllergyAlertReason = 'anaphylaxis' | 'severe-reaction' | 'high-criticality';

/**
 * Where a record belongs. `active`: in force (clinicalStatus active, or missing);
 * `inactive`: inactive or resolved; `refuted`: verificationStatus refuted;
 * `entered-in-error`: never shown.
 */
export type AllergyGroup = 'active' | 'inactive' | 'refuted' | 'entered-in-error';

/**
 * What a record asserts. `allergy`: a propensity to react to a substance. `no-known`: a
 * negation ("No known allergies", "No known drug allergies"). `unknown`: the status was
 * not obtained ("Patient not asked", a null flavor): neither an allergy nor a negation.
 */
export type AllergyAssertion = 'allergy' | 'no-known' | 'unknown';

/** What a negation record says there is no known allergy to. */
export type NoKnownAllergyScope = 'all' | 'medication' | 'food' | 'environment' | 'insect' | 'animal' | 'latex';

/** A code with its label for people. */
export interface AllergyCodeLabel<T extends string> {
  readonly code: T;
  readonly label: string;
}

/** A clinical date as given (partial stays partial) and formatted. */
export interface AllergyDateView {
  /** The FHIR value as given, e.g. `2009` or `2021-10-25T11:09:00-05:00`. */
  readonly value: string;
  readonly precision: FhirDatePrecision;
  /** For people: "2009", "Apr 2009", "Oct 25, 2021". */
  readonly display: string;
}

/** AllergyIntolerance.onset[x], whichever form it was given in. */
export interface AllergyOnsetView {
  readonly kind: 'dateTime' | 'age' | 'period' | 'range' | 'string';
  /** "Oct 25, 2021", "At age 12 years", "Mar 2010 – Apr 2010", "Age 10–12 years", "As a teenager". */
  readonly display: string;
  /** The date for onsetDateTime (and the start of onsetPeriod), for `<time datetime>`. */
  readonly date?: AllergyDateView;
}

export interface AllergyReactionView {
  /** The reaction's own substance, only when it differs from the allergy's substance. */
  readonly substance?: string;
  /** Manifestations for people (text, else display, else code). */
  readonly manifestations: readonly string[];
  readonly severity?: AllergyCodeLabel<ReactionSeverity>;
  /** True when a manifestation is anaphylaxis. */
  readonly anaphylaxis: boolean;
  readonly onset?: AllergyDateView;
  readonly description?: string;
  readonly exposureRoute?: string;
  readonly notes: readonly string[];
}

/** One AllergyIntolerance for display. */
export interface AllergyView {
  /** The resource id, when it has one. */
  readonly id?: string;
  /** A key unique within one summary (the id, else the position). */
  readonly key: string;
  /** The resource itself, for events and drill-down. */
  readonly resource: AllergyIntolerance;
  readonly assertion: AllergyAssertion;
  /** The substance: code.text, else a coding display, else a code, else "Unknown substance". */
  readonly substance: string;
  /** Where the substance label came from; `none` when it is "Unknown substance". */
  readonly substanceSource: 'text' | 'display' | 'code' | 'none';
  readonly type?: AllergyCodeLabel<AllergyType>;
  readonly categories: readonly AllergyCodeLabel<AllergyCategory>[];
  readonly criticality?: AllergyCodeLabel<AllergyCriticality>;
  readonly clinicalStatus?: AllergyCodeLabel<AllergyClinicalStatus>;
  readonly verificationStatus?: AllergyCodeLabel<AllergyVerificationStatus>;
  readonly group: AllergyGroup;
  readonly alert: AllergyAlertLevel;
  /** Why it is life-threatening, most serious first; empty otherwise. */
  readonly alertReasons: readonly AllergyCodeLabel<AllergyAlertReason>[];
  readonly reactions: readonly AllergyReactionView[];
  readonly onset?: AllergyOnsetView;
  readonly recordedDate?: AllergyDateView;
  readonly lastOccurrence?: AllergyDateView;
  /** Who recorded it: reference.display, else the name of a known Practitioner (or other) resource. */
  readonly recorder?: string;
  /** Who asserted it (may be the patient or a relative). */
  readonly asserter?: string;
  /** The organisation of the recorder (a PractitionerRole's or an Organization recorder). */
  readonly organization?: string;
  /** Where the data came from: the FhirSource's server label, else the host of `meta.source`. */
  readonly sourceLabel?: string;
  readonly notes: readonly string[];
  /** For `no-known` records: what there is no known allergy to. */
  readonly noKnownScope?: NoKnownAllergyScope;
}

export interface AllergyViewOptions {
  /** BCP 47 locale for dates. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
  /** Other resources (from `_include`, a bundle, a cache) to resolve recorder and asserter against. */
  readonly included?: readonly unknown[];
  /** `included` already indexed (see codeable.ts `indexResources`); takes precedence. */
  readonly index?: ResourceIndex;
  /** The provenance of each record: a FhirSource's `server.label`, or one per resource for merged records. */
  readonly sourceLabel?: string | ((resource: AllergyIntolerance) => string | undefined);
}

/** Which of the three situations a list is in: never conflated. */
export type AllergyListStatus = 'allergies' | 'no-known-allergies' | 'none-recorded';

export interface AllergySummary {
  /**
   * `allergies`: at least one allergy record is shown (active or not).
   * `no-known-allergies`: the only records in force are negations ("No known allergies").
   * `none-recorded`: nothing was recorded (entered-in-error records do not count).
   */
  readonly status: AllergyListStatus;
  /** Allergies in force, life-threatening first (see {@link summarizeAllergies}). */
  readonly active: readonly AllergyView[];
  /** The life-threatening ones among `active`, in the same order: the first is the most dangerous. */
  readonly lifeThreatening: readonly AllergyView[];
  /** Inactive and resolved allergies, most recent first. */
  readonly inactive: readonly AllergyView[];
  /** Refuted records, most recent first. */
  readonly refuted: readonly AllergyView[];
  /** Negations in force and not contradicted ("No known drug allergies" beside a peanut allergy is not a contradiction). */
  readonly noKnown: readonly AllergyView[];
  /** Negations in force that recorded allergies contradict: to be reviewed, never shown as the patient's status. */
  readonly contradicted: readonly AllergyView[];
  /** Records saying the allergy status is unknown (not asked). */
  readonly unknown: readonly AllergyView[];
  /** What the negations in `noKnown` cover, `all` alone when one covers everything. */
  readonly noKnownScopes: readonly NoKnownAllergyScope[];
  /** "No known allergies", "No known drug allergies", "No known drug or food allergies"; when `noKnown` is not empty. */
  readonly noKnownLabel?: string;
  /** Entered-in-error records left out. */
  readonly hiddenCount: number;
}

// ---------------------------------------------------------------------------
// Terminology

const CLINICAL_SYSTEMS = [
  'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  'http://hl7.org/fhir/allergy-clinical-status', // STU3 system, still sent by older servers
];
const VERIFICATION_SYSTEMS = [
  'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  'http://hl7.org/fhir/allergy-verification-status', // STU3
];

const CLINICAL_CODES: readonly AllergyClinicalStatus[] = ['active', 'inactive', 'resolved'];
const VERIFICATION_CODES: readonly AllergyVerificationStatus[] = ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'];
const CLINICAL_LABELS: Readonly<Record<AllergyClinicalStatus, string>> = { active: 'Active', inactive: 'Inactive', resolved: 'Resolved' };
const VERIFICATION_LABELS: Readonly<Record<AllergyVerificationStatus, string>> = {
  unconfirmed: 'Unconfirmed',
  provisional: 'Provisional',
  differential: 'Differential',
  confirmed: 'Confirmed',
  refuted: 'Refuted',
  'entered-in-error': 'Entered in error',
};
const CATEGORY_LABELS: Readonly<Record<AllergyCategory, string>> = {
  food: 'Food',
  medication: 'Medication',
  environment: 'Environment',
  biologic: 'Biologic',
};
const CRITICALITY_LABELS: Readonly<Record<AllergyCriticality, string>> = {
  high: 'High criticality',
  low: 'Low criticality',
  'unable-to-assess': 'Criticality unable to assess',
};
const SEVERITY_LABELS: Readonly<Record<ReactionSeverity, string>> = { mild: 'Mild', moderate: 'Moderate', severe: 'Severe' };
const TYPE_LABELS: Readonly<Record<AllergyType, string>> = { allergy: 'Allergy', intolerance: 'Intolerance' };
const REASON_LABELS: Readonly<Record<AllergyAlertReason, string>> = {
  anaphylaxis: 'Anaphylaxis',
  'severe-reaction': 'Severe reaction',
  'high-criticality': 'High criticality',
};

/** Shown when a record names no substance at all. */
export const UNKNOWN_SUBSTANCE = 'Unknown substance';

/**
 * SNOMED CT negation ("no known ...") situations. 716186003, 409137002, 429625007 and
 * 428607008 are the IPS value set absent-or-unknown-snomed-uv-ips; 428197003 (insect),
 * 716220001 (animal) and 1003774007 (Hevea brasiliensis latex) are their siblings used by
 * AU PS and the Belgian be-noallergy value set; 160244002 "No known allergies" is the
 * older code CCD/HITSP documents (and systems built on them) still send.
 */
const NO_KNOWN_CODES: ReadonlyMap<string, NoKnownAllergyScope> = new Map([
  ['716186003', 'all'],
  ['160244002', 'all'],
  ['409137002', 'medication'],
  ['429625007', 'food'],
  ['428607008', 'environment'],
  ['428197003', 'insect'],
  ['716220001', 'animal'],
  ['1003774007', 'latex'],
  ['716184000', 'latex'], // No known latex allergy: the FHIR R4 AllergyIntolerance `nkla` example
]);

/**
 * IPS absent-unknown-uv-ips (IPS Allergies and Intolerances section): `no-known-*` are
 * negations; `no-allergy-info` says the status is not known (see UNKNOWN below).
 */
const IPS_NO_KNOWN_CODES: ReadonlyMap<string, NoKnownAllergyScope> = new Map([
  ['no-known-allergies', 'all'],
  ['no-known-medication-allergies', 'medication'],
  ['no-known-food-allergies', 'food'],
  ['no-known-environmental-allergies', 'environment'],
]);
const IPS_UNKNOWN_CODES = ['no-allergy-info'];

// The same negations as free text, as Argonaut/US Core-era feeds and kiosks send them
// ("No Known Allergies", "NKDA", "No known drug allergy (situation)"). Anchored at both
// ends: "No known allergy to penicillin" is not a negation of all allergies.
// "No known history of drug allergy" is 409137002's own preferred term; "NKA/NKDA" and
// "No known allergies or adverse reactions" are common in feeds.
const NO_KNOWN_TEXT =
  /^(?:no\s+known\s+(?:history\s+of\s+)?(?:(drug|medication|food|environmental|insect|latex|animal)\s+)?allerg(?:y|ies)(?:\s+(?:or|and|\/)\s+adverse\s+(?:drug\s+)?reactions?)?|nka|nkda|nkfa|nkma|nka\s*\/\s*nkda)(?:\s*\((?:situation|finding)\))?\.?$/i;
const NO_KNOWN_TEXT_SCOPES: Readonly<Record<string, NoKnownAllergyScope>> = {
  drug: 'medication',
  medication: 'medication',
  food: 'food',
  environmental: 'environment',
  insect: 'insect',
  latex: 'latex',
  animal: 'animal',
  nka: 'all',
  nkda: 'medication',
  nkma: 'medication',
  nkfa: 'food',
};

const NO_KNOWN_WORDS: Readonly<Record<Exclude<NoKnownAllergyScope, 'all'>, string>> = {
  medication: 'drug',
  food: 'food',
  environment: 'environmental',
  insect: 'insect',
  animal: 'animal',
  latex: 'latex',
};

/**
 * "Allergy status not obtained" codes: HL7 v3 NullFlavor (UNK unknown, ASKU asked but
 * unknown, NASK not asked, NI no information, NAV temporarily unavailable) and SNOMED CT
 * 1631000175102 |Patient not asked|. Such a record is neither an allergy nor a negation.
 */
const UNKNOWN_NULL_FLAVORS = ['UNK', 'ASKU', 'NASK', 'NI', 'NAV'];
const UNKNOWN_SNOMED = ['1631000175102'];

/**
 * Anaphylaxis as a manifestation (or as the allergy's own code): SNOMED CT 39579001
 * |Anaphylaxis|, 417516000 |Anaphylaxis due to substance|, 91941002 |Food anaphylaxis|;
 * ICD-10 / ICD-10-CM T78.0 (anaphylactic reaction due to food), T78.2 (anaphylactic shock,
 * unspecified), T80.5 (due to serum or vaccination), T88.6 (due to a correctly administered
 * drug). Any other coding or text saying "anaphyla..." (anaphylaxis, anaphylactic) counts too:
 * a descendant code this list lacks still has a display that says so.
 */
const ANAPHYLAXIS_SNOMED = new Set(['39579001', '417516000', '91941002']);
const ANAPHYLAXIS_ICD10 = /^T(?:78\.?[02]|80\.?5|88\.?6)/i;
const ANAPHYLAXIS_TEXT = /anaphyla/i;

const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

// SNOMED CT fully specified names end in a semantic tag ("Shellfish (substance)"): metadata
// of the terminology, not part of the name a clinician reads.
const SNOMED_SEMANTIC_TAG =
  /\s+\((?:substance|finding|disorder|situation|product|medicinal product|clinical drug|organism|qualifier value|physical object|event|morphologic abnormality|observable entity|procedure|body structure)\)$/i;

interface CodingParts {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

/** The codings of a CodeableConcept, each part a usable string or undefined. */
function codingsOf(concept: unknown): CodingParts[] {
  if (!isObject(concept)) return [];
  return objects(concept.coding).map((coding) => ({ system: text(coding.system), code: text(coding.code), display: text(coding.display) }));
}

function hasCode(concept: unknown, systems: readonly string[], codes: ReadonlySet<string> | readonly string[]): boolean {
  const wanted: ReadonlySet<string> = codes instanceof Set ? codes : new Set(codes as readonly string[]);
  return codingsOf(concept).some((coding) => coding.system !== undefined && systems.includes(coding.system) && coding.code !== undefined && wanted.has(coding.code));
}

/**
 * A concept's label (`text`, else a display, else "RxNorm 7980" for a bare code; see
 * codeable.ts), with a SNOMED CT display's semantic tag removed: "Shellfish", not
 * "Shellfish (substance)".
 */
function labelOf(concept: unknown): { readonly text: string; readonly source: 'text' | 'display' | 'code' } | undefined {
  const label = conceptLabel(concept);
  if (!label) return undefined;
  if (label.source === 'display' && label.system !== undefined && (CODE_SYSTEMS.snomed as readonly string[]).includes(label.system)) {
    return { text: label.text.replace(SNOMED_SEMANTIC_TAG, '') || label.text, source: label.source };
  }
  return { text: label.text, source: label.source };
}

// ---------------------------------------------------------------------------
// One record

/** True when a CodeableConcept (a manifestation, or an allergy's code) is anaphylaxis. See the codes above. */
export function isAnaphylaxis(concept: unknown): boolean {
  if (!isObject(concept)) return false;
  if (hasCode(concept, CODE_SYSTEMS.snomed, ANAPHYLAXIS_SNOMED)) return true;
  const all = codingsOf(concept);
  const icd10: readonly string[] = [...CODE_SYSTEMS.icd10, ...CODE_SYSTEMS.icd10cm];
  if (all.some((coding) => coding.system !== undefined && icd10.includes(coding.system) && coding.code !== undefined && ANAPHYLAXIS_ICD10.test(coding.code))) {
    return true;
  }
  const words = [text(concept.text), ...all.map((coding) => coding.display)];
  return words.some((word) => word !== undefined && ANAPHYLAXIS_TEXT.test(word));
}

/**
 * What a negation record says there is no known allergy to, or undefined when the code
 * is not a negation. By SNOMED CT code first, then by the text of the code.
 */
export function noKnownAllergyScope(code: unknown): NoKnownAllergyScope | undefined {
  const snomed: readonly string[] = CODE_SYSTEMS.snomed;
  for (const coding of codingsOf(code)) {
    if (coding.code && coding.system === IPS_ABSENT_UNKNOWN) {
      const scope = IPS_NO_KNOWN_CODES.get(coding.code);
      if (scope) return scope;
    }
    // A bare code with no system is accepted: these numbers are unambiguous SNOMED CT ids.
    if (coding.code && (coding.system === undefined || snomed.includes(coding.system))) {
      const scope = NO_KNOWN_CODES.get(coding.code);
      if (scope) return scope;
    }
  }
  const labels = isObject(code) ? [text(code.text), ...codingsOf(code).map((coding) => coding.display)] : [];
  for (const label of labels) {
    const match = label ? NO_KNOWN_TEXT.exec(label) : null;
    if (!match) continue;
    if (match[1]) return NO_KNOWN_TEXT_SCOPES[match[1].toLowerCase()];
    // "NKA/NKDA" says both: no known allergies at all.
    return NO_KNOWN_TEXT_SCOPES[label!.replace(/\W/g, '').toLowerCase()] ?? 'all';
  }
  return undefined;
}

/** A status code from its codings, else from its text written as words ("Entered in Error"). */
function statusOf<T extends string>(concept: unknown, codes: readonly T[], systems: readonly string[]): T | undefined {
  const coded = statusCode(concept, codes, systems);
  if (coded || !isObject(concept)) return coded;
  const words = text(concept.text);
  return words ? statusCode(words.toLowerCase().replace(/\s+/g, '-'), codes) : undefined;
}

function isUnknownStatusCode(code: unknown): boolean {
  return (
    hasCode(code, [NULL_FLAVOR], UNKNOWN_NULL_FLAVORS) ||
    hasCode(code, CODE_SYSTEMS.snomed, UNKNOWN_SNOMED) ||
    hasCode(code, [IPS_ABSENT_UNKNOWN], IPS_UNKNOWN_CODES)
  );
}

/** Systems whose codes say something about the allergy status, not which substance. */
const STATUS_SYSTEMS: readonly string[] = [NULL_FLAVOR, IPS_ABSENT_UNKNOWN];

/**
 * True when a code also names a substance: a coding that is neither a negation, nor an
 * "unknown" status, nor a null flavour (an RxNorm penicillin coding beside 716186003).
 */
function namesSubstance(code: unknown): boolean {
  return substanceCodings(code).length > 0;
}

/** The codings of a code that name a substance (see {@link namesSubstance}), as given. */
function substanceCodings(code: unknown): JsonObject[] {
  if (!isObject(code)) return [];
  return objects(code.coding).filter((coding) => {
    const system = text(coding.system);
    const value = text(coding.code);
    if (!value) return false;
    if (system !== undefined && STATUS_SYSTEMS.includes(system)) return false;
    const snomedLike = system === undefined || (CODE_SYSTEMS.snomed as readonly string[]).includes(system);
    if (snomedLike && (NO_KNOWN_CODES.has(value) || UNKNOWN_SNOMED.includes(value))) return false;
    return true;
  });
}

/** AllergyIntolerance.criticality, read leniently: any case, and DSTU2's CRITH / CRITL / CRITU. */
function criticalityOf(value: unknown): AllergyCriticality | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toLowerCase();
  const dstu2: Readonly<Record<string, AllergyCriticality>> = { crith: 'high', critl: 'low', critu: 'unable-to-assess' };
  if (code in dstu2) return dstu2[code];
  return Object.hasOwn(CRITICALITY_LABELS, code) ? (code as AllergyCriticality) : undefined;
}

/**
 * An AllergyIntolerance for display. Pure and total: any element may be absent or of
 * the wrong type and a view still comes back; it never throws.
 *
 * - Substance: `code.text`, else a coding display, else a bare code, else "Unknown substance".
 * - Group (FHIR R4 AllergyIntolerance.verificationStatus / clinicalStatus): entered-in-error
 *   (the record should never have existed; ait-2 forbids a clinicalStatus) is its own group
 *   and is never shown; refuted is its own group, whatever its clinicalStatus; inactive and
 *   resolved are history; active, or no clinicalStatus at all (which ait-1 forbids, so the
 *   safe reading is "in force"), is active.
 * - Alert: life-threatening when criticality is high, a reaction is severe, or a
 *   manifestation (or the code itself) is anaphylaxis; caution for other active allergies,
 *   whatever their verification; none otherwise.
 */
export function toAllergyView(resource: AllergyIntolerance, options: AllergyViewOptions = {}, index = 0): AllergyView {
  const record: JsonObject = isObject(resource) ? resource : {};
  const locale = resolveLocale(options.locale);
  const known = options.index ?? indexResources(options.included ?? []);

  const label = labelOf(record.code);
  const substance = label?.text ?? UNKNOWN_SUBSTANCE;
  const clinical = statusOf(record.clinicalStatus, CLINICAL_CODES, CLINICAL_SYSTEMS);
  const verification = statusOf(record.verificationStatus, VERIFICATION_CODES, VERIFICATION_SYSTEMS);
  const group: AllergyGroup =
    verification === 'entered-in-error' ? 'entered-in-error' : verification === 'refuted' ? 'refuted' : clinical === 'inactive' || clinical === 'resolved' ? 'inactive' : 'active';

  const reactions = objects(record.reaction).map((reaction) => reactionView(reaction, record.code, substance, locale));
  const criticalityCode = criticalityOf(record.criticality);
  // A negation or an "unknown status" record says there is nothing to react to. One that
  // also records a reaction, a high criticality or a substance coding contradicts itself,
  // and the dangerous reading wins: it is an allergy (to "Unknown substance" when nothing
  // else names one), with its alert. Hiding a life-threatening allergy is the one mistake
  // this list must never make.
  const clinicalContent = reactions.length > 0 || criticalityCode === 'high' || namesSubstance(record.code);
  const negationScope = noKnownAllergyScope(record.code);
  const noKnownScope = negationScope && !clinicalContent ? negationScope : undefined;
  const assertion: AllergyAssertion = noKnownScope ? 'no-known' : !negationScope && !clinicalContent && isUnknownStatusCode(record.code) ? 'unknown' : 'allergy';
  const statusOnlyCode = !namesSubstance(record.code) && (negationScope !== undefined || isUnknownStatusCode(record.code));
  // A status code beside a substance coding: the substance is named by that coding alone
  // (the text may well say "No known allergies").
  const mixedLabel =
    assertion === 'allergy' && !statusOnlyCode && (negationScope !== undefined || isUnknownStatusCode(record.code))
      ? labelOf({ coding: substanceCodings(record.code) })
      : undefined;
  const shownSubstance = assertion === 'allergy' && statusOnlyCode ? UNKNOWN_SUBSTANCE : mixedLabel?.text ?? substance;
  const substanceSource = shownSubstance === UNKNOWN_SUBSTANCE ? 'none' : mixedLabel?.source ?? label?.source ?? 'none';

  const reasons: AllergyAlertReason[] = [];
  if (assertion === 'allergy') {
    if (reactions.some((reaction) => reaction.anaphylaxis) || isAnaphylaxis(record.code)) reasons.push('anaphylaxis');
    if (reactions.some((reaction) => reaction.severity?.code === 'severe')) reasons.push('severe-reaction');
    if (criticalityCode === 'high') reasons.push('high-criticality');
  }
  const inForce = group === 'active' && assertion === 'allergy';
  const alert: AllergyAlertLevel = !inForce ? 'none' : reasons.length > 0 ? 'life-threatening' : 'caution';

  const recorder = participant(record.recorder, known, record);
  const asserter = participant(record.asserter, known, record);
  const sourceLabel =
    (typeof options.sourceLabel === 'function' ? text(safeCall(options.sourceLabel, resource)) : text(options.sourceLabel)) ??
    metaSourceLabel(isObject(record.meta) ? record.meta.source : undefined);
  const id = text(record.id);
  const type = record.type === 'allergy' || record.type === 'intolerance' ? record.type : undefined;
  const criticality = criticalityCode ? { code: criticalityCode, label: CRITICALITY_LABELS[criticalityCode] } : undefined;
  const onset = onsetView(record, locale);
  const recordedDate = dateView(record.recordedDate, locale);
  const lastOccurrence = dateView(record.lastOccurrence, locale);
  const notes = annotationTexts(record.note);
  const organization = recorder?.organization ?? asserter?.organization;

  return {
    ...(id ? { id } : {}),
    key: id ?? `#${index}`,
    resource,
    assertion,
    substance: shownSubstance,
    substanceSource,
    ...(type ? { type: { code: type, label: TYPE_LABELS[type] } } : {}),
    categories: categoriesOf(record.category),
    ...(criticality ? { criticality } : {}),
    ...(clinical ? { clinicalStatus: { code: clinical, label: CLINICAL_LABELS[clinical] } } : {}),
    ...(verification ? { verificationStatus: { code: verification, label: VERIFICATION_LABELS[verification] } } : {}),
    group,
    alert,
    alertReasons: alert === 'life-threatening' ? reasons.map((reason) => ({ code: reason, label: REASON_LABELS[reason] })) : [],
    reactions,
    ...(onset ? { onset } : {}),
    ...(recordedDate ? { recordedDate } : {}),
    ...(lastOccurrence ? { lastOccurrence } : {}),
    ...(recorder?.name ? { recorder: recorder.name } : {}),
    ...(asserter?.name ? { asserter: asserter.name } : {}),
    ...(organization ? { organization } : {}),
    ...(sourceLabel ? { sourceLabel } : {}),
    notes,
    ...(noKnownScope ? { noKnownScope } : {}),
  };
}

function reactionView(reaction: JsonObject, allergyCode: unknown, allergySubstance: string, locale: string): AllergyReactionView {
  const manifestations = objects(reaction.manifestation)
    .map((manifestation) => labelOf(manifestation)?.text)
    .filter((label): label is string => label !== undefined);
  const own = labelOf(reaction.substance)?.text;
  // reaction.severity is a code (mild | moderate | severe); some feeds send "Severe" or "SEVERE".
  const severity = pickCode(typeof reaction.severity === 'string' ? reaction.severity.trim().toLowerCase() : undefined, SEVERITY_LABELS);
  const onset = dateView(reaction.onset, locale);
  const description = text(reaction.description);
  const exposureRoute = labelOf(reaction.exposureRoute)?.text;
  return {
    ...(own && !sameSubstance(reaction.substance, own, allergyCode, allergySubstance) ? { substance: own } : {}),
    manifestations,
    ...(severity ? { severity } : {}),
    anaphylaxis: objects(reaction.manifestation).some(isAnaphylaxis),
    ...(onset ? { onset } : {}),
    ...(description ? { description } : {}),
    ...(exposureRoute ? { exposureRoute } : {}),
    notes: annotationTexts(reaction.note),
  };
}

function sameSubstance(reactionSubstance: unknown, reactionLabel: string, allergyCode: unknown, allergyLabel: string): boolean {
  if (reactionLabel.localeCompare(allergyLabel, undefined, { sensitivity: 'accent' }) === 0) return true;
  const theirs = new Set(codingsOf(allergyCode).map((coding) => `${coding.system ?? ''}|${coding.code ?? ''}`));
  return codingsOf(reactionSubstance).some((coding) => coding.code !== undefined && theirs.has(`${coding.system ?? ''}|${coding.code}`));
}

function pickCode<T extends string>(value: unknown, labels: Readonly<Record<T, string>>): AllergyCodeLabel<T> | undefined {
  return typeof value === 'string' && Object.hasOwn(labels, value) ? { code: value as T, label: labels[value as T] } : undefined;
}

function categoriesOf(value: unknown): AllergyCodeLabel<AllergyCategory>[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const seen = new Set<string>();
  const result: AllergyCodeLabel<AllergyCategory>[] = [];
  for (const item of list) {
    const picked = pickCode(item, CATEGORY_LABELS);
    if (picked && !seen.has(picked.code)) {
      seen.add(picked.code);
      result.push(picked);
    }
  }
  return result;
}

function annotationTexts(value: unknown): string[] {
  return objects(value)
    .map((note) => text(note.text))
    .filter((note): note is string => note !== undefined);
}

function dateView(value: unknown, locale: string): AllergyDateView | undefined {
  const parsed = parseFhirDate(value);
  const display = parsed ? formatFhirDate(parsed, { locale }) : undefined;
  return parsed && display ? { value: (value as string).trim(), precision: parsed.precision, display } : undefined;
}

// AllergyIntolerance.onset[x]: dateTime | Age | Period | Range | string (R4).
function onsetView(record: JsonObject, locale: string): AllergyOnsetView | undefined {
  const date = dateView(record.onsetDateTime, locale);
  if (date) return { kind: 'dateTime', display: date.display, date };
  const age = quantityText(record.onsetAge, locale);
  if (age) return { kind: 'age', display: `At age ${age}` };
  if (isObject(record.onsetPeriod)) {
    const start = dateView(record.onsetPeriod.start, locale);
    const end = dateView(record.onsetPeriod.end, locale);
    if (start && end) return { kind: 'period', display: `${start.display} – ${end.display}`, date: start };
    if (start) return { kind: 'period', display: `From ${start.display}`, date: start };
    if (end) return { kind: 'period', display: `Until ${end.display}` };
  }
  if (isObject(record.onsetRange)) {
    const low = quantityText(record.onsetRange.low, locale);
    const high = quantityText(record.onsetRange.high, locale);
    if (low && high) {
      const lowValue = (record.onsetRange.low as JsonObject).value;
      const sameUnit = unitKey(record.onsetRange.low) === unitKey(record.onsetRange.high);
      // "Age 10–12 years" when both ends share a unit; each end spelled out otherwise.
      return { kind: 'range', display: sameUnit ? `Age ${numberText(lowValue, locale)}–${high}` : `Age ${low} to ${high}` };
    }
    if (low) return { kind: 'range', display: `From age ${low}` };
    if (high) return { kind: 'range', display: `By age ${high}` };
  }
  const onsetString = text(record.onsetString);
  return onsetString ? { kind: 'string', display: onsetString } : undefined;
}

// UCUM time units an Age is stated in (FHIR R4 Age: system http://unitsofmeasure.org).
const UCUM_UNITS: Readonly<Record<string, Intl.NumberFormatOptions['unit']>> = {
  a: 'year',
  mo: 'month',
  wk: 'week',
  d: 'day',
  h: 'hour',
  min: 'minute',
};

function unitKey(quantity: unknown): string {
  if (!isObject(quantity)) return '';
  return text(quantity.code) ?? text(quantity.unit) ?? '';
}

function numberText(value: unknown, locale: string): string {
  return typeof value === 'number' && Number.isFinite(value) ? numberFormat(locale).format(value) : '';
}

/** "12 years" from an Age quantity; the `unit` text as given when the code is not a UCUM time unit. */
function quantityText(quantity: unknown, locale: string): string | undefined {
  if (!isObject(quantity) || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) return undefined;
  const code = text(quantity.code);
  const unit = code ? UCUM_UNITS[code] : undefined;
  if (unit) {
    try {
      return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(quantity.value);
    } catch {
      // fall through to the unit as written
    }
  }
  const written = text(quantity.unit) ?? code;
  return written ? `${numberText(quantity.value, locale)} ${written}` : numberText(quantity.value, locale);
}

// ---------------------------------------------------------------------------
// Recorder, asserter, provenance

interface Participant {
  readonly name?: string;
  readonly organization?: string;
}

/**
 * Who a recorder or asserter reference names: its display, else the resource it resolves
 * to (contained, or among the included resources). A PractitionerRole or Organization
 * also gives the organisation. A bare reference to the Patient reads "Patient".
 */
function participant(reference: unknown, index: ResourceIndex, container: JsonObject): Participant | undefined {
  if (!isObject(reference)) return undefined;
  const target = resolveReference(reference, index, container);
  let name = text(reference.display);
  let organization: string | undefined;
  if (target?.resourceType === 'PractitionerRole') {
    name ??= referenceLabel(target.practitioner, index);
    organization = referenceLabel(target.organization, index);
  } else if (target?.resourceType === 'Organization') {
    organization = text(target.name);
    name ??= organization;
  } else {
    name ??= referenceLabel(reference, index, container);
  }
  if (!name && referenceKey(reference.reference)?.type === 'Patient') name = 'Patient';
  return name || organization ? { ...(name ? { name } : {}), ...(organization ? { organization } : {}) } : undefined;
}

/** `meta.source` as provenance: the host of an http(s) URI; opaque values (`#a1b2`, request ids) say nothing to people. */
function metaSourceLabel(value: unknown): string | undefined {
  const source = text(value);
  if (!source || !/^https?:\/\//i.test(source)) return undefined;
  try {
    return new URL(source).host || undefined;
  } catch {
    return undefined;
  }
}

function safeCall<T, A>(fn: (arg: A) => T, arg: A): T | undefined {
  try {
    return fn(arg);
  } catch {
    return undefined; // a host's labeller that throws must not take the allergy list down
  }
}

// ---------------------------------------------------------------------------
// The whole list

/** How recent a record is: its last reaction, else its onset, else when it was recorded. */
function recency(view: AllergyView): number | undefined {
  return dateSortKey(view.lastOccurrence?.value) ?? dateSortKey(view.onset?.date?.value) ?? dateSortKey(view.recordedDate?.value);
}

const REASON_RANK: Readonly<Record<AllergyAlertReason, number>> = { anaphylaxis: 0, 'severe-reaction': 1, 'high-criticality': 2 };
const ALERT_RANK: Readonly<Record<AllergyAlertLevel, number>> = { 'life-threatening': 0, caution: 1, none: 2 };

function dangerRank(view: AllergyView): number {
  return view.alertReasons.length === 0 ? 3 : Math.min(...view.alertReasons.map((reason) => REASON_RANK[reason.code]));
}

function byRecency(a: AllergyView, b: AllergyView): number {
  const left = recency(a);
  const right = recency(b);
  if (left !== right) {
    if (left === undefined) return 1; // undated last
    if (right === undefined) return -1;
    return right - left;
  }
  return a.substance.localeCompare(b.substance);
}

/** Life-threatening first (anaphylaxis, then severe reactions, then high criticality), then the rest; most recent first within each. */
function byDanger(a: AllergyView, b: AllergyView): number {
  return ALERT_RANK[a.alert] - ALERT_RANK[b.alert] || dangerRank(a) - dangerRank(b) || byRecency(a, b);
}

const KEYWORDS: Partial<Record<NoKnownAllergyScope, RegExp>> = {
  latex: /latex|hevea|rubber/i,
  insect: /insect|\bbees?\b|wasp|hornet|venom|sting|\bants?\b/i,
  animal: /animal|dander|\bcats?\b|\bdogs?\b|horse/i,
};

/** True when an allergy in force contradicts a negation. An allergy with no category could be anything, so it contradicts any scope. */
function contradicts(allergy: AllergyView, scope: NoKnownAllergyScope): boolean {
  if (scope === 'all') return true;
  const keyword = KEYWORDS[scope];
  if (keyword) return keyword.test(allergy.substance);
  if (allergy.categories.length === 0) return true;
  return allergy.categories.some((category) => category.code === scope);
}

/** "No known allergies", "No known drug allergies", "No known drug or food allergies". */
export function noKnownAllergyLabel(scopes: readonly NoKnownAllergyScope[], locale?: string): string | undefined {
  if (scopes.length === 0) return undefined;
  if (scopes.includes('all')) return 'No known allergies';
  const words = scopes.map((scope) => NO_KNOWN_WORDS[scope as Exclude<NoKnownAllergyScope, 'all'>]);
  let joined: string;
  try {
    joined = new Intl.ListFormat(resolveLocale(locale), { type: 'disjunction' }).format(words);
  } catch {
    joined = words.join(' or ');
  }
  return `No known ${joined} allergies`;
}

/**
 * A patient's allergy list, ready to show. Takes the AllergyIntolerance resources of a
 * search (other resources given alongside, such as `_include`d Practitioners, are used to
 * name recorders). Pure and total: never throws.
 *
 * - Entered-in-error records are left out (FHIR R4: the record should not have existed).
 * - Allergies in force are sorted life-threatening first, then by recency; inactive and
 *   resolved ones, and refuted ones, are their own groups.
 * - The three empty situations are never conflated: `no-known-allergies` when the only
 *   records in force are negations ("No known drug allergies" says exactly that, not "no
 *   allergies"); `none-recorded` when there is nothing at all. A negation that a recorded
 *   allergy contradicts (NKA beside a penicillin allergy) is `contradicted`: the recorded
 *   allergy wins, and the negation is never presented as the patient's status.
 * - Failing to load is the element's state, never the model's: this function only ever
 *   sees what was loaded.
 */
export function summarizeAllergies(resources: readonly unknown[], options: AllergyViewOptions = {}): AllergySummary {
  const list = Array.isArray(resources) ? resources : [];
  const records = list.filter((resource): resource is AllergyIntolerance => isObject(resource) && resource.resourceType === 'AllergyIntolerance');
  const others = list.filter((resource) => isObject(resource) && resource.resourceType !== 'AllergyIntolerance');
  const index = options.index ?? indexResources([...others, ...(options.included ?? [])]);
  const views = records.map((record, position) => toAllergyView(record, { ...options, index }, position));

  const shown = views.filter((view) => view.group !== 'entered-in-error');
  const inForce = shown.filter((view) => view.group === 'active');
  const active = inForce.filter((view) => view.assertion === 'allergy').sort(byDanger);
  const negations = inForce.filter((view) => view.assertion === 'no-known');
  const unknown = inForce.filter((view) => view.assertion === 'unknown').sort(byRecency);
  const contradicted = negations.filter((negation) => active.some((allergy) => contradicts(allergy, negation.noKnownScope!)));
  const noKnown = negations.filter((negation) => !contradicted.includes(negation)).sort(byRecency);
  const inactive = shown.filter((view) => view.group === 'inactive').sort(byRecency);
  const refuted = shown.filter((view) => view.group === 'refuted').sort(byRecency);

  const scopeSet = new Set(noKnown.map((view) => view.noKnownScope!));
  const noKnownScopes: NoKnownAllergyScope[] = scopeSet.has('all')
    ? ['all']
    : (['medication', 'food', 'environment', 'insect', 'animal', 'latex'] as const).filter((scope) => scopeSet.has(scope));
  const noKnownLabel = noKnownAllergyLabel(noKnownScopes, options.locale);
  const hasAllergyRecords = active.length > 0 || [...inactive, ...refuted].some((view) => view.assertion === 'allergy');
  const status: AllergyListStatus = active.length > 0 ? 'allergies' : noKnown.length > 0 ? 'no-known-allergies' : hasAllergyRecords ? 'allergies' : 'none-recorded';

  return {
    status,
    active,
    lifeThreatening: active.filter((view) => view.alert === 'life-threatening'),
    inactive,
    refuted,
    noKnown,
    contradicted: contradicted.sort(byRecency),
    unknown,
    noKnownScopes,
    ...(noKnownLabel ? { noKnownLabel } : {}),
    hiddenCount: views.length - shown.length,
  };
}

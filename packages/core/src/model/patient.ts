import type { Patient } from '@medplum/fhirtypes';
import { calculateAge, formatAgeValue } from '../format/age.js';
import { formatFhirDate, parseFhirDate, type FhirDatePrecision } from '../format/fhir-date.js';
import { resolveLocale } from '../format/locale.js';
import { preferredAddress, preferredContactPoint, type ContactPointView } from './contact.js';
import { currentNames, formatHumanName, nameInitials, nameParts, preferredName, selectDisplayName, type NameParts } from './human-name.js';
import { toIdentifierViews, type IdentifierView } from './identifier.js';
import { calendarDay, conceptText, isObject, objects, text, type JsonObject } from './read.js';

/** What a person sees of a Patient: every field already chosen, labelled, formatted and made safe. */
export interface PatientView {
  /** Patient.id, when it is a string. */
  readonly id?: string;
  /** The name to show ("Dr. Amy V. Shaw Jr."), or "Unnamed patient". */
  readonly name: string;
  /** False when the record has no name that may be shown (`name` is then "Unnamed patient"). */
  readonly named: boolean;
  /** The parts of the displayed name, when it had parts. */
  readonly nameParts?: NameParts;
  /** A preferred name to show beside `name` ("Bob"), when the record has one that differs. */
  readonly preferredName?: string;
  /** One or two capital letters for an avatar; "" when there is no name. */
  readonly initials: string;
  /** The birthDate as given (partial stays partial) and formatted ("Apr 1961"). */
  readonly birthDate?: PatientDateView;
  /** The age ("52 y"), or the age at death for a deceased patient with a date of death. */
  readonly age?: PatientAgeView;
  /** Administrative gender (FHIR R4 administrative-gender). */
  readonly gender?: { readonly code: 'male' | 'female' | 'other' | 'unknown'; readonly label: string };
  /** Present when the patient is deceased; with the date when one is recorded. */
  readonly deceased?: { readonly date?: PatientDateView };
  /** False only when the record says `active: false` (often a merged or retired record). */
  readonly active: boolean;
  /** Identifiers to show, MRNs first; SSNs masked. */
  readonly identifiers: readonly IdentifierView[];
  /** The first MRN, for layouts with room for one identifier. */
  readonly mrn?: IdentifierView;
  readonly phone?: ContactPointView;
  readonly email?: ContactPointView;
  /** The current home (or other) address on one line. */
  readonly address?: string;
  /** The preferred language's name ("Spanish"). */
  readonly language?: string;
  /** True when the record says an interpreter is required. */
  readonly interpreterRequired: boolean;
  /** A photo that is safe to load (see {@link toPatientView}), with its alternative text. */
  readonly photo?: { readonly src: string; readonly alt: string };
}

export interface PatientDateView {
  /** The FHIR value as given, e.g. `1961-04`. */
  readonly value: string;
  readonly precision: FhirDatePrecision;
  /** For people: "Apr 1961", "May 3, 2001". */
  readonly display: string;
}

export interface PatientAgeView {
  /** "52 y", "14 mo", "12 days", or a range for a partial birthDate: "63–64 y". */
  readonly short: string;
  /** Spelled out for assistive technology: "52 years". */
  readonly long: string;
  /** False when a partial birthDate leaves the age uncertain (a range is shown). */
  readonly exact: boolean;
  /** True when this is the age at death. */
  readonly atDeath: boolean;
}

export interface PatientViewOptions {
  /** "Today", for ages and for skipping names, identifiers and contacts whose period ended. Default: now. */
  readonly now?: Date;
  /**
   * The FHIR server's origin (a base URL is accepted too). A photo `url` is kept only
   * when it is on this origin; without it, only inline photos are shown.
   */
  readonly serverOrigin?: string;
  /** BCP 47 locale for dates and ages. Default: the document's `lang`, else `en-US`. */
  readonly locale?: string;
}

/** Shown when a record has no name that may be displayed. */
export const UNNAMED_PATIENT = 'Unnamed patient';

const GENDER_LABELS = { male: 'Male', female: 'Female', other: 'Other', unknown: 'Unknown' } as const;
const INTERPRETER_REQUIRED = 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired';

/**
 * A Patient for display, following FHIR R4 Patient and US Core. Pure and total: any
 * element may be absent or of the wrong type (`name: "x"`, `birthDate: 42`) and a
 * view still comes back; it never throws.
 *
 * - Name: use official > usual > none > temp/nickname/maiden; never old or anonymous;
 *   never a name whose period has ended. Parts first, `HumanName.text` otherwise.
 * - Identifiers: labelled from the v2-0203 type code, else `type.text`, else a known
 *   system, else the system URI. MRN first. SSN masked to its last four digits.
 * - Photo: only an inline image (`data` with an `image/*` contentType, as a data: URL)
 *   or a `url` on `serverOrigin`. Any other URL is dropped: an image URL in FHIR data
 *   is untrusted (it can track whoever opens the record, or load mixed content).
 */
export function toPatientView(patient: Patient, options: PatientViewOptions = {}): PatientView {
  const record: JsonObject = isObject(patient) ? patient : {};
  const now = options.now instanceof Date && !Number.isNaN(options.now.getTime()) ? options.now : new Date();
  const today = calendarDay(now);
  const locale = resolveLocale(options.locale);

  const names = currentNames(record.name, today);
  const displayName = selectDisplayName(names);
  const formattedName = displayName ? formatHumanName(displayName) : undefined;
  const name = formattedName ?? UNNAMED_PATIENT;
  const parts = displayName ? nameParts(displayName) : undefined;
  const hasParts = parts && (parts.given.length > 0 || parts.family !== undefined);

  const birthDate = dateView(record.birthDate, locale);
  const deceased = deceasedView(record, locale);
  const age = ageView(record.birthDate, deceased, now, locale);
  const identifiers = toIdentifierViews(record.identifier, today);
  const gender = typeof record.gender === 'string' && Object.hasOwn(GENDER_LABELS, record.gender) ? (record.gender as keyof typeof GENDER_LABELS) : undefined;
  const preferred = preferredName(names, displayName);
  const photo = photoSource(record.photo, options.serverOrigin);
  const phone = preferredContactPoint(record.telecom, 'phone', today);
  const email = preferredContactPoint(record.telecom, 'email', today);
  const address = preferredAddress(record.address, today);
  const language = preferredLanguage(record.communication, locale);
  const mrn = identifiers.find((identifier) => identifier.kind === 'mrn');
  const id = text(record.id);

  return {
    ...(id ? { id } : {}),
    name,
    named: formattedName !== undefined,
    ...(hasParts ? { nameParts: parts } : {}),
    ...(preferred ? { preferredName: preferred } : {}),
    initials: displayName ? nameInitials(displayName, locale) : '',
    ...(birthDate ? { birthDate } : {}),
    ...(age ? { age } : {}),
    ...(gender ? { gender: { code: gender, label: GENDER_LABELS[gender] } } : {}),
    ...(deceased ? { deceased } : {}),
    active: record.active !== false,
    identifiers,
    ...(mrn ? { mrn } : {}),
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(address ? { address } : {}),
    ...(language ? { language } : {}),
    interpreterRequired: objects(record.extension).some((extension) => extension.url === INTERPRETER_REQUIRED && extension.valueBoolean === true),
    ...(photo ? { photo: { src: photo, alt: formattedName ? `Photo of ${formattedName}` : 'Photo of the patient' } } : {}),
  };
}

function dateView(value: unknown, locale: string): PatientDateView | undefined {
  const parsed = parseFhirDate(value);
  const display = parsed ? formatFhirDate(parsed, { locale }) : undefined;
  return parsed && display ? { value: (value as string).trim(), precision: parsed.precision, display } : undefined;
}

// Patient.deceased[x] (R4): deceasedBoolean or deceasedDateTime. A dateTime present at
// all means deceased, even when it is malformed (then there is no date to show).
function deceasedView(record: JsonObject, locale: string): PatientView['deceased'] {
  if (typeof record.deceasedDateTime === 'string') {
    const date = dateView(record.deceasedDateTime, locale);
    return date ? { date } : {};
  }
  return record.deceasedBoolean === true ? {} : undefined;
}

function ageView(birthDate: unknown, deceased: PatientView['deceased'], now: Date, locale: string): PatientAgeView | undefined {
  // A deceased patient with no date of death has no age to show: their current age would be wrong.
  if (deceased && !deceased.date) return undefined;
  const age = calculateAge(birthDate, { now, deceasedDate: deceased?.date?.value });
  if (!age) return undefined;
  return {
    short: formatAgeValue(age, { locale, style: 'short' }),
    long: formatAgeValue(age, { locale, style: 'long' }),
    exact: age.exact,
    atDeath: age.atDeath,
  };
}

// Patient.communication: the one marked `preferred`, else the first. Named by its text,
// a coding display, or Intl's name for the BCP 47 code (urn:ietf:bcp:47, US Core).
function preferredLanguage(communication: unknown, locale: string): string | undefined {
  const entries = objects(communication).filter((entry) => isObject(entry.language));
  const chosen = entries.find((entry) => entry.preferred === true) ?? entries[0];
  if (!chosen) return undefined;
  const label = conceptText(chosen.language);
  if (label) return label;
  const code = objects((chosen.language as JsonObject).coding)
    .map((coding) => text(coding.code))
    .find(Boolean);
  if (!code) return undefined;
  try {
    return new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code; // not a BCP 47 tag
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]*$/i;

/** The first photo that is safe to load: inline image data, or a URL on the FHIR server's own origin. */
function photoSource(photos: unknown, serverOrigin: string | undefined): string | undefined {
  const origin = originOf(serverOrigin);
  for (const photo of objects(photos)) {
    const contentType = typeof photo.contentType === 'string' ? photo.contentType.split(';')[0]!.trim().toLowerCase() : '';
    if (typeof photo.data === 'string') {
      const data = photo.data.replace(/\s+/g, '');
      if (IMAGE_TYPE.test(contentType) && BASE64.test(data)) return `data:${contentType};base64,${data}`;
      continue;
    }
    if (origin && typeof photo.url === 'string' && (contentType === '' || IMAGE_TYPE.test(contentType))) {
      const url = absoluteUrl(photo.url);
      if (url && url.origin === origin && (url.protocol === 'https:' || url.protocol === 'http:')) return url.href;
    }
  }
  return undefined;
}

function originOf(value: string | undefined): string | undefined {
  const url = value ? absoluteUrl(value) : undefined;
  return url && url.origin !== 'null' ? url.origin : undefined;
}

function absoluteUrl(value: string): URL | undefined {
  try {
    return new URL(value.trim());
  } catch {
    return undefined; // relative or malformed: not loadable without guessing a base
  }
}

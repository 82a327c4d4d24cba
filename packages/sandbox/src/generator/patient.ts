/** The Patient resource: identity details that exercise a patient banner. */
import type { Extension, HumanName, Identifier, Patient, PatientContact } from '@medplum/fhirtypes';
import type { PatientContext } from './context.js';
import { organizationId, organizationName, practitionerId, practitionerName } from './directory.js';
import { CITIES, FAMILY_NAMES, GIVEN_NAMES, LANGUAGES, MIDDLE_NAMES, NICKNAMES, PHOTO_PNG_BASE64, STREETS } from './people.js';
import type { Gender } from './profiles.js';
import { type Random, mixSeed } from './random.js';
import { SYSTEM, concept } from './terminology.js';
import { DAY, YEAR, date, dateTime } from './time.js';

/** Two-digit pieces of a fictional phone number (555-01xx is reserved for fiction). */
function phone(rng: Random): string {
  return `+1 413-555-01${String(rng.int(0, 99)).padStart(2, '0')}`;
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function nameList(gender: Gender, sex: 'male' | 'female'): 'neutral' | 'male' | 'female' {
  return gender === 'other' || gender === 'unknown' ? 'neutral' : sex;
}

/**
 * Picks a name. Within a cohort (`index` known) consecutive patients step
 * through the list with a stride coprime to its length from a seed-chosen
 * start, so names do not repeat across a list's length of patients.
 */
function pickName(items: readonly string[], rng: Random, context: PatientContext, stride: number, salt: string): string {
  if (context.index === undefined) return rng.pick(items);
  return items[(mixSeed(context.seed, salt) + context.index * stride) % items.length];
}

export function buildPatient(context: PatientContext, gender: Gender, rng: Random, birthDate: string): Patient {
  const { spec, builder } = context;
  const identity = spec.identity;
  const adult = (context.end - context.birth) / YEAR >= 18;
  // The demo patient is always "Elizabeth" so the nickname "Liz" is meaningful.
  const list = nameList(gender, context.sex);
  const given = identity.nickname ? 'Elizabeth' : pickName(GIVEN_NAMES[list], rng, context, 5, `given-${list}`);
  const family = pickName(FAMILY_NAMES, rng, context, 7, 'family');
  const middle = rng.chance(0.6) ? rng.pick(MIDDLE_NAMES[list]) : undefined;

  const official: HumanName = { use: 'official', family, given: middle ? [given, middle] : [given] };
  if (identity.prefix) official.prefix = [identity.prefix];
  if (identity.suffix) official.suffix = [identity.suffix];
  const names: HumanName[] = [official];
  if (identity.nickname) names.push({ use: 'usual', given: [NICKNAMES[given] ?? given.slice(0, 3)] });
  if (identity.maidenName) names.push({ use: 'maiden', family: rng.pick(FAMILY_NAMES.filter((name) => name !== family)), given: [given] });
  if (identity.babyName) {
    const label = context.sex === 'female' ? 'Baby Girl' : 'Baby Boy';
    names.push({ use: 'old', given: [label], family, period: { end: date(context.birth + 3 * DAY) } });
  }

  const mrn = String(rng.int(1_000_000, 9_999_999));
  const identifiers: Identifier[] = [
    {
      use: 'usual',
      type: concept(SYSTEM.identifierType, 'MR', 'Medical record number', 'MRN'),
      system: SYSTEM.mrn,
      value: mrn,
      assigner: { reference: `Organization/${organizationId('hospital')}`, display: organizationName('hospital') },
    },
    // A second MRN from the clinic's older system, identified only by an OID.
    { use: 'secondary', type: concept(SYSTEM.identifierType, 'MR', 'Medical record number', 'MRN'), system: 'urn:oid:2.16.840.1.113883.3.4259.1', value: `C${rng.int(100000, 999999)}` },
  ];
  if (adult) {
    identifiers.push({
      use: 'official',
      type: concept(SYSTEM.identifierType, 'SS', 'Social Security number', 'SSN'),
      system: SYSTEM.ssn,
      // 999-xx-xxxx is never issued, so it cannot be anybody's real number.
      value: `999-${String(rng.int(10, 99))}-${String(rng.int(1000, 9999))}`,
    });
    // Only type.text: many feeds send the license with no coded type.
    identifiers.push({ type: { text: "Driver's license" }, system: 'urn:oid:2.16.840.1.113883.4.3.25', value: `S${rng.int(10_000_000, 99_999_999)}` });
  }

  const [city, postalCode] = rng.pick(CITIES);
  const street = `${rng.int(2, 480)} ${rng.pick(STREETS)}`;
  const homePhone = phone(rng);

  const extension: Extension[] = [{ url: SYSTEM.birthSex, valueCode: context.sex === 'female' ? 'F' : 'M' }];

  const patient: Patient = {
    resourceType: 'Patient',
    id: builder.patientId,
    meta: builder.meta(),
    extension,
    identifier: identifiers,
    active: true,
    name: names,
    telecom: [
      { system: 'phone', value: homePhone, use: 'home', rank: 1 },
      ...(adult || context.end - context.birth > 12 * YEAR ? [{ system: 'phone' as const, value: phone(rng), use: 'mobile' as const, rank: 2 }] : []),
      ...(adult ? [{ system: 'email' as const, value: `${ascii(given)}.${ascii(family)}@example.com`, use: 'home' as const }] : []),
    ],
    gender,
    birthDate,
  };
  if (context.spec.deceased) patient.deceasedDateTime = dateTime(context.end);
  patient.address = [
    {
      use: 'home',
      type: 'both',
      line: rng.chance(0.3) ? [street, `Apt ${rng.int(1, 40)}`] : [street],
      city,
      state: 'MA',
      postalCode,
      country: 'US',
      period: { start: date(Math.max(context.birth, context.end - rng.int(2, 20) * YEAR)) },
    },
  ];
  if (identity.maritalStatus) {
    const display = { M: 'Married', S: 'Never Married', W: 'Widowed', D: 'Divorced' }[identity.maritalStatus];
    patient.maritalStatus = concept(SYSTEM.maritalStatus, identity.maritalStatus, display);
  }
  if (identity.babyName) patient.multipleBirthBoolean = false;
  if (identity.photo) {
    patient.photo = [{ contentType: 'image/png', data: PHOTO_PNG_BASE64, title: 'Profile photo', creation: date(context.end - 400 * DAY) }];
  }
  if (!adult || rng.chance(0.6) || spec.deceased || identity.nickname) patient.contact = [nextOfKin(context, family, adult, rng)];
  const languages = identity.languages ?? ['en-US'];
  patient.communication = languages.map((code, index) => {
    const display = LANGUAGES.find(([tag]) => tag === code)?.[1] ?? code;
    return { language: concept(SYSTEM.bcp47, code, display), preferred: index === 0 };
  });
  patient.generalPractitioner = [{ reference: `Practitioner/${practitionerId(context.pcp)}`, display: practitionerName(context.pcp) }];
  patient.managingOrganization = { reference: `Organization/${organizationId(context.home)}`, display: organizationName(context.home) };
  return patient;
}

function nextOfKin(context: PatientContext, family: string, adult: boolean, rng: Random): PatientContact {
  const parent = !adult;
  const female = rng.chance(0.5);
  const given = rng.pick(female ? GIVEN_NAMES.female : GIVEN_NAMES.male);
  const relation = parent ? (female ? 'Mother' : 'Father') : context.spec.identity.maritalStatus === 'M' ? (female ? 'Wife' : 'Husband') : female ? 'Sister' : 'Brother';
  return {
    relationship: [{ coding: [{ system: SYSTEM.contactRelationship, code: 'N', display: 'Next-of-Kin' }], text: relation }, concept(SYSTEM.contactRelationship, 'C', 'Emergency Contact')],
    name: { use: 'official', family, given: [given] },
    telecom: [{ system: 'phone', value: phone(rng), use: 'mobile' }],
    gender: female ? 'female' : 'male',
  };
}

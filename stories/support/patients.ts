// Hand-written Patients for the stories: one per situation a banner must get right.
import type { Patient } from '@medplum/fhirtypes';

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** An ISO date `days` days before today, so infant ages read the same whatever day the story is opened. */
export function daysAgo(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() - days);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A 48x48 PNG illustration (not a real person), inline as FHIR Attachment.data. */
const PHOTO =
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAABiElEQVR42s3Ox00EQRSE4QqnguBMOJxh8eu9mfV4j0Qm5EIQLFJf0PT09HvqHT3pO1f94HHdFPCkbgpYa5gCnjZMAc+apoDnTVPAi5Yp4GXLFPCqbQp43U7i5/sryQ5Y76jtIoqoN8FGRydQ45pUs2Czq1Ba45rky2CrKxVZ45qE42C7JyKqcU2SfbDTE9EESfbBbl9EEyTZB3t9EU2QZB/sD+IpalxT9AU4GIhoaiT74HAoogmS7IOjoYgmSLIPjkcimiDJPjgZSclqhOPgdKwQWyNfBmdjnfIa1SyYTdRCNdpNcD5J4i8ixQ64mJoCLqemgKuZKeB6Zgq4yZI4ODxKsgNuM51dQZhuFryZi5R2eMok++DtPJ6ixjVFX4B3ixjqlH9ZEUfg/aJUkhrXVPYFPizDEta4puAd+LgMSF7jmoofwadVwL6Cih/B51WRPdW4poJT8GXttdca1+T7BV/XXlUE+X7Bt41XFUG+X/B9k1dBjWvKXYMf27zqgnLX4Oc2r7qg3PUvk2/Xq/8X8ocAAAAASUVORK5CYII=';

/** A full record: names, nickname, identifiers (SSN masked), contact, language, photo. */
export const amyShaw: Patient = {
  resourceType: 'Patient',
  id: 'amy-shaw',
  active: true,
  name: [
    { use: 'official', prefix: ['Ms.'], given: ['Amy', 'V.'], family: 'Shaw' },
    { use: 'nickname', given: ['Aims'] },
    { use: 'old', given: ['Amy'], family: 'Baxter', period: { end: '1999-06-01' } },
  ],
  gender: 'female',
  birthDate: '1973-05-03',
  identifier: [
    { use: 'official', type: { coding: [{ system: V2, code: 'MR', display: 'Medical record number' }] }, system: 'urn:oid:1.2.36.146.595.217.0.1', value: 'MRN-0042-7731', assigner: { display: 'Good Health Clinic' } },
    { system: 'http://hl7.org/fhir/sid/us-ssn', value: '444-22-6789' },
    { type: { coding: [{ system: V2, code: 'DL' }] }, system: 'urn:oid:2.16.840.1.113883.4.3.25', value: 'S99988801' },
    { type: { coding: [{ system: V2, code: 'MB' }] }, system: 'https://payer.example/members', value: 'XJH-55502' },
  ],
  telecom: [
    { system: 'phone', value: '(555) 010-2000', use: 'mobile' },
    { system: 'phone', value: '(555) 010-9999', use: 'work' },
    { system: 'email', value: 'amy.shaw@example.com', use: 'home' },
  ],
  address: [{ use: 'home', line: ['49 Meadow St', 'Apt 2B'], city: 'Springfield', state: 'MA', postalCode: '01103', country: 'US' }],
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en-US' }], text: 'English' }, preferred: true }],
  photo: [{ contentType: 'image/png', data: PHOTO }],
};

/** A newborn, 12 days old: age in days. */
export const newborn: Patient = {
  resourceType: 'Patient',
  id: 'newborn',
  name: [{ use: 'official', given: ['Baby Girl'], family: 'Nguyen' }],
  gender: 'female',
  birthDate: daysAgo(12),
  identifier: [{ type: { coding: [{ system: V2, code: 'MR' }] }, value: 'MRN-0099-0001' }],
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'vi' }] }, preferred: true }],
  extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired', valueBoolean: true }],
};

/** A toddler, about 14 months old: age in months. */
export const toddler: Patient = {
  resourceType: 'Patient',
  id: 'toddler',
  name: [{ use: 'official', given: ['Mateo'], family: 'García López' }],
  gender: 'male',
  birthDate: daysAgo(14 * 30.5),
  identifier: [{ type: { coding: [{ system: V2, code: 'MR' }] }, value: 'MRN-0099-0002' }],
};

/** A deceased patient: badge with the date, age at death. */
export const deceased: Patient = {
  resourceType: 'Patient',
  id: 'deceased',
  name: [{ use: 'official', given: ['Harold', 'J.'], family: 'Whitfield' }],
  gender: 'male',
  birthDate: '1940-01-15',
  deceasedDateTime: '2018-07-20T14:30:00-04:00',
  identifier: [{ type: { coding: [{ system: V2, code: 'MR' }] }, value: 'MRN-0007-1940' }],
};

/** Only a birth year and month are known: shown as "Apr 1961", never invented into a day. */
export const partialBirthDate: Patient = {
  resourceType: 'Patient',
  id: 'partial',
  name: [{ text: 'Rosa Delgado' }],
  gender: 'female',
  birthDate: '1961-04',
  identifier: [{ type: { coding: [{ system: V2, code: 'MR' }] }, value: 'MRN-1961-0004' }],
};

/** Only a birth year: the age is a range. */
export const birthYearOnly: Patient = {
  resourceType: 'Patient',
  id: 'year-only',
  name: [{ given: ['Samuel'], family: 'Okafor' }],
  gender: 'unknown',
  birthDate: '1958',
};

/** Nothing but an id. */
export const minimal: Patient = { resourceType: 'Patient', id: 'minimal' };

/** Markup in every string: it must be shown as text, never run or rendered. */
export const malicious: Patient = {
  resourceType: 'Patient',
  id: 'malicious',
  name: [{ use: 'official', given: ['<script>alert("name")</script>'], family: '<img src=x onerror=alert("family")>' }],
  birthDate: '1990-02-28',
  identifier: [{ type: { text: '<b onmouseover=alert(1)>MRN</b>' }, value: '"><svg onload=alert(1)>' }],
  telecom: [
    { system: 'phone', value: 'javascript:alert(1)' },
    { system: 'email', value: '<a href=javascript:alert(1)>mail</a>' },
  ],
  address: [{ text: '<iframe src="https://tracker.example.net"></iframe>' }],
  // A remote "photo" is a tracking pixel: dropped, initials shown instead.
  photo: [{ contentType: 'image/gif', url: 'https://tracker.example.net/pixel.gif?patient=malicious' }],
};

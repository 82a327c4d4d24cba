/**
 * The organisations and practitioners every record draws its care team from.
 * They are fixed (not seeded) so records from different seeds that a server
 * loads side by side PUT identical copies of them rather than conflicting.
 */
import type { Organization, Practitioner } from '@medplum/fhirtypes';
import { SYSTEM, concept } from './terminology.js';

export type OrganizationKey = 'hospital' | 'clinic' | 'pediatrics' | 'lab' | 'pharmacy';

export type PractitionerKey =
  | 'family'
  | 'familyDo'
  | 'pediatrician'
  | 'emergency'
  | 'hospitalist'
  | 'cardiologist'
  | 'endocrinologist'
  | 'radiologist'
  | 'nurse'
  | 'nursePractitioner';

const ORGANIZATIONS: Record<OrganizationKey, { name: string; type: [string, string]; npi: string; line: string; city: string; postalCode: string; phone: string }> = {
  hospital: { name: 'Riverside General Hospital', type: ['prov', 'Healthcare Provider'], npi: '1548276391', line: '400 Riverside Drive', city: 'Springfield', postalCode: '01103', phone: '+1 413-555-0100' },
  clinic: { name: 'Maple Street Family Medicine', type: ['prov', 'Healthcare Provider'], npi: '1659384027', line: '18 Maple Street, Suite 2', city: 'Springfield', postalCode: '01105', phone: '+1 413-555-0110' },
  pediatrics: { name: 'Little Oaks Pediatrics', type: ['prov', 'Healthcare Provider'], npi: '1760492813', line: '75 Chestnut Street', city: 'Holyoke', postalCode: '01040', phone: '+1 413-555-0120' },
  lab: { name: 'Northeast Clinical Laboratories', type: ['prov', 'Healthcare Provider'], npi: '1871503640', line: '2 Industrial Park Road', city: 'Chicopee', postalCode: '01020', phone: '+1 413-555-0130' },
  pharmacy: { name: 'Corner Pharmacy', type: ['prov', 'Healthcare Provider'], npi: '1982614759', line: '311 Main Street', city: 'Springfield', postalCode: '01105', phone: '+1 413-555-0140' },
};

interface PractitionerEntry {
  prefix?: string;
  given: string[];
  family: string;
  suffix: string;
  gender: 'male' | 'female';
  npi: string;
  qualification: [string, string];
}

// Qualification codes from v2-0360 (degree/license).
const PRACTITIONERS: Record<PractitionerKey, PractitionerEntry> = {
  family: { prefix: 'Dr.', given: ['Amelia', 'Rose'], family: 'Hart', suffix: 'MD', gender: 'female', npi: '1093817465', qualification: ['MD', 'Doctor of Medicine'] },
  familyDo: { prefix: 'Dr.', given: ['Samuel'], family: 'Osei', suffix: 'DO', gender: 'male', npi: '1184926574', qualification: ['DO', 'Doctor of Osteopathy'] },
  pediatrician: { prefix: 'Dr.', given: ['Priya'], family: 'Raman', suffix: 'MD', gender: 'female', npi: '1275035683', qualification: ['MD', 'Doctor of Medicine'] },
  emergency: { prefix: 'Dr.', given: ['Marcus', 'J.'], family: 'Delgado', suffix: 'MD', gender: 'male', npi: '1366144792', qualification: ['MD', 'Doctor of Medicine'] },
  hospitalist: { prefix: 'Dr.', given: ['Hannah'], family: 'Lindqvist', suffix: 'MD', gender: 'female', npi: '1457253801', qualification: ['MD', 'Doctor of Medicine'] },
  cardiologist: { prefix: 'Dr.', given: ['Robert'], family: 'Chen', suffix: 'MD', gender: 'male', npi: '1548362910', qualification: ['MD', 'Doctor of Medicine'] },
  endocrinologist: { prefix: 'Dr.', given: ['Olivia'], family: 'Brennan', suffix: 'MD', gender: 'female', npi: '1639471029', qualification: ['MD', 'Doctor of Medicine'] },
  radiologist: { prefix: 'Dr.', given: ['Fatima'], family: 'Al-Sayed', suffix: 'MD', gender: 'female', npi: '1720580138', qualification: ['MD', 'Doctor of Medicine'] },
  nurse: { given: ['Jordan'], family: 'Blake', suffix: 'RN', gender: 'male', npi: '1811699247', qualification: ['RN', 'Registered Nurse'] },
  nursePractitioner: { given: ['Grace'], family: 'Kim', suffix: 'NP', gender: 'female', npi: '1902708356', qualification: ['NP', 'Nurse Practitioner'] },
};

export function organizationId(key: OrganizationKey): string {
  return `org-${key}`;
}

export function practitionerId(key: PractitionerKey): string {
  return `pr-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function organizationName(key: OrganizationKey): string {
  return ORGANIZATIONS[key].name;
}

export function practitionerName(key: PractitionerKey): string {
  const entry = PRACTITIONERS[key];
  return [entry.prefix, ...entry.given, entry.family].filter(Boolean).join(' ') + `, ${entry.suffix}`;
}

export function buildOrganization(key: OrganizationKey, lastUpdated: string): Organization {
  const entry = ORGANIZATIONS[key];
  return {
    resourceType: 'Organization',
    id: organizationId(key),
    meta: { lastUpdated },
    identifier: [{ system: SYSTEM.npi, value: entry.npi }],
    active: true,
    type: [concept(SYSTEM.organizationType, entry.type[0], entry.type[1])],
    name: entry.name,
    telecom: [{ system: 'phone', value: entry.phone, use: 'work' }],
    address: [{ use: 'work', line: [entry.line], city: entry.city, state: 'MA', postalCode: entry.postalCode, country: 'US' }],
  };
}

export function buildPractitioner(key: PractitionerKey, lastUpdated: string): Practitioner {
  const entry = PRACTITIONERS[key];
  return {
    resourceType: 'Practitioner',
    id: practitionerId(key),
    meta: { lastUpdated },
    identifier: [{ system: SYSTEM.npi, value: entry.npi }],
    active: true,
    name: [{ use: 'official', family: entry.family, given: entry.given, ...(entry.prefix ? { prefix: [entry.prefix] } : {}), suffix: [entry.suffix] }],
    telecom: [{ system: 'phone', value: '+1 413-555-0150', use: 'work' }],
    gender: entry.gender,
    qualification: [{ code: concept('http://terminology.hl7.org/CodeSystem/v2-0360', entry.qualification[0], entry.qualification[1]) }],
  };
}

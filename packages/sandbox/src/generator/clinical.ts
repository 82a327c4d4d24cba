/**
 * Builders for the clinical resources both the long-running story of a record
 * (problems, medications, immunizations) and single visits produce.
 */
import type {
  CodeableConcept, Condition, DocumentReference, Encounter, Immunization, Medication, MedicationRequest,
  MedicationStatement, Observation, Procedure,
} from '@medplum/fhirtypes';
import { base64, type AnyReference } from './builder.js';
import { type PatientContext, ageInYears } from './context.js';
import { type OrganizationKey, type PractitionerKey, organizationId, organizationName, practitionerId, practitionerName } from './directory.js';
import { observation } from './observations.js';
import type { Random } from './random.js';
import {
  CONDITIONS, type ConditionName, DOCUMENT_TYPES, type DocumentTypeName, ENCOUNTER_TYPES, type EncounterTypeName, MEDICATIONS,
  MEDICATION_PRODUCTS, type MedicationName, type MedicationProductName, PROCEDURES, type ProcedureName, ROUTES, SEVERITY,
  SMOKING_STATUS, type SmokingStatus, SYSTEM, VACCINES, type VaccineName, coding, concept, loinc,
} from './terminology.js';
import { DAY, MINUTE, date, dateTime, instant } from './time.js';

export function practitionerReference(key: PractitionerKey): AnyReference {
  return { reference: `Practitioner/${practitionerId(key)}`, display: practitionerName(key) };
}

export function organizationReference(key: OrganizationKey): AnyReference {
  return { reference: `Organization/${organizationId(key)}`, display: organizationName(key) };
}

export function conditionCode(name: ConditionName): CodeableConcept {
  const definition = CONDITIONS[name];
  return {
    coding: [coding(SYSTEM.snomed, definition.snomed, definition.display), coding(SYSTEM.icd10cm, definition.icd10, definition.icdDisplay)],
    text: definition.display,
  };
}

// ---------------------------------------------------------------- Encounter

const CLASS = {
  AMB: coding(SYSTEM.actCode, 'AMB', 'ambulatory'),
  EMER: coding(SYSTEM.actCode, 'EMER', 'emergency'),
  IMP: coding(SYSTEM.actCode, 'IMP', 'inpatient encounter'),
};

export interface EncounterArgs {
  id: string;
  encounterClass: keyof typeof CLASS;
  type: EncounterTypeName;
  start: number;
  end: number;
  practitioner: PractitionerKey;
  organization: OrganizationKey;
  reasons: ConditionName[];
  diagnoses: AnyReference[];
  discharge?: 'home' | 'snf' | 'exp';
}

const DISCHARGE_DISPLAY = { home: 'Home', snf: 'Skilled nursing facility', exp: 'Expired' } as const;

export function buildEncounter(context: PatientContext, args: EncounterArgs): Encounter {
  const [code, display, text] = ENCOUNTER_TYPES[args.type];
  const period = { start: dateTime(args.start), end: dateTime(args.end) };
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: args.id,
    meta: context.builder.meta(args.end, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter'),
    status: 'finished',
    class: CLASS[args.encounterClass],
    type: [concept(SYSTEM.snomed, code, display, text)],
    subject: context.patient,
    participant: [
      {
        type: [concept(SYSTEM.participationType, args.encounterClass === 'AMB' ? 'PPRF' : 'ATND', args.encounterClass === 'AMB' ? 'primary performer' : 'attender')],
        period,
        individual: practitionerReference(args.practitioner),
      },
    ],
    period,
  };
  if (args.reasons.length) encounter.reasonCode = args.reasons.map(conditionCode);
  if (args.diagnoses.length) encounter.diagnosis = args.diagnoses.map((condition, index) => ({ condition, rank: index + 1 }));
  if (args.discharge) {
    encounter.hospitalization = { dischargeDisposition: concept(SYSTEM.dischargeDisposition, args.discharge, DISCHARGE_DISPLAY[args.discharge]) };
  }
  encounter.serviceProvider = organizationReference(args.organization);
  return encounter;
}

// ---------------------------------------------------------------- Condition

export interface ConditionArgs {
  name: ConditionName;
  onset: number;
  onsetAs?: 'dateTime' | 'date' | 'age' | 'string';
  onsetText?: string;
  resolved?: number;
  inactive?: boolean;
  verification?: 'confirmed' | 'provisional' | 'differential' | 'unconfirmed' | 'refuted' | 'entered-in-error';
  severity?: keyof typeof SEVERITY;
  category: 'problem-list-item' | 'encounter-diagnosis';
  encounter?: AnyReference;
  recorded: number;
  recorder: AnyReference;
}

const CATEGORY_DISPLAY = { 'problem-list-item': 'Problem List Item', 'encounter-diagnosis': 'Encounter Diagnosis' } as const;
const VERIFICATION_DISPLAY = {
  confirmed: 'Confirmed', provisional: 'Provisional', differential: 'Differential', unconfirmed: 'Unconfirmed', refuted: 'Refuted', 'entered-in-error': 'Entered in Error',
} as const;

export function buildCondition(context: PatientContext, args: ConditionArgs): Condition {
  const verification = args.verification ?? 'confirmed';
  // Built field by field in FHIR's element order; required elements are set below.
  const condition = {
    resourceType: 'Condition',
    id: context.builder.id('cond'),
    meta: context.builder.meta(args.recorded, `http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-${args.category === 'problem-list-item' ? 'problems-health-concerns' : 'encounter-diagnosis'}`),
  } as Condition;
  // con-5: no clinicalStatus on an entered-in-error condition.
  if (verification !== 'entered-in-error') {
    const status = args.resolved !== undefined ? 'resolved' : args.inactive ? 'inactive' : 'active';
    const display = { resolved: 'Resolved', inactive: 'Inactive', active: 'Active' }[status];
    condition.clinicalStatus = { coding: [coding(SYSTEM.conditionClinical, status, display)], text: display };
  }
  condition.verificationStatus = { coding: [coding(SYSTEM.conditionVerification, verification, VERIFICATION_DISPLAY[verification])], text: VERIFICATION_DISPLAY[verification] };
  condition.category = [{ coding: [coding(SYSTEM.conditionCategory, args.category, CATEGORY_DISPLAY[args.category])], text: CATEGORY_DISPLAY[args.category] }];
  if (args.severity) condition.severity = SEVERITY[args.severity];
  condition.code = conditionCode(args.name);
  condition.subject = context.patient;
  if (args.encounter) condition.encounter = args.encounter;
  switch (args.onsetAs ?? 'dateTime') {
    case 'dateTime':
      condition.onsetDateTime = dateTime(args.onset);
      break;
    case 'date':
      condition.onsetDateTime = date(args.onset);
      break;
    case 'age':
      condition.onsetAge = { value: Math.floor(ageInYears(context, args.onset)), unit: 'years', system: SYSTEM.ucum, code: 'a' };
      break;
    case 'string':
      condition.onsetString = args.onsetText ?? 'Unknown';
      break;
  }
  if (args.resolved !== undefined) condition.abatementDateTime = date(args.resolved);
  condition.recordedDate = dateTime(args.recorded);
  condition.recorder = args.recorder;
  condition.asserter = args.recorder;
  return condition;
}

// ---------------------------------------------------------------- medications

export function buildMedication(context: PatientContext, product: MedicationProductName): Medication {
  const definition = MEDICATION_PRODUCTS[product];
  return {
    resourceType: 'Medication',
    id: context.builder.id('med'),
    meta: context.builder.meta(),
    code: concept(SYSTEM.rxnorm, definition.rxnorm, definition.display),
    status: 'active',
    form: concept(SYSTEM.snomed, definition.form[0], definition.form[1]),
    ingredient: [{ itemCodeableConcept: concept(SYSTEM.rxnorm, definition.ingredient[0], definition.ingredient[1]), isActive: true }],
  };
}

export interface MedicationRequestArgs {
  med?: MedicationName;
  /** The Medication resource for medicationReference. */
  product?: { reference: AnyReference; name: MedicationProductName };
  status: 'active' | 'stopped' | 'completed';
  authored: number;
  /** End of the supply or of the course. */
  until?: number;
  encounter?: AnyReference;
  requester: AnyReference;
  reason?: AnyReference;
  inpatient?: boolean;
  stopReason?: string;
}

export function buildMedicationRequest(context: PatientContext, args: MedicationRequestArgs): MedicationRequest {
  const definition = args.med ? MEDICATIONS[args.med] : undefined;
  const product = args.product ? MEDICATION_PRODUCTS[args.product.name] : undefined;
  const sig = definition?.sig ?? product?.sig ?? 'As directed';
  const frequency = definition?.frequency ?? product?.frequency ?? 1;
  const route = definition?.route ?? 'oral';
  // Built field by field in FHIR's element order; required elements are set below.
  const request = {
    resourceType: 'MedicationRequest',
    id: context.builder.id('mrx'),
    meta: context.builder.meta(args.authored, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest'),
    status: args.status,
  } as MedicationRequest;
  if (args.stopReason) request.statusReason = { text: args.stopReason };
  request.intent = 'order';
  request.category = [args.inpatient ? concept(SYSTEM.medicationRequestCategory, 'inpatient', 'Inpatient') : concept(SYSTEM.medicationRequestCategory, 'community', 'Community')];
  if (args.product) request.medicationReference = args.product.reference;
  else if (definition) request.medicationCodeableConcept = concept(SYSTEM.rxnorm, definition.rxnorm, definition.display);
  request.subject = context.patient;
  if (args.encounter) request.encounter = args.encounter;
  request.authoredOn = dateTime(args.authored);
  request.requester = args.requester;
  if (args.reason) request.reasonReference = [args.reason];
  request.dosageInstruction = [
    {
      sequence: 1,
      text: sig,
      timing: { repeat: { frequency, period: 1, periodUnit: 'd' } },
      ...(/as needed/.test(sig) ? { asNeededBoolean: true } : {}),
      route: ROUTES[route],
    },
  ];
  request.dispenseRequest = {
    validityPeriod: args.until === undefined ? { start: date(args.authored) } : { start: date(args.authored), end: date(args.until) },
    numberOfRepeatsAllowed: args.status === 'completed' ? 0 : 3,
  };
  return request;
}

export interface MedicationStatementArgs {
  med?: MedicationName;
  text?: string;
  status: 'active' | 'completed';
  start: number;
  end?: number;
  asserted: number;
  dosage: string;
}

export function buildMedicationStatement(context: PatientContext, args: MedicationStatementArgs): MedicationStatement {
  const definition = args.med ? MEDICATIONS[args.med] : undefined;
  const statement: MedicationStatement = {
    resourceType: 'MedicationStatement',
    id: context.builder.id('mst'),
    meta: context.builder.meta(args.asserted),
    status: args.status,
    // Uncoded when the patient names an over-the-counter product nobody coded.
    medicationCodeableConcept: definition ? concept(SYSTEM.rxnorm, definition.rxnorm, definition.display) : { text: args.text ?? 'Unknown medication' },
    subject: context.patient,
    effectivePeriod: args.end === undefined ? { start: date(args.start) } : { start: date(args.start), end: date(args.end) },
    dateAsserted: dateTime(args.asserted),
    informationSource: context.patient,
    dosage: [{ text: args.dosage }],
  };
  return statement;
}

// ---------------------------------------------------------------- Immunization

export interface ImmunizationArgs {
  vaccine: VaccineName;
  at: number;
  encounter?: AnyReference;
  performer: AnyReference;
  notDone?: 'PATOBJ' | 'MEDPREC' | 'OSTOCK' | 'IMMUNE';
  dose?: number;
}

const NOT_DONE_DISPLAY = { PATOBJ: 'patient objection', MEDPREC: 'medical precaution', OSTOCK: 'product out of stock', IMMUNE: 'immunity' } as const;

export function buildImmunization(context: PatientContext, rng: Random, args: ImmunizationArgs): Immunization {
  const [code, display] = VACCINES[args.vaccine];
  // Built field by field in FHIR's element order; required elements are set below.
  const immunization = {
    resourceType: 'Immunization',
    id: context.builder.id('imm'),
    meta: context.builder.meta(args.at, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-immunization'),
    status: args.notDone ? 'not-done' : 'completed',
  } as Immunization;
  if (args.notDone) immunization.statusReason = concept(SYSTEM.actReason, args.notDone, NOT_DONE_DISPLAY[args.notDone]);
  immunization.vaccineCode = concept(SYSTEM.cvx, code, display);
  immunization.patient = context.patient;
  if (args.encounter) immunization.encounter = args.encounter;
  immunization.occurrenceDateTime = dateTime(args.at);
  immunization.recorded = dateTime(args.at + 5 * MINUTE);
  immunization.primarySource = true;
  if (!args.notDone) {
    immunization.lotNumber = `${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}${rng.int(1000, 9999)}`;
    immunization.expirationDate = date(args.at + rng.int(120, 700) * DAY);
    immunization.site = rng.chance(0.5) ? concept('http://terminology.hl7.org/CodeSystem/v3-ActSite', 'LA', 'left arm') : concept('http://terminology.hl7.org/CodeSystem/v3-ActSite', 'RA', 'right arm');
    immunization.route = concept('http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', 'IM', 'Injection, intramuscular');
    immunization.performer = [{ function: concept('http://terminology.hl7.org/CodeSystem/v2-0443', 'AP', 'Administering Provider'), actor: args.performer }];
  }
  if (args.dose) immunization.protocolApplied = [{ doseNumberPositiveInt: args.dose }];
  return immunization;
}

// ---------------------------------------------------------------- Procedure

export interface ProcedureArgs {
  name: ProcedureName;
  start: number;
  /** Given for a procedure with a duration (performedPeriod). */
  end?: number;
  encounter?: AnyReference;
  performer: AnyReference;
  reason?: AnyReference;
}

export function buildProcedure(context: PatientContext, args: ProcedureArgs): Procedure {
  const [code, display] = PROCEDURES[args.name];
  const procedure: Procedure = {
    resourceType: 'Procedure',
    id: context.builder.id('proc'),
    meta: context.builder.meta(args.end ?? args.start, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure'),
    status: 'completed',
    code: concept(SYSTEM.snomed, code, display, display.replace(/ \(procedure\)$/, '')),
    subject: context.patient,
  };
  if (args.encounter) procedure.encounter = args.encounter;
  if (args.end === undefined) procedure.performedDateTime = dateTime(args.start);
  else procedure.performedPeriod = { start: dateTime(args.start), end: dateTime(args.end) };
  procedure.performer = [{ actor: args.performer }];
  if (args.reason) procedure.reasonReference = [args.reason];
  return procedure;
}

// ---------------------------------------------------------------- DocumentReference

export interface DocumentArgs {
  type: DocumentTypeName;
  at: number;
  encounter?: AnyReference;
  /** Period the note covers, defaults to `at`. */
  period?: [number, number];
  author: AnyReference;
  custodian: AnyReference;
  title: string;
  contentType: 'text/plain' | 'text/html';
  body: string;
}

export function buildDocument(context: PatientContext, args: DocumentArgs): DocumentReference {
  const [code, display] = DOCUMENT_TYPES[args.type];
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    id: context.builder.id('doc'),
    meta: context.builder.meta(args.at, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference'),
    status: 'current',
    docStatus: 'final',
    type: loinc(code, display),
    category: [concept(SYSTEM.documentCategory, 'clinical-note', 'Clinical Note')],
    subject: context.patient,
    // DocumentReference.date is an instant.
    date: instant(args.at),
    author: [args.author],
    custodian: args.custodian,
    description: args.title,
    content: [
      {
        attachment: { contentType: `${args.contentType}; charset=utf-8`, language: 'en-US', data: base64(args.body), title: args.title, creation: dateTime(args.at) },
        format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
      },
    ],
  };
  const [start, end] = args.period ?? [args.at, args.at];
  document.context = { ...(args.encounter ? { encounter: [args.encounter] } : {}), period: { start: dateTime(start), end: dateTime(end) } };
  return document;
}

// ---------------------------------------------------------------- social history

export function smokingStatus(context: PatientContext, status: SmokingStatus, at: number, encounter: AnyReference | undefined, performer: AnyReference): Observation {
  const [code, display, text] = SMOKING_STATUS[status];
  const result = observation(context, {
    category: 'social-history',
    code: loinc('72166-2', 'Tobacco smoking status', 'Smoking status'),
    at,
    issuedAfter: 5,
    encounter,
    performer: [performer],
    profile: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-smokingstatus',
  });
  result.valueCodeableConcept = concept(SYSTEM.snomed, code, display, text);
  return result;
}

/**
 * Allergy lists. Together they cover every criticality (and none), every
 * category, every clinical and verification status, the onset forms
 * (dateTime, a bare year, a string, none), and the two "nothing known"
 * situations a UI must not confuse with "nothing recorded".
 */
import type { AllergyIntolerance, AllergyIntoleranceReaction, CodeableConcept } from '@medplum/fhirtypes';
import type { AnyReference } from './builder.js';
import type { PatientContext } from './context.js';
import type { AllergySet } from './profiles.js';
import type { Random } from './random.js';
import { MANIFESTATIONS, NO_KNOWN_ALLERGY, NO_KNOWN_DRUG_ALLERGY, SYSTEM, VACCINES, coding, concept } from './terminology.js';
import { DAY, YEAR, date, dateTime } from './time.js';

type Manifestation = keyof typeof MANIFESTATIONS;

interface AllergyEntry {
  code: CodeableConcept;
  category?: AllergyIntolerance['category'];
  type?: AllergyIntolerance['type'];
  criticality?: AllergyIntolerance['criticality'];
  /** Omitted for entered-in-error, where FHIR forbids it (ait-2). */
  clinical?: 'active' | 'inactive' | 'resolved';
  verification: 'unconfirmed' | 'confirmed' | 'refuted' | 'entered-in-error';
  /** full: a dateTime; year: a year-only dateTime ("2009"); string: onsetString. */
  onset?: { form: 'full' | 'year'; at: number } | { form: 'string'; text: string };
  reactions?: Array<{ manifestations: Manifestation[]; severity?: 'mild' | 'moderate' | 'severe'; description?: string; at?: number }>;
  note?: string;
  lastOccurrence?: number;
}

const rxnorm = (code: string, display: string, text: string = display): CodeableConcept => concept(SYSTEM.rxnorm, code, display, text);
const snomed = (code: string, display: string, text: string = display): CodeableConcept => concept(SYSTEM.snomed, code, display, text);

const PENICILLIN: CodeableConcept = {
  coding: [coding(SYSTEM.rxnorm, '7980', 'penicillin G'), coding(SYSTEM.snomed, '764146007', 'Penicillin (substance)')],
  text: 'Penicillin',
};

function entries(set: AllergySet, context: PatientContext, rng: Random): AllergyEntry[] {
  const end = context.end;
  const yearsAgo = (years: number): number => Math.max(context.birth + 30 * DAY, end - years * YEAR - rng.int(0, 200) * DAY);
  switch (set) {
    case 'none':
      return [];
    case 'nka':
      return [{ code: NO_KNOWN_ALLERGY, clinical: 'active', verification: 'confirmed' }];
    case 'nkda':
      return [{ code: NO_KNOWN_DRUG_ALLERGY, clinical: 'active', verification: 'confirmed' }];
    case 'rich': {
      const anaphylaxis = context.conditions.find((condition) => condition.plan.name === 'anaphylaxis')?.onset ?? yearsAgo(4);
      return [
        {
          code: PENICILLIN, category: ['medication'], type: 'allergy', criticality: 'high', clinical: 'active', verification: 'confirmed',
          onset: { form: 'full', at: anaphylaxis }, lastOccurrence: anaphylaxis,
          reactions: [{ manifestations: ['anaphylaxis', 'hives'], severity: 'severe', description: 'Throat tightness and hives within minutes of the first amoxicillin dose; treated with epinephrine in the ED.', at: anaphylaxis }],
          note: 'Carries an epinephrine auto-injector. Avoid all penicillins; cephalosporins only with allergist input.',
        },
        {
          // Coded, with no text: a UI has to fall back to the coding's display.
          code: { coding: [coding(SYSTEM.snomed, '735029006', 'Shellfish (substance)')] },
          category: ['food'], type: 'allergy', criticality: 'unable-to-assess', clinical: 'active', verification: 'confirmed',
          onset: { form: 'year', at: yearsAgo(17) },
          reactions: [{ manifestations: ['nausea', 'vomiting'], severity: 'moderate' }],
        },
        {
          code: snomed('111088007', 'Latex (substance)', 'Latex'), category: ['environment'], type: 'allergy', criticality: 'low', clinical: 'active', verification: 'confirmed',
          onset: { form: 'string', text: 'As a teenager' },
          reactions: [{ manifestations: ['rash', 'itching'], severity: 'mild' }],
        },
        {
          // No criticality at all, and no onset.
          code: rxnorm('2670', 'codeine'), category: ['medication'], type: 'intolerance', clinical: 'active', verification: 'unconfirmed',
          reactions: [{ manifestations: ['nausea'] }],
        },
        {
          // Free text only, as typed by the patient at a kiosk.
          code: { text: 'Strawberries' }, category: ['food'], criticality: 'low', clinical: 'resolved', verification: 'confirmed',
          reactions: [{ manifestations: ['hives'], severity: 'mild' }],
          note: 'Outgrown; eats strawberries without symptoms.',
        },
        {
          code: { coding: [coding(SYSTEM.cvx, VACCINES.flu[0], VACCINES.flu[1])], text: 'Influenza vaccine' },
          category: ['biologic'], type: 'intolerance', criticality: 'low', clinical: 'inactive', verification: 'confirmed',
          onset: { form: 'full', at: yearsAgo(11) },
          reactions: [{ manifestations: ['rash'], severity: 'mild', description: 'Local swelling and redness at the injection site.' }],
          note: 'Tolerated later doses.',
        },
        {
          code: rxnorm('10180', 'sulfamethoxazole', 'Sulfa drugs'), category: ['medication'], type: 'allergy', criticality: 'low', clinical: 'inactive', verification: 'refuted',
          onset: { form: 'string', text: 'Reported by mother, childhood' },
          note: 'Refuted: completed a course of trimethoprim-sulfamethoxazole without reaction.',
        },
        {
          code: rxnorm('1191', 'aspirin', 'Aspirin'), category: ['medication'], type: 'allergy', criticality: 'high', verification: 'entered-in-error',
          onset: { form: 'full', at: yearsAgo(2) },
          reactions: [{ manifestations: ['angioedema'], severity: 'severe' }],
          note: 'Entered on the wrong chart.',
        },
      ];
    }
    case 'pollen':
      return [{
        code: snomed('256259004', 'Pollen (substance)', 'Seasonal pollen'), category: ['environment'], type: 'allergy', criticality: 'low', clinical: 'active', verification: 'confirmed',
        onset: { form: 'string', text: 'Every spring since childhood' },
        reactions: [{ manifestations: ['sneezing', 'itching'], severity: 'mild' }],
      }];
    case 'peanut': {
      const at = context.birth + 1.6 * YEAR;
      return [{
        code: snomed('256349002', 'Peanut - dietary (substance)', 'Peanut'), category: ['food'], type: 'allergy', criticality: 'high', clinical: 'active', verification: 'confirmed',
        onset: { form: 'full', at }, lastOccurrence: at,
        reactions: [{ manifestations: ['hives', 'wheezing', 'angioedema'], severity: 'severe', description: 'Lip swelling and wheeze after a bite of a peanut butter cracker.', at }],
      }];
    }
    case 'bee':
      return [{
        code: snomed('288328004', 'Bee venom (substance)', 'Bee sting'), category: ['environment'], type: 'allergy', criticality: 'high', clinical: 'active', verification: 'confirmed',
        onset: { form: 'year', at: context.birth + 8.5 * YEAR },
        reactions: [{ manifestations: ['hives', 'angioedema'], severity: 'moderate' }],
      }];
    case 'elderly':
      return [
        {
          code: rxnorm('29046', 'lisinopril', 'Lisinopril'), category: ['medication'], type: 'intolerance', criticality: 'low', clinical: 'active', verification: 'confirmed',
          onset: { form: 'full', at: yearsAgo(10) },
          reactions: [{ manifestations: ['cough'], severity: 'mild', description: 'Dry cough; switched to amlodipine.' }],
        },
        {
          code: rxnorm('7052', 'morphine', 'Morphine'), category: ['medication'], type: 'intolerance', clinical: 'active', verification: 'unconfirmed',
          onset: { form: 'string', text: 'After surgery in the 1990s' },
          reactions: [{ manifestations: ['nausea', 'vomiting'], severity: 'moderate' }],
        },
      ];
    case 'penicillin-rash':
      return [{
        code: PENICILLIN, category: ['medication'], type: 'allergy', criticality: 'low', clinical: 'active', verification: 'unconfirmed',
        onset: { form: 'string', text: 'Childhood' },
        reactions: [{ manifestations: ['rash'], severity: 'mild' }],
      }];
    case 'complex':
      return [
        {
          code: rxnorm('2670', 'codeine', 'Codeine'), category: ['medication'], type: 'intolerance', criticality: 'low', clinical: 'active', verification: 'confirmed',
          onset: { form: 'year', at: yearsAgo(20) },
          reactions: [{ manifestations: ['nausea', 'vomiting'], severity: 'moderate' }],
        },
        {
          code: { text: 'Adhesive tape' }, category: ['environment'], criticality: 'low', clinical: 'resolved', verification: 'confirmed',
          reactions: [{ manifestations: ['rash'], severity: 'mild' }],
        },
      ];
    case 'bulk':
      return [
        {
          code: PENICILLIN, category: ['medication'], type: 'allergy', criticality: 'low', clinical: 'active', verification: 'confirmed',
          onset: { form: 'full', at: yearsAgo(25) },
          reactions: [{ manifestations: ['hives'], severity: 'moderate' }],
        },
        {
          code: snomed('111088007', 'Latex (substance)', 'Latex'), category: ['environment'], type: 'allergy', criticality: 'low', clinical: 'active', verification: 'confirmed',
          onset: { form: 'string', text: 'Since working as a nurse' },
          reactions: [{ manifestations: ['rash'], severity: 'mild' }],
        },
      ];
  }
}

const CLINICAL_DISPLAY = { active: 'Active', inactive: 'Inactive', resolved: 'Resolved' } as const;
const VERIFICATION_DISPLAY = { unconfirmed: 'Unconfirmed', confirmed: 'Confirmed', refuted: 'Refuted', 'entered-in-error': 'Entered in Error' } as const;

/**
 * The AllergyIntolerance resources of a record. `encounterAt` returns the
 * encounter open at a time, if any, so an allergy found in the ED points at it.
 */
export function buildAllergies(
  context: PatientContext,
  rng: Random,
  recorder: AnyReference,
  encounterAt: (at: number) => AnyReference | undefined,
): AllergyIntolerance[] {
  return entries(context.spec.allergies, context, rng).map((entry) => {
    const onsetAt = entry.onset && entry.onset.form !== 'string' ? entry.onset.at : undefined;
    const recorded = Math.min(context.end - DAY, Math.max(onsetAt ?? context.end - rng.int(200, 1500) * DAY, context.birth) + rng.int(0, 3) * DAY);
    // Built field by field in FHIR's element order; `patient` is set below.
    const allergy = {
      resourceType: 'AllergyIntolerance',
      id: context.builder.id('alg'),
      meta: context.builder.meta(recorded, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-allergyintolerance'),
    } as AllergyIntolerance;
    if (entry.clinical) {
      allergy.clinicalStatus = { coding: [coding(SYSTEM.allergyClinical, entry.clinical, CLINICAL_DISPLAY[entry.clinical])], text: CLINICAL_DISPLAY[entry.clinical] };
    }
    allergy.verificationStatus = { coding: [coding(SYSTEM.allergyVerification, entry.verification, VERIFICATION_DISPLAY[entry.verification])], text: VERIFICATION_DISPLAY[entry.verification] };
    if (entry.type) allergy.type = entry.type;
    if (entry.category) allergy.category = entry.category;
    if (entry.criticality) allergy.criticality = entry.criticality;
    allergy.code = entry.code;
    allergy.patient = context.patient;
    const encounter = onsetAt === undefined ? undefined : encounterAt(onsetAt);
    if (encounter) allergy.encounter = encounter;
    if (entry.onset?.form === 'full') allergy.onsetDateTime = dateTime(entry.onset.at);
    // A year alone is a valid FHIR dateTime; real feeds send it when only the year is known.
    else if (entry.onset?.form === 'year') allergy.onsetDateTime = date(entry.onset.at).slice(0, 4);
    else if (entry.onset?.form === 'string') allergy.onsetString = entry.onset.text;
    allergy.recordedDate = dateTime(recorded);
    allergy.recorder = recorder;
    if (entry.lastOccurrence !== undefined) allergy.lastOccurrence = dateTime(entry.lastOccurrence);
    if (entry.note) allergy.note = [{ text: entry.note }];
    if (entry.reactions) {
      allergy.reaction = entry.reactions.map((reaction) => {
        const result: AllergyIntoleranceReaction = { manifestation: reaction.manifestations.map((name) => MANIFESTATIONS[name]) };
        if (reaction.description) result.description = reaction.description;
        if (reaction.at !== undefined) result.onset = dateTime(reaction.at);
        if (reaction.severity) result.severity = reaction.severity;
        return result;
      });
    }
    return allergy;
  });
}

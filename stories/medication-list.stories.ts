import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Medication, MedicationRequest, MedicationStatement, Practitioner, Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';
import { amyShaw } from './support/patients.js';
import { stalledSource } from './support/story-sources.js';


const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const subject = { reference: `Patient/${amyShaw.id}` };
const oral = { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }], text: 'By mouth' };
const rx = (code: string, display: string) => ({ coding: [{ system: RXNORM, code, display }] });

const prescriber: Practitioner = { resourceType: 'Practitioner', id: 'dr-lima', name: [{ prefix: ['Dr.'], given: ['Ana'], family: 'Lima' }] };
const apixaban: Medication = { resourceType: 'Medication', id: 'apixaban', code: rx('1364445', 'apixaban 5 MG Oral Tablet'), form: { text: 'Tablet' } };

/** A medication list with every situation the list must get right. */
const medications: Resource[] = [
  prescriber,
  apixaban,
  {
    resourceType: 'MedicationRequest', id: 'metformin', status: 'active', intent: 'order', subject, authoredOn: '2025-09-14',
    medicationCodeableConcept: rx('861007', 'metformin hydrochloride 500 MG Oral Tablet'),
    requester: { reference: 'Practitioner/dr-lima' },
    dosageInstruction: [{ route: oral, timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd', when: ['C'] } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }] }],
  } as MedicationRequest,
  {
    resourceType: 'MedicationRequest', id: 'apixaban-order', status: 'active', intent: 'order', subject, authoredOn: '2025-06-02',
    medicationReference: { reference: 'Medication/apixaban' }, requester: { display: 'Cardiology clinic' },
    dosageInstruction: [{ text: 'Take 1 tablet by mouth twice daily', route: oral }],
  } as MedicationRequest,
  {
    resourceType: 'MedicationRequest', id: 'nizatidine', status: 'on-hold', intent: 'order', subject, authoredOn: '2024-04-05',
    contained: [{ resourceType: 'Medication', id: 'med2', code: rx('582620', 'Nizatidine 15 MG/ML Oral Solution [Axid]') }],
    medicationReference: { reference: '#med2' }, requester: { display: 'Ronald Bone, MD' }, statusReason: { text: 'Held before endoscopy' },
    dosageInstruction: [{ text: '10 mL bid' }],
  } as MedicationRequest,
  {
    resourceType: 'MedicationRequest', id: 'albuterol', status: 'active', intent: 'order', subject, authoredOn: '2023-01-10',
    medicationCodeableConcept: rx('745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'),
    dosageInstruction: [
      {
        route: { text: 'Inhalation' }, doseAndRate: [{ doseQuantity: { value: 2, code: '{puff}' } }],
        timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' } },
        asNeededCodeableConcept: { coding: [{ system: SNOMED, code: '56018004', display: 'Wheezing' }] },
      },
    ],
  } as MedicationRequest,
  {
    resourceType: 'MedicationRequest', id: 'statin-plan', status: 'draft', intent: 'plan', subject, authoredOn: '2025-11-20',
    medicationCodeableConcept: { text: 'Atorvastatin 20 mg' }, dosageInstruction: [{ text: 'Start after the next lipid panel' }],
  } as MedicationRequest,
  {
    resourceType: 'MedicationStatement', id: 'cetirizine', status: 'active', subject, effectivePeriod: { start: '2021-04' },
    medicationCodeableConcept: rx('1014676', 'cetirizine hydrochloride 5 MG Oral Tablet'),
    informationSource: { reference: `Patient/${amyShaw.id}` }, dosage: [{ text: '1 tablet daily in spring and summer' }],
  } as MedicationStatement,
  {
    resourceType: 'MedicationRequest', id: 'amoxicillin', status: 'completed', intent: 'order', subject, authoredOn: '2023-02-01',
    medicationCodeableConcept: rx('308192', 'amoxicillin 500 MG Oral Tablet'), requester: { display: 'Urgent care' },
    dosageInstruction: [{ text: 'Take 1 tablet by mouth three times daily for 10 days' }],
  } as MedicationRequest,
  {
    resourceType: 'MedicationRequest', id: 'hctz', status: 'stopped', intent: 'order', subject, authoredOn: '2019-05-01',
    medicationCodeableConcept: rx('310798', 'hydrochlorothiazide 25 MG Oral Tablet'), statusReason: { text: 'Side effect: dizziness' },
  } as MedicationRequest,
  {
    resourceType: 'MedicationRequest', id: 'mistake', status: 'entered-in-error', intent: 'order', subject, authoredOn: '2025-10-01',
    medicationCodeableConcept: { text: 'Warfarin (entered in error: never shown)' },
  } as MedicationRequest,
];

interface MedicationListArgs {
  /** The records the in-story source holds (edit them in Controls). */
  resources: Resource[];
  headingLevel: number;
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

function list(source: FhirSource, args: Pick<MedicationListArgs, 'headingLevel'>) {
  return html`<ehr-context .source=${source}><ehr-medication-list heading-level=${args.headingLevel}></ehr-medication-list></ehr-context>`;
}

function sourceFor(args: MedicationListArgs, failures?: Record<string, FhirError>): FhirSource {
  return new BundleSource({ resources: [amyShaw, ...args.resources], patientId: amyShaw.id, latency: args.latency, label: 'Story record', failures });
}

const meta: Meta<MedicationListArgs> = {
  title: 'Elements/Medication list',
  component: 'ehr-medication-list',
  tags: ['autodocs'],
  args: { resources: medications, headingLevel: 2, latency: 300 },
  argTypes: {
    headingLevel: { name: 'heading-level', control: { type: 'number', min: 1, max: 6 } },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => list(sourceFor(args), args),
  parameters: {
    docs: {
      description: {
        component:
          'Prescriptions and reported medications. Put it inside `<ehr-context>`; it reads `MedicationRequest` and ' +
          '`MedicationStatement` (with their Medications) in parallel, or shows records given as the `.resources` property.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<MedicationListArgs>;

/**
 * Active first (a dose built from structured data, a Medication resolved from an include
 * and from a contained resource, an on-hold order with its reason, a reported statement),
 * then a draft plan, then Stopped (collapsed). The record entered in error is not shown.
 */
export const Populated: Story = {};

/** A generated 64-year-old: long-running prescriptions renewed, insulin by medicationReference, a reported OTC medication. */
export const GeneratedComplexPatient: Story = {
  render: (args) => {
    const record = generatePatientRecord({ seed: 7, profile: 'complex' });
    return list(new BundleSource({ resources: record.resources, latency: args.latency, label: 'Generated record' }), args);
  },
};

/** Medication statements could not be loaded (HTTP 403): prescriptions are shown, with a warning and Retry. */
export const PartialFailure: Story = {
  render: (args) =>
    list(sourceFor(args, { MedicationStatement: new FhirError('forbidden', 'Access to MedicationStatement was not granted (HTTP 403).', { status: 403 }) }), args),
};

/** A referenced Medication that cannot be read: named from the reference, else "Medication (details unavailable)". */
export const UnresolvedMedication: Story = {
  args: {
    resources: [
      {
        resourceType: 'MedicationRequest', id: 'a', status: 'active', intent: 'order', subject, authoredOn: '2025-01-02',
        medicationReference: { reference: 'Medication/not-on-server', display: 'Warfarin 5 mg tablet' }, dosageInstruction: [{ text: 'As directed by the anticoagulation clinic' }],
      } as MedicationRequest,
      {
        resourceType: 'MedicationRequest', id: 'b', status: 'active', intent: 'order', subject, authoredOn: '2025-01-02',
        medicationReference: { reference: 'Medication/also-missing' },
      } as MedicationRequest,
    ],
  },
};

/** Nothing recorded: "No medications recorded". */
export const Empty: Story = { args: { resources: [] } };

/** A server that never answers: a busy skeleton, announced as "Loading medications". */
export const Pending: Story = { render: (args) => list(stalledSource(amyShaw.id!), args) };

/** Both searches fail (HTTP 500): an alert says what failed, with Retry. Never an empty list. */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) => {
    const failure = new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 });
    return list(sourceFor(args, { MedicationRequest: failure, MedicationStatement: failure }), args);
  },
};

/** `--ehr-color-scheme: dark` forces dark colours. */
export const DarkMode: Story = {
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; border-radius: 0.5rem">${list(sourceFor(args), args)}</div>`,
};

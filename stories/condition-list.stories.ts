import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Condition, Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';
import { amyShaw } from './support/patients.js';
import { stalledSource } from './support/story-sources.js';


const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const subject = { reference: `Patient/${amyShaw.id}` };
const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });
const verification = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }] });
const category = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code }] }];
const dr = { reference: 'Practitioner/dr-bone', display: 'Ronald Bone, MD' };

/** A problem list with every situation the list must get right. */
const conditions: Condition[] = [
  {
    resourceType: 'Condition', id: 'diabetes', subject, clinicalStatus: clinical('active'), verificationStatus: verification('confirmed'),
    category: category('problem-list-item'),
    code: { coding: [{ system: ICD10CM, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }, { system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' }] },
    severity: { coding: [{ system: SNOMED, code: '6736007', display: 'Moderate' }] },
    onsetDateTime: '2014-03', recordedDate: '2014-03-20', recorder: dr,
  },
  {
    resourceType: 'Condition', id: 'asthma', subject, clinicalStatus: clinical('active'), verificationStatus: verification('confirmed'),
    category: category('problem-list-item'), code: { coding: [{ system: SNOMED, code: '195967001', display: 'Asthma' }], text: 'Asthma, mild persistent' },
    onsetAge: { value: 12, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' },
  },
  {
    resourceType: 'Condition', id: 'gerd', subject, clinicalStatus: clinical('active'), verificationStatus: verification('provisional'),
    category: category('encounter-diagnosis'), code: { text: 'Gastro-oesophageal reflux disease' }, onsetDateTime: '2025-11-02', recorder: dr,
  },
  {
    resourceType: 'Condition', id: 'depression', subject, clinicalStatus: clinical('recurrence'), verificationStatus: verification('confirmed'),
    category: category('problem-list-item'), code: { coding: [{ system: SNOMED, code: '35489007', display: 'Depressive disorder' }] }, onsetDateTime: '2024-09-15',
  },
  {
    resourceType: 'Condition', id: 'cost', subject, clinicalStatus: clinical('active'),
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category', code: 'health-concern' }] }],
    code: { text: 'Cost of medications' }, onsetDateTime: '2007-12-14',
  },
  {
    resourceType: 'Condition', id: 'rhinitis', subject, clinicalStatus: clinical('active'), category: category('problem-list-item'),
    code: { coding: [{ system: ICD10CM, code: 'J30.9' }] }, onsetString: 'Childhood',
  },
  {
    resourceType: 'Condition', id: 'sprain', subject, clinicalStatus: clinical('resolved'), verificationStatus: verification('confirmed'),
    category: category('encounter-diagnosis'), code: { text: 'Sprain of left ankle' },
    bodySite: [{ text: 'Left ankle' }], onsetDateTime: '2023-06-01', abatementDateTime: '2023-07-15',
  },
  {
    resourceType: 'Condition', id: 'eczema', subject, clinicalStatus: clinical('remission'), category: category('problem-list-item'),
    code: { text: 'Atopic dermatitis' }, onsetString: 'Infancy', abatementAge: { value: 9, code: 'a', system: 'http://unitsofmeasure.org' },
  },
  {
    resourceType: 'Condition', id: 'afib', subject, clinicalStatus: clinical('active'), verificationStatus: verification('refuted'),
    category: category('encounter-diagnosis'), code: { text: 'Atrial fibrillation' }, onsetDateTime: '2024-12-01', recorder: { display: 'Emergency department' },
  },
  {
    resourceType: 'Condition', id: 'uti', subject, verificationStatus: verification('entered-in-error'),
    category: category('encounter-diagnosis'), code: { text: 'Urinary tract infection (entered in error: never shown)' }, onsetDateTime: '2025-10-01',
  },
];

interface ConditionListArgs {
  /** The Conditions the in-story source holds (edit them in Controls). */
  resources: Resource[];
  /** `category` attribute: e.g. `problem-list-item`. */
  category: string;
  headingLevel: number;
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

function list(source: FhirSource, args: Pick<ConditionListArgs, 'category' | 'headingLevel'>) {
  return html`<ehr-context .source=${source}>
    <ehr-condition-list category=${args.category || ''} heading-level=${args.headingLevel}></ehr-condition-list>
  </ehr-context>`;
}

function sourceFor(args: ConditionListArgs, failures?: Record<string, FhirError>): FhirSource {
  return new BundleSource({ resources: [amyShaw, ...args.resources], patientId: amyShaw.id, latency: args.latency, label: 'Story record', failures });
}

const meta: Meta<ConditionListArgs> = {
  title: 'Elements/Condition list',
  component: 'ehr-condition-list',
  tags: ['autodocs'],
  args: { resources: conditions, category: '', headingLevel: 2, latency: 300 },
  argTypes: {
    category: { control: 'select', options: ['', 'problem-list-item', 'encounter-diagnosis', 'health-concern'] },
    headingLevel: { name: 'heading-level', control: { type: 'number', min: 1, max: 6 } },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => list(sourceFor(args), args),
  parameters: {
    docs: {
      description: {
        component:
          'The patient\'s conditions. Put it inside `<ehr-context>`; it reads `Condition?patient=<id>` (or `patient-id`), ' +
          'or shows Conditions given as the `.resources` property. Listen for `ehr-condition-select` to open a condition.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<ConditionListArgs>;

/**
 * Active first (a recurrence labelled, a provisional diagnosis labelled, onset "at age 12",
 * "Childhood", a code with no display), then Resolved and Refuted, collapsed. The condition
 * entered in error is not shown.
 */
export const Populated: Story = {};

/** `category="problem-list-item"`: the problem list only. */
export const ProblemListOnly: Story = { args: { category: 'problem-list-item' } };

/** A generated 64-year-old with twelve conditions: onsets as partial dates and text, one refuted, one entered in error. */
export const GeneratedComplexPatient: Story = {
  render: (args) => {
    const record = generatePatientRecord({ seed: 7, profile: 'complex' });
    return list(new BundleSource({ resources: record.resources, latency: args.latency, label: 'Generated record' }), args);
  },
};

/** Nothing recorded: "No conditions recorded". */
export const Empty: Story = { args: { resources: [] } };

/** Conditions exist but none in the category asked for: says which kind of empty. */
export const EmptyCategory: Story = {
  args: { category: 'health-concern', resources: conditions.filter((condition) => condition.id !== 'cost') },
};

/** A server that never answers: a busy skeleton, announced as "Loading conditions". */
export const Pending: Story = { render: (args) => list(stalledSource(amyShaw.id!), args) };

/** The server fails (HTTP 500): an alert says what failed, with Retry. Never an empty list. */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) => list(sourceFor(args, { Condition: new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 }) }), args),
};

/** No patient in context. */
export const NoPatient: Story = { render: (args) => html`<ehr-condition-list heading-level=${args.headingLevel}></ehr-condition-list>` };

/** Markup in names and text is shown as text, never run. */
export const MaliciousStrings: Story = {
  args: {
    resources: [
      {
        resourceType: 'Condition', id: 'x', subject, clinicalStatus: clinical('active'),
        code: { text: '<img src=x onerror=alert("name")>' }, onsetString: '<script>alert(1)</script>', recorder: { display: '<b>Dr. Bold</b>' },
      } as Condition,
    ],
  },
};

/** `--ehr-color-scheme: dark` forces dark colours; colour tokens set by the page win in both schemes. */
export const DarkMode: Story = {
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; border-radius: 0.5rem">${list(sourceFor(args), args)}</div>`,
};

/** Themed through the documented custom properties. */
export const Themed: Story = {
  render: (args) => html`<div
    style="--ehr-condition-list-background: #f6f8fa; --ehr-condition-list-border: 0; --ehr-condition-list-name-color: #0b5cad; --ehr-condition-list-font-size: 1rem; --ehr-radius: 0"
  >
    ${list(sourceFor(args), args)}
  </div>`,
};

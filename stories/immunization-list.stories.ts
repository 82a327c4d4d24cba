import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Immunization, Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';
import { amyShaw } from './support/patients.js';
import { stalledSource } from './support/story-sources.js';


const CVX = 'http://hl7.org/fhir/sid/cvx';
const patient = { reference: `Patient/${amyShaw.id}` };
const cvx = (code: string, display: string) => ({ coding: [{ system: CVX, code, display }] });
const nurse = { reference: 'Practitioner/nurse', display: 'Joy Park, RN' };
const administered = (actor = nurse) => [{ function: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'AP' }] }, actor }];

/** An immunization history with every situation the list must get right. */
const immunizations: Immunization[] = [
  {
    resourceType: 'Immunization', id: 'flu-2025', status: 'completed', patient, primarySource: true,
    vaccineCode: cvx('140', 'Influenza, seasonal, injectable, preservative free'), occurrenceDateTime: '2025-10-14T10:20:00-04:00',
    lotNumber: 'FL2291', site: { text: 'Left arm' }, route: { text: 'Intramuscular' }, performer: administered(), location: { display: 'Good Health Clinic' },
  },
  {
    resourceType: 'Immunization', id: 'covid-declined', status: 'not-done', patient, primarySource: true,
    vaccineCode: cvx('208', 'SARS-COV-2 (COVID-19) vaccine, mRNA, 30 mcg/0.3mL dose'), occurrenceDateTime: '2025-10-14',
    statusReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PATOBJ', display: 'patient objection' }] },
  },
  {
    resourceType: 'Immunization', id: 'flu-2024', status: 'completed', patient, primarySource: false,
    vaccineCode: cvx('140', 'Influenza, seasonal, injectable, preservative free'), occurrenceDateTime: '2024-10',
    reportOrigin: { text: 'Pharmacy record' }, performer: administered({ display: 'Corner Pharmacy' } as typeof nurse),
  },
  {
    resourceType: 'Immunization', id: 'tdap', status: 'completed', patient, primarySource: true, vaccineCode: cvx('115', 'Tdap'),
    occurrenceDateTime: '2019-06-03', lotNumber: 'TD7781', protocolApplied: [{ doseNumberString: 'Booster' }], performer: administered(),
  },
  {
    resourceType: 'Immunization', id: 'hepb-2', status: 'completed', patient, primarySource: true, vaccineCode: cvx('08', 'Hep B, adolescent or pediatric'),
    occurrenceDateTime: '1990-08', protocolApplied: [{ doseNumberPositiveInt: 2, seriesDosesPositiveInt: 3, series: 'Hep B' }],
  },
  {
    resourceType: 'Immunization', id: 'hepb-1', status: 'completed', patient, primarySource: true, vaccineCode: cvx('08', 'Hep B, adolescent or pediatric'),
    occurrenceDateTime: '1990-06', protocolApplied: [{ doseNumberPositiveInt: 1, seriesDosesPositiveInt: 3, series: 'Hep B' }],
  },
  {
    resourceType: 'Immunization', id: 'mmr', status: 'completed', patient, primarySource: false, vaccineCode: cvx('03', 'MMR'),
    occurrenceString: 'As a child, per the patient', reportOrigin: { text: 'Patient' },
  },
  {
    resourceType: 'Immunization', id: 'oops', status: 'entered-in-error', patient, vaccineCode: { text: 'Zoster (entered in error: never shown)' },
    occurrenceDateTime: '2025-01-01',
  },
];

interface ImmunizationListArgs {
  /** The Immunizations the in-story source holds (edit them in Controls). */
  resources: Resource[];
  groupBy: 'none' | 'vaccine';
  headingLevel: number;
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

function list(source: FhirSource, args: Pick<ImmunizationListArgs, 'groupBy' | 'headingLevel'>) {
  return html`<ehr-context .source=${source}>
    <ehr-immunization-list group-by=${args.groupBy} heading-level=${args.headingLevel}></ehr-immunization-list>
  </ehr-context>`;
}

function sourceFor(args: ImmunizationListArgs, failures?: Record<string, FhirError>): FhirSource {
  return new BundleSource({ resources: [amyShaw, ...args.resources], patientId: amyShaw.id, latency: args.latency, label: 'Story record', failures });
}

const meta: Meta<ImmunizationListArgs> = {
  title: 'Elements/Immunization list',
  component: 'ehr-immunization-list',
  tags: ['autodocs'],
  args: { resources: immunizations, groupBy: 'none', headingLevel: 2, latency: 300 },
  argTypes: {
    groupBy: { name: 'group-by', control: 'inline-radio', options: ['none', 'vaccine'] },
    headingLevel: { name: 'heading-level', control: { type: 'number', min: 1, max: 6 } },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => list(sourceFor(args), args),
  parameters: {
    docs: {
      description: {
        component:
          'The immunization history. Put it inside `<ehr-context>`; it reads `Immunization?patient=<id>` (or `patient-id`), ' +
          'or shows Immunizations given as the `.resources` property. `group-by="vaccine"` puts the doses of each vaccine together.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<ImmunizationListArgs>;

/** Newest first: a declined vaccine "Not given" with the reason, reported records tagged, partial dates, a dose in its series. */
export const Populated: Story = {};

/** `group-by="vaccine"`: each vaccine's doses together, vaccines ordered by their latest dose. */
export const GroupedByVaccine: Story = { args: { groupBy: 'vaccine' } };

/** A generated five-year-old with the childhood schedule, grouped by vaccine. */
export const GeneratedChild: Story = {
  args: { groupBy: 'vaccine' },
  render: (args) => {
    const record = generatePatientRecord({ seed: 3, profile: 'child' });
    return list(new BundleSource({ resources: record.resources, latency: args.latency, label: 'Generated record' }), args);
  },
};

/** Nothing recorded: "No immunizations recorded". */
export const Empty: Story = { args: { resources: [] } };

/** A server that never answers: a busy skeleton, announced as "Loading immunizations". */
export const Pending: Story = { render: (args) => list(stalledSource(amyShaw.id!), args) };

/** The server fails (HTTP 503): an alert says what failed, with Retry. Never an empty list. */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) => list(sourceFor(args, { Immunization: new FhirError('server', 'The FHIR server is unavailable (HTTP 503).', { status: 503 }) }), args),
};

/** `--ehr-color-scheme: dark` forces dark colours. */
export const DarkMode: Story = {
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; border-radius: 0.5rem">${list(sourceFor(args), args)}</div>`,
};

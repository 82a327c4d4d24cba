import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';
import { stalledSource } from './support/story-sources.js';

// Generated records (deterministic seeds): the same data every time the story opens.
function generated(profile: string, options: { latency?: number; failures?: Record<string, FhirError> } = {}): FhirSource {
  const record = generatePatientRecord({ seed: 11, profile });
  return new BundleSource({ resources: record.resources, patientId: record.patient.id, label: 'Sandbox record', ...options });
}

interface RecordArgs {
  sections: string;
  units: 'metric' | 'us';
}

const meta: Meta<RecordArgs> = {
  title: 'Elements/Record',
  component: 'ehr-record',
  tags: ['autodocs'],
  args: { sections: '', units: 'metric' },
  argTypes: {
    sections: { control: 'text', description: 'Sections to show (empty: all)' },
    units: { control: 'inline-radio', options: ['metric', 'us'] },
  },
  parameters: { layout: 'fullscreen' },
};
export default meta;

type Story = StoryObj<RecordArgs>;

const render = (source: FhirSource) => (args: RecordArgs) =>
  html`<div style="padding: 1rem"><ehr-record .source=${source} sections=${args.sections} units=${args.units}></ehr-record></div>`;

/** An adult with an anaphylaxis allergy, years of vitals and labs: every section populated. */
export const FullRecord: Story = { render: render(generated('adult-anaphylaxis', { latency: 150 })) };

/** A complex elderly record: many conditions, medications and lab panels. */
export const ComplexPatient: Story = { render: render(generated('complex', { latency: 150 })) };

/** A child: immunization schedule, growth and head circumference. */
export const Child: Story = { render: render(generated('child', { latency: 150 })), args: { sections: '', units: 'us' } };

/** Loading: nothing has answered yet. */
export const Pending: Story = { render: render(stalledSource('story-patient')) };

/** One resource type fails (Condition, 500): its section says so with a Retry; the others render. */
export const OneSectionFails: Story = {
  render: render(
    generated('adult-anaphylaxis', {
      failures: { Condition: new FhirError('server', 'The FHIR server answered with an error (500).', { status: 500 }) },
    }),
  ),
};

/** Only the sections a portal asked for. */
export const ChosenSections: Story = { render: render(generated('adult-anaphylaxis')), args: { sections: 'banner allergies medications', units: 'metric' } };

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Observation, ObservationComponent, Quantity, Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';
import { stalledSource } from './support/story-sources.js';

interface VitalsArgs {
  units: 'metric' | 'us';
  /** Comma-separated vitals to show (empty: all recorded). */
  vitals: string;
  range: '1y' | '5y' | 'all';
  view: 'chart' | 'table';
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

/** The element inside `<ehr-context>`, reading through an in-memory FHIR source. */
function chart(source: FhirSource, args: VitalsArgs) {
  return html`<ehr-context .source=${source}>
    <ehr-vitals-chart units=${args.units} vitals=${args.vitals || ''} range=${args.range} view=${args.view}></ehr-vitals-chart>
  </ehr-context>`;
}

/** The element given Observations directly (no source). */
function direct(resources: readonly Resource[], args: VitalsArgs) {
  return html`<ehr-vitals-chart .resources=${resources} units=${args.units} vitals=${args.vitals || ''} range=${args.range} view=${args.view}></ehr-vitals-chart>`;
}


/** A generated record (deterministic): its Patient and every resource, served with latency. */
function generated(profile: string, latency: number): FhirSource {
  const record = generatePatientRecord({ seed: 7, profile });
  return new BundleSource({ resources: record.resources, patientId: record.patient.id, latency, label: 'Story record' });
}

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];
const coded = (code: string, display: string) => ({ coding: [{ system: LOINC, code, display }], text: display });
const mmHg = (value: number): Quantity => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const systolic = (value: number): ObservationComponent => ({ code: coded('8480-6', 'Systolic blood pressure'), valueQuantity: mmHg(value) });
const diastolic = (value: number): ObservationComponent => ({ code: coded('8462-4', 'Diastolic blood pressure'), valueQuantity: mmHg(value) });

let ids = 0;
function observation(code: string, display: string, effectiveDateTime: string, fields: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: `story-vital-${++ids}`,
    status: 'final',
    category: VITAL_SIGNS,
    code: coded(code, display),
    subject: { reference: 'Patient/story' },
    effectiveDateTime,
    performer: [{ display: 'Jordan Blake, RN' }],
    ...fields,
  } as Observation;
}

/** A date `years` years (fractional) before today, at 09:30 local. */
function yearsAgo(years: number): string {
  const date = new Date();
  date.setTime(date.getTime() - years * 365.25 * 86_400_000);
  date.setHours(9, 30, 0, 0);
  return date.toISOString();
}

/** One patient's blood pressure as three source systems coded it, with components in either order. */
function threeCodings(): Observation[] {
  return [
    // An old system: separate systolic and diastolic Observations, paired by time and encounter.
    ...[
      [5.5, 148, 94],
      [4.8, 142, 91],
    ].flatMap(([years, sys, dia]) => [
      observation('8480-6', 'Systolic blood pressure', yearsAgo(years!), { encounter: { reference: `Encounter/old-${years}` }, valueQuantity: mmHg(sys!) }),
      observation('8462-4', 'Diastolic blood pressure', yearsAgo(years!), { encounter: { reference: `Encounter/old-${years}` }, valueQuantity: mmHg(dia!) }),
    ]),
    // Synthea's panel, 55284-4, diastolic listed first.
    ...[
      [3.9, 138, 88],
      [3.1, 134, 86],
    ].map(([years, sys, dia]) => observation('55284-4', 'Blood pressure systolic and diastolic', yearsAgo(years!), { component: [diastolic(dia!), systolic(sys!)] })),
    // US Core's panel, 85354-9.
    ...[
      [2.2, 131, 84],
      [1.1, 127, 81],
      [0.1, 124, 79],
    ].map(([years, sys, dia]) => observation('85354-9', 'Blood pressure panel with all children optional', yearsAgo(years!), { component: [systolic(sys!), diastolic(dia!)] })),
  ];
}

/** Gaps: a data-absent diastolic (the US Core example), a missing component, a heart rate not performed. */
function dataAbsent(): Observation[] {
  return [
    observation('85354-9', 'Blood pressure', yearsAgo(1.5), { component: [systolic(126), diastolic(80)] }),
    observation('85354-9', 'Blood pressure', yearsAgo(1), {
      component: [systolic(109), { code: coded('8462-4', 'Diastolic blood pressure'), dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown', display: 'Unknown' }], text: 'Unknown' } }],
    }),
    observation('85354-9', 'Blood pressure', yearsAgo(0.5), { component: [systolic(131)] }),
    observation('85354-9', 'Blood pressure', yearsAgo(0.1), { component: [systolic(122), diastolic(77)] }),
    observation('8867-4', 'Heart rate', yearsAgo(1.5), { valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' } }),
    observation('8867-4', 'Heart rate', yearsAgo(1), { dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed' }] } }),
    observation('8867-4', 'Heart rate', yearsAgo(0.5), { valueQuantity: { value: 78, unit: '/min', system: UCUM, code: '/min' } }),
    observation('8867-4', 'Heart rate', yearsAgo(0.1), { valueQuantity: { value: 69, unit: '/min', system: UCUM, code: '/min' } }),
  ];
}

/** Readings from several systems in mixed units, one without a UCUM code; kPa needs the UCUM library. */
function mixedUnits(): Observation[] {
  return [
    observation('29463-7', 'Body weight', yearsAgo(2), { valueQuantity: { value: 176.4, unit: 'lbs' } }),
    observation('29463-7', 'Body weight', yearsAgo(1), { valueQuantity: { value: 79.1, unit: 'kg', system: UCUM, code: 'kg' } }),
    observation('29463-7', 'Body weight', yearsAgo(0.2), { valueQuantity: { value: 172.2, unit: 'lb', system: UCUM, code: '[lb_av]' } }),
    observation('8310-5', 'Body temperature', yearsAgo(1.5), { valueQuantity: { value: 99.1, unit: '°F', system: UCUM, code: '[degF]' } }),
    observation('8331-1', 'Oral temperature', yearsAgo(0.2), { valueQuantity: { value: 37.9, unit: 'Cel', system: UCUM, code: 'Cel' }, interpretation: [{ coding: [{ code: 'H' }] }] }),
    observation('85354-9', 'Blood pressure', yearsAgo(1.2), {
      component: [
        { code: coded('8480-6', 'Systolic blood pressure'), valueQuantity: { value: 17.3, unit: 'kPa', system: UCUM, code: 'kPa' } },
        { code: coded('8462-4', 'Diastolic blood pressure'), valueQuantity: { value: 11.2, unit: 'kPa', system: UCUM, code: 'kPa' } },
      ],
    }),
    observation('85354-9', 'Blood pressure', yearsAgo(0.2), { component: [systolic(128), diastolic(83)] }),
  ];
}

/** 50,000 heart rates: a month of minute-by-minute ICU monitoring, with reference ranges. */
function icuMonitoring(count = 50_000): Observation[] {
  const end = Date.now();
  const start = end - count * 60_000;
  let value = 84;
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const range = [{ low: { value: 60, unit: '/min', system: UCUM, code: '/min' }, high: { value: 100, unit: '/min', system: UCUM, code: '/min' } }];
  return Array.from({ length: count }, (_, i) => {
    value = Math.min(150, Math.max(45, value + (random() - 0.5) * 4 + (84 - value) * 0.01 + (i % 1440 < 360 ? -0.02 : 0)));
    return {
      resourceType: 'Observation',
      id: `icu-hr-${i}`,
      status: 'final',
      category: VITAL_SIGNS,
      code: coded('8867-4', 'Heart rate'),
      subject: { reference: 'Patient/story' },
      effectiveDateTime: new Date(start + i * 60_000).toISOString(),
      valueQuantity: { value: Math.round(value), unit: '/min', system: UCUM, code: '/min' },
      referenceRange: range,
    } as Observation;
  });
}

const meta: Meta<VitalsArgs> = {
  title: 'Elements/Vitals chart',
  component: 'ehr-vitals-chart',
  tags: ['autodocs'],
  args: { units: 'metric', vitals: '', range: 'all', view: 'chart', latency: 300 },
  argTypes: {
    units: { control: 'inline-radio', options: ['metric', 'us'] },
    range: { control: 'inline-radio', options: ['1y', '5y', 'all'] },
    view: { control: 'inline-radio', options: ['chart', 'table'] },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => chart(generated('adult-anaphylaxis', args.latency), args),
  parameters: {
    docs: {
      description: {
        component:
          'Vital signs over time. Put it inside `<ehr-context>`: it reads every page of `Observation?patient=<id>&category=vital-signs`; ' +
          'or give Observations as the `.resources` property. Chart.js loads when the first chart is drawn; the UCUM library only when a unit needs it.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<VitalsArgs>;

/** A generated adult over ten years: every vital, BP coded three ways, a missing component, an entered-in-error weight, a heart rate without a unit code. */
export const AllVitals: Story = {};

/** The same patient's blood pressure from three systems (separate Observations, Synthea's 55284-4 with diastolic first, US Core's 85354-9): one paired series. */
export const BloodPressureThreeCodings: Story = {
  args: { vitals: 'bp' },
  render: (args) => direct(threeCodings(), args),
};

/** A child born in 2021: growth (weight, length then height), head circumference in the first years. */
export const Child: Story = {
  args: { vitals: 'weight,height,head,bmi,hr' },
  render: (args) => chart(generated('child', args.latency), args),
};

/** `units="us"`: pounds, inches and °F; converted on the verified fast paths, no UCUM load. */
export const UsUnits: Story = { args: { units: 'us' } };

/** Readings in mixed units (lbs as text only, kg, °F, kPa): kPa is off the fast paths, so the UCUM library is loaded on demand. */
export const MixedUnits: Story = {
  render: (args) => direct(mixedUnits(), args),
};

/** A data-absent diastolic, a missing component and a heart rate not performed: gaps in the lines, "—" and the reason in the table. */
export const DataAbsent: Story = {
  render: (args) => direct(dataAbsent(), args),
};

/** A server that never answers: the skeleton, announced as "Loading vital signs" with aria-busy. */
export const Pending: Story = {
  render: (args) => chart(stalledSource('story'), args),
};

/** The server fails (HTTP 500): an alert says what failed, with Retry; never "No vital signs". */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) =>
    chart(
      new BundleSource({
        resources: [{ resourceType: 'Patient', id: 'story' }],
        patientId: 'story',
        latency: args.latency,
        failures: { Observation: new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 }) },
      }),
      args,
    ),
};

/** A record with no vital signs: "No vital signs recorded". */
export const Empty: Story = {
  render: (args) => chart(new BundleSource({ resources: [{ resourceType: 'Patient', id: 'story' }], patientId: 'story', latency: args.latency }), args),
};

/** 50,000 heart rates (a month of ICU monitoring): decimated (LTTB), no animation, points hidden; the table pages by 100. */
export const Large: Story = {
  args: { vitals: 'hr' },
  render: (args) => direct(icuMonitoring(), args),
};

/** The data table: exactly the charted readings of the range, newest first, flags as text. */
export const TableView: Story = { args: { view: 'table' } };

/** `--ehr-color-scheme: dark`: the charts read their colours from the dark tokens. */
export const DarkMode: Story = {
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; border-radius: 0.5rem">
    ${chart(generated('adult-anaphylaxis', args.latency), args)}
  </div>`,
};

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { DiagnosticReport, Observation, Quantity, Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { generatePatientRecord } from '../packages/sandbox/src/generator/index.js';
import { amyShaw } from './support/patients.js';
import { stalledSource } from './support/story-sources.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const subject = { reference: `Patient/${amyShaw.id}` };
const LAB = { reference: 'Organization/acme-lab', display: 'Acme Laboratory, Inc' };
const category = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] }];
const reportCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' }] }];

/** One analyte: its LOINC code, name, UCUM unit and adult reference range. */
interface Analyte {
  readonly loinc: string;
  readonly name: string;
  readonly unit: string;
  readonly low?: number;
  readonly high?: number;
}

const CBC: readonly Analyte[] = [
  { loinc: '6690-2', name: 'WBC', unit: '10*3/uL', low: 4, high: 11 },
  { loinc: '789-8', name: 'RBC', unit: '10*6/uL', low: 3.9, high: 5.2 },
  { loinc: '718-7', name: 'Hemoglobin', unit: 'g/dL', low: 12, high: 15.5 },
  { loinc: '4544-3', name: 'Hematocrit', unit: '%', low: 36, high: 46 },
  { loinc: '787-2', name: 'MCV', unit: 'fL', low: 80, high: 100 },
  { loinc: '777-3', name: 'Platelets', unit: '10*3/uL', low: 150, high: 400 },
];
const CMP: readonly Analyte[] = [
  { loinc: '2345-7', name: 'Glucose', unit: 'mg/dL', low: 70, high: 99 },
  { loinc: '3094-0', name: 'BUN', unit: 'mg/dL', low: 7, high: 20 },
  { loinc: '2160-0', name: 'Creatinine', unit: 'mg/dL', low: 0.6, high: 1.1 },
  { loinc: '2951-2', name: 'Sodium', unit: 'mmol/L', low: 135, high: 145 },
  { loinc: '2823-3', name: 'Potassium', unit: 'mmol/L', low: 3.5, high: 5.1 },
  { loinc: '2075-0', name: 'Chloride', unit: 'mmol/L', low: 98, high: 107 },
  { loinc: '2028-9', name: 'CO2', unit: 'mmol/L', low: 22, high: 29 },
  { loinc: '17861-6', name: 'Calcium', unit: 'mg/dL', low: 8.6, high: 10.3 },
  { loinc: '2885-2', name: 'Total protein', unit: 'g/dL', low: 6, high: 8.3 },
  { loinc: '1751-7', name: 'Albumin', unit: 'g/dL', low: 3.5, high: 5 },
  { loinc: '1975-2', name: 'Bilirubin, total', unit: 'mg/dL', low: 0.1, high: 1.2 },
  { loinc: '6768-6', name: 'Alkaline phosphatase', unit: 'U/L', low: 44, high: 147 },
  { loinc: '1742-6', name: 'ALT', unit: 'U/L', low: 7, high: 56 },
  { loinc: '1920-8', name: 'AST', unit: 'U/L', low: 10, high: 40 },
];

const quantity = (value: number, unit: string): Quantity => ({ value, unit, system: UCUM, code: unit });

let sequence = 0;
function result(analyte: Analyte, value: number, at: string, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: `lab-${++sequence}`,
    status: 'final',
    category,
    code: { coding: [{ system: LOINC, code: analyte.loinc, display: analyte.name }], text: analyte.name },
    subject,
    effectiveDateTime: at,
    issued: at.replace(/T\d\d/, 'T16'),
    performer: [LAB],
    valueQuantity: quantity(value, analyte.unit),
    referenceRange: analyte.low !== undefined || analyte.high !== undefined
      ? [{ ...(analyte.low !== undefined ? { low: quantity(analyte.low, analyte.unit) } : {}), ...(analyte.high !== undefined ? { high: quantity(analyte.high, analyte.unit) } : {}) }]
      : undefined,
    ...extra,
  } as Observation;
}

function panel(id: string, loinc: string, name: string, at: string, results: Observation[], extra: Partial<DiagnosticReport> = {}): Resource[] {
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    category: reportCategory,
    code: { coding: [{ system: LOINC, code: loinc, display: name }], text: name },
    subject,
    effectiveDateTime: at,
    issued: at.replace(/T\d\d/, 'T16'),
    performer: [LAB],
    result: results.map((item) => ({ reference: `Observation/${item.id}`, display: item.code.text })),
    ...extra,
  };
  return [report, ...results];
}

/** A CBC and a CMP on three dates a few months apart: trends with three points, a few values out of range. */
function cbcAndCmp(): Resource[] {
  const dates = ['2025-03-04T08:15:00-05:00', '2025-07-15T08:40:00-04:00', '2025-11-18T07:55:00-05:00'];
  const cbc = [
    [6.8, 4.4, 12.4, 37.1, 86, 245],
    [7.4, 4.2, 11.6, 35.2, 84, 262],
    [6.1, 4.5, 12.9, 38.4, 87, 231],
  ];
  const cmp = [
    [94, 14, 0.9, 139, 4.2, 102, 25, 9.4, 7.1, 4.3, 0.6, 88, 22, 24],
    [104, 16, 1.0, 138, 4.6, 101, 24, 9.1, 7.0, 4.1, 0.7, 92, 31, 29],
    [112, 18, 1.2, 137, 4.9, 100, 23, 9.0, 6.9, 4.0, 0.8, 95, 61, 44],
  ];
  return dates.flatMap((at, index) => [
    ...panel(`cbc-${index}`, '58410-2', 'Complete blood count', at, CBC.map((analyte, i) => result(analyte, cbc[index]![i]!, at))),
    ...panel(`cmp-${index}`, '24323-8', 'Comprehensive metabolic panel', at, CMP.map((analyte, i) => result(analyte, cmp[index]![i]!, at))),
  ]);
}

const interpretation = (code: string, display: string) => [{ coding: [{ system: V3, code, display }], text: display }];

/** A hospital day: critical potassium and troponin, a corrected result, a preliminary report, a test not performed. */
function abnormalAndCritical(): Resource[] {
  const at = '2025-11-20T03:12:00-05:00';
  const potassium = result(CMP[4]!, 6.8, at, { interpretation: interpretation('HH', 'Critical high'), note: [{ text: 'Critical value called to RN J. Ortiz at 03:40; read back confirmed.' }] });
  const sodium = result(CMP[3]!, 128, at, { interpretation: interpretation('L', 'Low') });
  const glucose = result(CMP[0]!, 38, at, { interpretation: interpretation('LL', 'Critical low') });
  const creatinine = result(CMP[2]!, 2.4, at); // no interpretation: flagged from its range, labelled "derived"
  const bun = result(CMP[1]!, 41, at, { status: 'corrected', interpretation: interpretation('H', 'High') });
  const chloride = result(CMP[5]!, 0, at, { valueQuantity: undefined, dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed', display: 'Not performed' }], text: 'Not performed: specimen hemolyzed' } });
  const troponin = result({ loinc: '89579-7', name: 'Troponin I, high sensitivity', unit: 'ng/L', high: 34 }, 512, at, { interpretation: interpretation('HH', 'Critical high') });
  const lactate = result({ loinc: '2524-7', name: 'Lactate', unit: 'mmol/L', low: 0.5, high: 2.2 }, 4.1, at, { status: 'preliminary', interpretation: interpretation('H', 'High') });
  const culture = result({ loinc: '600-7', name: 'Blood culture', unit: '' }, 0, at, {
    status: 'preliminary',
    valueQuantity: undefined,
    valueCodeableConcept: { text: 'Gram-positive cocci in clusters' },
    interpretation: interpretation('A', 'Abnormal'),
  });
  const earlierPotassium = [5.2, 5.6, 6.1].map((value, i) => result(CMP[4]!, value, `2025-11-1${7 + i}T06:00:00-05:00`));
  return [
    ...panel('bmp', '51990-0', 'Basic metabolic panel', at, [glucose, bun, creatinine, sodium, potassium, chloride]),
    ...panel('cardiac', '89579-7', 'Troponin I', at, [troponin]),
    ...panel('sepsis', '32693-4', 'Lactate and blood culture', at, [lactate, culture], {
      status: 'preliminary',
      conclusion: 'Preliminary: culture growing gram-positive cocci; identification and susceptibility to follow.',
    }),
    ...earlierPotassium,
  ];
}

/** Results sent without a report, as many interfaces do: grouped by the time they were drawn. */
function standalone(): Resource[] {
  const at = '2025-09-02T10:05:00-04:00';
  return [
    result({ loinc: '4548-4', name: 'Hemoglobin A1c', unit: '%', high: 5.6 }, 6.9, at),
    result({ loinc: '2345-7', name: 'Glucose', unit: 'mg/dL', low: 70, high: 99 }, 131, at),
    result({ loinc: '3016-3', name: 'TSH', unit: 'm[IU]/L', low: 0.4, high: 4 }, 2.1, '2025-06-11T09:30:00-04:00'),
    result({ loinc: '94500-6', name: 'SARS-CoV-2 RNA (PCR)', unit: '' }, 0, '2025-01-20T14:00:00-05:00', {
      valueQuantity: undefined,
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '260415000', display: 'Not detected' }] },
      referenceRange: [{ text: 'Not detected' }],
    }),
    result({ loinc: '5403-1', name: 'Rubella IgG titer', unit: '' }, 0, '2024-04-02', {
      valueQuantity: undefined,
      valueRatio: { numerator: { value: 1 }, denominator: { value: 64 } },
      referenceRange: [{ text: '≥ 1:8 immune' }],
    }),
    result({ loinc: '2093-3', name: 'Cholesterol', unit: 'mg/dL', high: 200 }, 0, '2024-04-02', { valueQuantity: { value: 300, comparator: '>', unit: 'mg/dL', system: UCUM, code: 'mg/dL' } }),
  ];
}

/** Markup in every string: shown as text, never run. */
function malicious(): Resource[] {
  const at = '2025-05-05T09:00:00Z';
  const evil = result({ loinc: '718-7', name: '<img src=x onerror=alert("name")>', unit: '<b>g/dL</b>', low: 12, high: 15.5 }, 9, at, {
    note: [{ text: '<script>alert("note")</script>' }],
    performer: [{ display: '<a href="javascript:alert(1)">Evil lab</a>' }],
  });
  const text = result({ loinc: '5778-6', name: 'Color', unit: '' }, 0, at, {
    valueQuantity: undefined,
    valueString: '"><svg onload=alert("value")>',
    referenceRange: [{ text: '<iframe src="https://tracker.example.net"></iframe>' }],
  });
  return panel('evil', '58410-2', '<style>*{display:none}</style>CBC', at, [evil, text], { conclusion: '<marquee>javascript:alert("conclusion")</marquee>' });
}

interface LabResultsArgs {
  /** The resources the in-story source holds. */
  resources: Resource[];
  /** `panels`: all, latest, or a number. */
  panels: string;
  /** `code`: LOINC codes separated by commas. */
  code: string;
  headingLevel: number;
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

function sourceFor(args: LabResultsArgs, failures?: Record<string, FhirError>): FhirSource {
  return new BundleSource({ resources: [amyShaw, ...args.resources], patientId: amyShaw.id, latency: args.latency, label: 'Story record', failures });
}

function element(source: FhirSource, args: Pick<LabResultsArgs, 'panels' | 'code' | 'headingLevel'>) {
  return html`<ehr-context .source=${source}>
    <ehr-lab-results panels=${args.panels || 'all'} code=${args.code || ''} heading-level=${args.headingLevel}></ehr-lab-results>
  </ehr-context>`;
}

const meta: Meta<LabResultsArgs> = {
  title: 'Elements/Lab results',
  component: 'ehr-lab-results',
  tags: ['autodocs'],
  args: { resources: cbcAndCmp(), panels: 'all', code: '', headingLevel: 2, latency: 300 },
  argTypes: {
    panels: { control: 'select', options: ['all', 'latest', '1', '3'] },
    code: { control: 'text' },
    headingLevel: { name: 'heading-level', control: { type: 'number', min: 1, max: 6 } },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => element(sourceFor(args), args),
  parameters: {
    docs: {
      description: {
        component:
          'Laboratory results by report or panel, newest first, with flags and a trend per analyte. Put it inside `<ehr-context>`: ' +
          'it reads `DiagnosticReport?patient=<id>&category=LAB&_include=DiagnosticReport:result` and `Observation?patient=<id>&category=laboratory`, ' +
          'or shows Observations and DiagnosticReports given as the `.resources` property. Listen for `ehr-lab-results-select`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<LabResultsArgs>;

/** A CBC and a comprehensive metabolic panel on three dates: the newest day open, a sparkline per analyte, a few values flagged from their range. */
export const Populated: Story = {};

/** Critical potassium, glucose and troponin (emphasised, with an icon and words), a corrected BUN, a preliminary report with a conclusion, a test not performed, a flag derived from the range. */
export const AbnormalAndCritical: Story = { args: { resources: abnormalAndCritical() } };

/** A generated patient (the "complex" profile): years of CBC, metabolic and lipid panels, A1c and urinalysis. */
const generated = generatePatientRecord({ seed: 3, profile: 'complex' });
const generatedSource = (args: LabResultsArgs) =>
  new BundleSource({ resources: generated.resources, patientId: generated.patient.id, latency: args.latency, label: 'Generated record' });

/** Years of labs from the synthetic record generator: long trends, the newest day open, older panels collapsed. */
export const Trends: Story = { args: { latency: 0 }, render: (args) => element(generatedSource(args), args) };

/** The latest panel of each kind only (`panels="latest"`). */
export const LatestOfEach: Story = { args: { latency: 0, panels: 'latest' }, render: (args) => element(generatedSource(args), args) };

/** Results sent without a report: grouped by the time they were drawn. A coded result, a titer, a bound ("> 300"). */
export const StandaloneResults: Story = { args: { resources: standalone() } };

/** The server has not answered yet: a skeleton, `aria-busy`. */
export const Pending: Story = { render: (args) => element(stalledSource(amyShaw.id!), args) };

/** Both searches failed: what failed and a Retry, never "No lab results". */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) =>
    element(
      sourceFor(args, {
        DiagnosticReport: new FhirError('server', 'The server answered 503 Service Unavailable.', { status: 503 }),
        Observation: new FhirError('server', 'The server answered 503 Service Unavailable.', { status: 503 }),
      }),
      args,
    ),
};

/** The reports failed, the results loaded: they are shown, grouped by time, under a warning with Retry. */
export const PartialFailure: Story = {
  render: (args) => element(sourceFor(args, { DiagnosticReport: new FhirError('forbidden', 'Access to DiagnosticReport was refused (403).', { status: 403 }) }), args),
};

/** No laboratory results on record. */
export const Empty: Story = { args: { resources: [] } };

/** Markup in names, values, units, ranges, notes, performer and conclusion is shown as text. */
export const MaliciousStrings: Story = { args: { resources: malicious() } };

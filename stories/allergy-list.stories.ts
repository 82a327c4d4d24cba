import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { AllergyIntolerance, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import { stalledSource } from './support/story-sources.js';

// Hand-written AllergyIntolerance resources: one per situation the list must get right.

const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

type Clinical = 'active' | 'inactive' | 'resolved';
type Verification = 'unconfirmed' | 'confirmed' | 'refuted' | 'entered-in-error';

const patient: Patient = { resourceType: 'Patient', id: 'story-patient', name: [{ given: ['Amy'], family: 'Shaw' }], birthDate: '1987-02-20' };
const hart: Practitioner = { resourceType: 'Practitioner', id: 'pr-hart', name: [{ prefix: ['Dr.'], given: ['Amelia'], family: 'Hart' }] };

function allergy(id: string, fields: Partial<AllergyIntolerance>, clinical: Clinical | null = 'active', verification: Verification = 'confirmed'): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    ...(clinical ? { clinicalStatus: { coding: [{ system: CLINICAL, code: clinical }] } } : {}),
    verificationStatus: { coding: [{ system: VERIFICATION, code: verification }] },
    patient: { reference: `Patient/${patient.id}` },
    ...fields,
  };
}

const anaphylaxis = { coding: [{ system: SNOMED, code: '39579001', display: 'Anaphylaxis' }] };
const hives = { coding: [{ system: SNOMED, code: '247472004', display: 'Wheal (finding)' }], text: 'Hives' };

const penicillin = allergy('penicillin', {
  code: { coding: [{ system: RXNORM, code: '7980', display: 'penicillin G' }], text: 'Penicillin' },
  category: ['medication'],
  type: 'allergy',
  criticality: 'high',
  onsetDateTime: '2021-10-25T11:09:00-05:00',
  recordedDate: '2021-10-25',
  lastOccurrence: '2021-10-25',
  recorder: { reference: 'Practitioner/pr-hart' },
  reaction: [
    {
      manifestation: [anaphylaxis, hives],
      severity: 'severe',
      description: 'Throat tightness and hives within minutes of the first amoxicillin dose; treated with epinephrine in the ED.',
    },
  ],
  note: [{ text: 'Carries an epinephrine auto-injector. Avoid all penicillins.' }],
});

// Life-threatening through the anaphylaxis manifestation alone: no criticality given.
const peanut = allergy('peanut', {
  code: { coding: [{ system: SNOMED, code: '256349002', display: 'Peanut - dietary (substance)' }], text: 'Peanut' },
  category: ['food'],
  onsetDateTime: '1990',
  recorder: { display: 'Dr. Priya Raman, MD' },
  reaction: [{ manifestation: [anaphylaxis], onset: '1990' }],
});

const latex = allergy('latex', {
  code: { coding: [{ system: SNOMED, code: '111088007', display: 'Latex (substance)' }], text: 'Latex' },
  category: ['environment'],
  criticality: 'low',
  onsetString: 'As a teenager',
  recordedDate: '2015-03',
  recorder: { reference: 'Practitioner/pr-hart' },
  reaction: [{ manifestation: [{ text: 'Rash' }, { text: 'Itching' }], severity: 'mild' }],
});

const codeine = allergy(
  'codeine',
  {
    code: { coding: [{ system: RXNORM, code: '2670', display: 'codeine' }] },
    category: ['medication'],
    type: 'intolerance',
    recordedDate: '2019-06-02',
    asserter: { reference: 'Patient/story-patient' },
    reaction: [{ manifestation: [{ text: 'Nausea' }] }],
  },
  'active',
  'unconfirmed',
);

const strawberries = allergy('strawberries', {
  code: { text: 'Strawberries' },
  category: ['food'],
  criticality: 'low',
  reaction: [{ manifestation: [hives], severity: 'mild' }],
  note: [{ text: 'Outgrown; eats strawberries without symptoms.' }],
}, 'resolved');

const sulfa = allergy('sulfa', {
  code: { coding: [{ system: RXNORM, code: '10180', display: 'sulfamethoxazole' }], text: 'Sulfa drugs' },
  category: ['medication'],
  criticality: 'low',
  onsetString: 'Reported by mother, childhood',
  note: [{ text: 'Refuted: completed a course of trimethoprim-sulfamethoxazole without reaction.' }],
}, 'inactive', 'refuted');

const aspirinInError = allergy('aspirin', {
  code: { coding: [{ system: RXNORM, code: '1191', display: 'aspirin' }], text: 'Aspirin' },
  criticality: 'high',
  reaction: [{ manifestation: [{ text: 'Angioedema' }], severity: 'severe' }],
  note: [{ text: 'Entered on the wrong chart.' }],
}, null, 'entered-in-error');

const noKnownAllergies = allergy('nka', {
  code: { coding: [{ system: SNOMED, code: '716186003', display: 'No known allergy (situation)' }], text: 'No known allergies' },
  recordedDate: '2024-09-25',
  recorder: { display: 'Grace Kim, NP' },
});

const noKnownDrugAllergies = allergy('nkda', {
  code: { coding: [{ system: SNOMED, code: '409137002', display: 'No known drug allergy (situation)' }] },
  recordedDate: '2024-01-12',
  recorder: { display: 'Grace Kim, NP' },
});

// Codes without text or display, and nothing at all: the fallbacks.
const missingCodes = [
  allergy('coded-only', { code: { coding: [{ system: RXNORM, code: '733' }] }, category: ['medication'] }),
  allergy('shellfish', { code: { coding: [{ system: SNOMED, code: '735029006', display: 'Shellfish (substance)' }] }, category: ['food'], onsetDateTime: '2009' }),
  allergy('no-code', { reaction: [{ manifestation: [{ coding: [{ system: SNOMED, code: '271807003' }] }], severity: 'moderate' }] }),
  allergy('no-status', { code: { text: 'Iodinated contrast' }, clinicalStatus: undefined, onsetAge: { value: 34, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' } }, null),
];

const malicious = [
  allergy('evil-1', {
    code: { text: '<img src=x onerror=alert("substance")>' },
    criticality: 'high',
    reaction: [{ manifestation: [{ text: '<script>alert("manifestation")</script>' }], description: '"><iframe src="https://tracker.example.net"></iframe>' }],
    recorder: { display: '<a href="javascript:alert(1)">Dr. Evil</a>' },
    note: [{ text: '<b onmouseover=alert(1)>**markdown** and <u>markup</u></b>' }],
  }),
];

const SUBSTANCES = [
  'Penicillin', 'Amoxicillin', 'Cefalexin', 'Sulfamethoxazole', 'Codeine', 'Morphine', 'Ibuprofen', 'Aspirin', 'Naproxen', 'Lisinopril',
  'Peanut', 'Tree nuts', 'Shellfish', 'Egg', 'Milk', 'Soy', 'Wheat', 'Sesame', 'Fish', 'Strawberries',
  'Latex', 'Bee venom', 'Wasp venom', 'Cat dander', 'Dog dander', 'House dust mite', 'Grass pollen', 'Tree pollen', 'Mould', 'Nickel',
  'Iodinated contrast', 'Vancomycin', 'Ciprofloxacin', 'Erythromycin', 'Tetracycline', 'Carbamazepine', 'Phenytoin', 'Lamotrigine', 'Allopurinol', 'Metformin',
  'Insulin glargine', 'Heparin', 'Chlorhexidine', 'Adhesive tape', 'Kiwi', 'Banana', 'Avocado', 'Celery', 'Mustard', 'Lupin',
];
const CATEGORIES = ['medication', 'food', 'environment', 'medication', 'biologic'] as const;
const SEVERITIES = ['mild', 'moderate', 'severe', undefined] as const;

/** Fifty allergies of every kind, deterministic, for a long list. */
const many: AllergyIntolerance[] = SUBSTANCES.map((name, index) =>
  allergy(
    `many-${index}`,
    {
      code: { text: name },
      category: [CATEGORIES[index % CATEGORIES.length]!],
      criticality: index % 11 === 0 ? 'high' : index % 3 === 0 ? 'low' : undefined,
      onsetDateTime: `${1980 + (index % 40)}${index % 2 ? '-0' + ((index % 9) + 1) : ''}`,
      recordedDate: `${2000 + (index % 24)}-0${(index % 9) + 1}-1${index % 9}`,
      recorder: { reference: 'Practitioner/pr-hart' },
      reaction: [{ manifestation: [index % 17 === 0 ? anaphylaxis : hives], ...(SEVERITIES[index % 4] ? { severity: SEVERITIES[index % 4] } : {}) }],
    },
    index % 13 === 0 ? 'resolved' : 'active',
    index % 7 === 0 ? 'unconfirmed' : index % 19 === 0 ? 'refuted' : 'confirmed',
  ),
);

interface ListArgs {
  /** The resources the in-story FHIR source holds (edit them in Controls). */
  resources: Resource[];
  headingLevel: number;
  showInactive: boolean;
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

/** The list inside `<ehr-context>`, reading through an in-memory FHIR source. */
function list(source: FhirSource, args: Pick<ListArgs, 'headingLevel' | 'showInactive'>) {
  return html`<ehr-context .source=${source}>
    <ehr-allergy-list id="allergies" heading-level=${args.headingLevel} ?show-inactive=${args.showInactive}></ehr-allergy-list>
  </ehr-context>`;
}

function sourceFor(args: ListArgs, failures?: Partial<Record<string, FhirError>>): FhirSource {
  return new BundleSource({
    resources: [patient, hart, ...args.resources],
    patientId: patient.id,
    latency: args.latency,
    label: 'Good Health Clinic',
    ...(failures ? { failures } : {}),
  });
}

const meta: Meta<ListArgs> = {
  title: 'Elements/Allergy list',
  component: 'ehr-allergy-list',
  tags: ['autodocs'],
  args: { resources: [penicillin, peanut, latex, codeine, strawberries, sulfa, aspirinInError], headingLevel: 2, showInactive: false, latency: 300 },
  argTypes: {
    headingLevel: { name: 'heading-level', control: { type: 'number', min: 1, max: 6 } },
    showInactive: { name: 'show-inactive' },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => list(sourceFor(args), args),
  parameters: {
    docs: {
      description: {
        component:
          'Allergies and intolerances, life-threatening first. Put it inside `<ehr-context>`; it reads every ' +
          '`AllergyIntolerance?patient=<id>` page, or shows resources given as the `.resources` property.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<ListArgs>;

/** A typical record: life-threatening allergies first, then the others; history collapsed; entered-in-error hidden. */
export const Populated: Story = {};

/** Anaphylaxis: one with high criticality, one by its manifestation alone (no criticality recorded). */
export const LifeThreatening: Story = { args: { resources: [peanut, penicillin] } };

/** A positive statement someone recorded (SNOMED CT 716186003), shown distinctly from "nothing recorded". */
export const NoKnownAllergies: Story = { args: { resources: [noKnownAllergies] } };

/** SNOMED CT 409137002: only drug allergies are ruled out, and the list says so. */
export const NoKnownDrugAllergies: Story = { args: { resources: [noKnownDrugAllergies] } };

/** Nothing recorded at all: not the same as "No known allergies". */
export const NoneRecorded: Story = { args: { resources: [] } };

/** A server that never answers: the skeleton, announced as "Loading allergies" with aria-busy. */
export const Pending: Story = {
  render: (args) => list(stalledSource(patient.id!), args),
};

/** The server fails (HTTP 500): an alert says what failed, with Retry. Never "no allergies". */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) =>
    list(sourceFor(args, { AllergyIntolerance: new FhirError('server', 'The FHIR server reported an error (500).', { status: 500 }) }), args),
};


/** A record that names no substance (null flavour UNK) but records anaphylaxis: life-threatening, "Unknown substance". */
export const UnknownSubstanceLifeThreatening: Story = {
  args: {
    resources: [
      allergy('unknown', {
        code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK', display: 'Unknown' }] },
        criticality: 'high',
        reaction: [{ manifestation: [anaphylaxis], severity: 'severe' }],
      }),
    ],
  },
};

/** A resolved allergy that once caused anaphylaxis: no alert, but named outside the collapsed group. */
export const ResolvedWithPastAnaphylaxis: Story = {
  args: { resources: [codeine, allergy('latex-past', { code: { text: 'Latex' }, reaction: [{ manifestation: [anaphylaxis] }] }, 'resolved')] },
};

/** Refuted (struck through, labelled, in its own group) and entered-in-error (never shown). */
export const RefutedAndEnteredInError: Story = { args: { resources: [latex, sulfa, aspirinInError], showInactive: true } };

/** Codes without text or display, no code at all, no clinical status, an onset age. */
export const MissingCodes: Story = { args: { resources: missingCodes } };

/** Fifty allergies of every kind. */
export const ManyAllergies: Story = { args: { resources: many } };

/** Markup in every string shows as text; nothing is run or rendered. */
export const MaliciousStrings: Story = { args: { resources: malicious } };

/** Given directly as `.resources`, with no `<ehr-context>`: nothing is loaded. */
export const GivenDirectly: Story = {
  render: (args) => html`<ehr-allergy-list .resources=${[hart, ...args.resources]} heading-level=${args.headingLevel}></ehr-allergy-list>`,
};

/** Dark colours (`--ehr-color-scheme: dark`). */
export const DarkMode: Story = {
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; border-radius: 0.5rem">
    ${list(sourceFor(args), args)}
  </div>`,
};

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { AllergyIntolerance, Patient } from '@medplum/fhirtypes';
import { html } from 'lit';
import { BundleSource, FhirError, type FhirSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import {
  amyShaw,
  birthYearOnly,
  deceased,
  malicious,
  minimal,
  newborn,
  partialBirthDate,
  toddler,
} from './support/patients.js';
import { stalledSource, withLaunchContext } from './support/story-sources.js';

interface BannerArgs {
  /** The Patient the in-story source holds (edit it in Controls). */
  patient: Patient;
  layout: 'wide' | 'compact';
  alwaysVisible: boolean;
  /** Simulated server latency, in milliseconds. */
  latency: number;
}

/** The banner inside `<ehr-context>`, reading `patient` through an in-memory FHIR source. */
function banner(source: FhirSource, args: Pick<BannerArgs, 'layout' | 'alwaysVisible'>) {
  return html`<ehr-context .source=${source}>
    <ehr-patient-banner layout=${args.layout} ?always-visible=${args.alwaysVisible}></ehr-patient-banner>
  </ehr-context>`;
}

function sourceFor(args: BannerArgs): FhirSource {
  return new BundleSource({ resources: [args.patient], patientId: args.patient.id, latency: args.latency, label: 'Story record' });
}

const meta: Meta<BannerArgs> = {
  title: 'Elements/Patient banner',
  component: 'ehr-patient-banner',
  tags: ['autodocs'],
  args: { patient: amyShaw, layout: 'wide', alwaysVisible: false, latency: 300 },
  argTypes: {
    layout: { control: 'inline-radio', options: ['wide', 'compact'] },
    alwaysVisible: { name: 'always-visible' },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 100 } },
  },
  render: (args) => banner(sourceFor(args), args),
  parameters: {
    docs: {
      description: {
        component:
          'Who the record is about. Put it inside `<ehr-context>`; it reads `Patient/<id>` for the patient in context ' +
          '(or `patient-id`), or shows a Patient given as the `.patient` property.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<BannerArgs>;

/** Everything the record offers: name and nickname, age, sex, date of birth, identifiers (SSN masked), contact, language, photo. */
export const Wide: Story = {};

/** One line for tight headers: name, age and sex, date of birth, MRN. */
export const Compact: Story = { args: { layout: 'compact' } };

/** Under one month the age is in days, under two years in months. */
export const Infant: Story = {
  render: (args) => html`<div style="display: grid; gap: 1rem">
    ${banner(sourceFor({ ...args, patient: newborn }), args)} ${banner(sourceFor({ ...args, patient: toddler }), args)}
  </div>`,
};

/** The deceased badge says so in words, with the date; the age is the age at death. */
export const Deceased: Story = { args: { patient: deceased } };

/** A birthDate of "1961-04" stays "Apr 1961"; a bare year gives an age range, never a guessed day. */
export const PartialBirthDate: Story = {
  render: (args) => html`<div style="display: grid; gap: 1rem">
    ${banner(sourceFor({ ...args, patient: partialBirthDate }), args)} ${banner(sourceFor({ ...args, patient: birthYearOnly }), args)}
  </div>`,
};

/** A Patient with nothing but an id: "Unnamed patient", a neutral avatar, no empty labels. */
export const MinimalData: Story = { args: { patient: minimal } };

/** Markup in names, identifiers and contact details shows as text; a remote tracking "photo" is dropped. */
export const MaliciousStrings: Story = { args: { patient: malicious } };

/** A server that never answers: the skeleton, announced as "Loading patient" with aria-busy. */
export const Pending: Story = {
  render: (args) => html`<div style="display: grid; gap: 1rem">
    ${banner(stalledSource('amy-shaw'), args)} ${banner(stalledSource('amy-shaw'), { ...args, layout: 'compact' })}
  </div>`,
};

/** The server fails (HTTP 500): an alert says what failed, with Retry. */
export const ErrorState: Story = {
  name: 'Error',
  render: (args) =>
    banner(
      new BundleSource({
        resources: [args.patient],
        patientId: args.patient.id,
        latency: args.latency,
        failures: { Patient: new FhirError('server', 'The FHIR server had an internal error (HTTP 500).', { status: 500 }) },
      }),
      args,
    ),
};

/** The id in context is not on the server: "Patient not found", not an error. */
export const NotFound: Story = {
  render: (args) => banner(new BundleSource({ resources: [args.patient], patientId: 'no-such-patient', latency: args.latency, label: 'Story record' }), args),
};

/**
 * The SMART launch said `need_patient_banner: false` (the EHR shows its own): the banner hides itself.
 * Turn on `always-visible` to show it anyway.
 */
export const HiddenByLaunchContext: Story = {
  render: (args) => html`<p style="font: 0.875rem system-ui; color: #59636e">
      The launch context says the EHR already shows a banner, so the one below hides itself. Turn on always-visible in Controls to show it.
    </p>
    ${banner(withLaunchContext(sourceFor(args), { needPatientBanner: false }), args)}`,
};

/**
 * Colours follow the user's `prefers-color-scheme`. Here `--ehr-color-scheme: dark` forces dark; a light-only
 * host page sets `--ehr-color-scheme: light` on `:root`. Colour tokens (`--ehr-color-*`) set by the page win in both.
 */
export const DarkMode: Story = {
  args: { patient: deceased },
  render: (args) => html`<div style="--ehr-color-scheme: dark; background: #0d1117; padding: 1rem; display: grid; gap: 1rem; border-radius: 0.5rem">
    ${banner(sourceFor({ ...args, patient: amyShaw }), args)} ${banner(sourceFor(args), args)}
    ${banner(sourceFor({ ...args, patient: amyShaw }), { ...args, layout: 'compact' })}
  </div>`,
};

// ---------------------------------------------------------------------------
// The allergy alert

const SNOMED = 'http://snomed.info/sct';
const activeConfirmed = {
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
};
const allergyOf = (id: string, fields: Partial<AllergyIntolerance>): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance',
  id,
  ...activeConfirmed,
  patient: { reference: `Patient/${amyShaw.id}` },
  ...fields,
});
const lifeThreateningAllergies = [
  allergyOf('penicillin', {
    code: { text: 'Penicillin' },
    criticality: 'high',
    reaction: [{ manifestation: [{ coding: [{ system: SNOMED, code: '39579001', display: 'Anaphylaxis' }] }], severity: 'severe' }],
  }),
  allergyOf('peanut', { code: { text: 'Peanut' }, criticality: 'high' }),
  allergyOf('latex', { code: { text: 'Latex' }, criticality: 'low' }),
];
const noKnownAllergies = [allergyOf('nka', { code: { coding: [{ system: SNOMED, code: '716186003', display: 'No known allergy (situation)' }] } })];

function withAllergies(args: BannerArgs, allergies: AllergyIntolerance[], failures?: Partial<Record<string, FhirError>>): FhirSource {
  return new BundleSource({
    resources: [args.patient, ...allergies],
    patientId: args.patient.id,
    latency: args.latency,
    label: 'Story record',
    ...(failures ? { failures } : {}),
  });
}

/** The allergy alert: count and most dangerous substance, in the danger colour with an icon; a link to the list. */
export const AllergyAlert: Story = {
  render: (args) => html`<div style="display: grid; gap: 1rem">
    <ehr-context .source=${withAllergies(args, lifeThreateningAllergies)}>
      <ehr-patient-banner layout=${args.layout} allergies-href="#allergies"></ehr-patient-banner>
      <ehr-allergy-list id="allergies" style="margin-top: 1rem"></ehr-allergy-list>
    </ehr-context>
  </div>`,
};

/** "NKA" when a "No known allergies" record is on file (spelled out for screen readers). */
export const AllergiesNoneKnown: Story = {
  name: 'Allergies: NKA',
  render: (args) => banner(withAllergies(args, noKnownAllergies), args),
};

/** The allergies could not be loaded: "Allergies could not be loaded" with a Retry, never "NKA". */
export const AllergiesUnavailable: Story = {
  render: (args) =>
    banner(withAllergies(args, noKnownAllergies, { AllergyIntolerance: new FhirError('server', 'The FHIR server reported an error (500).', { status: 500 }) }), args),
};

/** Paging stopped before every allergy was loaded: "Allergy list incomplete", never "NKA". */
export const AllergiesIncomplete: Story = {
  render: (args) => {
    const inner = withAllergies(args, noKnownAllergies);
    const incomplete: FhirSource = {
      server: inner.server,
      patientId: inner.patientId,
      read: (type, id, options) => inner.read(type, id, options),
      search: async (type, params, options) => ({ ...(await inner.search(type, params, options)), complete: false, incompleteReason: 'page-limit' as const }),
    };
    return banner(incomplete, args);
  },
};

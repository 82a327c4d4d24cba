import { expect } from '@open-wc/testing';
import type { AllergyIntolerance, Resource } from '@medplum/fhirtypes';
import {
  isAnaphylaxis,
  noKnownAllergyScope,
  summarizeAllergies,
  toAllergyView,
  UNKNOWN_SUBSTANCE,
} from '../../../packages/core/src/model/index.js';
import { loadAllergies } from '../../../packages/core/src/query/index.js';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type SearchParams, type SearchResult } from '../../../packages/core/src/source/fhir-source.js';
import { generatePatientRecord } from '../../../packages/sandbox/src/generator/index.js';

// The generator encodes document text with Node's Buffer (packages/sandbox/src/generator/builder.ts
// `base64`); in the browser only that one call is needed, so it is given here, UTF-8 safe.
if (!('Buffer' in globalThis)) {
  Object.assign(globalThis, {
    Buffer: {
      from: (text: string) => ({
        toString: () => btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join('')),
      }),
    },
  });
}

const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

type Clinical = 'active' | 'inactive' | 'resolved';
type Verification = 'unconfirmed' | 'confirmed' | 'refuted' | 'entered-in-error' | 'provisional';

/** A US Core-shaped AllergyIntolerance; `overrides` may break any field on purpose. */
function allergy(id: string, overrides: Record<string, unknown> = {}, clinical: Clinical | null = 'active', verification: Verification | null = 'confirmed'): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    ...(clinical ? { clinicalStatus: { coding: [{ system: CLINICAL, code: clinical }] } } : {}),
    ...(verification ? { verificationStatus: { coding: [{ system: VERIFICATION, code: verification }] } } : {}),
    code: { text: id.charAt(0).toUpperCase() + id.slice(1) },
    patient: { reference: 'Patient/p1' },
    ...overrides,
  } as AllergyIntolerance;
}

const nka = (id = 'nka', code = '716186003', text?: string) =>
  allergy(id, { code: { coding: [{ system: SNOMED, code, display: 'No known allergy (situation)' }], ...(text ? { text } : {}) }, recordedDate: '2023-09-25' });

const view = (resource: unknown) => toAllergyView(resource as AllergyIntolerance, { locale: 'en-US' });
const summary = (resources: unknown[]) => summarizeAllergies(resources, { locale: 'en-US' });
const names = (views: readonly { substance: string }[]) => views.map((v) => v.substance);

describe('allergy model: substance', () => {
  it('uses code.text, then the first coding display, then the code, then "Unknown substance"', () => {
    const coded = { coding: [{ system: RXNORM, code: '7980', display: 'penicillin G' }] };
    expect(view(allergy('x', { code: { ...coded, text: 'Penicillin' } })).substance).to.equal('Penicillin');
    expect(view(allergy('x', { code: coded })).substance).to.equal('penicillin G');
    const bare = view(allergy('x', { code: { coding: [{ system: RXNORM, code: '7980' }] } }));
    expect(bare.substance).to.contain('7980');
    expect(bare.substance).not.to.contain('http');
    expect(bare.substanceSource).to.equal('code');
    expect(view(allergy('x', { code: undefined })).substance).to.equal(UNKNOWN_SUBSTANCE);
    expect(view(allergy('x', { code: { coding: [{ system: SNOMED }] } })).substance).to.equal(UNKNOWN_SUBSTANCE);
  });

  it('drops the SNOMED CT semantic tag from a display ("Shellfish", not "Shellfish (substance)")', () => {
    expect(view(allergy('x', { code: { coding: [{ system: SNOMED, code: '735029006', display: 'Shellfish (substance)' }] } })).substance).to.equal('Shellfish');
  });

  it('labels category, criticality, type and the statuses', () => {
    const result = view(allergy('x', { category: ['food', 'nonsense', 'food'], criticality: 'unable-to-assess', type: 'intolerance' }, 'active', 'unconfirmed'));
    expect(result.categories).to.deep.equal([{ code: 'food', label: 'Food' }]);
    expect(result.criticality).to.deep.equal({ code: 'unable-to-assess', label: 'Criticality unable to assess' });
    expect(result.type?.label).to.equal('Intolerance');
    expect(result.verificationStatus?.label).to.equal('Unconfirmed');
    expect(result.clinicalStatus?.label).to.equal('Active');
    expect(view(allergy('x', { criticality: 'extreme' })).criticality).to.equal(undefined);
  });
});

describe('allergy model: verification and clinical status', () => {
  it('hides entered-in-error records (FHIR R4: the record should not have existed)', () => {
    const result = summary([allergy('aspirin', { criticality: 'high' }, null, 'entered-in-error'), allergy('latex')]);
    expect(names(result.active)).to.deep.equal(['Latex']);
    expect(result.hiddenCount).to.equal(1);
    expect([...result.inactive, ...result.refuted].map((v) => v.substance)).not.to.include('Aspirin');
  });

  it('reads "Entered in Error" written only as text, and a bare STU3 status string', () => {
    const textOnly = allergy('aspirin', { verificationStatus: { text: 'Entered in Error' } }, null, null);
    expect(view(textOnly).group).to.equal('entered-in-error');
    expect(view(allergy('x', { clinicalStatus: 'resolved' }, null)).group).to.equal('inactive');
  });

  it('puts refuted records in their own group, never as active allergies, whatever their clinical status', () => {
    const result = summary([allergy('sulfa', { criticality: 'high' }, 'active', 'refuted'), allergy('latex')]);
    expect(names(result.refuted)).to.deep.equal(['Sulfa']);
    expect(names(result.active)).to.deep.equal(['Latex']);
    expect(result.refuted[0]!.alert).to.equal('none');
  });

  it('separates inactive and resolved allergies from active ones', () => {
    const result = summary([allergy('strawberries', {}, 'resolved'), allergy('flu vaccine', {}, 'inactive'), allergy('latex')]);
    expect(names(result.active)).to.deep.equal(['Latex']);
    expect(names(result.inactive).sort()).to.deep.equal(['Flu vaccine', 'Strawberries']);
    expect(result.inactive.every((v) => v.alert === 'none')).to.equal(true);
  });

  it('treats a record without clinicalStatus as in force (hiding it would be the dangerous mistake)', () => {
    expect(view(allergy('x', {}, null)).group).to.equal('active');
  });

  it('accepts the R5 kinds of unconfirmed (provisional) and keeps them active, labelled', () => {
    const result = view(allergy('x', {}, 'active', 'provisional'));
    expect(result.group).to.equal('active');
    expect(result.alert).to.equal('caution');
    expect(result.verificationStatus?.label).to.equal('Provisional');
  });
});

describe('allergy model: life-threatening alert', () => {
  const anaphylaxis = { coding: [{ system: SNOMED, code: '39579001', display: 'Anaphylaxis' }] };

  it('high criticality alone is life-threatening', () => {
    const result = view(allergy('x', { criticality: 'high' }));
    expect(result.alert).to.equal('life-threatening');
    expect(result.alertReasons.map((r) => r.code)).to.deep.equal(['high-criticality']);
  });

  it('a severe reaction without any criticality is life-threatening', () => {
    const result = view(allergy('x', { reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'severe' }] }));
    expect(result.alert).to.equal('life-threatening');
    expect(result.alertReasons.map((r) => r.code)).to.deep.equal(['severe-reaction']);
  });

  it('an anaphylaxis manifestation with low criticality and no severity is life-threatening', () => {
    const result = view(allergy('x', { criticality: 'low', reaction: [{ manifestation: [anaphylaxis] }] }));
    expect(result.alert).to.equal('life-threatening');
    expect(result.reactions[0]!.anaphylaxis).to.equal(true);
    expect(result.reactions[0]!.manifestations).to.deep.equal(['Anaphylaxis']);
  });

  it('recognises anaphylaxis by SNOMED CT descendants, ICD-10-CM and text', () => {
    expect(isAnaphylaxis({ coding: [{ system: SNOMED, code: '417516000' }] })).to.equal(true);
    expect(isAnaphylaxis({ coding: [{ system: SNOMED, code: '91941002' }] })).to.equal(true);
    expect(isAnaphylaxis({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'T78.2XXA' }] })).to.equal(true);
    expect(isAnaphylaxis({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'T88.6XXA' }] })).to.equal(true);
    expect(isAnaphylaxis({ text: 'Anaphylactic reaction' })).to.equal(true);
    expect(isAnaphylaxis({ coding: [{ system: SNOMED, code: '247472004', display: 'Wheal (finding)' }], text: 'Hives' })).to.equal(false);
    expect(isAnaphylaxis({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'T78.3XXA' }] })).to.equal(false); // angioedema
    expect(isAnaphylaxis('anaphylaxis')).to.equal(false); // not a CodeableConcept
  });

  it('other active allergies are "caution", whether confirmed or unconfirmed; inactive and refuted are not alerts', () => {
    expect(view(allergy('x', { criticality: 'low' })).alert).to.equal('caution');
    expect(view(allergy('x', {}, 'active', 'unconfirmed')).alert).to.equal('caution');
    expect(view(allergy('x', { criticality: 'high' }, 'resolved')).alert).to.equal('none');
  });

  it('an unconfirmed high-criticality allergy is still life-threatening (and labelled unconfirmed)', () => {
    const result = view(allergy('x', { criticality: 'high' }, 'active', 'unconfirmed'));
    expect(result.alert).to.equal('life-threatening');
    expect(result.verificationStatus?.code).to.equal('unconfirmed');
  });
});

describe('allergy model: reactions, dates, people', () => {
  it('keeps every reaction with its own substance (when different), manifestations, severity, onset and description', () => {
    const result = view(
      allergy('penicillin', {
        code: { coding: [{ system: RXNORM, code: '7980', display: 'penicillin G' }], text: 'Penicillin' },
        reaction: [
          {
            substance: { coding: [{ system: RXNORM, code: '723', display: 'amoxicillin' }] },
            manifestation: [{ coding: [{ system: SNOMED, code: '271807003', display: 'Eruption of skin (disorder)' }] }, { text: 'Itching' }],
            severity: 'moderate',
            onset: '2012-06',
            description: 'Rash two days into a course',
          },
          { substance: { coding: [{ system: RXNORM, code: '7980' }] }, manifestation: [{ text: 'Hives' }], severity: 'mild' },
        ],
      }),
    );
    const [first, second] = result.reactions;
    expect(first!.substance).to.equal('amoxicillin');
    expect(first!.manifestations).to.deep.equal(['Eruption of skin', 'Itching']);
    expect(first!.severity).to.deep.equal({ code: 'moderate', label: 'Moderate' });
    expect(first!.onset?.display).to.equal('Jun 2012');
    expect(first!.description).to.equal('Rash two days into a course');
    expect(second!.substance, 'the same substance as the allergy is not repeated').to.equal(undefined);
  });

  it('keeps partial onset dates partial, and reads every onset[x] form', () => {
    expect(view(allergy('x', { onsetDateTime: '2009' })).onset).to.include({ kind: 'dateTime', display: '2009' });
    expect(view(allergy('x', { onsetDateTime: '2009-04' })).onset?.display).to.equal('Apr 2009');
    expect(view(allergy('x', { onsetAge: { value: 12, unit: 'yr', system: 'http://unitsofmeasure.org', code: 'a' } })).onset?.display).to.equal('At age 12 years');
    expect(view(allergy('x', { onsetPeriod: { start: '2010-03', end: '2010-04' } })).onset?.display).to.equal('Mar 2010 – Apr 2010');
    expect(view(allergy('x', { onsetRange: { low: { value: 10, code: 'a' }, high: { value: 12, code: 'a' } } })).onset?.display).to.equal('Age 10–12 years');
    expect(view(allergy('x', { onsetString: 'As a teenager' })).onset?.display).to.equal('As a teenager');
  });

  it('shows clinical dates (recorded, last occurrence), never meta.lastUpdated', () => {
    const result = view(allergy('x', { recordedDate: '2021-10-25T11:09:00-05:00', lastOccurrence: '2022-01', meta: { lastUpdated: '2026-04-17T03:12:29Z' } }));
    expect(result.recordedDate?.display).to.equal('Oct 25, 2021');
    expect(result.lastOccurrence?.display).to.equal('Jan 2022');
    expect(JSON.stringify({ ...result, resource: undefined })).not.to.contain('2026');
  });

  it('never throws on malformed dates and fields; what is unreadable is left out', () => {
    const broken = {
      resourceType: 'AllergyIntolerance',
      id: 'broken',
      code: 'penicillin',
      clinicalStatus: 42,
      verificationStatus: { coding: 'confirmed' },
      category: 'food',
      criticality: ['high'],
      onsetDateTime: '2020-13-45',
      onsetAge: { value: 'twelve' },
      recordedDate: 20200101,
      lastOccurrence: '2023-02-30',
      reaction: [null, 'x', { manifestation: 'hives', severity: 'fatal', onset: 'yesterday' }],
      recorder: 'Dr. X',
      note: [{ text: 42 }, { text: '  Keep   away  ' }],
      meta: null,
    };
    const result = view(broken);
    expect(result.substance).to.equal(UNKNOWN_SUBSTANCE);
    expect(result.onset).to.equal(undefined);
    expect(result.recordedDate).to.equal(undefined);
    expect(result.lastOccurrence).to.equal(undefined);
    expect(result.reactions).to.have.length(1);
    expect(result.reactions[0]!.manifestations).to.deep.equal([]);
    expect(result.reactions[0]!.severity).to.equal(undefined);
    expect(result.categories.map((c) => c.code)).to.deep.equal(['food']);
    expect(result.notes).to.deep.equal(['Keep away']);
    expect(result.group).to.equal('active');
    expect(() => summary([broken, null, 'x', 42, { resourceType: 'AllergyIntolerance' }])).not.to.throw();
  });

  it('names the recorder from reference.display, else from an included Practitioner or PractitionerRole; else omits it', () => {
    expect(view(allergy('x', { recorder: { reference: 'Practitioner/1', display: 'Dr. Hart' } })).recorder).to.equal('Dr. Hart');
    const practitioner: Resource = { resourceType: 'Practitioner', id: 'pr1', name: [{ given: ['Amelia'], family: 'Hart', prefix: ['Dr.'] }] };
    const organization: Resource = { resourceType: 'Organization', id: 'org1', name: 'Good Health Clinic' };
    const role: Resource = { resourceType: 'PractitionerRole', id: 'role1', practitioner: { reference: 'Practitioner/pr1' }, organization: { reference: 'Organization/org1' } };
    const resolved = summarizeAllergies([allergy('x', { recorder: { reference: 'PractitionerRole/role1' }, asserter: { reference: 'Patient/p1' } }), practitioner, organization, role]);
    expect(resolved.active[0]!.recorder).to.equal('Dr. Amelia Hart');
    expect(resolved.active[0]!.organization).to.equal('Good Health Clinic');
    expect(resolved.active[0]!.asserter).to.equal('Patient');
    expect(view(allergy('x', { recorder: { reference: 'Practitioner/unknown' } })).recorder).to.equal(undefined);
  });

  it('keeps provenance: the source label given, else the host of meta.source', () => {
    expect(toAllergyView(allergy('x'), { sourceLabel: 'Example Hospital' }).sourceLabel).to.equal('Example Hospital');
    expect(view(allergy('x', { meta: { source: 'https://ehr.example.org/fhir' } })).sourceLabel).to.equal('ehr.example.org');
    expect(view(allergy('x', { meta: { source: '#a1b2c3' } })).sourceLabel).to.equal(undefined);
    const perRecord = summarizeAllergies([allergy('a'), allergy('b')], { sourceLabel: (r) => (r.id === 'a' ? 'Clinic A' : 'Hospital B') });
    expect(perRecord.active.map((v) => v.sourceLabel).sort()).to.deep.equal(['Clinic A', 'Hospital B']);
  });
});

describe('allergy model: three empty states, never conflated', () => {
  it('no records at all: none-recorded', () => {
    expect(summary([]).status).to.equal('none-recorded');
  });

  it('only entered-in-error records: none-recorded, not "no known allergies"', () => {
    const result = summary([allergy('aspirin', {}, null, 'entered-in-error')]);
    expect(result.status).to.equal('none-recorded');
    expect(result.noKnownLabel).to.equal(undefined);
  });

  it('SNOMED 716186003: no-known-allergies, "No known allergies"', () => {
    const result = summary([nka()]);
    expect(result.status).to.equal('no-known-allergies');
    expect(result.noKnownLabel).to.equal('No known allergies');
    expect(result.noKnownScopes).to.deep.equal(['all']);
    expect(result.active).to.have.length(0);
  });

  it('SNOMED 409137002: "No known drug allergies", not "No known allergies"', () => {
    const result = summary([nka('nkda', '409137002')]);
    expect(result.status).to.equal('no-known-allergies');
    expect(result.noKnownLabel).to.equal('No known drug allergies');
    expect(result.noKnownScopes).to.deep.equal(['medication']);
  });

  it('text-only negations, as Argonaut-era feeds send them', () => {
    expect(noKnownAllergyScope({ text: 'No Known Allergies' })).to.equal('all');
    expect(noKnownAllergyScope({ text: 'NKDA' })).to.equal('medication');
    expect(noKnownAllergyScope({ text: 'No known food allergy' })).to.equal('food');
    expect(noKnownAllergyScope({ text: 'No known allergy to penicillin' })).to.equal(undefined);
    expect(summary([allergy('x', { code: { text: 'No Known Allergies' } })]).status).to.equal('no-known-allergies');
  });

  it('other negation codes: food, environment, insect, latex; combined in one label', () => {
    expect(noKnownAllergyScope({ coding: [{ system: SNOMED, code: '429625007' }] })).to.equal('food');
    expect(noKnownAllergyScope({ coding: [{ system: SNOMED, code: '428607008' }] })).to.equal('environment');
    expect(noKnownAllergyScope({ coding: [{ system: SNOMED, code: '428197003' }] })).to.equal('insect');
    expect(noKnownAllergyScope({ coding: [{ system: SNOMED, code: '1003774007' }] })).to.equal('latex');
    expect(summary([nka('a', '409137002'), nka('b', '429625007')]).noKnownLabel).to.equal('No known drug or food allergies');
  });

  it('a real allergy wins over NKA: the NKA record is flagged contradicted, never the status', () => {
    const result = summary([nka(), allergy('peanut', { category: ['food'] })]);
    expect(result.status).to.equal('allergies');
    expect(names(result.active)).to.deep.equal(['Peanut']);
    expect(result.contradicted.map((v) => v.id)).to.deep.equal(['nka']);
    expect(result.noKnown).to.have.length(0);
    expect(result.noKnownLabel).to.equal(undefined);
  });

  it('NKDA beside a food allergy is not a contradiction; beside a drug allergy it is', () => {
    const food = summary([nka('nkda', '409137002'), allergy('peanut', { category: ['food'] })]);
    expect(food.contradicted).to.have.length(0);
    expect(food.noKnownLabel).to.equal('No known drug allergies');
    const drug = summary([nka('nkda', '409137002'), allergy('penicillin', { category: ['medication'] })]);
    expect(drug.contradicted.map((v) => v.id)).to.deep.equal(['nkda']);
  });

  it('NKA with only resolved allergies: still no-known-allergies, with the history kept', () => {
    const result = summary([nka(), allergy('strawberries', {}, 'resolved')]);
    expect(result.status).to.equal('no-known-allergies');
    expect(names(result.inactive)).to.deep.equal(['Strawberries']);
  });
});

describe('allergy model: sorting', () => {
  it('life-threatening first (anaphylaxis, then severe, then high criticality), then the rest by recency; undated last', () => {
    const result = summary([
      allergy('old caution', { onsetDateTime: '2001' }),
      allergy('undated caution'),
      allergy('recent caution', { recordedDate: '2024-05-01' }),
      allergy('high', { criticality: 'high', onsetDateTime: '2023' }),
      allergy('anaphylaxis', { reaction: [{ manifestation: [{ text: 'Anaphylaxis' }] }], onsetDateTime: '1999' }),
      allergy('severe', { reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'severe' }] }),
    ]);
    expect(names(result.active)).to.deep.equal(['Anaphylaxis', 'Severe', 'High', 'Recent caution', 'Old caution', 'Undated caution']);
    expect(names(result.lifeThreatening)).to.deep.equal(['Anaphylaxis', 'Severe', 'High']);
  });

  it('the last reaction counts as more recent than the onset', () => {
    const result = summary([allergy('a', { onsetDateTime: '2020' }), allergy('b', { onsetDateTime: '2010', lastOccurrence: '2024-02-01' })]);
    expect(names(result.active)).to.deep.equal(['B', 'A']);
  });
});

describe('allergy model: generated records', () => {
  it("the generator's adult-anaphylaxis patient: penicillin anaphylaxis first, refuted and entered-in-error handled", () => {
    const record = generatePatientRecord({ seed: 1, profile: 'adult-anaphylaxis' });
    const result = summarizeAllergies(record.resources, { locale: 'en-US' });
    const generated = record.resources.filter((r) => r.resourceType === 'AllergyIntolerance');
    expect(result.status).to.equal('allergies');
    expect(result.lifeThreatening[0]!.substance).to.equal('Penicillin');
    expect(result.lifeThreatening[0]!.alertReasons[0]!.code).to.equal('anaphylaxis');
    expect(result.lifeThreatening[0]!.recorder).to.be.a('string');
    expect(names(result.refuted)).to.deep.equal(['Sulfa drugs']);
    expect(result.hiddenCount).to.equal(1);
    expect([...result.active, ...result.inactive, ...result.refuted].map((v) => v.substance)).not.to.include('Aspirin');
    expect(result.active.length + result.inactive.length + result.refuted.length + result.hiddenCount).to.equal(generated.length);
    // Coded only as SNOMED "Shellfish (substance)": the display, without its semantic tag.
    expect(names(result.active)).to.include('Shellfish');
  });

  it("the generator's nka patient: no-known-allergies", () => {
    const record = generatePatientRecord({ seed: 3, profile: 'nka' });
    const result = summarizeAllergies(record.resources);
    expect(result.status).to.equal('no-known-allergies');
    expect(result.noKnownLabel).to.equal('No known allergies');
  });
});

/** A source whose search ignores every parameter: it returns all patients' allergies. */
function ignoringParams(inner: BundleSource): FhirSource {
  return {
    server: inner.server,
    patientId: inner.patientId,
    read: (type, id, options) => inner.read(type, id, options),
    search: <T extends Resource>(type: string, _params?: SearchParams, options?: Parameters<FhirSource['search']>[2]) =>
      inner.search<T>(type, {}, options) as Promise<SearchResult<T>>,
  };
}

describe('loadAllergies', () => {
  const resources: Resource[] = [
    allergy('penicillin', { recorder: { reference: 'Practitioner/pr1' } }),
    allergy('peanut', { patient: { reference: 'https://fhir.example.org/r4/Patient/someone-else' } }),
    { resourceType: 'Practitioner', id: 'pr1', name: [{ given: ['Amelia'], family: 'Hart' }] },
  ];

  /** A BundleSource that records the searches made. */
  function recording(inner: BundleSource) {
    const calls: { type: string; params: unknown }[] = [];
    const source: FhirSource = {
      server: inner.server,
      patientId: inner.patientId,
      read: (type, id, options) => inner.read(type, id, options),
      search: (type, params, options) => {
        calls.push({ type, params });
        return inner.search(type, params, options);
      },
    };
    return { source, calls };
  }

  it('searches AllergyIntolerance?patient=<id>, and returns the records and the server label as provenance', async () => {
    const { source, calls } = recording(new BundleSource({ resources, label: 'Example Hospital' }));
    const data = await loadAllergies(source, 'p1');
    expect(calls).to.deep.equal([{ type: 'AllergyIntolerance', params: { patient: 'p1' } }]);
    expect(data.allergies.map((a) => a.id)).to.deep.equal(['penicillin']);
    expect(data.sourceLabel).to.equal('Example Hospital');
    expect(data.complete).to.equal(true);
  });

  it('drops records of another patient when the server ignores the patient parameter', async () => {
    const data = await loadAllergies(ignoringParams(new BundleSource({ resources })), 'p1');
    expect(data.allergies.map((a) => a.id)).to.deep.equal(['penicillin']);
    expect(data.otherPatientCount).to.equal(1);
  });

  it('asks for recorders with _include, and asks again without it when a strict server refuses it (400)', async () => {
    const { source, calls } = recording(new BundleSource({ resources }));
    const data = await loadAllergies(source, 'p1', { includeParticipants: true });
    expect(calls.map((call) => call.params)).to.deep.equal([
      { patient: 'p1', _include: ['AllergyIntolerance:recorder', 'AllergyIntolerance:asserter'] },
      { patient: 'p1' },
    ]);
    expect(data.allergies.map((a) => a.id)).to.deep.equal(['penicillin']);
  });

  it('keeps included resources and uses them to name the recorder', async () => {
    const included: Resource = { resourceType: 'Practitioner', id: 'pr1', name: [{ given: ['Amelia'], family: 'Hart' }] };
    const source: FhirSource = {
      server: { baseUrl: 'https://fhir.example.org/r4', label: 'Example Hospital' },
      patientId: 'p1',
      read: () => Promise.reject(new FhirError('not-found', 'not here')),
      search: async <T extends Resource>() =>
        ({ resources: [resources[0]], included: [included], complete: true, outcomes: [] }) as unknown as SearchResult<T>,
    };
    const data = await loadAllergies(source, 'p1', { includeParticipants: true });
    expect(data.included).to.deep.equal([included]);
    expect(summarizeAllergies(data.allergies, { included: data.included }).active[0]!.recorder).to.equal('Amelia Hart');
  });

  it('rejects with the FhirError (a fault forced by the test): a failed load is never an empty list', async () => {
    const failing = new BundleSource({ resources, failures: { AllergyIntolerance: new FhirError('network', 'The FHIR server could not be reached.') } });
    let caught: unknown;
    try {
      await loadAllergies(failing, 'p1');
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(FhirError);
    expect((caught as FhirError).kind).to.equal('network');
  });

  it('passes the AbortSignal on, and reports progress', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const source = new BundleSource({ resources, latency: 50 });
    const pending = loadAllergies(source, 'p1', { signal: controller.signal, onProgress: (p) => progress.push(p.loaded) });
    controller.abort();
    let caught: unknown;
    try {
      await pending;
    } catch (error) {
      caught = error;
    }
    expect((caught as FhirError).kind).to.equal('aborted');
    await loadAllergies(new BundleSource({ resources }), 'p1', { onProgress: (p) => progress.push(p.loaded) });
    expect(progress).to.deep.equal([1]);
  });
});

describe('allergy model: records that contradict themselves, read the dangerous way', () => {
  const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
  const anaphylaxis = { manifestation: [{ coding: [{ system: SNOMED, code: '39579001', display: 'Anaphylaxis' }] }], severity: 'severe' };

  it('an unknown substance (null flavour UNK) with a high criticality and anaphylaxis is a life-threatening allergy, never "none recorded"', () => {
    const record = allergy('unk', { code: { coding: [{ system: NULL_FLAVOR, code: 'UNK' }] }, criticality: 'high', reaction: [anaphylaxis] });
    const result = summary([record]);
    expect(result.status).to.equal('allergies');
    expect(names(result.lifeThreatening)).to.deep.equal([UNKNOWN_SUBSTANCE]);
    expect(result.unknown).to.have.length(0);
  });

  it('a null flavour with nothing else stays an "allergy status unknown" record', () => {
    const result = summary([allergy('unk', { code: { coding: [{ system: NULL_FLAVOR, code: 'NASK' }] } })]);
    expect(result.status).to.equal('none-recorded');
    expect(result.unknown).to.have.length(1);
  });

  it('an NKA code with a reaction is an allergy (Unknown substance), not "No known allergies"', () => {
    const record = allergy('nka', { code: { coding: [{ system: SNOMED, code: '716186003' }], text: 'No known allergies' }, reaction: [anaphylaxis] });
    const result = summary([record]);
    expect(result.status).to.equal('allergies');
    expect(result.noKnown).to.have.length(0);
    expect(names(result.lifeThreatening)).to.deep.equal([UNKNOWN_SUBSTANCE]);
  });

  it('an NKA code beside a substance coding is an allergy to that substance', () => {
    const record = allergy('mixed', {
      code: { text: 'No known allergies', coding: [{ system: SNOMED, code: '716186003' }, { system: RXNORM, code: '7980', display: 'Penicillin G' }] },
    });
    const result = summary([record]);
    expect(result.status).to.equal('allergies');
    expect(names(result.active)).to.deep.equal(['Penicillin G']);
  });

  it('criticality and severity in any case, and DSTU2 CRITH, are read', () => {
    expect(view(allergy('a', { criticality: 'HIGH' })).alert).to.equal('life-threatening');
    expect(view(allergy('b', { criticality: 'CRITH' })).alert).to.equal('life-threatening');
    expect(view(allergy('c', { criticality: 'CRITL' })).criticality?.code).to.equal('low');
    expect(view(allergy('d', { reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'Severe' }] })).alert).to.equal('life-threatening');
    expect(view(allergy('e', { criticality: 'low' })).alert).to.equal('caution');
  });
});

describe('allergy model: more "no known" variants', () => {
  const IPS = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';

  it('IPS absent-unknown codes: negations and "no information"', () => {
    expect(noKnownAllergyScope({ coding: [{ system: IPS, code: 'no-known-allergies' }] })).to.equal('all');
    expect(noKnownAllergyScope({ coding: [{ system: IPS, code: 'no-known-medication-allergies' }] })).to.equal('medication');
    expect(noKnownAllergyScope({ coding: [{ system: IPS, code: 'no-known-food-allergies' }] })).to.equal('food');
    const noInfo = summary([allergy('x', { code: { coding: [{ system: IPS, code: 'no-allergy-info' }] } })]);
    expect(noInfo.status).to.equal('none-recorded');
    expect(noInfo.unknown).to.have.length(1);
    const nkaIps = summary([allergy('y', { code: { coding: [{ system: IPS, code: 'no-known-allergies' }] } })]);
    expect(nkaIps.status).to.equal('no-known-allergies');
    expect(nkaIps.active).to.have.length(0);
  });

  it('SNOMED 716184000 (the FHIR R4 nkla example) and the usual texts', () => {
    expect(noKnownAllergyScope({ coding: [{ system: SNOMED, code: '716184000' }] })).to.equal('latex');
    expect(noKnownAllergyScope({ text: 'No known history of drug allergy' })).to.equal('medication');
    expect(noKnownAllergyScope({ text: 'No Known Allergies or Adverse Reactions' })).to.equal('all');
    expect(noKnownAllergyScope({ text: 'NKA/NKDA' })).to.equal('all');
    expect(noKnownAllergyScope({ text: 'No known history of penicillin allergy' })).to.equal(undefined);
  });
});

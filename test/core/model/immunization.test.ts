import { expect } from '@open-wc/testing';
import type { Immunization, Resource } from '@medplum/fhirtypes';
import {
  groupImmunizationsByVaccine,
  toImmunizationList,
  toImmunizationView,
  UNSPECIFIED_VACCINE,
  type ImmunizationView,
} from '../../../packages/core/src/model/index.js';
import { loadImmunizations } from '../../../packages/core/src/query/index.js';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import { generatePatientRecord } from '../../../packages/sandbox/src/generator/index.js';


const CVX = 'http://hl7.org/fhir/sid/cvx';
const NDC = 'http://hl7.org/fhir/sid/ndc';

function immunization(overrides: Partial<Immunization> | Record<string, unknown> = {}): Immunization {
  return {
    resourceType: 'Immunization',
    id: 'i1',
    status: 'completed',
    patient: { reference: 'Patient/p1' },
    vaccineCode: { coding: [{ system: CVX, code: '140', display: 'Influenza, seasonal, injectable, preservative free' }] },
    occurrenceDateTime: '2023-10-12',
    primarySource: true,
    ...overrides,
  } as Immunization;
}

const one = (overrides: Partial<Immunization> | Record<string, unknown> = {}, others: Resource[] = []): ImmunizationView =>
  toImmunizationList([immunization(overrides), ...others], { locale: 'en-US' }).items[0]!;

describe('toImmunizationView: vaccine name', () => {
  it('vaccineCode.text first, else the CVX display whatever the coding order, else a bare code', () => {
    expect(one({ vaccineCode: { text: 'Flu shot', coding: [{ system: CVX, code: '140', display: 'x' }] } }).name).to.equal('Flu shot');
    const coding = [
      { system: NDC, code: '49281-0621-15', display: 'FLUZONE QUADRIVALENT' },
      { system: CVX, code: '158', display: 'influenza, injectable, quadrivalent, contains preservative' },
    ];
    expect(one({ vaccineCode: { coding } }).name).to.equal('influenza, injectable, quadrivalent, contains preservative');
    expect(one({ vaccineCode: { coding: [coding[0]] } }).name).to.equal('FLUZONE QUADRIVALENT');
    const bare = one({ vaccineCode: { coding: [{ system: CVX, code: '08' }] } });
    expect(bare.name).to.equal('CVX 08');
    expect(bare.nameSource).to.equal('code');
  });

  it('"Unspecified vaccine" when there is nothing to name it by', () => {
    expect(one({ vaccineCode: undefined }).name).to.equal(UNSPECIFIED_VACCINE);
    expect(one({ vaccineCode: 'flu' }).nameSource).to.equal('none');
  });
});

describe('toImmunizationView: status (FHIR R4 Immunization.status)', () => {
  it('not-done reads "Not given" with the reason', () => {
    const result = one({
      status: 'not-done',
      statusReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PATOBJ', display: 'patient objection' }] },
    });
    expect(result.statusLabel).to.equal('Not given');
    expect(result.statusReason).to.equal('Patient objection');
    expect(toImmunizationList([immunization({ status: 'not-done' })]).notGiven).to.equal(1);
  });

  it('STU3 notGiven and DSTU2 wasNotGiven read as not-done, with the reason they give', () => {
    const stu3 = one({ notGiven: true, explanation: { reasonNotGiven: [{ text: 'immunity' }] } });
    expect([stu3.status, stu3.statusLabel, stu3.statusReason]).to.deep.equal(['not-done', 'Not given', 'Immunity']);
    const dstu2 = one({ wasNotGiven: true });
    expect([dstu2.status, dstu2.statusLabel]).to.deep.equal(['not-done', 'Not given']);
    expect(one({ notGiven: false }).status).to.equal('completed');
    expect(toImmunizationList([immunization({ status: 'entered-in-error', notGiven: true })]).enteredInError).to.equal(1);
  });

  it('entered-in-error is never shown, and is counted', () => {
    const list = toImmunizationList([immunization(), immunization({ id: 'bad', status: 'entered-in-error' })]);
    expect(list.count).to.equal(1);
    expect(list.enteredInError).to.equal(1);
    expect(list.items.map((item) => item.resource.id)).to.deep.equal(['i1']);
  });

  it('a missing status is labelled, not taken as given', () => {
    expect(one({ status: undefined }).statusLabel).to.equal('Status unknown');
    expect(one().statusLabel).to.equal(undefined);
  });
});

describe('toImmunizationView: date, dose and details', () => {
  it('keeps a partial date partial, shows occurrenceString as written, and drops a malformed date', () => {
    expect(one({ occurrenceDateTime: '2016-01' }).date?.text).to.equal('Jan 2016');
    expect(one({ occurrenceDateTime: '2016-01-08T10:30:00Z' }).date?.date?.value).to.equal('2016-01-08T10:30:00Z');
    expect(one({ occurrenceDateTime: undefined, occurrenceString: 'Spring 1990, per mother' }).date).to.deep.equal({ text: 'Spring 1990, per mother' });
    expect(one({ occurrenceDateTime: '2016-02-30' }).date).to.equal(undefined);
  });

  it('dose number in its series, as a number or a string', () => {
    expect(one({ protocolApplied: [{ doseNumberPositiveInt: 2, seriesDosesPositiveInt: 3, series: 'Hep B 3-dose' }] })).to.include({ dose: 'Dose 2 of 3', series: 'Hep B 3-dose' });
    expect(one({ protocolApplied: [{ doseNumberPositiveInt: 1 }] }).dose).to.equal('Dose 1');
    expect(one({ protocolApplied: [{ doseNumberString: 'booster' }] }).dose).to.equal('Booster');
    expect(one({ protocolApplied: [{ seriesDosesPositiveInt: 2 }] }).dose).to.equal(undefined);
  });

  it('lot, site, route, performers (administering provider first), location and manufacturer', () => {
    const nurse = { resourceType: 'Practitioner', id: 'n1', name: [{ given: ['Joy'], family: 'Park', suffix: ['RN'] }] } as Resource;
    const clinic = { resourceType: 'Location', id: 'l1', name: 'Good Health Clinic' } as Resource;
    const result = one(
      {
        lotNumber: 'AB1234',
        site: { coding: [{ code: 'LA', display: 'left arm' }] },
        route: { coding: [{ code: 'IM', display: 'Injection, intramuscular' }] },
        performer: [
          { function: { coding: [{ code: 'OP' }] }, actor: { display: 'Dr. Ordering' } },
          { function: { coding: [{ code: 'AP' }] }, actor: { reference: 'Practitioner/n1' } },
        ],
        location: { reference: 'Location/l1' },
        manufacturer: { display: 'Sanofi Pasteur' },
      },
      [nurse, clinic],
    );
    expect(result).to.include({ lotNumber: 'AB1234', site: 'Left arm', route: 'Injection, intramuscular', location: 'Good Health Clinic', manufacturer: 'Sanofi Pasteur' });
    expect(result.performers).to.deep.equal(['Joy Park RN', 'Dr. Ordering']);
  });

  it('flags a subpotent dose (FHIR R4 Immunization.isSubpotent)', () => {
    expect(one({ isSubpotent: true }).subpotent).to.equal(true);
    expect(one().subpotent).to.equal(false);
  });

  it('primarySource false: reported, with its origin', () => {
    const result = one({ primarySource: false, reportOrigin: { text: 'Parent' } });
    expect(result.reported).to.equal(true);
    expect(result.reportOrigin).to.equal('Parent');
    expect(one({ primarySource: undefined }).reported).to.equal(false);
  });
});

describe('toImmunizationList: order and grouping', () => {
  const list = toImmunizationList(
    [
      immunization({ id: 'flu-2021', occurrenceDateTime: '2021-10-01' }),
      immunization({ id: 'hepb-1', vaccineCode: { coding: [{ system: CVX, code: '08', display: 'Hep B, adolescent or pediatric' }] }, occurrenceDateTime: '2012-06-01', protocolApplied: [{ doseNumberPositiveInt: 1 }] }),
      immunization({ id: 'undated', vaccineCode: { text: 'Tetanus' }, occurrenceDateTime: undefined, occurrenceString: 'childhood' }),
      immunization({ id: 'flu-2023', occurrenceDateTime: '2023-10' }),
      immunization({ id: 'hepb-2', vaccineCode: { coding: [{ system: CVX, code: '8', display: 'Hep B (pediatric)' }] }, occurrenceDateTime: '2012-08-01', protocolApplied: [{ doseNumberPositiveInt: 2 }] }),
      immunization({ id: 'flu-declined', status: 'not-done', occurrenceDateTime: '2022-10-05' }),
    ],
    { locale: 'en-US' },
  );

  it('sorts newest first, undated last', () => {
    expect(list.items.map((item) => item.resource.id)).to.deep.equal(['flu-2023', 'flu-declined', 'flu-2021', 'hepb-2', 'hepb-1', 'undated']);
  });

  it('groups by CVX code (08 and 8 are one vaccine), groups ordered by their latest dose', () => {
    const groups = groupImmunizationsByVaccine(list.items);
    expect(groups.map((group) => [group.name, group.items.length, group.given])).to.deep.equal([
      ['Influenza, seasonal, injectable, preservative free', 3, 2],
      ['Hep B (pediatric)', 2, 2],
      ['Tetanus', 1, 1],
    ]);
    expect(groups[0]!.latest?.display).to.equal('Oct 2023');
  });

  it('a subpotent dose is neither counted as given nor the latest dose of its vaccine (FHIR R4 Immunization.isSubpotent)', () => {
    const doses = toImmunizationList(
      [
        immunization({ id: 'valid', occurrenceDateTime: '2022-10-01' }),
        immunization({ id: 'partial', occurrenceDateTime: '2023-10-01', isSubpotent: true }),
      ],
      { locale: 'en-US' },
    );
    const [group] = groupImmunizationsByVaccine(doses.items);
    expect([group!.items.length, group!.given, group!.subpotent]).to.deep.equal([2, 1, 1]);
    expect(group!.latest?.display).to.equal('Oct 1, 2022');
  });

  it('never throws on junk', () => {
    const junk = toImmunizationList([null, 7, { resourceType: 'Immunization' }, { resourceType: 'Immunization', status: 3, protocolApplied: 'x', performer: [null] }] as unknown[]);
    expect(junk.count).to.equal(2);
    expect(toImmunizationView(undefined as unknown as Immunization).name).to.equal(UNSPECIFIED_VACCINE);
  });
});

describe('immunizations: generated records and the query', () => {
  it('the generated child record: every dose shown, numbered within its vaccine', async () => {
    const record = generatePatientRecord({ seed: 3, profile: 'child' });
    const records = await loadImmunizations(new BundleSource({ resources: record.resources }), record.patient.id!);
    const expected = record.resources.filter((resource) => resource.resourceType === 'Immunization').length;
    expect(records.matches).to.equal(expected);
    const list = toImmunizationList([...records.resources], { locale: 'en-US' });
    expect(list.count).to.equal(expected);
    const dtap = groupImmunizationsByVaccine(list.items).find((group) => group.name === 'DTaP');
    expect(dtap?.items.map((item) => item.dose)).to.deep.equal(['Dose 5', 'Dose 4', 'Dose 3', 'Dose 2', 'Dose 1']);
    expect(list.items.every((item) => item.performers.length > 0 || item.status === 'not-done')).to.equal(true);
  });

  it('the generated infant record: a declined rotavirus dose is "Not given" for patient objection', () => {
    const record = generatePatientRecord({ seed: 2, profile: 'infant' });
    const list = toImmunizationList(record.resources, { locale: 'en-US' });
    const declined = list.items.filter((item) => item.status === 'not-done');
    expect(declined).to.have.length(1);
    expect(declined[0]!.statusReason).to.equal('Patient objection');
  });
});

describe('toImmunizationList: negation records (IPS Immunizations section)', () => {
  const IPS = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';
  const negation = (code: string) => immunization({ id: code, vaccineCode: { coding: [{ system: IPS, code }] }, occurrenceDateTime: undefined });

  it('"no-known-immunizations" and "no-immunization-info" are statements, not doses', () => {
    const none = toImmunizationList([negation('no-known-immunizations')]);
    expect([none.count, none.items.length, none.noKnown.length]).to.deep.equal([0, 0, 1]);
    const unknown = toImmunizationList([negation('no-immunization-info')]);
    expect([unknown.count, unknown.noInformation.length, unknown.noKnown.length]).to.deep.equal([0, 1, 0]);
  });

  it('a dose given contradicts it; a dose not given does not', () => {
    const given = toImmunizationList([negation('no-known-immunizations'), immunization()]);
    expect([given.count, given.noKnown.length, given.contradicted.length]).to.deep.equal([1, 0, 1]);
    const declined = toImmunizationList([negation('no-known-immunizations'), immunization({ status: 'not-done' })]);
    expect([declined.count, declined.noKnown.length, declined.contradicted.length]).to.deep.equal([1, 1, 0]);
  });
});

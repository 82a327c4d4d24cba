import { expect } from '@open-wc/testing';
import type { Condition, Resource } from '@medplum/fhirtypes';
import { toConditionList, toConditionView, UNSPECIFIED_CONDITION } from '../../../packages/core/src/model/index.js';
import { generatePatientRecord } from '../../../packages/sandbox/src/generator/index.js';


const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';

const clinical = (code: string) => ({ coding: [{ system: CLINICAL, code }] });
const verification = (code: string) => ({ coding: [{ system: VERIFICATION, code }] });

function condition(overrides: Partial<Condition> | Record<string, unknown> = {}): Condition {
  return {
    resourceType: 'Condition',
    id: 'c1',
    subject: { reference: 'Patient/p1' },
    clinicalStatus: clinical('active'),
    verificationStatus: verification('confirmed'),
    code: { coding: [{ system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' }], text: 'Type 2 diabetes' },
    ...overrides,
  } as Condition;
}

const view = (overrides: Partial<Condition> | Record<string, unknown> = {}, resources: Resource[] = []) =>
  toConditionList([condition(overrides), ...resources], { locale: 'en-US' });
const only = (overrides: Partial<Condition> | Record<string, unknown> = {}) => {
  const list = view(overrides);
  return [...list.active, ...list.resolved, ...list.refuted, ...list.unknown][0]!;
};

describe('toConditionView: name', () => {
  it('uses code.text first', () => {
    expect(only().name).to.equal('Type 2 diabetes');
    expect(only().nameSource).to.equal('text');
  });

  it('without text, prefers the SNOMED CT display, then ICD-10-CM, whatever the coding order', () => {
    const code = {
      coding: [
        { system: 'http://example.org/local', code: 'X1', display: 'Local name' },
        { system: ICD10CM, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' },
        { system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' },
      ],
    };
    expect(only({ code }).name).to.equal('Diabetes mellitus type 2');
    expect(only({ code: { coding: code.coding.slice(0, 2) } }).name).to.equal('Type 2 diabetes mellitus without complications');
    expect(only({ code: { coding: code.coding.slice(0, 1) } }).name).to.equal('Local name');
  });

  it('recognises the HL7 OID of SNOMED CT', () => {
    const code = {
      coding: [
        { system: ICD10CM, code: 'J45', display: 'Asthma (ICD)' },
        { system: 'urn:oid:2.16.840.1.113883.6.96', code: '195967001', display: 'Asthma (SNOMED)' },
      ],
    };
    expect(only({ code }).name).to.equal('Asthma (SNOMED)');
  });

  it('falls back to a bare code, named by its system', () => {
    const result = only({ code: { coding: [{ system: ICD10CM, code: 'E11.9' }] } });
    expect(result.name).to.equal('ICD-10-CM E11.9');
    expect(result.nameSource).to.equal('code');
    expect(only({ code: { coding: [{ code: 'ABC' }] } }).name).to.equal('ABC');
  });

  it('says "Unspecified condition" when there is no code at all, and never throws on malformed codes', () => {
    expect(only({ code: undefined }).name).to.equal(UNSPECIFIED_CONDITION);
    expect(only({ code: 'diabetes' }).name).to.equal(UNSPECIFIED_CONDITION);
    expect(only({ code: { coding: 'x', text: 42 } }).nameSource).to.equal('none');
  });
});

describe('toConditionList: groups (FHIR R4 clinicalStatus and verificationStatus)', () => {
  it('lists active, recurrence and relapse as active; inactive, remission and resolved as resolved', () => {
    const list = toConditionList(
      ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'].map((code, index) =>
        condition({ id: `c${index}`, clinicalStatus: clinical(code), code: { text: code } }),
      ),
    );
    expect(list.active.map((item) => item.name).sort()).to.deep.equal(['active', 'recurrence', 'relapse']);
    expect(list.resolved.map((item) => item.name).sort()).to.deep.equal(['inactive', 'remission', 'resolved']);
    expect(list.count).to.equal(6);
  });

  it('never shows a condition entered in error, and counts it', () => {
    const list = toConditionList([
      condition({ id: 'ok' }),
      condition({ id: 'wrong', clinicalStatus: undefined, verificationStatus: verification('entered-in-error'), code: { text: 'UTI' } }),
    ]);
    expect(list.count).to.equal(1);
    expect(list.enteredInError).to.equal(1);
    expect([...list.active, ...list.resolved, ...list.refuted, ...list.unknown].map((item) => item.name)).not.to.include('UTI');
  });

  it('never shows a condition entered in error however the status is written: text only, an STU3 string, any case', () => {
    const list = toConditionList([
      condition({ id: 'ok', code: { text: 'Asthma' } }),
      condition({ id: 'text', verificationStatus: { text: 'Entered in Error' }, code: { text: 'UTI' } }),
      condition({ id: 'stu3', verificationStatus: 'entered-in-error', code: { text: 'Gout' } }),
      condition({ id: 'case', verificationStatus: { coding: [{ system: VERIFICATION, code: 'Entered-In-Error' }] }, code: { text: 'Flu' } }),
      // A coded status wins over a text that disagrees with it.
      condition({ id: 'coded', verificationStatus: { coding: [{ system: VERIFICATION, code: 'confirmed' }], text: 'entered in error' }, code: { text: 'Eczema' } }),
    ]);
    expect(list.active.map((item) => item.name)).to.deep.equal(['Asthma', 'Eczema']);
    expect(list.enteredInError).to.equal(3);
  });

  it('lists refuted conditions apart, labelled, whatever their clinical status', () => {
    const list = view({ verificationStatus: verification('refuted'), clinicalStatus: clinical('active') });
    expect(list.active).to.have.length(0);
    expect(list.refuted).to.have.length(1);
    expect(list.refuted[0]!.verification).to.deep.equal({ code: 'refuted', label: 'Refuted' });
  });

  it('labels provisional, differential and unconfirmed conditions, and not confirmed ones', () => {
    expect(only({ verificationStatus: verification('provisional') }).verification?.label).to.equal('Provisional');
    expect(only({ verificationStatus: verification('differential') }).verification?.label).to.equal('Differential');
    expect(only({ verificationStatus: verification('unconfirmed') }).verification?.label).to.equal('Unconfirmed');
    expect(only().verification).to.equal(undefined);
  });

  it('an abated condition without a clinical status is resolved (con-4); with neither it is "unknown", never guessed active', () => {
    expect(view({ clinicalStatus: undefined, abatementDateTime: '2019-05' }).resolved).to.have.length(1);
    const unknown = view({ clinicalStatus: undefined });
    expect(unknown.unknown).to.have.length(1);
    expect(unknown.active).to.have.length(0);
  });

  it('reads an STU3-style status given as a bare code', () => {
    expect(view({ clinicalStatus: 'resolved' }).resolved).to.have.length(1);
    expect(view({ clinicalStatus: { text: 'Active' } }).active).to.have.length(1);
  });
});

describe('toConditionView: category, severity and people', () => {
  it('labels the US Core categories, from either code system', () => {
    const categories = [
      { coding: [{ system: CATEGORY, code: 'problem-list-item' }], text: 'Problem' },
      { coding: [{ system: US_CORE_CATEGORY, code: 'health-concern' }] },
      { coding: [{ system: CATEGORY, code: 'encounter-diagnosis' }] },
      { text: 'Social determinant' },
    ];
    expect(only({ category: categories }).categories.map((category) => category.label)).to.deep.equal([
      'Problem list',
      'Health concern',
      'Encounter diagnosis',
      'Social determinant',
    ]);
  });

  it('filters by category code when asked, counting what it left out', () => {
    const resources = [
      condition({ id: 'a', category: [{ coding: [{ system: CATEGORY, code: 'problem-list-item' }] }] }),
      condition({ id: 'b', category: [{ coding: [{ system: CATEGORY, code: 'encounter-diagnosis' }] }] }),
      condition({ id: 'c', category: [{ coding: [{ system: US_CORE_CATEGORY, code: 'health-concern' }] }] }),
    ];
    const problems = toConditionList(resources, { categories: ['problem-list-item'] });
    expect(problems.active.map((item) => item.resource.id)).to.deep.equal(['a']);
    expect(problems.filteredOut).to.equal(2);
    expect(toConditionList(resources, { categories: ['problem-list-item', 'health-concern'] }).count).to.equal(2);
    expect(toConditionList(resources).count).to.equal(3);
  });

  it('shows severity and body site labels', () => {
    const result = only({
      severity: { coding: [{ system: SNOMED, code: '24484000', display: 'Severe' }] },
      bodySite: [{ coding: [{ system: SNOMED, code: '72696002', display: 'Knee' }], text: 'Left knee' }],
    });
    expect(result.severity).to.equal('Severe');
    expect(result.bodySites).to.deep.equal(['Left knee']);
  });

  it('names the recorder from its display, else from a Practitioner at hand; an asserter who is the recorder is not repeated', () => {
    const practitioner = { resourceType: 'Practitioner', id: 'dr1', name: [{ given: ['Ronald'], family: 'Bone', suffix: ['MD'] }] } as Resource;
    const list = view({ recordedDate: '2020-03-04', recorder: { reference: 'Practitioner/dr1' }, asserter: { reference: 'Practitioner/dr1' } }, [practitioner]);
    expect(list.active[0]!.recorder).to.equal('Ronald Bone MD');
    expect(list.active[0]!.asserter).to.equal(undefined);
    expect(list.active[0]!.recorded?.display).to.equal('Mar 4, 2020');
    const other = only({ recorder: { display: 'Nurse Joy' }, asserter: { reference: 'Patient/p1', display: 'The patient' } });
    expect(other.recorder).to.equal('Nurse Joy');
    expect(other.asserter).to.equal('The patient');
    expect(only({ recorder: { reference: 'Practitioner/unknown' } }).recorder).to.equal(undefined);
  });
});

describe('toConditionView: onset and abatement', () => {
  it('keeps partial onset dates partial', () => {
    expect(only({ onsetDateTime: '2016' }).onset?.text).to.equal('2016');
    expect(only({ onsetDateTime: '2016-08' }).onset?.text).to.equal('Aug 2016');
    expect(only({ onsetDateTime: '2016-08-10' }).onset?.text).to.equal('Aug 10, 2016');
  });

  it('shows no onset for a malformed date, without throwing', () => {
    expect(only({ onsetDateTime: '2016-13-45' }).onset).to.equal(undefined);
    expect(only({ onsetDateTime: 20160810 }).onset).to.equal(undefined);
  });

  it('reads onsetAge as "at age 45", with the unit when it is not years', () => {
    expect(only({ onsetAge: { value: 45, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' } }).onset?.text).to.equal('at age 45');
    expect(only({ onsetAge: { value: 6, system: 'http://unitsofmeasure.org', code: 'mo' } }).onset?.text).to.equal('at age 6 months');
    expect(only({ onsetAge: { value: 1, unit: 'wk' } }).onset?.text).to.equal('at age 1 week');
  });

  it('reads onsetPeriod, onsetRange and onsetString', () => {
    expect(only({ onsetPeriod: { start: '2010-03', end: '2010-06' } }).onset?.text).to.equal('Mar 2010 – Jun 2010');
    expect(only({ onsetPeriod: { start: '2010-03' } }).onset?.text).to.equal('Mar 2010');
    expect(only({ onsetRange: { low: { value: 40, code: 'a' }, high: { value: 45, code: 'a' } } }).onset?.text).to.equal('at age 40–45');
    expect(only({ onsetRange: { low: { value: 6, code: 'mo' }, high: { value: 2, code: 'a' } } }).onset?.text).to.equal('at age 6 months–2 years');
    expect(only({ onsetRange: { low: { value: 40, code: 'a' } } }).onset?.text).to.equal('from age 40');
    expect(only({ onsetString: '  Childhood ' }).onset).to.deep.equal({ kind: 'string', text: 'Childhood' });
  });

  it('says how and when it ended', () => {
    expect(only({ clinicalStatus: clinical('resolved'), abatementDateTime: '2018-06' }).abatement?.label).to.equal('Resolved Jun 2018');
    expect(only({ clinicalStatus: clinical('remission'), abatementDateTime: '2019' }).abatement?.label).to.equal('In remission since 2019');
    expect(only({ clinicalStatus: clinical('resolved'), abatementAge: { value: 12, code: 'a' } }).abatement?.label).to.equal('Resolved at age 12');
    expect(only({ clinicalStatus: clinical('resolved'), abatementString: 'after surgery' }).abatement?.label).to.equal('Resolved: after surgery');
    expect(only({ clinicalStatus: clinical('resolved'), abatementBoolean: true }).abatement?.label).to.equal('Resolved');
    expect(only({ abatementBoolean: false }).abatement).to.equal(undefined);
  });

  it('an active condition with an abatement (breaks R4 con-4) stays active, flagged as inconsistent, never "Resolved"', () => {
    const list = view({ clinicalStatus: clinical('active'), onsetDateTime: '2015', abatementDateTime: '2019' });
    expect(list.active).to.have.length(1);
    expect(list.resolved).to.have.length(0);
    const item = list.active[0]!;
    expect(item.inconsistency).to.equal('Active, but an end date is recorded');
    expect(item.abatement?.label).to.equal('End recorded 2019');
    expect(only({ clinicalStatus: clinical('resolved'), abatementDateTime: '2019' }).inconsistency).to.equal(undefined);
    expect(only({ abatementDateTime: undefined }).inconsistency).to.equal(undefined);
  });

  it('sorts by onset, newest first, partial dates by their start, unknown onset last', () => {
    const list = toConditionList([
      condition({ id: 'none', code: { text: 'No onset' } }),
      condition({ id: 'old', code: { text: 'Old' }, onsetDateTime: '1990-05-01' }),
      condition({ id: 'year', code: { text: 'Year only' }, onsetDateTime: '2021' }),
      condition({ id: 'new', code: { text: 'Newest' }, onsetDateTime: '2023-02-10T08:00:00Z' }),
      condition({ id: 'age', code: { text: 'By age' }, onsetAge: { value: 3, code: 'a' } }),
      condition({ id: 'period', code: { text: 'Period' }, onsetPeriod: { start: '2022-06' } }),
    ]);
    expect(list.active.map((item) => item.name)).to.deep.equal(['Newest', 'Period', 'Year only', 'Old', 'By age', 'No onset']);
  });
});

describe('toConditionList: robustness and generated records', () => {
  it('never throws on malformed input, and ignores what is not a Condition', () => {
    const junk = [null, 42, 'x', [], { resourceType: 'Observation', id: 'o' }, { resourceType: 'Condition' }, { resourceType: 'Condition', clinicalStatus: 7, onsetAge: 'x', category: 'y', recorder: 'z' }];
    const list = toConditionList(junk as unknown as Resource[]);
    expect(list.count).to.equal(2);
    expect(list.unknown.map((item) => item.name)).to.deep.equal([UNSPECIFIED_CONDITION, UNSPECIFIED_CONDITION]);
    expect(toConditionList(undefined as unknown as Resource[]).count).to.equal(0);
  });

  it('the generated complex record: refuted apart, entered-in-error hidden, every other condition shown', () => {
    const record = generatePatientRecord({ seed: 7, profile: 'complex' });
    const conditions = record.resources.filter((resource): resource is Condition => resource.resourceType === 'Condition');
    const list = toConditionList(record.resources, { locale: 'en-US' });
    const enteredInError = conditions.filter((item) => item.verificationStatus?.coding?.[0]?.code === 'entered-in-error');
    expect(enteredInError.length).to.be.greaterThan(0);
    expect(list.enteredInError).to.equal(enteredInError.length);
    expect(list.count).to.equal(conditions.length - enteredInError.length);
    expect(list.refuted.map((item) => item.name)).to.have.length(1);
    expect(list.active.map((item) => item.name)).to.include('Obesity');
    // An onsetString ("Adulthood") has no date: after every dated onset.
    expect(list.active[list.active.length - 1]!.onset?.kind).to.equal('string');
    const gerd = list.resolved.find((item) => /reflux/i.test(item.name));
    expect(gerd?.abatement?.label).to.match(/^Resolved /);
  });

  it('the generated child record: an onset "Infancy" and resolved encounter diagnoses', () => {
    const record = generatePatientRecord({ seed: 3, profile: 'child' });
    const list = toConditionList(record.resources, { locale: 'en-US' });
    const all = [...list.active, ...list.resolved, ...list.unknown];
    expect(all.find((item) => item.onset?.text === 'Infancy')).to.exist;
    expect(list.resolved.length).to.be.greaterThan(0);
    expect(list.resolved.every((item) => item.categories.length > 0)).to.equal(true);
  });

  it('toConditionView on a lone resource, without options', () => {
    expect(toConditionView(condition()).key).to.equal('Condition/c1');
    expect(toConditionView(null as unknown as Condition).name).to.equal(UNSPECIFIED_CONDITION);
  });
});

describe('toConditionList: negation records (IPS Problems section)', () => {
  const IPS = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';
  const noProblems = { coding: [{ system: SNOMED, code: '160245001', display: 'No current problems or disability' }] };

  it('a "no current problems" record is the list\'s statement, not an active condition', () => {
    const list = toConditionList([condition({ id: 'nkp', code: noProblems, recordedDate: '2024-02-01' })]);
    expect(list.active).to.have.length(0);
    expect(list.count).to.equal(0);
    expect(list.noKnown.map((item) => item.name)).to.deep.equal(['No current problems or disability']);
    const ips = toConditionList([condition({ id: 'ips', code: { coding: [{ system: IPS, code: 'no-known-problems' }] } })]);
    expect([ips.noKnown.length, ips.active.length]).to.deep.equal([1, 0]);
    const unknown = toConditionList([condition({ id: 'info', code: { coding: [{ system: IPS, code: 'no-problem-info' }] } })]);
    expect([unknown.noInformation.length, unknown.noKnown.length, unknown.count]).to.deep.equal([1, 0, 0]);
  });

  it('an active condition contradicts it: the condition is listed, the negation set apart for review, never the status', () => {
    const list = toConditionList([condition({ id: 'nkp', code: noProblems }), condition({ id: 'dm' })]);
    expect(list.active.map((item) => item.name)).to.deep.equal(['Type 2 diabetes']);
    expect(list.noKnown).to.have.length(0);
    expect(list.contradicted.map((item) => item.name)).to.deep.equal(['No current problems or disability']);
    // A resolved problem does not contradict "no current problems".
    const history = toConditionList([condition({ id: 'nkp', code: noProblems }), condition({ id: 'old', clinicalStatus: clinical('resolved') })]);
    expect([history.noKnown.length, history.resolved.length, history.contradicted.length]).to.deep.equal([1, 1, 0]);
  });
});

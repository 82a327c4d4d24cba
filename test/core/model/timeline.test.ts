import { expect } from '@open-wc/testing';
import type { Resource } from '@medplum/fhirtypes';
import {
  abnormalFlag,
  buildTimeline,
  filterTimeline,
  groupTimeline,
  isNotableObservation,
  prepareTimelineSearch,
  type TimelineEvent,
} from '../../../packages/core/src/model/index.js';
import { loadTimeline, mergeTimelineLoads, timelineSearches } from '../../../packages/core/src/query/index.js';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import { FhirError, type SearchProgress } from '../../../packages/core/src/source/fhir-source.js';

const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

const r = (resource: Record<string, unknown>) => resource as unknown as Resource;
const only = (resources: Record<string, unknown>[], options = {}) => buildTimeline(resources.map(r), options).events;
const one = (resource: Record<string, unknown>, options = {}) => {
  const events = only([resource], options);
  expect(events, 'one event').to.have.length(1);
  return events[0]!;
};
const keys = (events: readonly TimelineEvent[]) => events.map((event) => event.key);

function lab(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory' }] }],
    code: { text: 'Hemoglobin' },
    effectiveDateTime: '2024-03-01T08:00:00Z',
    valueQuantity: { value: 9.1, unit: 'g/dL', code: 'g/dL' },
    ...extra,
  };
}

const flagged = (code: string) => ({ interpretation: [{ coding: [{ system: INTERPRETATION, code }] }] });
const socialHistoryLike = (id: string) => ({ resourceType: 'Observation', id, status: 'final', code: { text: id }, effectiveDateTime: '2024-01-01' });

describe('buildTimeline: each resource type', () => {
  it('Encounter: period, type as title, class, participant and service provider', () => {
    const event = one({
      resourceType: 'Encounter',
      id: 'e1',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ coding: [{ code: '185349003', display: 'Encounter for check up' }] }],
      reasonCode: [{ text: 'Chest pain' }],
      participant: [
        { individual: { display: 'Dr. Other' } },
        { type: [{ coding: [{ code: 'PPRF' }] }], individual: { reference: 'Practitioner/p1', display: 'Dr. Amelia Hart' } },
      ],
      serviceProvider: { reference: 'Organization/o1', display: 'Maple Street Clinic' },
      period: { start: '2024-05-03T09:00:00-05:00', end: '2024-05-05T10:00:00-05:00' },
    });
    expect(event.kind).to.equal('encounter');
    expect(event.title).to.equal('Encounter for check up');
    expect(event.detail).to.equal('Ambulatory · Chest pain');
    expect(event.performer).to.equal('Dr. Amelia Hart');
    expect(event.organization).to.equal('Maple Street Clinic');
    expect(event.start?.value).to.equal('2024-05-03T09:00:00-05:00');
    expect(event.end?.value).to.equal('2024-05-05T10:00:00-05:00');
    expect(event.firstDay).to.equal(20240503);
    expect(event.lastDay).to.equal(20240505);
    expect(event.status).to.deep.equal({ code: 'finished', label: 'Finished', notable: false });
    expect(event.reference).to.equal('Encounter/e1');
  });

  it('Encounter without a type: named after its class', () => {
    expect(one({ resourceType: 'Encounter', id: 'e', class: { code: 'EMER' }, period: { start: '2020' } }).title).to.equal('Emergency encounter');
  });

  it('Condition: onset and abatement are two events, both linked to the resource', () => {
    const events = only([
      {
        resourceType: 'Condition',
        id: 'c1',
        clinicalStatus: { coding: [{ code: 'resolved' }] },
        verificationStatus: { coding: [{ code: 'confirmed' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '10509002', display: 'Acute bronchitis' }] },
        onsetDateTime: '2023-01-10',
        abatementDateTime: '2023-02-01',
        recorder: { display: 'Dr. Hart' },
        encounter: { reference: 'Encounter/e9' },
      },
    ]);
    expect(events.map((event) => [event.phase, event.dateLabel, event.start?.value])).to.deep.equal([
      ['abatement', 'Resolved', '2023-02-01'],
      ['onset', 'Onset', '2023-01-10'],
    ]);
    expect(keys(events)).to.deep.equal(['Condition/c1#abatement', 'Condition/c1']);
    for (const event of events) {
      expect(event.title).to.equal('Acute bronchitis');
      expect(event.status?.label).to.equal('Resolved');
      expect(event.performer).to.equal('Dr. Hart');
      expect(event.encounter).to.equal('Encounter/e9');
      expect(event.resource.id).to.equal('c1');
    }
  });

  it('Condition: recordedDate when there is no onset date; onset text kept when there is no date at all', () => {
    const recorded = one({ resourceType: 'Condition', id: 'c', code: { text: 'Asthma' }, recordedDate: '2019-06-01' });
    expect([recorded.dateLabel, recorded.start?.value]).to.deep.equal(['Recorded', '2019-06-01']);
    const childhood = one({ resourceType: 'Condition', id: 'd', code: { text: 'Asthma' }, onsetString: 'childhood' });
    expect(childhood.start).to.equal(undefined);
    expect(childhood.dateText).to.equal('childhood');
  });

  it('Condition: remission is labelled as such; a provisional diagnosis says so', () => {
    const events = only([
      {
        resourceType: 'Condition',
        id: 'c',
        clinicalStatus: { coding: [{ code: 'remission' }] },
        verificationStatus: { coding: [{ code: 'provisional' }] },
        code: { text: 'Lymphoma' },
        onsetDateTime: '2015',
        abatementPeriod: { start: '2018-04' },
      },
    ]);
    expect(events[0]!.dateLabel).to.equal('Remission');
    expect(events[0]!.status).to.deep.include({ label: 'In remission · Provisional', notable: true });
  });

  it('Condition: an abatement given as text, an age or a malformed date is shown undated, never dropped', () => {
    const base = { resourceType: 'Condition', clinicalStatus: { coding: [{ code: 'resolved' }] }, code: { text: 'Otitis media' }, onsetDateTime: '2010-02-01' };
    const abatementOf = (extra: Record<string, unknown>) => {
      const events = only([{ ...base, id: 'c', ...extra }]);
      expect(events.map((event) => event.phase)).to.deep.equal(['onset', 'abatement']);
      const abatement = events[1]!;
      return [abatement.dateLabel, abatement.start, abatement.dateText];
    };
    expect(abatementOf({ abatementString: 'after grommets' })).to.deep.equal(['Resolved', undefined, 'after grommets']);
    expect(abatementOf({ abatementAge: { value: 6, unit: 'years' } })).to.deep.equal(['Resolved', undefined, 'Age 6 years']);
    expect(abatementOf({ abatementDateTime: '2011-13-45' })).to.deep.equal(['Resolved', undefined, '2011-13-45 (not a valid date)']);
    // Listed apart, under "Date unknown".
    const groups = groupTimeline(only([{ ...base, id: 'c', abatementString: 'after grommets' }]), 'date', { locale: 'en-US' });
    expect(groups.map((group) => [group.label, group.events.map((event) => event.phase)])).to.deep.equal([
      ['February 2010', ['onset']],
      ['Date unknown', ['abatement']],
    ]);
  });

  it('Procedure: performedPeriod, performers split into person and organisation', () => {
    const event = one({
      resourceType: 'Procedure',
      id: 'p',
      status: 'completed',
      code: { text: 'Cardioversion' },
      performedPeriod: { start: '2020-08-12T09:10:00Z', end: '2020-08-12T09:40:00Z' },
      performer: [{ actor: { reference: 'Practitioner/x', display: 'Dr. Chen' }, onBehalfOf: { reference: 'Organization/y', display: 'City Hospital' } }],
    });
    expect([event.kind, event.dateLabel, event.start?.value, event.performer, event.organization]).to.deep.equal([
      'procedure',
      'Performed',
      '2020-08-12T09:10:00Z',
      'Dr. Chen',
      'City Hospital',
    ]);
  });

  it('Immunization: occurrence, with a not-done dose shown as such', () => {
    const given = one({ resourceType: 'Immunization', id: 'i', status: 'completed', vaccineCode: { text: 'Influenza' }, occurrenceDateTime: '2021-10-01' });
    expect([given.kind, given.title, given.dateLabel]).to.deep.equal(['immunization', 'Influenza', 'Given']);
    const skipped = one({
      resourceType: 'Immunization',
      id: 'j',
      status: 'not-done',
      statusReason: { text: 'Patient refused' },
      vaccineCode: { text: 'HPV' },
      occurrenceDateTime: '2021-10-01',
    });
    // R4 not-done: not given (a refusal), never "due".
    expect(skipped.dateLabel).to.equal('Not given');
    expect(skipped.status).to.deep.equal({ code: 'not-done', label: 'Not given', notable: true });
    expect(skipped.detail).to.equal('Patient refused');
    const unknown = one({ resourceType: 'Immunization', id: 'k', vaccineCode: { text: 'MMR' }, occurrenceString: 'as a child' });
    expect([unknown.start, unknown.dateText]).to.deep.equal([undefined, 'as a child']);
  });

  it('Immunization: STU3 notGiven and DSTU2 wasNotGiven are not given; a subpotent dose says so', () => {
    const stu3 = one({ resourceType: 'Immunization', id: 's', status: 'completed', notGiven: true, explanation: { reasonNotGiven: [{ text: 'Immune' }] }, vaccineCode: { text: 'Varicella' }, date: '2015', occurrenceDateTime: '2015-03-01' });
    expect([stu3.dateLabel, stu3.status?.label, stu3.detail]).to.deep.equal(['Not given', 'Not given', 'Immune']);
    const dstu2 = one({ resourceType: 'Immunization', id: 'd', status: 'completed', wasNotGiven: true, vaccineCode: { text: 'MMR' }, occurrenceDateTime: '2010-01-01' });
    expect([dstu2.dateLabel, dstu2.status?.label]).to.deep.equal(['Not given', 'Not given']);
    const partial = one({ resourceType: 'Immunization', id: 'p', status: 'completed', isSubpotent: true, vaccineCode: { text: 'Influenza' }, occurrenceDateTime: '2021-10-01' });
    expect([partial.dateLabel, partial.status?.label, partial.status?.notable]).to.deep.equal(['Given', 'Subpotent', true]);
  });

  it('MedicationRequest: authoredOn and the requester; a referenced Medication names it', () => {
    const events = only([
      { resourceType: 'Medication', id: 'm', code: { coding: [{ display: 'Amlodipine 5 mg tablet' }] } },
      { resourceType: 'Practitioner', id: 'doc', name: [{ given: ['Robert'], family: 'Chen', prefix: ['Dr.'] }] },
      {
        resourceType: 'MedicationRequest',
        id: 'mr',
        status: 'active',
        intent: 'order',
        medicationReference: { reference: 'Medication/m' },
        authoredOn: '2026-05-19T08:39:00-05:00',
        requester: { reference: 'Practitioner/doc' },
        dosageInstruction: [{ text: 'One tablet daily' }],
      },
    ]);
    expect(events).to.have.length(1);
    expect([events[0]!.kind, events[0]!.title, events[0]!.performer, events[0]!.detail, events[0]!.dateLabel]).to.deep.equal([
      'medication',
      'Amlodipine 5 mg tablet',
      'Dr. Robert Chen',
      'One tablet daily',
      'Prescribed',
    ]);
  });

  it('MedicationStatement: effective[x], and the patient as the source', () => {
    const event = one({
      resourceType: 'MedicationStatement',
      id: 'ms',
      status: 'active',
      medicationCodeableConcept: { text: 'Cetirizine 5 mg' },
      subject: { reference: 'Patient/p' },
      effectivePeriod: { start: '2021-06-01' },
      dateAsserted: '2021-07-24',
      informationSource: { reference: 'Patient/p' },
    });
    expect([event.kind, event.dateLabel, event.start?.value, event.performer]).to.deep.equal(['medication', 'Taken', '2021-06-01', 'Reported by the patient']);
  });

  it('DiagnosticReport: effective[x], else issued', () => {
    const effective = one({ resourceType: 'DiagnosticReport', id: 'a', code: { text: 'CBC' }, effectiveDateTime: '2018-12-24', issued: '2018-12-25T04:32:00Z' });
    expect([effective.kind, effective.dateLabel, effective.start?.value]).to.deep.equal(['report', 'Effective', '2018-12-24']);
    const issued = one({ resourceType: 'DiagnosticReport', id: 'b', code: { text: 'CBC' }, issued: '2018-12-25T04:32:00Z' });
    expect([issued.dateLabel, issued.start?.value]).to.deep.equal(['Issued', '2018-12-25T04:32:00Z']);
  });

  it('DocumentReference: context.period, else date; the type as title and the description as detail', () => {
    const service = one({
      resourceType: 'DocumentReference',
      id: 'd1',
      status: 'current',
      type: { text: 'Discharge summary' },
      description: 'Outside records',
      date: '2024-09-28T19:15:00Z',
      context: { period: { start: '2024-09-20', end: '2024-09-22' }, encounter: [{ reference: 'Encounter/e1' }] },
      author: [{ display: 'Valley Urgent Care', reference: 'Organization/v' }],
    });
    expect([service.kind, service.title, service.detail, service.dateLabel, service.start?.value, service.end?.value]).to.deep.equal([
      'document',
      'Discharge summary',
      'Outside records',
      'Service',
      '2024-09-20',
      '2024-09-22',
    ]);
    expect(service.organization).to.equal('Valley Urgent Care');
    expect(service.encounter).to.equal('Encounter/e1');
    const written = one({ resourceType: 'DocumentReference', id: 'd2', description: 'Scanned letter', date: '2024-09-28T19:15:00Z' });
    expect([written.title, written.dateLabel]).to.deep.equal(['Scanned letter', 'Written']);
  });

  it('AllergyIntolerance: onset[x], else recordedDate; reactions and criticality as detail', () => {
    const event = one({
      resourceType: 'AllergyIntolerance',
      id: 'a',
      clinicalStatus: { coding: [{ code: 'active' }] },
      verificationStatus: { coding: [{ code: 'unconfirmed' }] },
      criticality: 'high',
      code: { text: 'Penicillin' },
      recordedDate: '2021-10-28',
      reaction: [{ manifestation: [{ text: 'Anaphylaxis' }, { text: 'Hives' }] }],
    });
    expect([event.kind, event.dateLabel, event.start?.value, event.detail, event.status?.label]).to.deep.equal([
      'allergy',
      'Recorded',
      '2021-10-28',
      'High criticality · Anaphylaxis, Hives',
      'Active · Unconfirmed',
    ]);
  });

  it('Observation: effective[x] else issued, the value and flag as detail', () => {
    const event = one(lab('o', { ...flagged('L'), performer: [{ reference: 'Organization/lab', display: 'Acme Lab' }] }));
    expect([event.kind, event.title, event.detail, event.dateLabel, event.organization]).to.deep.equal([
      'observation',
      'Hemoglobin',
      '9.1 g/dL',
      'Effective',
      'Acme Lab',
    ]);
    expect(event.flag).to.deep.equal({ code: 'L', label: 'Low', critical: false, source: 'interpretation' });
    const issued = one(lab('p', { ...flagged('H'), effectiveDateTime: undefined, issued: '2024-03-02T10:00:00Z' }));
    expect([issued.dateLabel, issued.start?.value]).to.deep.equal(['Issued', '2024-03-02T10:00:00Z']);
  });

  it('Observation values for people: UCUM units written as people write them, a blood pressure panel as systolic/diastolic', () => {
    const temperature = one({ ...socialHistoryLike('t'), valueQuantity: { value: 38.4, unit: 'Cel', code: 'Cel' } }, { observations: 'all' });
    expect(temperature.detail).to.equal('38.4 °C');
    const pressure = one(
      {
        ...socialHistoryLike('bp'),
        code: { text: 'Blood pressure' },
        component: [
          { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 128, unit: 'mm[Hg]' } },
          { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 82, unit: 'mm[Hg]' } },
        ],
      },
      { observations: 'all' },
    );
    expect(pressure.detail).to.equal('128/82 mmHg');
  });

  it('an active prescription is routine (no badge); a stopped one is notable', () => {
    const request = (id: string, status: string) => ({ resourceType: 'MedicationRequest', id, status, medicationCodeableConcept: { text: 'Metformin' }, authoredOn: '2024-01-01' });
    expect(one(request('a', 'active')).status).to.deep.equal({ code: 'active', label: 'Active', notable: false });
    expect(one(request('s', 'stopped')).status).to.deep.equal({ code: 'stopped', label: 'Stopped', notable: true });
    // A condition's "Active" says it is ongoing: shown.
    expect(one({ resourceType: 'Condition', id: 'c', clinicalStatus: { coding: [{ code: 'active' }] }, onsetDateTime: '2020' }).status?.notable).to.equal(true);
  });

  it('titles fall back from code.text to a coding display to a code, then name the kind', () => {
    const titles = only([
      { resourceType: 'Procedure', id: 'a', code: { text: 'From text', coding: [{ display: 'From display', code: 'X' }] }, performedDateTime: '2020-01-05' },
      { resourceType: 'Procedure', id: 'b', code: { coding: [{ code: 'X1' }, { display: 'From display' }] }, performedDateTime: '2020-01-04' },
      { resourceType: 'Procedure', id: 'c', code: { coding: [{ system: 'http://snomed.info/sct', code: '80146002' }] }, performedDateTime: '2020-01-03' },
      { resourceType: 'Procedure', id: 'd', performedDateTime: '2020-01-02' },
    ]).map((event) => event.title);
    expect(titles).to.deep.equal(['From text', 'From display', '80146002', 'Unnamed procedure']);
  });
});

describe('buildTimeline: rules', () => {
  it('drops entered-in-error records of every type', () => {
    const eie = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] };
    const events = only([
      { resourceType: 'Encounter', id: 'e', status: 'entered-in-error', period: { start: '2020' } },
      { resourceType: 'Condition', id: 'c', verificationStatus: eie, onsetDateTime: '2020' },
      { resourceType: 'AllergyIntolerance', id: 'a', verificationStatus: eie, recordedDate: '2020' },
      { resourceType: 'Procedure', id: 'p', status: 'entered-in-error', performedDateTime: '2020' },
      { resourceType: 'Immunization', id: 'i', status: 'entered-in-error', occurrenceDateTime: '2020' },
      { resourceType: 'MedicationRequest', id: 'm', status: 'entered-in-error', authoredOn: '2020' },
      { resourceType: 'MedicationStatement', id: 's', status: 'entered-in-error', effectiveDateTime: '2020' },
      { resourceType: 'DiagnosticReport', id: 'd', status: 'entered-in-error', effectiveDateTime: '2020' },
      { resourceType: 'DocumentReference', id: 'r', status: 'entered-in-error', date: '2020' },
      { resourceType: 'DocumentReference', id: 'q', status: 'current', docStatus: 'entered-in-error', date: '2020' },
      lab('o', { ...flagged('H'), status: 'entered-in-error' }),
      { resourceType: 'Procedure', id: 'kept', status: 'completed', performedDateTime: '2020' },
    ]);
    expect(keys(events)).to.deep.equal(['Procedure/kept']);
  });

  it('drops entered-in-error records however the status is written, as the lists do', () => {
    const events = only([
      { resourceType: 'Condition', id: 'stu3', verificationStatus: 'entered-in-error', onsetDateTime: '2020' },
      { resourceType: 'Condition', id: 'text', verificationStatus: { text: 'Entered in error' }, onsetDateTime: '2020' },
      { resourceType: 'AllergyIntolerance', id: 'upper', verificationStatus: { coding: [{ code: 'ENTERED-IN-ERROR' }] }, recordedDate: '2020' },
      { resourceType: 'Procedure', id: 'cased', status: 'Entered-In-Error', performedDateTime: '2020' },
      { resourceType: 'Immunization', id: 'words', status: 'entered in error', occurrenceDateTime: '2020' },
      { resourceType: 'DocumentReference', id: 'doc', status: 'current', docStatus: 'Entered-in-Error', date: '2020' },
      { resourceType: 'Condition', id: 'kept', verificationStatus: { coding: [{ code: 'confirmed' }], text: 'entered in error' }, onsetDateTime: '2020' },
    ]);
    expect(keys(events)).to.deep.equal(['Condition/kept']);
  });

  it('orders newest first; a partial date sorts after the full dates it may contain', () => {
    const events = only([
      { resourceType: 'Procedure', id: 'year', performedDateTime: '2024' },
      { resourceType: 'Procedure', id: 'jan15', performedDateTime: '2024-01-15' },
      { resourceType: 'Procedure', id: 'may', performedDateTime: '2024-05' },
      { resourceType: 'Procedure', id: 'may3', performedDateTime: '2024-05-03' },
      { resourceType: 'Procedure', id: 'older', performedDateTime: '2019-12-31T23:00:00Z' },
      // 2020-01-01T01:00+05:00 is 2019-12-31T20:00Z: before "older" in time.
      { resourceType: 'Procedure', id: 'zoned', performedDateTime: '2020-01-01T01:00:00+05:00' },
    ]);
    expect(keys(events)).to.deep.equal(['Procedure/may3', 'Procedure/may', 'Procedure/jan15', 'Procedure/year', 'Procedure/older', 'Procedure/zoned']);
  });

  it('keeps events with unknown or malformed dates, after every dated one', () => {
    const timeline = buildTimeline(
      [
        { resourceType: 'Procedure', id: 'none', code: { text: 'No date' } },
        { resourceType: 'Procedure', id: 'bad', code: { text: 'Impossible day' }, performedDateTime: '2023-02-30' },
        { resourceType: 'Procedure', id: 'junk', code: { text: 'Not a date' }, performedDateTime: 'last Tuesday' },
        { resourceType: 'Procedure', id: 'ok', code: { text: 'Dated' }, performedDateTime: '1999-01-01' },
      ].map(r),
    );
    expect(keys(timeline.events)).to.deep.equal(['Procedure/ok', 'Procedure/none', 'Procedure/bad', 'Procedure/junk']);
    expect(timeline.undatedCount).to.equal(3);
    expect(timeline.events[1]!.sortKey).to.equal(-Infinity);
    const groups = groupTimeline(timeline.events, 'date', { locale: 'en-US' });
    expect(groups.map((group) => [group.label, group.events.length])).to.deep.equal([
      ['January 1999', 1],
      ['Date unknown', 3],
    ]);
  });

  it('counts a resource given twice once', () => {
    const procedure = { resourceType: 'Procedure', id: 'p', performedDateTime: '2020-01-01' };
    const timeline = buildTimeline([procedure, structuredClone(procedure), procedure, { ...procedure, id: 'q' }].map(r));
    expect(keys(timeline.events)).to.deep.equal(['Procedure/p', 'Procedure/q']);
    expect(timeline.kindCounts.procedure).to.equal(2);
  });

  it('never throws on malformed input, and shows what it can', () => {
    const garbage = [
      null,
      'Procedure',
      42,
      [],
      { resourceType: 42 },
      { resourceType: 'Procedure' },
      { resourceType: 'Encounter', id: 'e', type: 'not-an-array', period: 'yesterday', participant: { individual: 'x' } },
      { resourceType: 'Observation', id: 'o', category: 'laboratory', interpretation: 'H', valueQuantity: 'high', effectiveDateTime: 20240101 },
      { resourceType: 'Condition', id: 'c', code: { coding: 'I10' }, onsetPeriod: { start: 12 }, abatementDateTime: {} },
    ];
    const timeline = buildTimeline(garbage as unknown as Resource[]);
    expect(timeline.events.map((event) => [event.kind, event.title])).to.deep.equal([
      ['procedure', 'Unnamed procedure'],
      ['encounter', 'Unnamed encounter'],
      ['condition', 'Unnamed condition'],
    ]);
    expect(buildTimeline(undefined).events).to.deep.equal([]);
    expect(buildTimeline('nope' as unknown as Resource[]).events).to.deep.equal([]);
  });

  it('limits kinds when asked', () => {
    const events = only(
      [
        { resourceType: 'Procedure', id: 'p', performedDateTime: '2020' },
        { resourceType: 'Encounter', id: 'e', period: { start: '2020' } },
      ],
      { kinds: ['encounter'] },
    );
    expect(keys(events)).to.deep.equal(['Encounter/e']);
  });
});

describe('notable observations', () => {
  const socialHistory = {
    resourceType: 'Observation',
    id: 'smoking',
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'social-history' }] }],
    code: { text: 'Smoking status' },
    valueCodeableConcept: { text: 'Former smoker' },
    effectiveDateTime: '2020-01-01',
  };
  const vital = (id: string, extra = {}) => ({
    resourceType: 'Observation',
    id,
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs' }] }],
    code: { text: 'Heart rate' },
    valueQuantity: { value: 130, unit: '/min' },
    effectiveDateTime: '2020-01-01',
    ...extra,
  });

  it('by default: social history, and lab results flagged abnormal or outside their range', () => {
    const events = only([
      socialHistory,
      lab('high', flagged('H')),
      lab('critical', flagged('LL')),
      lab('normal', flagged('N')),
      lab('plain'),
      lab('range-low', { referenceRange: [{ low: { value: 12, unit: 'g/dL', code: 'g/dL' }, high: { value: 16, code: 'g/dL' } }] }),
      lab('range-ok', { valueQuantity: { value: 13, code: 'g/dL' }, referenceRange: [{ low: { value: 12, code: 'g/dL' }, high: { value: 16, code: 'g/dL' } }] }),
      // The lab judged it normal: its N wins over the range.
      lab('judged', { ...flagged('N'), referenceRange: [{ low: { value: 12, code: 'g/dL' } }] }),
      // A range in another unit is not compared.
      lab('other-unit', { referenceRange: [{ low: { value: 120, code: 'g/L' } }] }),
      vital('vital-flagged', flagged('H')),
      vital('vital'),
    ]);
    expect(events.map((event) => event.resource.id).sort()).to.deep.equal(['critical', 'high', 'range-low', 'smoking']);
    const rangeLow = events.find((event) => event.resource.id === 'range-low')!;
    expect(rangeLow.flag).to.deep.equal({ code: 'L', label: 'Low', critical: false, source: 'reference-range' });
    expect(events.find((event) => event.resource.id === 'critical')!.flag).to.deep.include({ label: 'Critically low', critical: true });
    expect(events.find((event) => event.resource.id === 'smoking')!.detail).to.equal('Former smoker');
  });

  it('is configurable: all, none, a rule, or a predicate', () => {
    const input = [socialHistory, lab('plain'), vital('v', flagged('H'))];
    expect(only(input, { observations: 'all' })).to.have.length(3);
    expect(only(input, { observations: 'none' })).to.have.length(0);
    expect(only(input, { observations: { categories: [], abnormalIn: ['*'] } }).map((event) => event.resource.id)).to.deep.equal(['v']);
    expect(only(input, { observations: { categories: ['laboratory'], abnormalIn: [] } }).map((event) => event.resource.id)).to.deep.equal(['plain']);
    expect(only(input, { observations: (observation: { id?: string }) => observation.id === 'smoking' })).to.have.length(1);
    // A predicate that throws counts as "no", it does not break the timeline.
    expect(
      only(input, {
        observations: () => {
          throw new Error('boom');
        },
      }),
    ).to.have.length(0);
  });

  it('abnormalFlag and isNotableObservation are usable on their own', () => {
    expect(abnormalFlag(lab('x', flagged('HH')))).to.deep.equal({ code: 'HH', label: 'Critically high', critical: true, source: 'interpretation' });
    expect(abnormalFlag(lab('x', flagged('A')))?.label).to.equal('Abnormal');
    expect(abnormalFlag(lab('x'))).to.equal(undefined);
    expect(abnormalFlag('nonsense')).to.equal(undefined);
    expect(isNotableObservation(socialHistory)).to.equal(true);
    expect(isNotableObservation(vital('v', flagged('H')))).to.equal(false);
  });
});

describe('filterTimeline', () => {
  const events = only([
    { resourceType: 'Encounter', id: 'visit', type: [{ text: 'Follow-up visit' }], period: { start: '2024-05-03' }, serviceProvider: { display: 'Clínica São José' } },
    { resourceType: 'Procedure', id: 'appendectomy', code: { text: 'Appendectomy' }, performedDateTime: '2024-02-10', status: 'completed', performer: [{ actor: { display: 'Dr. Ruiz' } }] },
    { resourceType: 'Procedure', id: 'stopped', code: { text: 'Colonoscopy' }, performedDateTime: '2023-06-10', status: 'stopped' },
    { resourceType: 'Condition', id: 'year-only', code: { text: 'Hypertension' }, onsetDateTime: '2019' },
    { resourceType: 'Condition', id: 'month-only', code: { text: 'Gout' }, onsetDateTime: '2023-06' },
    { resourceType: 'Immunization', id: 'undated', vaccineCode: { text: 'Measles' } },
  ]);
  const ids = (result: { events: TimelineEvent[] }) => result.events.map((event) => event.resource.id);

  it('shows everything with an empty filter, newest first', () => {
    expect(ids(filterTimeline(events))).to.deep.equal(['visit', 'appendectomy', 'stopped', 'month-only', 'year-only', 'undated']);
  });

  it('by kind, with per-kind counts of what the other filters leave', () => {
    const result = filterTimeline(events, { kinds: ['procedure'], text: 'o' });
    expect(ids(result)).to.deep.equal(['appendectomy', 'stopped']);
    expect(result.kindCounts).to.include({ procedure: 2, encounter: 1, condition: 2, immunization: 0 });
  });

  it('by date range, inclusive at both ends', () => {
    expect(ids(filterTimeline(events, { from: '2024-02-10', to: '2024-05-03' }))).to.deep.equal(['visit', 'appendectomy']);
    expect(ids(filterTimeline(events, { from: '2024-02-11', to: '2024-05-02' }))).to.deep.equal([]);
  });

  it('by date range, keeping partial dates that may fall in it', () => {
    // "2019" may be any day of 2019; "2023-06" any day of June 2023.
    expect(ids(filterTimeline(events, { from: '2019-11-01', to: '2019-11-30' }))).to.deep.equal(['year-only']);
    expect(ids(filterTimeline(events, { from: '2023-06-20' , to: '2023-12-31'}))).to.deep.equal(['month-only']);
    // Partial bounds: from "2023" is 1 Jan 2023, to "2023" is 31 Dec 2023.
    expect(ids(filterTimeline(events, { from: '2023', to: '2023' }))).to.deep.equal(['stopped', 'month-only']);
  });

  it('leaves undated events out of a date range, and says how many', () => {
    const result = filterTimeline(events, { from: '2000' });
    expect(ids(result)).not.to.include('undated');
    expect(result.undatedHidden).to.equal(1);
  });

  it('by free text: case- and accent-insensitive, every word, over title, performer, organisation and status', () => {
    expect(ids(filterTimeline(events, { text: 'APPENDECTOMY' }))).to.deep.equal(['appendectomy']);
    expect(ids(filterTimeline(events, { text: 'ruiz' }))).to.deep.equal(['appendectomy']);
    expect(ids(filterTimeline(events, { text: 'clinica sao' }))).to.deep.equal(['visit']);
    expect(ids(filterTimeline(events, { text: 'stopped' }))).to.deep.equal(['stopped']);
    expect(ids(filterTimeline(events, { text: 'colonoscopy ruiz' }))).to.deep.equal([]);
    expect(ids(filterTimeline(events, { text: '   ' }))).to.have.length(6);
  });

  it('prepares search text ahead of time without changing results', () => {
    const fresh = only([{ resourceType: 'Procedure', id: 'p', code: { text: 'Biopsy' }, performedDateTime: '2020' }]);
    expect(prepareTimelineSearch(fresh)).to.equal(1);
    expect(fresh[0]!.searchText).to.equal('biopsy');
  });
});

describe('groupTimeline', () => {
  const events = buildTimeline(
    [
      { resourceType: 'Encounter', id: 'e1', type: [{ text: 'Annual physical' }], period: { start: '2024-05-03T09:00:00Z' } },
      { resourceType: 'Encounter', id: 'e2', type: [{ text: 'Urgent care' }], period: { start: '2024-04-20T09:00:00Z' } },
      { resourceType: 'Observation', id: 'o1', ...flagged('H'), category: [{ coding: [{ code: 'laboratory' }] }], code: { text: 'LDL' }, effectiveDateTime: '2024-05-03T09:30:00Z', encounter: { reference: 'Encounter/e1' } },
      { resourceType: 'Procedure', id: 'p1', code: { text: 'Suture' }, performedDateTime: '2024-04-20T10:00:00Z', encounter: { reference: 'https://ehr.example/fhir/Encounter/e2' } },
      { resourceType: 'Procedure', id: 'p2', code: { text: 'Elsewhere' }, performedDateTime: '2024-04-01', encounter: { reference: 'Encounter/not-loaded' } },
      { resourceType: 'Condition', id: 'c1', code: { text: 'Asthma' }, onsetDateTime: '2024' },
      { resourceType: 'Immunization', id: 'i1', vaccineCode: { text: 'Tetanus' } },
    ].map(r),
  );

  it('by month, a year-only date in its own group, undated last', () => {
    const groups = groupTimeline(events.events, 'date', { locale: 'en-US' });
    expect(groups.map((group) => [group.key, group.label, group.events.map((event) => event.resource.id)])).to.deep.equal([
      ['month:2024-05', 'May 2024', ['o1', 'e1']],
      ['month:2024-04', 'April 2024', ['p1', 'e2', 'p2']],
      ['year:2024', '2024 (month not recorded)', ['c1']],
      ['undated', 'Date unknown', ['i1']],
    ]);
  });

  it('by encounter: each event under the encounter it references, the rest apart', () => {
    const groups = groupTimeline(events.events, 'encounter', { encounters: events.encounters });
    expect(groups.map((group) => [group.key, group.label, group.events.map((event) => event.resource.id)])).to.deep.equal([
      ['encounter:Encounter/e1', 'Annual physical', ['o1']],
      ['encounter:Encounter/e2', 'Urgent care', ['p1']],
      ['unlinked', 'Not part of an encounter', ['p2', 'c1']],
      ['undated', 'Date unknown', ['i1']],
    ]);
    expect(groups[0]!.encounter?.reference).to.equal('Encounter/e1');
  });

  it('by encounter after filtering out encounters: the encounter still heads its events', () => {
    const filtered = filterTimeline(events.events, { kinds: ['procedure'] });
    const groups = groupTimeline(filtered.events, 'encounter', { encounters: events.encounters });
    expect(groups.map((group) => [group.label, group.encounterMatches, group.events.map((event) => event.resource.id)])).to.deep.equal([
      ['Urgent care', false, ['p1']],
      ['Not part of an encounter', undefined, ['p2']],
    ]);
  });

  it('none: one group, undated apart', () => {
    const groups = groupTimeline(events.events, 'none');
    expect(groups.map((group) => [group.type, group.events.length])).to.deep.equal([
      ['all', 6],
      ['undated', 1],
    ]);
  });
});

describe('timelineSearches and loadTimeline', () => {
  const patient = { resourceType: 'Patient', id: 'pat' };
  const record = [
    patient,
    { resourceType: 'Encounter', id: 'e', subject: { reference: 'Patient/pat' }, period: { start: '2024-01-01' } },
    { resourceType: 'Procedure', id: 'p', subject: { reference: 'Patient/pat' }, performedDateTime: '2024-01-02' },
    { resourceType: 'Procedure', id: 'stranger', subject: { reference: 'Patient/pat' }, performedDateTime: '2024-01-02' },
    { resourceType: 'Medication', id: 'med', code: { text: 'Amlodipine' } },
    { resourceType: 'MedicationRequest', id: 'mr', status: 'active', intent: 'order', subject: { reference: 'Patient/pat' }, medicationReference: { reference: 'Medication/med' }, authoredOn: '2024-01-03' },
    lab('o', { ...flagged('H'), subject: { reference: 'Patient/pat' } }),
  ].map(r);

  it('asks every type by patient, Observations by category, MedicationRequests by every intent with their Medication', () => {
    const searches = timelineSearches('pat');
    expect(searches.map((search) => search.resourceType)).to.deep.equal([
      'Encounter',
      'Condition',
      'Procedure',
      'Immunization',
      'MedicationRequest',
      'MedicationStatement',
      'DiagnosticReport',
      'DocumentReference',
      'AllergyIntolerance',
      'Observation',
    ]);
    for (const search of searches) expect(search.params).to.include({ patient: 'pat' });
    const observation = searches.find((search) => search.resourceType === 'Observation')!.params as Record<string, unknown>;
    expect(observation.category).to.equal('social-history,laboratory');
    expect(observation).not.to.have.property('date');
    const request = searches.find((search) => search.resourceType === 'MedicationRequest')!.params as Record<string, unknown>;
    expect(request._include).to.equal('MedicationRequest:medication');
    expect(String(request.intent).split(',')).to.include.members(['order', 'plan', 'proposal']);
    expect(timelineSearches('pat', { observations: 'none' }).map((search) => search.resourceType)).not.to.include('Observation');
    expect(timelineSearches('pat', { kinds: ['medication'] }).map((search) => search.resourceType)).to.deep.equal(['MedicationRequest', 'MedicationStatement']);
  });

  it('loads every type and names a medication from its included Medication', async () => {
    const load = await loadTimeline(new BundleSource({ resources: record }), 'pat');
    expect(load.failures).to.deep.equal([]);
    const timeline = buildTimeline(load.resources);
    expect(timeline.kindCounts).to.include({ encounter: 1, procedure: 2, medication: 1, observation: 1 });
    expect(timeline.events.find((event) => event.kind === 'medication')!.title).to.equal('Amlodipine');
  });

  it('still shows prescriptions from a server that refuses _include=MedicationRequest:medication (a 400 faked for the include only)', async () => {
    const store = new BundleSource({ resources: record.map((resource) => (resource.id === 'mr' ? r({ ...(resource as unknown as Record<string, unknown>), medicationReference: { reference: 'Medication/med', display: 'Amlodipine 5 mg' } }) : resource)) });
    const asked: string[] = [];
    const refusing = {
      server: store.server,
      patientId: 'pat',
      read: store.read.bind(store),
      search: (type: string, params: Record<string, unknown>, options: unknown) => {
        asked.push(`${type}${params._include ? ` _include=${String(params._include)}` : ''}`);
        if (params._include) return Promise.reject(new FhirError('server', 'Unknown _include parameter.', { status: 400 }));
        return store.search(type, params as never, options as never);
      },
    };
    const load = await loadTimeline(refusing as never, 'pat');
    expect(load.failures).to.deep.equal([]);
    expect(asked.filter((entry) => entry.startsWith('MedicationRequest'))).to.deep.equal(['MedicationRequest _include=MedicationRequest:medication', 'MedicationRequest']);
    const medications = buildTimeline(load.resources).events.filter((event) => event.kind === 'medication');
    // Without the included Medication, the reference's display names it.
    expect(medications.map((event) => [event.title, event.dateLabel, event.start?.value])).to.deep.equal([['Amlodipine 5 mg', 'Prescribed', '2024-01-03']]);
  });

  it('reports aggregated progress, loaded of total across types', async () => {
    const progress: SearchProgress[] = [];
    await loadTimeline(new BundleSource({ resources: record, latency: 5 }), 'pat', { onProgress: (update) => progress.push(update) });
    const last = progress[progress.length - 1]!;
    // 1 encounter + 2 procedures + 1 request (its include is not counted) + 1 observation.
    expect(last).to.deep.include({ loaded: 5, total: 5 });
    expect(progress.some((update) => update.loaded < 5)).to.equal(true);
  });

  it('keeps what loaded when one type fails (a server fault faked for Procedure), and names the failure', async () => {
    const source = new BundleSource({ resources: record, failures: { Procedure: new FhirError('server', 'The server had an internal error.', { status: 500 }) } });
    const load = await loadTimeline(source, 'pat');
    expect(load.failures.map((failure) => [failure.resourceType, failure.kind])).to.deep.equal([['Procedure', 'procedure']]);
    expect((load.failures[0]!.error as FhirError).status).to.equal(500);
    expect(buildTimeline(load.resources).kindCounts).to.include({ encounter: 1, procedure: 0, medication: 1 });
  });

  it('rejects when every type fails (a server fault faked for all), with the first error', async () => {
    const error = new FhirError('network', 'The FHIR server could not be reached.');
    const failures = Object.fromEntries(timelineSearches('pat').map((search) => [search.resourceType, error]));
    let caught: unknown;
    try {
      await loadTimeline(new BundleSource({ resources: record, failures }), 'pat');
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).to.equal(error);
  });

  it('rejects as aborted when the signal fires', async () => {
    const controller = new AbortController();
    const pending = loadTimeline(new BundleSource({ resources: record, latency: 50 }), 'pat', { signal: controller.signal });
    controller.abort();
    let caught: unknown;
    try {
      await pending;
    } catch (thrown) {
      caught = thrown;
    }
    expect((caught as FhirError).kind).to.equal('aborted');
  });

  it('leaves out records that name another patient', async () => {
    const mixed = record.map((resource) =>
      resource.id === 'stranger' ? r({ ...(resource as unknown as Record<string, unknown>), subject: { reference: 'Patient/someone-else' } }) : resource,
    );
    // BundleSource matches by patient, so this server "ignores" it for one record: the query must not trust it.
    const source = new BundleSource({ resources: mixed });
    const loose = { ...source, server: source.server, patientId: 'pat', read: source.read.bind(source), search: (type: string, params: unknown, options: unknown) => source.search(type, { ...(params as object), patient: undefined }, options as never) };
    const load = await loadTimeline(loose as never, 'pat');
    const procedures = load.results.find((result) => result.resourceType === 'Procedure')!;
    expect(procedures.resources.map((resource) => resource.id)).to.deep.equal(['p']);
    expect(procedures.otherPatientCount).to.equal(1);
  });

  it('merges a retry of the failed types into the first load', async () => {
    const failing = new BundleSource({ resources: record, failures: { Procedure: new FhirError('server', 'Down', { status: 503 }) } });
    const first = await loadTimeline(failing, 'pat');
    const again = await loadTimeline(new BundleSource({ resources: record }), 'pat', { resourceTypes: ['Procedure'] });
    expect(again.results.map((result) => result.resourceType)).to.deep.equal(['Procedure']);
    const merged = mergeTimelineLoads(first, again);
    expect(merged.failures).to.deep.equal([]);
    expect(buildTimeline(merged.resources).kindCounts.procedure).to.equal(2);
  });
});

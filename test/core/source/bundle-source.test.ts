import { expect } from '@open-wc/testing';
import type { Bundle, Encounter, Observation, Resource } from '@medplum/fhirtypes';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import type { SearchParams } from '../../../packages/core/src/source/fhir-source.js';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import { rejection } from './fake-fhir-server.js';

const LOINC = 'http://loinc.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

const patient: Resource = { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:mrn', value: 'MRN-1' }] };
const otherPatient: Resource = { resourceType: 'Patient', id: 'p2' };

function obs(id: string, options: { code?: string; category?: string; status?: Observation['status']; date?: string; subject?: string; updated?: string } = {}): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: options.status ?? 'final',
    ...(options.category ? { category: [{ coding: [{ system: OBS_CATEGORY, code: options.category }] }] } : {}),
    code: { coding: [{ system: LOINC, code: options.code ?? '8867-4' }], text: 'Heart rate' },
    subject: { reference: options.subject ?? 'Patient/p1' },
    ...(options.date ? { effectiveDateTime: options.date } : {}),
    ...(options.updated ? { meta: { lastUpdated: options.updated } } : {}),
  };
}

function ids(resources: Resource[]): string[] {
  return resources.map((resource) => resource.id!);
}

async function searchIds(source: BundleSource, type: string, params: SearchParams): Promise<string[]> {
  return ids((await source.search(type, params)).resources);
}

describe('BundleSource loading', () => {
  it('puts the only Patient in context', () => {
    expect(new BundleSource({ resources: [patient, obs('o1')] }).patientId).to.equal('p1');
  });

  it('has no patient in context when there are two, unless told which', () => {
    expect(new BundleSource({ resources: [patient, otherPatient] }).patientId).to.equal(undefined);
    expect(new BundleSource({ resources: [patient, otherPatient], patientId: 'p2' }).patientId).to.equal('p2');
  });

  it('describes its server', () => {
    expect(new BundleSource().server).to.deep.equal({ baseUrl: 'memory://bundle', label: 'In-memory record' });
    expect(new BundleSource({ baseUrl: 'https://demo.example/fhir/', label: 'Demo' }).server).to.deep.equal({ baseUrl: 'https://demo.example/fhir', label: 'Demo' });
  });

  it('unpacks a Synthea-style transaction bundle and turns urn:uuid references into Type/id', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:aaaa-1', resource: { resourceType: 'Patient', id: 'aaaa-1' }, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:bbbb-2',
          resource: { resourceType: 'Practitioner', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '999' }] },
          request: { method: 'POST', url: 'Practitioner' },
        },
        {
          fullUrl: 'urn:uuid:cccc-3',
          resource: {
            resourceType: 'Encounter',
            id: 'cccc-3',
            status: 'finished',
            class: { code: 'AMB' },
            subject: { reference: 'urn:uuid:aaaa-1' },
            participant: [{ individual: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|999' } }],
          },
          request: { method: 'POST', url: 'Encounter' },
        },
      ],
    };
    const source = new BundleSource({ bundle });
    expect(source.patientId).to.equal('aaaa-1');
    const encounter = await source.read<Encounter>('Encounter', 'cccc-3');
    expect(encounter.subject?.reference).to.equal('Patient/aaaa-1');
    // The Practitioner had no id: it takes the one of its urn:uuid.
    expect(encounter.participant?.[0].individual?.reference).to.equal('Practitioner/bbbb-2');
    expect(await searchIds(source, 'Encounter', { patient: 'aaaa-1' })).to.deep.equal(['cccc-3']);
    // The caller's bundle is left as it was.
    expect((bundle.entry![2].resource as Encounter).subject?.reference).to.equal('urn:uuid:aaaa-1');
  });

  it('unpacks collection bundles given among the resources, and bundles inside bundles', async () => {
    const inner: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: obs('o2') }] };
    const collection: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: obs('o1') }, { resource: inner }] };
    const source = new BundleSource({ resources: [collection] });
    expect(await searchIds(source, 'Observation', {})).to.deep.equal(['o1', 'o2']);
  });
});

describe('BundleSource read', () => {
  it('returns a copy the caller cannot use to change the record', async () => {
    const source = new BundleSource({ resources: [patient] });
    const first = await source.read('Patient', 'p1');
    (first as { gender?: string }).gender = 'other';
    expect((await source.read('Patient', 'p1')) as unknown).to.deep.equal(patient);
  });

  it('rejects a missing id as not-found (404)', async () => {
    const error = (await rejection(new BundleSource({ resources: [patient] }).read('Patient', 'nobody'))) as FhirError;
    expect(error).to.be.instanceOf(FhirError);
    expect(error.kind).to.equal('not-found');
    expect(error.status).to.equal(404);
    expect(error.message).to.contain('Patient/nobody');
  });
});

describe('BundleSource search parameters', () => {
  const source = new BundleSource({
    resources: [
      patient,
      otherPatient,
      obs('hr', { category: 'vital-signs', code: '8867-4', date: '2020-03-10T08:00:00Z' }),
      obs('bp', { category: 'vital-signs', code: '85354-9', date: '2021-06-01', updated: '2021-06-02T00:00:00Z' }),
      obs('glucose', { category: 'laboratory', code: '2339-0', date: '2019', status: 'amended', updated: '2023-01-01T00:00:00Z' }),
      obs('other', { category: 'laboratory', subject: 'Patient/p2', date: '2020-01-01' }),
      obs('group', { category: 'survey', subject: 'Group/p1' }),
      { resourceType: 'Observation', id: 'uncoded', status: 'final', code: { coding: [{ code: '8867-4' }] }, subject: { reference: 'Patient/p1' } },
      {
        resourceType: 'Condition',
        id: 'diabetes',
        subject: { reference: 'https://ehr.example.org/fhir/Patient/p1' },
        clinicalStatus: { coding: [{ system: CLINICAL, code: 'active' }] },
        verificationStatus: { coding: [{ system: VERIFICATION, code: 'confirmed' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
        onsetDateTime: '2015-04',
        recordedDate: '2016-01-01',
      },
      {
        resourceType: 'Condition',
        id: 'flu',
        subject: { reference: 'Patient/p1' },
        clinicalStatus: { coding: [{ system: CLINICAL, code: 'resolved' }] },
        verificationStatus: { coding: [{ system: VERIFICATION, code: 'provisional' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '6142004' }] },
        recordedDate: '2022-02-02',
      },
      {
        resourceType: 'AllergyIntolerance',
        id: 'peanut',
        patient: { reference: 'Patient/p1' },
        category: ['food'],
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
        recordedDate: '2010-05-05',
      },
      {
        resourceType: 'Encounter',
        id: 'stay',
        status: 'finished',
        class: { code: 'IMP' },
        subject: { reference: 'Patient/p1' },
        period: { start: '2020-03-30T22:00:00Z', end: '2020-04-02T10:00:00Z' },
      },
      { resourceType: 'Encounter', id: 'ongoing', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: 'Patient/p1' }, period: { start: '2024-01-01' } },
      { resourceType: 'Immunization', id: 'flu-shot', status: 'completed', patient: { reference: 'Patient/p1' }, vaccineCode: { coding: [{ code: '140' }] }, occurrenceDateTime: '2021-10-15' },
    ] as Resource[],
  });

  it('matches patient and subject by bare id, Patient/id and absolute URL', async () => {
    expect(await searchIds(source, 'Observation', { patient: 'p1' })).to.deep.equal(['hr', 'bp', 'glucose', 'uncoded']);
    expect(await searchIds(source, 'Observation', { patient: 'Patient/p2' })).to.deep.equal(['other']);
    expect(await searchIds(source, 'Observation', { subject: 'Group/p1' })).to.deep.equal(['group']);
    expect(await searchIds(source, 'Condition', { patient: 'p1' })).to.deep.equal(['diabetes', 'flu']);
    expect(await searchIds(source, 'Condition', { subject: 'https://ehr.example.org/fhir/Patient/p1' })).to.deep.equal(['diabetes', 'flu']);
    expect(await searchIds(source, 'AllergyIntolerance', { patient: 'p1' })).to.deep.equal(['peanut']);
    expect(await searchIds(source, 'Immunization', { patient: 'p1' })).to.deep.equal(['flu-shot']);
  });

  it('matches _id, with commas as OR', async () => {
    expect(await searchIds(source, 'Observation', { _id: 'bp,glucose,missing' })).to.deep.equal(['bp', 'glucose']);
    expect(await searchIds(source, 'Patient', { _id: 'p2' })).to.deep.equal(['p2']);
  });

  it('matches tokens as system|code, code alone, |code and system|', async () => {
    expect(await searchIds(source, 'Observation', { code: `${LOINC}|8867-4` })).to.deep.equal(['hr', 'other', 'group']);
    expect(await searchIds(source, 'Observation', { code: '8867-4' })).to.deep.equal(['hr', 'other', 'group', 'uncoded']);
    expect(await searchIds(source, 'Observation', { code: '|8867-4' })).to.deep.equal(['uncoded']);
    expect(await searchIds(source, 'Observation', { category: `${OBS_CATEGORY}|` })).to.deep.equal(['hr', 'bp', 'glucose', 'other', 'group']);
    expect(await searchIds(source, 'Patient', { identifier: 'urn:mrn|MRN-1' })).to.deep.equal(['p1']);
  });

  it('treats commas as OR and repeated parameters as AND', async () => {
    expect(await searchIds(source, 'Observation', { patient: 'p1', category: 'vital-signs,laboratory' })).to.deep.equal(['hr', 'bp', 'glucose']);
    expect(await searchIds(source, 'Observation', { category: ['vital-signs', `${OBS_CATEGORY}|laboratory`] })).to.deep.equal([]);
    expect(await searchIds(source, 'Observation', { patient: 'p1', category: 'laboratory', status: 'amended' })).to.deep.equal(['glucose']);
  });

  it('matches status, clinical-status, verification-status and a category of plain codes', async () => {
    expect(await searchIds(source, 'Observation', { status: 'final', patient: 'p1' })).to.deep.equal(['hr', 'bp', 'uncoded']);
    expect(await searchIds(source, 'Condition', { 'clinical-status': 'active' })).to.deep.equal(['diabetes']);
    expect(await searchIds(source, 'Condition', { 'clinical-status': `${CLINICAL}|resolved` })).to.deep.equal(['flu']);
    expect(await searchIds(source, 'Condition', { 'verification-status': 'confirmed,provisional' })).to.deep.equal(['diabetes', 'flu']);
    expect(await searchIds(source, 'AllergyIntolerance', { category: 'food' })).to.deep.equal(['peanut']);
    expect(await searchIds(source, 'AllergyIntolerance', { category: 'medication' })).to.deep.equal([]);
    expect(await searchIds(source, 'Encounter', { status: 'in-progress' })).to.deep.equal(['ongoing']);
  });

  it('compares dates at their precision: a month-only onset against day searches', async () => {
    // diabetes: onset 2015-04 (all of April 2015).
    expect(await searchIds(source, 'Condition', { date: 'ge2015-04-15' })).to.include('diabetes');
    expect(await searchIds(source, 'Condition', { date: 'le2015-04-15' })).to.deep.equal(['diabetes']);
    expect(await searchIds(source, 'Condition', { date: 'eq2015-04-15' })).to.deep.equal([]);
    expect(await searchIds(source, 'Condition', { date: '2015' })).to.deep.equal(['diabetes']);
    expect(await searchIds(source, 'Condition', { date: 'eq2015-04' })).to.deep.equal(['diabetes']);
    expect(await searchIds(source, 'Condition', { date: 'gt2015-04' })).to.deep.equal(['flu']);
    expect(await searchIds(source, 'Condition', { date: 'gt2015-03' })).to.deep.equal(['diabetes', 'flu']);
    expect(await searchIds(source, 'Condition', { date: 'lt2015-04' })).to.deep.equal([]);
    expect(await searchIds(source, 'Condition', { date: 'lt2015-05' })).to.deep.equal(['diabetes']);
    expect(await searchIds(source, 'Condition', { date: 'ne2015' })).to.deep.equal(['flu']);
  });

  it('compares a year-only value and a dateTime with a time zone', async () => {
    // glucose: effective 2019 (the whole year); hr: 2020-03-10T08:00:00Z.
    expect(await searchIds(source, 'Observation', { patient: 'p1', date: ['ge2019-06-01', 'le2019-06-30'] })).to.deep.equal(['glucose']);
    expect(await searchIds(source, 'Observation', { patient: 'p1', date: '2020-03-10' })).to.deep.equal(['hr']);
    expect(await searchIds(source, 'Observation', { patient: 'p1', date: 'gt2020-03-10T09:00:00+02:00' })).to.deep.equal(['hr', 'bp']);
    expect(await searchIds(source, 'Observation', { patient: 'p1', date: 'lt2020-03-10T09:00:00+02:00' })).to.deep.equal(['glucose']);
  });

  it('uses the recorded date when a condition has no onset date, and periods for encounters', async () => {
    expect(await searchIds(source, 'Condition', { date: '2022-02' })).to.deep.equal(['flu']);
    expect(await searchIds(source, 'Condition', { 'recorded-date': '2016' })).to.deep.equal(['diabetes']);
    // A three-day stay overlaps 1 April but is not contained in it (R4: eq means contained).
    expect(await searchIds(source, 'Encounter', { date: ['ge2020-04-01', 'le2020-04-01'] })).to.deep.equal(['stay']);
    expect(await searchIds(source, 'Encounter', { date: '2020-04-01' })).to.deep.equal([]);
    expect(await searchIds(source, 'Encounter', { date: 'ge2030-01-01' })).to.deep.equal(['ongoing']);
    expect(await searchIds(source, 'Immunization', { date: 'ge2021' })).to.deep.equal(['flu-shot']);
    expect(await searchIds(source, 'AllergyIntolerance', { date: 'le2010-05-05' })).to.deep.equal(['peanut']);
  });

  it('sorts by date, descending date and _lastUpdated, records without the value last', async () => {
    expect(await searchIds(source, 'Observation', { patient: 'p1', _sort: 'date' })).to.deep.equal(['glucose', 'hr', 'bp', 'uncoded']);
    expect(await searchIds(source, 'Observation', { patient: 'p1', _sort: '-date' })).to.deep.equal(['bp', 'hr', 'glucose', 'uncoded']);
    expect(await searchIds(source, 'Observation', { patient: 'p1', _sort: '-_lastUpdated' })).to.deep.equal(['glucose', 'bp', 'hr', 'uncoded']);
  });

  it('reports the total, honours _count=0 and the limit option', async () => {
    const counted = await source.search('Observation', { patient: 'p1', _count: 0 });
    expect(counted.resources).to.deep.equal([]);
    expect(counted.total).to.equal(4);
    const limited = await source.search('Observation', { patient: 'p1', _count: 2 }, { limit: 3 });
    expect(ids(limited.resources)).to.deep.equal(['hr', 'bp', 'glucose']);
    expect(limited.total).to.equal(4);
    expect(limited.complete).to.equal(false);
    expect(limited.incompleteReason).to.equal('limit');
    const whole = await source.search('Observation', { patient: 'p1', _count: 2 });
    expect(whole.resources).to.have.length(4);
    expect(whole.complete).to.equal(true);
  });

  it('rejects an unknown parameter like a strict server: kind server, status 400, naming it', async () => {
    for (const params of [{ foo: 'bar' }, { 'clinical-status': 'active' }, { 'code:text': 'heart' }, { _sort: 'code' }, { date: 'sa2020' }, { _count: 'many' }]) {
      const error = (await rejection(source.search('Observation', params))) as FhirError;
      expect(error, JSON.stringify(params)).to.be.instanceOf(FhirError);
      expect(error.kind).to.equal('server');
      expect(error.status).to.equal(400);
      expect(error.outcome?.issue[0].diagnostics).to.be.a('string');
    }
    const error = (await rejection(source.search('Observation', { foo: 'bar' }))) as FhirError;
    expect(error.message).to.equal('The FHIR server could not process the request (400). The server said: Unknown search parameter "foo" for Observation.');
  });

  it('ignores parameters without a value', async () => {
    expect(await searchIds(source, 'Observation', { patient: 'p2', code: '' })).to.deep.equal(['other']);
  });
});

describe('BundleSource _include', () => {
  const source = new BundleSource({
    resources: [
      patient,
      { resourceType: 'Medication', id: 'med1', code: { text: 'Metformin 500 mg' } },
      { resourceType: 'MedicationRequest', id: 'rx1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/med1' } },
      { resourceType: 'MedicationRequest', id: 'rx2', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/med1' } },
      { resourceType: 'MedicationRequest', id: 'rx3', status: 'stopped', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'Aspirin' } },
      obs('hb', { code: '718-7' }),
      obs('wbc', { code: '6690-2' }),
      {
        resourceType: 'DiagnosticReport',
        id: 'cbc',
        status: 'final',
        code: { text: 'CBC' },
        subject: { reference: 'Patient/p1' },
        result: [{ reference: 'Observation/hb' }, { reference: 'Observation/wbc' }, { reference: 'Observation/gone' }],
      },
    ] as Resource[],
  });

  it('includes the medications of MedicationRequests once each', async () => {
    const result = await source.search('MedicationRequest', { patient: 'p1', status: 'active', _include: 'MedicationRequest:medication' });
    expect(ids(result.resources)).to.deep.equal(['rx1', 'rx2']);
    expect(result.included.map((r) => `${r.resourceType}/${r.id}`)).to.deep.equal(['Medication/med1']);
  });

  it('includes the results of DiagnosticReports, skipping references to missing resources', async () => {
    const result = await source.search('DiagnosticReport', { patient: 'p1', _include: 'DiagnosticReport:result' });
    expect(result.included.map((r) => r.id)).to.deep.equal(['hb', 'wbc']);
  });

  it('includes through other reference parameters, and leaves includes of other types alone', async () => {
    const result = await source.search('Observation', { _id: 'hb', _include: ['Observation:patient', 'Condition:patient'] });
    expect(result.included.map((r) => `${r.resourceType}/${r.id}`)).to.deep.equal(['Patient/p1']);
    const none = await source.search('Observation', { _id: 'hb' });
    expect(none.included).to.deep.equal([]);
  });

  it('rejects an include through a parameter it does not know', async () => {
    const error = (await rejection(source.search('Observation', { _include: 'Observation:has-member' }))) as FhirError;
    expect(error.kind).to.equal('server');
    expect(error.status).to.equal(400);
  });
});

describe('BundleSource failures and timing', () => {
  it('fails every read and search of a type it was told to fail, and only that type', async () => {
    const forced = new FhirError('forbidden', 'You do not have permission to see this information (403).', { status: 403 });
    const source = new BundleSource({ resources: [patient, obs('o1')], failures: { Observation: forced } });
    expect(await rejection(source.search('Observation', { patient: 'p1' }))).to.equal(forced);
    expect(await rejection(source.read('Observation', 'o1'))).to.equal(forced);
    expect((await source.read('Patient', 'p1')).id).to.equal('p1');
  });

  it('answers after the simulated latency', async () => {
    const source = new BundleSource({ resources: [patient], latency: 80 });
    const started = performance.now();
    await source.read('Patient', 'p1');
    expect(performance.now() - started).to.be.at.least(75);
  });

  it('rejects as aborted as soon as the signal fires during the latency', async () => {
    const source = new BundleSource({ resources: [patient, obs('o1')], latency: 5000 });
    const controller = new AbortController();
    const started = performance.now();
    const pending = source.search('Observation', { patient: 'p1' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = (await rejection(pending)) as FhirError;
    expect(error.kind).to.equal('aborted');
    expect(performance.now() - started).to.be.below(1000);
  });

  it('rejects at once with a signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = (await rejection(new BundleSource({ resources: [patient] }).read('Patient', 'p1', { signal: controller.signal }))) as FhirError;
    expect(error.kind).to.equal('aborted');
  });

  it('reports progress once, as a single page', async () => {
    const progress: unknown[] = [];
    await new BundleSource({ resources: [patient, obs('o1'), obs('o2')] }).search('Observation', {}, { onProgress: (p) => progress.push(p) });
    expect(progress).to.deep.equal([{ loaded: 2, total: 2, pages: 1 }]);
  });
});


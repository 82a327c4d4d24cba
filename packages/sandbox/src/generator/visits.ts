/**
 * The resources one visit produces: the Encounter, vital signs, labs and
 * imaging, an intercurrent diagnosis and its prescription, smoking status,
 * and the visit's note.
 */
import type { Observation, Resource } from '@medplum/fhirtypes';
import { referenceTo, type AnyReference } from './builder.js';
import {
  type EncounterArgs, buildCondition, buildDocument, buildEncounter, buildMedicationRequest, organizationReference, practitionerReference, smokingStatus,
} from './clinical.js';
import { type PatientContext, ageInDays, ageInYears, hasCondition } from './context.js';
import { practitionerName } from './directory.js';
import { bloodType, chestXray, covidTest, labPanel, labResult, urinalysis } from './labs.js';
import { type PlannedVisit, encounterReference } from './plan.js';
import type { Random } from './random.js';
import { CONDITIONS, type ConditionName, type MedicationName, type PanelName, VITALS } from './terminology.js';
import { DAY, HOUR, MINUTE, atLocalHour, date } from './time.js';
import { type BloodPressureStyle, type VitalQuirk, vitalSigns } from './vitals.js';

/** How the source system that recorded this visit writes vital signs. */
export interface VisitStyle {
  style: BloodPressureStyle;
  units: 'metric' | 'us';
  quirks: VitalQuirk[];
}

const RESPIRATORY: ReadonlySet<ConditionName> = new Set(['pneumonia', 'copd', 'heartFailure', 'asthma', 'chestPain', 'bronchitis']);

function penicillinAllergic(context: PatientContext): boolean {
  return ['rich', 'penicillin-rash', 'bulk'].includes(context.spec.allergies);
}

/** The prescription an intercurrent problem gets, if any. */
function treatmentFor(context: PatientContext, name: ConditionName, age: number, rng: Random): MedicationName | undefined {
  const antibiotic = (): MedicationName => (penicillinAllergic(context) ? 'azithromycin' : age < 12 ? 'amoxicillinSuspension' : 'amoxicillin');
  switch (name) {
    case 'strep':
    case 'otitis':
      return antibiotic();
    case 'bronchitis':
      return rng.chance(0.4) ? 'azithromycin' : undefined;
    case 'uti':
      return 'nitrofurantoin';
    case 'pneumonia':
      return 'ceftriaxone';
    case 'ankleSprain':
    case 'fracture':
      return 'ibuprofen';
    default:
      return undefined;
  }
}

function labsForReason(context: PatientContext, reason: ConditionName | undefined): PanelName[] {
  switch (reason) {
    case 'diabetes':
      return ['a1c', 'bmp'];
    case 'prediabetes':
      return ['a1c'];
    case 'ckd3':
      return ['bmp', 'cbc'];
    case 'hypertension':
      return ['bmp'];
    case 'hyperlipidemia':
      return ['lipid'];
    case 'hypothyroidism':
      return ['tsh'];
    case 'heartFailure':
      return ['bmp', 'bnp'];
    case 'atrialFibrillation':
      return context.spec.conditions.some((plan) => plan.meds?.some((med) => med.product === 'warfarin')) ? ['inr'] : ['bmp'];
    case 'anemia':
      return ['cbc'];
    default:
      return [];
  }
}

function vitalsLine(vitals: Observation[]): string {
  const parts: string[] = [];
  for (const vital of vitals) {
    if (vital.status === 'entered-in-error') continue;
    const code = vital.code.coding?.[0].code;
    const quantity = vital.valueQuantity;
    if ((code === VITALS.bpPanel.code || code === VITALS.bpSynthea.code) && vital.component?.every((part) => part.valueQuantity)) {
      parts.push(`BP ${vital.component[0].valueQuantity?.value}/${vital.component[1].valueQuantity?.value} mmHg`);
    } else if (quantity && code !== VITALS.bpPanel.code && code !== VITALS.bpSynthea.code) {
      parts.push(`${vital.code.text} ${quantity.value} ${quantity.unit}`);
    }
  }
  return [...new Set(parts)].join(', ');
}

function noteBody(context: PatientContext, visit: PlannedVisit, heading: string, vitals: Observation[], problems: ConditionName[], html: boolean): string {
  const reason = visit.reason ? CONDITIONS[visit.reason].display : visit.kind === 'checkup' ? 'Routine health maintenance' : 'Follow-up';
  const assessment = problems.length
    ? problems.map((name) => `${CONDITIONS[name].display}: ${hasCondition(context, name, visit.end + DAY) ? 'continue current plan' : 'improving, expected to resolve'}.`)
    : ['Healthy; age-appropriate anticipatory guidance given.'];
  const plan = visit.kind === 'inpatient' || visit.kind === 'birth' ? 'Discharged with follow-up in 1 week with primary care.' : 'Return in 3 to 12 months or sooner as needed.';
  const signature = `Electronically signed by ${practitionerName(visit.practitioner)}`;
  const line = vitalsLine(vitals) || 'Not recorded at this visit.';
  if (!html) {
    return [heading.toUpperCase(), `Date: ${date(visit.start)}`, `Reason for visit: ${reason}`, `Vital signs: ${line}`, 'Assessment:', ...assessment.map((item) => `  - ${item}`), `Plan: ${plan}`, signature].join('\n');
  }
  return [
    `<h2>${heading}</h2>`,
    `<p><b>Date:</b> ${date(visit.start)}<br><b>Reason for visit:</b> ${reason}</p>`,
    `<p><b>Vital signs:</b> ${line}</p>`,
    `<h3>Assessment</h3><ul>${assessment.map((item) => `<li>${item}</li>`).join('')}</ul>`,
    `<h3>Plan</h3><p>${plan}</p>`,
    `<p><i>${signature}</i></p>`,
  ].join('\n');
}

export interface VisitFlags {
  /** Type and screen (ABO/Rh) at this admission. */
  typeAndScreen: boolean;
}

export function generateVisit(context: PatientContext, rng: Random, visit: PlannedVisit, style: VisitStyle, flags: VisitFlags): Resource[] {
  const out: Resource[] = [];
  const encounter = encounterReference(visit);
  const nurse = practitionerReference('nurse');
  const clinician = practitionerReference(visit.practitioner);
  const age = ageInYears(context, visit.start);
  const diagnoses: AnyReference[] = [...visit.diagnosisReferences];
  const problems: ConditionName[] = visit.diagnoses.map((condition) => condition.plan.name);
  if (visit.reason && !problems.includes(visit.reason)) problems.push(visit.reason);

  // An intercurrent problem, diagnosed and (maybe) treated here.
  if (visit.acute) {
    const resolved = visit.start + rng.int(5, 16) * DAY;
    const condition = buildCondition(context, {
      name: visit.acute,
      onset: visit.start - rng.int(1, 4) * DAY,
      onsetAs: rng.chance(0.3) ? 'date' : 'dateTime',
      resolved: resolved < context.end ? resolved : undefined,
      severity: rng.chance(0.4) ? rng.pick(['mild', 'moderate'] as const) : undefined,
      category: 'encounter-diagnosis',
      encounter,
      recorded: Math.min(visit.end, visit.start + 25 * MINUTE),
      recorder: clinician,
    });
    out.push(condition);
    const conditionReference = referenceTo(condition, condition.code?.text);
    diagnoses.push(conditionReference);
    const medication = treatmentFor(context, visit.acute, age, rng);
    if (medication) {
      const days = medication === 'ceftriaxone' ? Math.max(1, Math.round((visit.end - visit.start) / DAY)) : 10;
      out.push(buildMedicationRequest(context, {
        med: medication,
        status: 'completed',
        authored: Math.min(visit.end, visit.start + 30 * MINUTE),
        until: visit.start + days * DAY,
        encounter,
        requester: clinician,
        reason: conditionReference,
        inpatient: visit.kind === 'inpatient',
      }));
    }
  }

  // Vital signs: the first set of a visit carries the source system's quirks.
  const vitals: Observation[] = [];
  const take = (at: number, set: 'full' | 'triage' | 'spot', first: boolean, weigh = false): void => {
    vitals.push(...vitalSigns(context, rng, {
      at,
      encounter,
      performer: nurse,
      set,
      style: style.style,
      units: visit.kind === 'emergency' ? 'us' : style.units,
      fever: visit.fever && (first || rng.chance(0.5)),
      weigh,
      quirks: first ? style.quirks : [],
    }));
  };
  switch (visit.kind) {
    case 'checkup':
      take(visit.start + 8 * MINUTE, 'full', true);
      break;
    case 'followup':
    case 'sick':
      take(visit.start + 6 * MINUTE, age < 3 ? 'full' : 'triage', true, true);
      break;
    case 'emergency':
      take(visit.start + 12 * MINUTE, 'triage', true);
      if (visit.end - visit.start > 2 * HOUR) take(visit.start + 2 * HOUR, 'spot', false);
      break;
    case 'birth':
    case 'inpatient': {
      if (visit.kind === 'birth') take(visit.start + HOUR, 'full', true);
      else take(visit.start + 30 * MINUTE, 'triage', true, true);
      let day = -1;
      for (let at = visit.start + 8 * HOUR; at < visit.end - HOUR; at += 8 * HOUR) {
        const today = Math.floor(ageInDays(context, at));
        take(at, 'spot', false, today !== day);
        day = today;
      }
      break;
    }
  }
  out.push(...vitals);

  // Labs and imaging.
  const flagNormal = visit.organization === 'hospital' || rng.chance(0.3);
  const infection = visit.fever;
  const draw = (at: number, panels: PanelName[]): void => {
    for (const panel of panels) out.push(...labPanel(context, rng, panel, { at, encounter, flagNormal, infection }));
  };
  const afterCovid = visit.start > Date.UTC(2020, 2, 15);
  switch (visit.kind) {
    case 'checkup':
      if (age >= 18) {
        const panels: PanelName[] = [];
        if (rng.chance(0.45)) panels.push('cbc');
        if (rng.chance(0.55)) panels.push(age >= 40 ? 'cmp' : 'bmp');
        if (rng.chance(0.3) || hasCondition(context, 'hyperlipidemia', visit.start)) panels.push('lipid');
        if (hasCondition(context, 'diabetes', visit.start) || hasCondition(context, 'prediabetes', visit.start)) panels.push('a1c');
        if (hasCondition(context, 'hypothyroidism', visit.start) && rng.chance(0.6)) panels.push('tsh');
        draw(visit.start + 35 * MINUTE, panels);
        if (rng.chance(0.15)) out.push(...urinalysis(context, rng, { at: visit.start + 35 * MINUTE, encounter, flagNormal, infection: false }));
      } else if (Math.abs(ageInDays(context, visit.start) - 365) < 45) {
        // Anaemia screening at the one-year visit.
        out.push(labResult(context, rng, 'hemoglobin', { at: visit.start + 30 * MINUTE, encounter, flagNormal: true }));
      } else if (ageInDays(context, visit.start) < 10) {
        out.push(labResult(context, rng, 'bilirubin', { at: visit.start + 20 * MINUTE, encounter, flagNormal: true }));
      }
      break;
    case 'followup':
      draw(visit.start + 25 * MINUTE, labsForReason(context, visit.reason));
      break;
    case 'sick':
      if (visit.acute === 'uti') out.push(...urinalysis(context, rng, { at: visit.start + 20 * MINUTE, encounter, flagNormal, infection: true }));
      if (visit.acute === 'viralUri' && afterCovid && age >= 2 && rng.chance(0.6)) out.push(covidTest(context, rng, { at: visit.start + 15 * MINUTE, encounter, flagNormal }));
      break;
    case 'emergency':
      if (age >= 12 && visit.reason !== 'ankleSprain' && visit.reason !== 'anaphylaxis' && visit.reason !== 'fracture') {
        draw(visit.start + 40 * MINUTE, ['cbc', 'bmp', ...labsForReason(context, visit.reason).filter((panel) => panel !== 'bmp' && panel !== 'cbc')]);
        if (afterCovid && rng.chance(0.5)) out.push(covidTest(context, rng, { at: visit.start + 40 * MINUTE, encounter, flagNormal }));
      }
      if (visit.reason && RESPIRATORY.has(visit.reason)) out.push(chestXray(context, rng, visit.start + 75 * MINUTE, encounter));
      break;
    case 'inpatient': {
      draw(visit.start + HOUR, ['cbc', 'cmp', ...labsForReason(context, visit.reason).filter((panel) => panel !== 'bmp' && panel !== 'cbc')]);
      if (flags.typeAndScreen) out.push(...bloodType(context, rng, { at: visit.start + HOUR, encounter, flagNormal }));
      if (visit.reason && RESPIRATORY.has(visit.reason)) out.push(chestXray(context, rng, visit.start + 2 * HOUR, encounter));
      // Morning labs every day of the stay.
      for (let at = atLocalHour(visit.start + DAY, 5); at < visit.end - 2 * HOUR; at += DAY) draw(at, rng.chance(0.5) ? ['cbc', 'bmp'] : ['bmp']);
      break;
    }
    case 'birth':
      out.push(...bloodType(context, rng, { at: visit.start + 2 * HOUR, encounter, flagNormal }));
      out.push(labResult(context, rng, 'bilirubin', { at: visit.start + 26 * HOUR, encounter, flagNormal: true }));
      out.push(labResult(context, rng, 'bilirubin', { at: visit.start + 44 * HOUR, encounter, flagNormal: true }));
      break;
  }

  if (visit.kind === 'checkup' && age >= 13 && context.spec.smoking) {
    out.push(smokingStatus(context, context.spec.smoking, visit.start + 12 * MINUTE, encounter, clinician));
  }

  // The visit's note.
  const noteChance = { checkup: 0.5, followup: 0.3, sick: 0.2, emergency: 1, inpatient: 1, birth: 1 }[visit.kind];
  if (rng.chance(noteChance)) {
    const hospital = visit.organization === 'hospital';
    const type = visit.kind === 'inpatient' || visit.kind === 'birth' ? 'discharge' : visit.kind === 'emergency' ? 'edNote' : 'progressNote';
    const heading = { discharge: 'Discharge summary', edNote: 'Emergency department note', progressNote: 'Progress note' }[type];
    out.push(buildDocument(context, {
      type,
      at: visit.end + rng.int(10, 240) * MINUTE,
      encounter,
      period: [visit.start, visit.end],
      author: clinician,
      custodian: organizationReference(visit.organization),
      title: heading,
      contentType: hospital ? 'text/html' : 'text/plain',
      body: noteBody(context, visit, heading, vitals, problems, hospital),
    }));
  }

  const inpatient = visit.kind === 'inpatient' || visit.kind === 'birth';
  const args: EncounterArgs = {
    id: visit.encounterId,
    encounterClass: inpatient ? 'IMP' : visit.kind === 'emergency' ? 'EMER' : 'AMB',
    type: visit.kind === 'birth' ? 'admission' : visit.kind === 'checkup' ? (age < 18 ? 'wellChild' : 'checkup') : visit.kind === 'inpatient' ? 'admission' : visit.kind === 'followup' ? 'followup' : visit.kind === 'emergency' ? 'emergency' : 'sick',
    start: visit.start,
    end: visit.end,
    practitioner: visit.practitioner,
    organization: visit.organization,
    reasons: visit.reason ? [visit.reason] : [],
    diagnoses,
    discharge: inpatient ? (context.spec.deceased && visit.end >= context.end ? 'exp' : 'home') : undefined,
  };
  return [buildEncounter(context, args), ...out];
}

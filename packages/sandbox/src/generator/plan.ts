/**
 * The visit timeline of a record: check-ups on schedule, visits where the
 * profile's conditions were diagnosed, follow-ups for chronic problems, and
 * random sick, emergency and inpatient visits whose frequency scales with
 * `density` (how benchmarks reach a target resource count).
 */
import type { AnyReference } from './builder.js';
import { type PatientContext, type TimedCondition, ageInYears, hasCondition } from './context.js';
import type { OrganizationKey, PractitionerKey } from './directory.js';
import type { ProcedurePlan, VisitKind } from './profiles.js';
import type { Random } from './random.js';
import type { ConditionName } from './terminology.js';
import { DAY, HOUR, MINUTE, YEAR, atLocalHour } from './time.js';

export interface PlannedVisit {
  kind: VisitKind;
  start: number;
  end: number;
  organization: OrganizationKey;
  practitioner: PractitionerKey;
  /** What the visit is about. */
  reason?: ConditionName;
  /** Profile conditions first diagnosed here. */
  diagnoses: TimedCondition[];
  /** An intercurrent illness invented for this visit (recorded by the visit itself). */
  acute?: ConditionName;
  fever: boolean;
  /** Profile procedures done during this visit. */
  procedures: ProcedurePlan[];
  /** Set once the timeline is sorted: `enc-<key>-<n>` in chronological order. */
  encounterId: string;
  /** Conditions (from the story) the encounter lists as diagnoses. */
  diagnosisReferences: AnyReference[];
}

/** Well-child visits, in days of age (AAP periodicity schedule). */
const WELL_CHILD_DAYS = [4, 14, 30, 61, 122, 183, 274, 365, 456, 548, 730, 913, 1095];

const CHRONIC_EXACERBATIONS: ConditionName[] = ['heartFailure', 'copd', 'asthma', 'atrialFibrillation', 'diabetes'];
const INFECTIONS: ReadonlySet<ConditionName> = new Set(['viralUri', 'strep', 'otitis', 'bronchitis', 'uti', 'pneumonia']);

/** When the visit history starts: the profile's history window, never before birth, adults only as adults. */
export function historyStart(context: PatientContext): number {
  const window = context.end - context.spec.historyYears * YEAR;
  const adultAtEnd = ageInYears(context, context.end) >= 18;
  return Math.max(context.birth, window, adultAtEnd ? context.birth + 18 * YEAR : context.birth);
}

function officeTime(at: number, rng: Random): number {
  return atLocalHour(at, rng.float(8, 16.5));
}

function defaultPractitioner(context: PatientContext, kind: VisitKind, rng: Random): PractitionerKey {
  switch (kind) {
    case 'emergency':
      return 'emergency';
    case 'inpatient':
      return 'hospitalist';
    case 'birth':
      return 'pediatrician';
    case 'sick':
      return context.pcp === 'pediatrician' || rng.chance(0.5) ? context.pcp : 'nursePractitioner';
    default:
      return context.pcp;
  }
}

function organizationFor(context: PatientContext, kind: VisitKind): OrganizationKey {
  return kind === 'emergency' || kind === 'inpatient' || kind === 'birth' ? 'hospital' : context.home === 'hospital' ? 'clinic' : context.home;
}

function duration(kind: VisitKind, rng: Random, stayDays?: number): number {
  switch (kind) {
    case 'emergency':
      return rng.int(150, 420) * MINUTE;
    case 'inpatient':
      return (stayDays ?? rng.int(2, 6)) * DAY + rng.int(-5, 5) * HOUR;
    case 'birth':
      return 2 * DAY + rng.int(0, 10) * HOUR;
    case 'checkup':
      return rng.int(25, 45) * MINUTE;
    default:
      return rng.int(15, 30) * MINUTE;
  }
}

function acuteFor(context: PatientContext, at: number, rng: Random): ConditionName {
  const age = ageInYears(context, at);
  if (age < 5) return rng.pick(['otitis', 'viralUri', 'viralUri'] as const);
  if (age < 18) return rng.pick(['strep', 'viralUri', 'viralUri', 'otitis'] as const);
  return rng.pick(context.sex === 'female' ? (['viralUri', 'bronchitis', 'strep', 'uti', 'uti'] as const) : (['viralUri', 'bronchitis', 'strep'] as const));
}

function chronicAt(context: PatientContext, at: number): ConditionName[] {
  return context.conditions
    .filter((condition) => condition.resolved === undefined && !condition.plan.inactive && condition.plan.verification !== 'refuted' && condition.plan.verification !== 'entered-in-error' && condition.onset <= at)
    .map((condition) => condition.plan.name);
}

export function planVisits(context: PatientContext, density: number, rng: Random): PlannedVisit[] {
  const { spec } = context;
  const start = historyStart(context);
  const last = context.end - (spec.deceased ? 0 : DAY);
  const visits: PlannedVisit[] = [];

  const add = (kind: VisitKind, at: number, extra: Partial<PlannedVisit> = {}, stayDays?: number): PlannedVisit => {
    const visit: PlannedVisit = {
      kind,
      start: at,
      end: Math.min(context.end, at + duration(kind, rng, stayDays)),
      organization: organizationFor(context, kind),
      practitioner: defaultPractitioner(context, kind, rng),
      diagnoses: [],
      fever: false,
      procedures: [],
      encounterId: '',
      diagnosisReferences: [],
      ...extra,
    };
    visits.push(visit);
    return visit;
  };
  const near = (at: number, kinds: VisitKind[], tolerance: number): PlannedVisit | undefined => visitNear(visits, at, tolerance, kinds);

  // Birth and well-child visits.
  if (context.birth >= start - DAY) add('birth', context.birth);
  for (const days of WELL_CHILD_DAYS) {
    const at = officeTime(context.birth + (days + rng.int(0, 3)) * DAY, rng);
    if (at >= start && at <= last) add('checkup', at);
  }
  for (let age = 4; age < 18; age++) {
    const at = officeTime(context.birth + age * YEAR + rng.int(0, 60) * DAY, rng);
    if (at >= start && at <= last && !rng.chance(spec.skipCheckup)) add('checkup', at);
  }
  // Yearly adult check-ups.
  for (let at = Math.max(start, context.birth + 18 * YEAR) + rng.int(10, 300) * DAY; at <= last - 7 * DAY; at += YEAR + rng.int(-40, 40) * DAY) {
    if (!rng.chance(spec.skipCheckup)) add('checkup', officeTime(at, rng));
  }

  // Where the profile's conditions were found.
  for (const condition of context.conditions) {
    const { plan } = condition;
    if (condition.onset < start || condition.onset > context.end) continue;
    const kind: VisitKind = plan.visit ?? (plan.resolvedAfterDays !== undefined ? 'sick' : 'followup');
    const existing = near(condition.onset, [kind], kind === 'birth' ? 3 * DAY : DAY);
    if (existing) {
      existing.diagnoses.push(condition);
      existing.reason ??= plan.name;
      continue;
    }
    add(kind, condition.onset, {
      reason: plan.name,
      diagnoses: [condition],
      fever: INFECTIONS.has(plan.name),
      practitioner: plan.specialist ?? defaultPractitioner(context, kind, rng),
    }, plan.stayDays);
  }

  // Profile procedures: surgery gets its own admission, the rest join a nearby visit.
  for (const procedure of spec.procedures) {
    const at = procedure.age !== undefined ? context.birth + procedure.age * YEAR : context.end - (procedure.yearsAgo ?? 0) * YEAR;
    if (at < start || at > last) continue;
    if (procedure.inpatient) {
      add('inpatient', atLocalHour(at, 7), { reason: procedure.reason, procedures: [procedure], practitioner: 'hospitalist' }, 3);
      continue;
    }
    const host = near(at, ['checkup', 'followup', 'emergency', 'sick'], 20 * DAY);
    if (host) host.procedures.push(procedure);
    else add('followup', officeTime(at, rng), { reason: procedure.reason, procedures: [procedure] });
  }

  // Follow-ups for whatever chronic problems are active.
  const followupRate = spec.rates.followup * density;
  if (followupRate > 0) {
    for (let at = start + rng.float(0, YEAR / followupRate); at < last - 7 * DAY; at += (YEAR / followupRate) * rng.float(0.6, 1.4)) {
      const chronic = chronicAt(context, at);
      if (!chronic.length) continue;
      const reason = rng.pick(chronic);
      const specialist = context.conditions.find((condition) => condition.plan.name === reason)?.plan.specialist;
      add('followup', officeTime(at, rng), { reason, practitioner: specialist && rng.chance(0.6) ? specialist : context.pcp });
    }
  }

  // Intercurrent illness: scales more gently than follow-ups so a dense record is not all infections.
  const sickRate = spec.rates.sick * Math.sqrt(density);
  if (sickRate > 0) {
    for (let at = start + rng.float(0, YEAR / sickRate); at < last - 3 * DAY; at += (YEAR / sickRate) * rng.float(0.4, 1.6)) {
      const acute = acuteFor(context, at, rng);
      add('sick', officeTime(at, rng), { reason: acute, acute, fever: INFECTIONS.has(acute) });
    }
  }
  const emergencyRate = spec.rates.emergency * Math.sqrt(density);
  if (emergencyRate > 0) {
    for (let at = start + rng.float(0, YEAR / emergencyRate); at < last - 2 * DAY; at += (YEAR / emergencyRate) * rng.float(0.4, 1.6)) {
      const exacerbation = CHRONIC_EXACERBATIONS.filter((name) => hasCondition(context, name, at));
      const reason = exacerbation.length && rng.chance(0.7) ? rng.pick(exacerbation) : rng.pick(['chestPain', 'ankleSprain'] as const);
      add('emergency', at, { reason, ...(exacerbation.includes(reason) ? {} : { acute: reason }) });
    }
  }
  const inpatientRate = spec.rates.inpatient * density;
  if (inpatientRate > 0) {
    for (let at = start + rng.float(0, YEAR / inpatientRate); at < last - 8 * DAY; at += (YEAR / inpatientRate) * rng.float(0.4, 1.6)) {
      const exacerbation = CHRONIC_EXACERBATIONS.filter((name) => hasCondition(context, name, at));
      if (exacerbation.length && rng.chance(0.75)) add('inpatient', at, { reason: rng.pick(exacerbation) });
      else add('inpatient', at, { reason: 'pneumonia', acute: 'pneumonia', fever: true });
    }
  }

  visits.sort((a, b) => a.start - b.start);
  visits.forEach((visit, index) => {
    visit.encounterId = `enc-${context.builder.key}-${index + 1}`;
  });
  return visits;
}

/** The visit open at `at`, or failing that the nearest one within `tolerance`. */
export function visitNear(visits: readonly PlannedVisit[], at: number, tolerance: number, kinds?: readonly VisitKind[]): PlannedVisit | undefined {
  let best: PlannedVisit | undefined;
  let bestDistance = Infinity;
  for (const visit of visits) {
    if (kinds && !kinds.includes(visit.kind)) continue;
    const distance = at < visit.start ? visit.start - at : at > visit.end ? at - visit.end : 0;
    if (distance <= tolerance && distance < bestDistance) {
      best = visit;
      bestDistance = distance;
    }
  }
  return best;
}

export function encounterReference(visit: PlannedVisit): AnyReference {
  return { reference: `Encounter/${visit.encounterId}` };
}

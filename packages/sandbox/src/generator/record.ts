/**
 * One patient's record: identity, story, visits, and (for benchmarks) a
 * target resource count reached by scaling visit frequency, keeping the
 * newest visits that fit, and topping up with home-device readings.
 */
import type { Organization, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { RecordBuilder, forEachReference, type AnyReference } from './builder.js';
import type { PatientContext, TimedCondition } from './context.js';
import { type OrganizationKey, type PractitionerKey, buildOrganization, buildPractitioner, organizationId, practitionerId } from './directory.js';
import { buildPatient } from './patient.js';
import { type PlannedVisit, planVisits } from './plan.js';
import { PROFILES, type Gender, type ProfileName, type ProfileSpec } from './profiles.js';
import { Random } from './random.js';
import { generateStory } from './story.js';
import { DAY, HOUR, YEAR, atLocalHour, instant } from './time.js';
import { type VisitStyle, generateVisit } from './visits.js';
import { vitalSigns } from './vitals.js';

export interface RecordRequest {
  seed: number;
  profile: ProfileName;
  /** Names the record in every id: `p-<key>`, `obs-<key>-<n>`. */
  key: string;
  /** Position in a cohort (spreads names across patients). */
  index?: number;
  now: number;
  targetResources?: number;
}

export interface BuiltRecord {
  patient: Patient;
  resources: Resource[];
}

const ORGANIZATION_KEYS: OrganizationKey[] = ['hospital', 'clinic', 'pediatrics', 'lab', 'pharmacy'];
const PRACTITIONER_KEYS: PractitionerKey[] = [
  'family', 'familyDo', 'pediatrician', 'emergency', 'hospitalist', 'cardiologist', 'endocrinologist', 'radiologist', 'nurse', 'nursePractitioner',
];
const MAX_DENSITY = 200;

interface Attempt {
  context: PatientContext;
  patient: Patient;
  story: Resource[];
  visits: Array<{ visit: PlannedVisit; resources: Resource[] }>;
}

function createContext(request: RecordRequest): { context: PatientContext; gender: Gender; birthDate: string } {
  const spec: ProfileSpec = PROFILES[request.profile];
  const rng = Random.derive(request.seed, request.key, request.profile, 'person');
  const builder = new RecordBuilder(request.key, request.now);
  const deceased = spec.deceased === true;
  const end = deceased ? atLocalHour(request.now - rng.int(60, 150) * DAY, rng.float(0.5, 23.5)) : request.now;
  let birth: number;
  let birthDate: string;
  if (spec.birthDate) {
    // A partial birth date (YYYY-MM): the day is unknown to the record, the generator still needs one.
    const [year, month] = spec.birthDate.split('-').map(Number);
    birth = Date.UTC(year, month - 1, rng.int(1, 28), rng.int(10, 22));
    birthDate = spec.birthDate;
  } else {
    birth = atLocalHour(end - rng.int(spec.ageDays[0], spec.ageDays[1]) * DAY, rng.float(0, 24));
    birthDate = new Date(birth - 5 * HOUR).toISOString().slice(0, 10);
  }
  const gender: Gender = spec.gender ?? (rng.chance(0.5) ? 'female' : 'male');
  const sex = gender === 'male' || gender === 'female' ? gender : rng.chance(0.5) ? 'female' : 'male';
  const child = (end - birth) / YEAR < 18;
  const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

  const context: PatientContext = {
    builder,
    profile: request.profile,
    spec,
    seed: request.seed,
    index: request.index,
    birth,
    end,
    sex,
    patient: builder.patientReference(),
    home: spec.home,
    pcp: spec.pcp,
    conditions: [],
    heightFactor: clamp(rng.normal(1, 0.03), 0.93, 1.07),
    weightFactor: clamp(rng.normal(1, child ? 0.07 : 0.04), 0.85, 1.15),
    heartRateOffset: rng.normal(0, 4),
    systolic: rng.normal(115, 5),
    diastolic: rng.normal(74, 3),
    weightPhase: rng.float(0, 2 * Math.PI),
  };

  for (const plan of spec.conditions) {
    let onset = plan.age !== undefined ? birth + plan.age * YEAR : end - (plan.yearsAgo ?? 0) * YEAR;
    if (onset > end - 2 * DAY && !(deceased && plan.visit === 'inpatient')) continue;
    onset = Math.max(birth + DAY, onset);
    // Office visits happen in office hours; emergencies and admissions whenever.
    if (plan.visit !== 'emergency' && plan.visit !== 'inpatient' && plan.visit !== 'birth') onset = atLocalHour(onset, rng.float(8.5, 16));
    else onset += rng.int(0, 600) * 60_000;
    const timed: TimedCondition = { plan, onset };
    if (plan.resolvedAfterDays !== undefined) timed.resolved = onset + plan.resolvedAfterDays * DAY;
    const starts = (plan.meds ?? []).map((med) => onset + (med.startAfterDays ?? 0) * DAY);
    if (starts.length) timed.treated = Math.min(...starts);
    context.conditions.push(timed);
  }
  return { context, gender, birthDate };
}

/** BP coding and units by the era of the source system, with the demo patient's newest visits fixed. */
function visitStyles(context: PatientContext, visits: PlannedVisit[]): VisitStyle[] {
  const styles: VisitStyle[] = visits.map((visit) => {
    if (visit.start < context.builder.now - 6 * YEAR) return { style: 'separate', units: 'us', quirks: [] };
    if (visit.start < context.builder.now - 2.5 * YEAR) return { style: 'synthea', units: 'metric', quirks: [] };
    return { style: 'panel', units: 'metric', quirks: [] };
  });
  if (context.spec.quirks) {
    // The three most recent visits where blood pressure is taken show all three codings and every quirk,
    // so even a tiny record of the demo patient exercises them.
    const fixed: VisitStyle[] = [
      { style: 'panel', units: 'metric', quirks: ['missing-component', 'entered-in-error'] },
      { style: 'synthea', units: 'metric', quirks: ['no-code'] },
      { style: 'separate', units: 'us', quirks: [] },
    ];
    let rank = 0;
    for (let i = visits.length - 1; i >= 0 && rank < fixed.length; i--) {
      if ((visits[i].start - context.birth) / YEAR >= 3 && visits[i].kind !== 'birth') styles[i] = fixed[rank++];
    }
  }
  return styles;
}

function attempt(request: RecordRequest, density: number): Attempt {
  const { context, gender, birthDate } = createContext(request);
  const identity = Random.derive(request.seed, request.key, request.profile, 'identity');
  const patient = buildPatient(context, gender, identity, birthDate);
  const visits = planVisits(context, density, Random.derive(request.seed, request.key, request.profile, 'plan', density));
  const story = generateStory(context, Random.derive(request.seed, request.key, request.profile, 'story'), visits);
  const styles = visitStyles(context, visits);
  let typed = false;
  const generated = visits.map((visit, index) => {
    const typeAndScreen = visit.kind === 'inpatient' && !typed;
    if (typeAndScreen) typed = true;
    const rng = Random.derive(request.seed, request.key, 'visit', visit.start);
    return { visit, resources: generateVisit(context, rng, visit, styles[index], { typeAndScreen }) };
  });
  return { context, patient, story, visits: generated };
}

/** Removes `encounter` references to encounters that did not make it into the record. */
function dropEncounterLinks(resources: Resource[], kept: ReadonlySet<string>): void {
  const prune = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(prune);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'encounter') {
        const dangling = (item: unknown): boolean => {
          const target = (item as AnyReference).reference;
          return typeof target === 'string' && target.startsWith('Encounter/') && !kept.has(target);
        };
        if (Array.isArray(child)) {
          const remaining = child.filter((item) => !dangling(item));
          if (remaining.length) record[key] = remaining;
          else delete record[key];
        } else if (dangling(child)) {
          delete record[key];
        }
      } else if (typeof child === 'object') {
        prune(child);
      }
    }
  };
  prune(resources);
}

/** The directory resources the record refers to, in a fixed order. */
function directoryFor(resources: Resource[], now: number): Array<Organization | Practitioner> {
  const referenced = new Set<string>();
  forEachReference(resources, (target) => referenced.add(target));
  // Fixed, record-independent stamps, so every record PUTs byte-identical copies.
  const stamp = (index: number): string => instant(now - 400 * DAY + index * 61_000 + 417);
  const out: Array<Organization | Practitioner> = [];
  ORGANIZATION_KEYS.forEach((key, index) => {
    if (referenced.has(`Organization/${organizationId(key)}`)) out.push(buildOrganization(key, stamp(index)));
  });
  PRACTITIONER_KEYS.forEach((key, index) => {
    if (referenced.has(`Practitioner/${practitionerId(key)}`)) out.push(buildPractitioner(key, stamp(10 + index)));
  });
  return out;
}

/** Device readings (home blood pressure cuff and scale), newest first, to top a record up to an exact count. */
function homeReadings(context: PatientContext, count: number): Resource[] {
  const out: Resource[] = [];
  if (count <= 0) return out;
  const rng = Random.derive(context.seed, context.builder.key, 'home');
  const span = Math.min(2 * YEAR, context.end - context.birth - DAY);
  const perReading = (context.end - context.birth) / YEAR >= 3 ? 3 : 2;
  const readings = Math.ceil(count / perReading);
  const step = span / (readings + 1);
  for (let i = 1; out.length < count; i++) {
    const at = Math.max(context.birth + DAY, context.end - i * step);
    const set = vitalSigns(context, rng, { at, performer: context.patient, set: 'home', style: 'panel', units: 'metric' });
    out.push(...set.slice(0, count - out.length));
  }
  return out;
}

function assemble(built: Attempt, visits: Attempt['visits'], request: RecordRequest, target?: number): BuiltRecord {
  const kept = new Set(visits.map(({ visit }) => `Encounter/${visit.encounterId}`));
  dropEncounterLinks(built.story, kept);
  const clinical: Resource[] = [...built.story, ...visits.flatMap(({ resources }) => resources)];
  const directory = directoryFor([built.patient, ...clinical], request.now);
  const resources: Resource[] = [built.patient, ...directory, ...clinical];
  if (target !== undefined) resources.push(...homeReadings(built.context, target - resources.length));
  return { patient: built.patient, resources };
}

/** Builds one record; with a target, hits it exactly unless the profile's fixed part alone exceeds it. */
export function buildRecord(request: RecordRequest): BuiltRecord {
  const target = request.targetResources;
  let built = attempt(request, 1);
  if (target === undefined) return assemble(built, built.visits, request);

  // The story, the patient and at most the whole directory are fixed; visits fill the rest.
  const fixed = () => built.story.length + 1 + ORGANIZATION_KEYS.length + PRACTITIONER_KEYS.length;
  const available = () => built.visits.reduce((sum, { resources }) => sum + resources.length, 0);
  let density = 1;
  for (let i = 0; i < 8 && density < MAX_DENSITY; i++) {
    const budget = target - fixed();
    if (budget <= 0 || available() >= budget * 1.03) break;
    const factor = available() > 0 ? (budget / available()) * 1.2 : 4;
    density = Math.min(MAX_DENSITY, density * Math.min(50, Math.max(1.3, factor)));
    built = attempt(request, density);
  }

  // Keep the newest visits that fit the budget; older history is what a record loses first.
  const budget = target - fixed();
  const chosen: Attempt['visits'] = [];
  let used = 0;
  for (let i = built.visits.length - 1; i >= 0; i--) {
    const size = built.visits[i].resources.length;
    if (used + size <= budget) {
      chosen.push(built.visits[i]);
      used += size;
    }
  }
  return assemble(built, chosen.reverse(), request, target);
}

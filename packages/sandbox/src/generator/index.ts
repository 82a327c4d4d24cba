/**
 * Deterministic synthetic FHIR R4 records for the dev sandbox, tests and
 * benchmarks. The same seed, size and `now` always give byte-identical JSON:
 * all randomness comes from a seeded mulberry32 stream, never Math.random or
 * the clock.
 *
 * ```ts
 * const cohort = generateCohort({ seed: 1, size: 'small' });
 * const bundle = toTransactionBundle(cohort[0]);
 * const bench = generatePatientRecord({ seed: 1, profile: 'bulk', targetResources: 20_000 });
 * ```
 */
import type { Bundle, BundleEntry, Patient, Resource } from '@medplum/fhirtypes';
import { PROFILE_NAMES, type ProfileName, isProfileName } from './profiles.js';
import { buildRecord } from './record.js';
import { DEFAULT_NOW } from './time.js';

export { PROFILE_NAMES, type ProfileName } from './profiles.js';
export { FHIR_ID, forEachReference } from './builder.js';

export type CohortSize = 'tiny' | 'small' | 'medium' | 'large' | 'huge';

export const COHORT_SIZES: readonly CohortSize[] = ['tiny', 'small', 'medium', 'large', 'huge'];

export interface GeneratedPatient {
  patient: Patient;
  /** Every resource of this record, including the Patient and the Practitioners, Organizations and Medications it references. */
  resources: Resource[];
  /** The clinical profile, e.g. 'infant', 'elderly-deceased', 'nka', 'adult-anaphylaxis'. */
  profile: string;
}

export interface CohortOptions {
  /** Default 1. */
  seed?: number;
  /** A named size or a number of patients. Default 'small'. */
  size?: CohortSize | number;
  /** Anchor for all dates. Default 2026-06-01T12:00:00Z, so output is reproducible. */
  now?: Date;
}

export interface PatientRecordOptions {
  seed: number;
  profile: string;
  /** Aim for this many resources (within a few percent; exact unless the profile's fixed part alone is larger). */
  targetResources?: number;
  now?: Date;
  /** Position in a cohort; names the record's ids (`p-<seed>-<index>`). Without it ids use the profile name. */
  index?: number;
}

interface CohortMember {
  profile: ProfileName;
  targetResources?: number;
}

/** One of each main profile; the rich adult first because demos pick the first patient. */
export const MAIN_PROFILES: readonly ProfileName[] = [
  'adult-anaphylaxis', 'newborn', 'infant', 'child', 'adolescent', 'adult', 'nka', 'elderly', 'elderly-deceased', 'complex',
];

/** Who a `medium` cohort adds after the main profiles. */
const SECOND_WAVE: readonly ProfileName[] = ['adult', 'child', 'elderly', 'nka', 'adolescent', 'infant', 'complex', 'adult', 'elderly', 'child'];

/** The profiles (and targets) of a cohort, in order. */
export function cohortMembers(size: CohortSize | number): ReadonlyArray<Readonly<CohortMember>> {
  if (typeof size === 'number') {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`Cohort size must be a positive integer, got ${size}`);
    const order = [...MAIN_PROFILES, ...SECOND_WAVE];
    return Array.from({ length: size }, (_, i) => ({ profile: order[i % order.length] }));
  }
  const main = MAIN_PROFILES.map((profile) => ({ profile }));
  const medium = [...main, ...SECOND_WAVE.map((profile) => ({ profile }))];
  switch (size) {
    case 'tiny':
      // Small targets keep unit tests fast; the demo patient still carries every quirk.
      return [
        { profile: 'adult-anaphylaxis', targetResources: 130 },
        { profile: 'infant', targetResources: 70 },
        { profile: 'elderly-deceased', targetResources: 90 },
      ];
    case 'small':
      return main;
    case 'medium':
      return medium;
    case 'large':
      return [...medium, { profile: 'bulk', targetResources: 5_000 }];
    case 'huge':
      return [...medium, { profile: 'bulk', targetResources: 20_000 }];
    default:
      throw new RangeError(`Unknown cohort size "${String(size)}"; use ${COHORT_SIZES.join(', ')} or a number`);
  }
}

function anchor(now: Date | undefined): number {
  if (now === undefined) return DEFAULT_NOW;
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('now is not a valid date');
  return ms;
}

export function generatePatientRecord(options: PatientRecordOptions): GeneratedPatient {
  const { seed, profile, targetResources, index } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  if (!isProfileName(profile)) throw new RangeError(`Unknown profile "${profile}"; use one of ${PROFILE_NAMES.join(', ')}`);
  if (targetResources !== undefined && (!Number.isSafeInteger(targetResources) || targetResources < 1)) {
    throw new RangeError(`targetResources must be a positive integer, got ${targetResources}`);
  }
  if (index !== undefined && (!Number.isSafeInteger(index) || index < 1)) throw new RangeError(`index must be a positive integer, got ${index}`);
  const key = index === undefined ? `${seed}-${profile}` : `${seed}-${index}`;
  const record = buildRecord({ seed, profile, key, index, now: anchor(options.now), targetResources });
  return { patient: record.patient, resources: record.resources, profile };
}

export function generateCohort(options: CohortOptions = {}): GeneratedPatient[] {
  const seed = options.seed ?? 1;
  return cohortMembers(options.size ?? 'small').map((member, i) =>
    generatePatientRecord({ seed, profile: member.profile, targetResources: member.targetResources, now: options.now, index: i + 1 }),
  );
}

/** A transaction Bundle that PUTs every resource of the record at `<Type>/<id>`, so loading it twice is harmless. */
export function toTransactionBundle(record: GeneratedPatient): Bundle {
  const entry: BundleEntry[] = record.resources.map((resource) => {
    const url = `${resource.resourceType}/${resource.id}`;
    return { fullUrl: url, resource, request: { method: 'PUT', url } };
  });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

// The timeline query: every resource type the timeline shows, searched in parallel for one
// patient, all pages, with one progress figure across types. A type that fails does not
// lose the others: its error is returned beside what did load.
import type { Resource } from '@medplum/fhirtypes';
import { FhirError } from '../source/fhir-source.js';
import type { FhirSource, SearchParams, SearchProgress, SearchResult } from '../source/fhir-source.js';
import { searchWithOptionalInclude } from './optional-include.js';
import { TIMELINE_KINDS, TIMELINE_RESOURCE_TYPES, type TimelineKind } from '../model/timeline.js';
import { US_CORE_OBSERVATION_CATEGORIES, timelineObservationCategories, type TimelineObservationSelection } from '../model/timeline-observations.js';

/** Entries asked per page. Servers cap it (the sandbox at 1,000, many at 100-200); fewer round trips either way. */
export const TIMELINE_PAGE_SIZE = 200;
/** Pages followed per type: 200 x 200 = 40,000 resources of one type before the result is marked incomplete. */
export const TIMELINE_PAGE_LIMIT = 200;

// Every MedicationRequest intent (R4 medicationrequest-intent): US Core servers require
// `intent` beside `patient` (US Core MedicationRequest, mandatory search patient+intent).
const MEDICATION_REQUEST_INTENTS = 'proposal,plan,order,original-order,reflex-order,filler-order,instance-order,option';

/** One search the timeline makes. */
export interface TimelineSearch {
  readonly resourceType: string;
  readonly kind: TimelineKind;
  readonly params: SearchParams;
}

export interface TimelineSearchOptions {
  /** Only these kinds. Default: every kind. */
  readonly kinds?: readonly TimelineKind[];
  /** Which Observations the timeline keeps: decides the categories asked for. */
  readonly observations?: TimelineObservationSelection;
  /** Only these resource types (e.g. to retry the ones that failed). */
  readonly resourceTypes?: readonly string[];
  /** `_count` of each page. Default {@link TIMELINE_PAGE_SIZE}. */
  readonly pageSize?: number;
}

/**
 * The searches for one patient's timeline, with FHIR R4 / US Core parameters that real
 * servers support: `patient` on every type (no `date`: not every type has it, and the
 * timeline wants the whole record); Observation narrowed by `category` (US Core requires
 * patient+category) to the categories the observation rule can keep; MedicationRequest
 * with every `intent` and its Medication included (`_include=MedicationRequest:medication`,
 * US Core) so a medication given by reference has a name.
 */
export function timelineSearches(patientId: string, options: TimelineSearchOptions = {}): TimelineSearch[] {
  const kinds = options.kinds ?? TIMELINE_KINDS;
  const count = Math.max(1, Math.floor(options.pageSize ?? TIMELINE_PAGE_SIZE));
  const searches: TimelineSearch[] = [];
  for (const kind of TIMELINE_KINDS) {
    if (!kinds.includes(kind)) continue;
    for (const resourceType of TIMELINE_RESOURCE_TYPES[kind]) {
      if (options.resourceTypes && !options.resourceTypes.includes(resourceType)) continue;
      const params: Record<string, string | number> = { patient: patientId, _count: count };
      if (resourceType === 'Observation') {
        // Every US Core category when any Observation may be kept: servers such as US Core's require a category.
        const categories = timelineObservationCategories(options.observations) ?? US_CORE_OBSERVATION_CATEGORIES;
        if (categories.length === 0) continue;
        params.category = categories.join(',');
      }
      if (resourceType === 'MedicationRequest') {
        params.intent = MEDICATION_REQUEST_INTENTS;
        params._include = 'MedicationRequest:medication';
      }
      searches.push({ resourceType, kind, params });
    }
  }
  return searches;
}

/** What one resource type gave. */
export interface TimelineTypeResult {
  readonly resourceType: string;
  readonly kind: TimelineKind;
  /** Matches and included resources (e.g. Medications). Empty when the search failed. */
  readonly resources: Resource[];
  /** The failure, when this type could not be loaded. */
  readonly error?: unknown;
  /** False when paging stopped early (a page limit, a refused next link): some records are missing. */
  readonly complete: boolean;
  readonly incompleteReason?: SearchResult['incompleteReason'];
  /** Matches left out because they plainly name another patient (a server that ignored `patient=`). */
  readonly otherPatientCount: number;
}

/** A timeline's data: what loaded, and which types failed. */
export interface TimelineLoad {
  readonly patientId: string;
  /** Every resource loaded, of every type that loaded. */
  readonly resources: Resource[];
  /** One entry per resource type searched, in search order. */
  readonly results: readonly TimelineTypeResult[];
  /** The types that failed (a subset of `results`, with `error`). */
  readonly failures: readonly TimelineTypeResult[];
}

export interface LoadTimelineOptions extends TimelineSearchOptions {
  readonly signal?: AbortSignal;
  /**
   * Progress across every type: resources loaded so far, and the total when every
   * type still loading has reported `Bundle.total` ("1,200 of 3,400 loaded").
   */
  readonly onProgress?: (progress: SearchProgress) => void;
  /** Pages followed per type. Default {@link TIMELINE_PAGE_LIMIT}. */
  readonly pageLimit?: number;
}

/**
 * Loads a patient's timeline: searches every type in parallel, all pages, reporting
 * aggregated progress. Resolves with per-type results when at least one type loaded;
 * rejects when the load was aborted or when every type failed (with the first error).
 */
export async function loadTimeline(source: FhirSource, patientId: string, options: LoadTimelineOptions = {}): Promise<TimelineLoad> {
  const { signal, onProgress } = options;
  const searches = timelineSearches(patientId, options);
  const progress = searches.map(() => ({ loaded: 0, total: undefined as number | undefined, pages: 0, done: false, failed: false }));

  const report = () => {
    if (!onProgress || signal?.aborted) return;
    let loaded = 0;
    let pages = 0;
    let total: number | undefined = 0;
    for (const entry of progress) {
      if (entry.failed) continue;
      loaded += entry.loaded;
      pages += entry.pages;
      if (entry.done) total = total === undefined ? undefined : total + entry.loaded;
      else total = total === undefined || entry.total === undefined ? undefined : total + Math.max(entry.total, entry.loaded);
    }
    onProgress({ loaded, total, pages });
  };

  const settled = await Promise.allSettled(
    searches.map(async (search, index) => {
      try {
        const searchOptions = {
          signal,
          pageLimit: options.pageLimit ?? TIMELINE_PAGE_LIMIT,
          onProgress: (page: SearchProgress) => {
            progress[index] = { ...progress[index]!, loaded: page.loaded, total: page.total, pages: page.pages };
            report();
          },
        };
        // An `_include` is a nicety (FHIR R4 search §3.1.1.5.4: a server may not support it):
        // a server that refuses it still gets its prescriptions read, without their Medications.
        const { _include: include, ...params } = search.params as Record<string, string | number | readonly (string | number)[] | undefined>;
        const result =
          typeof include === 'string'
            ? await searchWithOptionalInclude(source, search.resourceType, params, { _include: include }, searchOptions)
            : await source.search(search.resourceType, search.params, searchOptions);
        progress[index] = { ...progress[index]!, loaded: result.resources.length, done: true };
        report();
        return result;
      } catch (error) {
        progress[index] = { ...progress[index]!, failed: true };
        report();
        throw error;
      }
    }),
  );

  if (signal?.aborted) throw new FhirError('aborted', 'Loading the timeline was cancelled.', { cause: signal.reason });

  const results: TimelineTypeResult[] = settled.map((outcome, index) => {
    const { resourceType, kind } = searches[index]!;
    if (outcome.status === 'rejected') return { resourceType, kind, resources: [], error: outcome.reason, complete: false, otherPatientCount: 0 };
    const { included, complete, incompleteReason } = outcome.value;
    const resources = outcome.value.resources.filter((resource) => !namesAnotherPatient(resource, patientId));
    const otherPatientCount = outcome.value.resources.length - resources.length;
    return {
      resourceType,
      kind,
      resources: included.length ? [...resources, ...included] : resources,
      complete,
      ...(incompleteReason ? { incompleteReason } : {}),
      otherPatientCount,
    };
  });
  const failures = results.filter((result) => result.error !== undefined);
  if (results.length > 0 && failures.length === results.length) throw failures[0]!.error;
  return { patientId, resources: results.flatMap((result) => result.resources), results, failures };
}

/**
 * True when a resource's `subject` (or `patient`) plainly names a patient other than
 * `patientId` (relative, absolute or versioned `Patient/<id>`). Such a record is never shown
 * in this patient's timeline. A record without a parsable patient reference is kept: the
 * server matched it, and hiding part of a record is the more dangerous mistake.
 */
function namesAnotherPatient(resource: Resource, patientId: string): boolean {
  const holder = resource as { subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  const reference = holder.subject?.reference ?? holder.patient?.reference;
  if (typeof reference !== 'string') return false;
  const parts = reference.split(/[?#]/)[0]!.replace(/\/_history\/[^/]+$/, '').split('/').filter(Boolean);
  if (parts.length < 2 || parts[parts.length - 2] !== 'Patient') return false;
  const id = parts[parts.length - 1]!;
  let decoded = id;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    // a malformed escape: compare it as written
  }
  return id !== patientId && decoded !== patientId;
}

/**
 * A load with some types loaded again (a Retry of the types that failed): each type in
 * `retry` replaces that type in `base`.
 */
export function mergeTimelineLoads(base: TimelineLoad, retry: TimelineLoad): TimelineLoad {
  const replaced = new Map(retry.results.map((result) => [result.resourceType, result]));
  const results = base.results.map((result) => replaced.get(result.resourceType) ?? result);
  for (const result of retry.results) if (!base.results.some((existing) => existing.resourceType === result.resourceType)) results.push(result);
  return {
    patientId: base.patientId,
    resources: results.flatMap((result) => result.resources),
    results,
    failures: results.filter((result) => result.error !== undefined),
  };
}

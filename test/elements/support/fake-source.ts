import type { Patient, Resource } from '@medplum/fhirtypes';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import type { FhirSource, LaunchContext, ReadOptions, SearchResult } from '../../../packages/core/src/source/fhir-source.js';

export interface FakeRead {
  readonly resourceType: string;
  readonly id: string;
  readonly signal?: AbortSignal;
}

/** A promise with its resolve and reject at hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A FhirSource for element tests: holds Patients, records every read (with its signal),
 * and can fail the next reads, hold them until released, or never answer.
 */
export class FakeSource implements FhirSource {
  readonly server = { baseUrl: 'https://fhir.example.org/r4', label: 'Example Hospital' };
  readonly patientId: string | undefined;
  readonly launchContext?: LaunchContext;
  readonly reads: FakeRead[] = [];
  /** Errors for the next reads, in order. */
  readonly failures: unknown[] = [];
  /** When set, reads wait for `release()`. */
  hold = false;
  /** When set, reads never settle (a stalled server). */
  never = false;
  private readonly held: { resolve: () => void }[] = [];
  private readonly patients = new Map<string, Patient>();

  constructor(options: { patients?: Patient[]; patientId?: string; launchContext?: LaunchContext } = {}) {
    for (const patient of options.patients ?? []) this.patients.set(patient.id!, patient);
    this.patientId = options.patientId ?? options.patients?.[0]?.id;
    this.launchContext = options.launchContext;
  }

  /** Lets every held read go on. */
  release(): void {
    for (const { resolve } of this.held.splice(0)) resolve();
  }

  async read<T extends Resource = Resource>(resourceType: string, id: string, options: ReadOptions = {}): Promise<T> {
    this.reads.push({ resourceType, id, signal: options.signal });
    if (this.never) return new Promise<T>(() => {});
    if (this.hold) {
      const gate = deferred<void>();
      this.held.push(gate);
      await gate.promise;
    }
    if (options.signal?.aborted) throw new FhirError('aborted', 'The request was cancelled.');
    if (this.failures.length > 0) throw this.failures.shift();
    const patient = resourceType === 'Patient' ? this.patients.get(id) : undefined;
    if (!patient) throw new FhirError('not-found', `${resourceType}/${id} was not found.`, { status: 404 });
    return structuredClone(patient) as unknown as T;
  }

  async search<T extends Resource = Resource>(): Promise<SearchResult<T>> {
    return { resources: [], included: [], complete: true, outcomes: [] };
  }
}

/** An ISO date `years` years and `days` days before today (local), for ages that do not drift. */
export function dateYearsAgo(years: number, days = 0): string {
  const date = new Date();
  date.setFullYear(date.getFullYear() - years);
  date.setDate(date.getDate() - days);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// A fake FHIR server for cache tests, as a FhirSource: it versions what it holds (meta.versionId,
// meta.lastUpdated on its own clock), answers the search parameters the cache uses
// (patient/subject, category, status, _lastUpdated ge/gt), rejects unknown ones like a strict
// server (400), records every request, and can be told to fail or to hold its answers.
import type { Observation, Resource } from '@medplum/fhirtypes';
import { FhirError } from '../../../../packages/core/src/source/fhir-source.js';
import type { FhirSource, ReadOptions, SearchOptions, SearchParams, SearchResult } from '../../../../packages/core/src/source/fhir-source.js';
import { abortedError, errorForStatus } from '../../../../packages/core/src/source/http.js';
import { searchParamEntries } from '../../../../packages/core/src/source/paging.js';

export interface FakeCall {
  readonly method: 'read' | 'search';
  readonly resourceType: string;
  readonly id?: string;
  readonly params: URLSearchParams;
}

export interface FakeServerOptions {
  patientId?: string;
  userKey?: string;
  /** Whether requests carry credentials (a token), as OpenServerSource with a token says. */
  authenticated?: boolean;
  baseUrl?: string;
  resources?: Resource[];
}

export class FakeServerSource implements FhirSource {
  readonly server: { baseUrl: string; label: string };
  readonly patientId: string | undefined;
  readonly userKey?: string;
  readonly authenticated?: boolean;
  /** Every request, in order. */
  readonly calls: FakeCall[] = [];
  /** While set, every request fails with it (a network fault, a 500, a 401...). */
  failure?: FhirError;
  /** How the server treats `_lastUpdated`: answers it, rejects it (400), or ignores it (lenient handling). */
  lastUpdated: 'supported' | 'rejected' | 'ignored' = 'supported';
  private clock = Date.parse('2026-06-01T12:00:00.000Z');
  private holding = false;
  private held: (() => void)[] = [];
  private readonly records = new Map<string, Resource>();

  constructor(options: FakeServerOptions = {}) {
    this.server = { baseUrl: options.baseUrl ?? 'https://fhir.example.test/r4', label: 'Fake server' };
    this.patientId = options.patientId;
    this.userKey = options.userKey;
    this.authenticated = options.authenticated;
    for (const resource of options.resources ?? []) this.put(resource);
  }

  /** Creates or updates a record: a new versionId and lastUpdated, as a server does. */
  put(resource: Resource): Resource {
    const key = `${resource.resourceType}/${resource.id}`;
    const previous = this.records.get(key);
    this.clock += 1000;
    const version = previous?.meta?.versionId ? Number(previous.meta.versionId) + 1 : 1;
    const stored = { ...structuredClone(resource), meta: { versionId: String(version), lastUpdated: new Date(this.clock).toISOString() } };
    this.records.set(key, stored);
    return structuredClone(stored);
  }

  /** Deletes a record (a search no longer returns it; a read answers 410). */
  delete(resourceType: string, id: string): void {
    this.records.delete(`${resourceType}/${id}`);
  }

  /** Holds every answer until `release()`. */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const go of this.held.splice(0)) go();
  }

  /** Requests made so far of one kind. */
  count(method: 'read' | 'search', resourceType?: string): number {
    return this.calls.filter((call) => call.method === method && (!resourceType || call.resourceType === resourceType)).length;
  }

  async read<T extends Resource = Resource>(resourceType: string, id: string, options: ReadOptions = {}): Promise<T> {
    this.calls.push({ method: 'read', resourceType, id, params: new URLSearchParams() });
    await this.answerDelay(options.signal);
    const url = `${this.server.baseUrl}/${resourceType}/${id}`;
    if (this.failure) throw this.failure;
    const found = this.records.get(`${resourceType}/${id}`);
    if (!found) throw errorForStatus(404, url);
    return structuredClone(found) as T;
  }

  async search<T extends Resource = Resource>(resourceType: string, params?: SearchParams, options: SearchOptions = {}): Promise<SearchResult<T>> {
    const entries = searchParamEntries(params);
    this.calls.push({ method: 'search', resourceType, params: new URLSearchParams(entries) });
    await this.answerDelay(options.signal);
    const url = `${this.server.baseUrl}/${resourceType}?${new URLSearchParams(entries)}`;
    if (this.failure) throw this.failure;
    const filters: ((resource: Resource) => boolean)[] = [];
    for (const [name, value] of entries) {
      switch (name) {
        case 'patient':
        case 'subject':
          filters.push((r) => {
            const reference = (r as Observation).subject?.reference;
            return reference === value || reference === `Patient/${value}`;
          });
          break;
        case 'category':
          filters.push((r) => ((r as Observation).category ?? []).some((c) => (c.coding ?? []).some((coding) => coding.code === value.split('|').pop())));
          break;
        case 'status':
          filters.push((r) => value.split(',').includes(String((r as Observation).status)));
          break;
        case '_lastUpdated': {
          if (this.lastUpdated === 'rejected') throw errorForStatus(400, url);
          if (this.lastUpdated === 'ignored') break;
          const prefix = value.slice(0, 2);
          const bound = Date.parse(value.slice(2));
          if ((prefix !== 'gt' && prefix !== 'ge') || !Number.isFinite(bound)) throw errorForStatus(400, url);
          filters.push((r) => {
            const time = Date.parse(r.meta?.lastUpdated ?? '');
            return prefix === 'gt' ? time > bound : time >= bound;
          });
          break;
        }
        case '_elements':
        case '_count':
          break; // a server may send whole resources for _elements
        default:
          throw errorForStatus(400, url);
      }
    }
    const resources = [...this.records.values()].filter((r) => r.resourceType === resourceType && filters.every((filter) => filter(r)));
    options.onProgress?.({ loaded: resources.length, total: resources.length, pages: 1 });
    return { resources: structuredClone(resources) as T[], included: [], total: resources.length, complete: true, outcomes: [] };
  }

  private async answerDelay(signal: AbortSignal | undefined): Promise<void> {
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    else await Promise.resolve();
    if (signal?.aborted) throw abortedError(undefined, signal.reason);
  }
}

/** An Observation of patient `p1` (or another), with a name in its text that tests look for. */
export function observation(id: string, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }], text: 'Heart rate' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-05-01T09:30:00Z',
    valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    ...extra,
  };
}

export function networkDown(): FhirError {
  return new FhirError('network', 'The FHIR server could not be reached.');
}

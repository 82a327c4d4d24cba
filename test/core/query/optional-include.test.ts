// An `_include` that a server refuses (HTTP 400) is remembered, so later loads, each through
// a fresh wrapper of the source as elements make them, do not ask it again. The refusal is
// faked: the test's source answers any `_include` search with a 400.
import { expect } from '@open-wc/testing';
import type { Resource } from '@medplum/fhirtypes';
import { BundleSource, FhirError, loadAllergies, type FhirSource, type SearchParams, type SearchResult } from '@ehr-elements/core';

class RefusesIncludes implements FhirSource {
  private readonly inner = new BundleSource({
    resources: [
      { resourceType: 'Patient', id: 'oi-1' },
      { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/oi-1' }, code: { text: 'Peanut' } } as Resource,
    ],
  });
  readonly server = this.inner.server;
  readonly patientId = 'oi-1';
  readonly searches: string[] = [];

  read<T extends Resource>(type: string, id: string): Promise<T> {
    return this.inner.read<T>(type, id);
  }

  search<T extends Resource>(type: string, params?: SearchParams): Promise<SearchResult<T>> {
    const query = new URLSearchParams(Object.entries(params ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]])));
    this.searches.push(`${type}?${query}`);
    if (query.has('_include')) return Promise.reject(new FhirError('server', 'Unsupported _include', { status: 400 }));
    return this.inner.search<T>(type, params);
  }
}

/** What an element hands a query: a new object over the same source, passing `server` through. */
function wrapper(source: FhirSource): FhirSource {
  return {
    get server() {
      return source.server;
    },
    get patientId() {
      return source.patientId;
    },
    read: (type, id, options) => source.read(type, id, options),
    search: (type, params, options) => source.search(type, params, options),
  } as FhirSource;
}

describe('optional _include', () => {
  it('asks a server once for an _include it refused, across loads through fresh wrappers', async () => {
    const source = new RefusesIncludes();
    const first = await loadAllergies(wrapper(source), 'oi-1', { includeParticipants: true });
    const second = await loadAllergies(wrapper(source), 'oi-1', { includeParticipants: true });
    expect(first.allergies.map((a) => a.code?.text)).to.deep.equal(['Peanut']);
    expect(second.allergies.map((a) => a.code?.text)).to.deep.equal(['Peanut']);
    const withInclude = source.searches.filter((search) => search.includes('_include'));
    expect(withInclude).to.have.length(1);
    expect(source.searches).to.have.length(3); // include (refused), plain, plain
  });
});

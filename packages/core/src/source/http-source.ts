import type { Resource } from '@medplum/fhirtypes';
import type { FhirServerIdentity, FhirSource, ReadOptions, SearchOptions, SearchParams, SearchResult } from './fhir-source.js';
import { assertResourcePath, wrongTypeError } from './http.js';
import { buildSearchUrl, searchAllPages } from './paging.js';

/**
 * What every HTTP source shares: read and search over a FHIR REST base URL (FHIR R4
 * http.html: `GET [base]/[type]/[id]`, `GET [base]/[type]?params`), with paging done by the
 * one same-origin paging engine. A subclass says only how one request is made.
 */
export abstract class HttpFhirSource implements FhirSource {
  abstract readonly server: FhirServerIdentity;
  abstract readonly patientId: string | undefined;

  /** GETs one URL (already checked to be on the server's origin by the subclass) as JSON. */
  protected abstract request(url: string, signal: AbortSignal | undefined): Promise<unknown>;

  async read<T extends Resource = Resource>(resourceType: string, id: string, options: ReadOptions = {}): Promise<T> {
    assertResourcePath(resourceType, id);
    const url = `${this.server.baseUrl}/${resourceType}/${id}`;
    const resource = await this.request(url, options.signal);
    const actualType = (resource as { resourceType?: unknown }).resourceType;
    if (actualType !== resourceType) throw wrongTypeError(actualType, resourceType, url);
    return resource as T;
  }

  search<T extends Resource = Resource>(resourceType: string, params?: SearchParams, options: SearchOptions = {}): Promise<SearchResult<T>> {
    try {
      const url = buildSearchUrl(this.server.baseUrl, resourceType, params);
      return searchAllPages<T>((pageUrl, signal) => this.request(pageUrl, signal), url, this.server.baseUrl, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

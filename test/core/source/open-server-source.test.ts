import { expect } from '@open-wc/testing';
import type { Observation, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { FhirError } from '../../../packages/core/src/source/fhir-source.js';
import type { SearchProgress } from '../../../packages/core/src/source/fhir-source.js';
import { OpenServerSource, openServerSource } from '../../../packages/core/src/source/open-server-source.js';
import { buildSearchUrl, searchAllPages } from '../../../packages/core/src/source/paging.js';
import { fetchFhirJson } from '../../../packages/core/src/source/http.js';
import { capturingWarnings, fakeServer, json, observation, outcome, rejection, searchset } from './fake-fhir-server.js';
import type { Route } from './fake-fhir-server.js';

const BASE = 'https://fhir.example.test/r4';
const FOREIGN = 'https://elsewhere.example.test';

function source(route: Route, extra: { token?: string; headers?: Record<string, string> } = { token: 'secret-token' }) {
  const server = fakeServer(route);
  return { server, source: new OpenServerSource({ baseUrl: `${BASE}/`, patientId: 'p1', fetch: server.fetch, ...extra }) };
}

/** A server whose page n links to page n+1, forever, with two Observations a page. */
const endlessPages: Route = (url) => {
  const page = Number(url.searchParams.get('page') ?? '1');
  return json(searchset([observation(`o${page}a`), observation(`o${page}b`)], { next: `${BASE}/Observation?page=${page + 1}` }));
};

describe('OpenServerSource paging', () => {
  it('with a fake server that has three pages, gathers every page with the token and reports progress', async () => {
    const { server, source: s } = source((url) => {
      const page = url.searchParams.get('page');
      if (!page) return json(searchset([observation('a'), observation('b')], { total: 5, next: `${BASE}/Observation?page=2` }));
      // A relative next link is resolved under the base, as FHIR servers behind proxies send them.
      if (page === '2') return json(searchset([observation('c'), observation('d')], { total: 5, next: 'Observation?page=3' }));
      return json(searchset([observation('e')], { total: 5 }));
    });
    const progress: SearchProgress[] = [];
    const result = await s.search('Observation', { patient: 'p1', category: 'laboratory' }, { onProgress: (p) => progress.push(p) });

    expect(result.resources.map((r) => r.id)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(result.total).to.equal(5);
    expect(result.complete).to.equal(true);
    expect(result.incompleteReason).to.equal(undefined);
    expect(server.requests.map((r) => r.url)).to.deep.equal([
      `${BASE}/Observation?patient=p1&category=laboratory`,
      `${BASE}/Observation?page=2`,
      `${BASE}/Observation?page=3`,
    ]);
    for (const request of server.requests) {
      expect(request.headers.get('Authorization')).to.equal('Bearer secret-token');
      expect(request.headers.get('Accept')).to.equal('application/fhir+json');
    }
    expect(progress).to.deep.equal([
      { loaded: 2, total: 5, pages: 1 },
      { loaded: 4, total: 5, pages: 2 },
      { loaded: 5, total: 5, pages: 3 },
    ]);
  });

  it('with a fake server that repeats entries across pages, keeps each resource once', async () => {
    const { source: s } = source((url) =>
      url.searchParams.get('page')
        ? json(searchset([observation('b'), observation('c')], { include: [{ resourceType: 'Patient', id: 'p1' }] }))
        : json(searchset([observation('a'), observation('b')], { next: `${BASE}/Observation?page=2`, include: [{ resourceType: 'Patient', id: 'p1' }] })),
    );
    const result = await s.search('Observation');
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a', 'b', 'c']);
    expect(result.included.map((r) => `${r.resourceType}/${r.id}`)).to.deep.equal(['Patient/p1']);
  });

  it('with a fake server that sends includes and OperationOutcome entries, keeps them apart from matches', async () => {
    const warning = outcome('Results were truncated to 1000 entries');
    const { source: s } = source(() =>
      json(searchset([{ resourceType: 'MedicationRequest', id: 'm1' } as Resource], { include: [{ resourceType: 'Medication', id: 'med1' } as Resource], outcomes: [warning] })),
    );
    const result = await s.search('MedicationRequest', { _include: 'MedicationRequest:medication' });
    expect(result.resources.map((r) => r.id)).to.deep.equal(['m1']);
    expect(result.included.map((r) => r.id)).to.deep.equal(['med1']);
    expect(result.outcomes).to.deep.equal([warning]);
  });

  it('with a fake server that reports an error OperationOutcome beside its matches, marks the answer incomplete (server-outcome)', async () => {
    const refused = outcome('Sensitive allergy records were withheld');
    const { source: s } = source(() => json(searchset([{ resourceType: 'AllergyIntolerance', id: 'a1' } as Resource], { outcomes: [refused] })));
    const result = await s.search('AllergyIntolerance', { patient: 'p1' });
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a1']);
    expect(result.complete).to.equal(false);
    expect(result.incompleteReason).to.equal('server-outcome');
    expect(result.outcomes).to.deep.equal([refused]);
  });

  it('with a fake server that sends only warning and information outcomes, the answer stays complete', async () => {
    const notes: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'warning', code: 'informational', diagnostics: 'Some results were filtered' },
        { severity: 'information', code: 'informational', diagnostics: 'No more results' },
      ],
    };
    const { source: s } = source(() => json(searchset([], { outcomes: [notes] })));
    const result = await s.search('AllergyIntolerance', { patient: 'p1' });
    expect(result.complete).to.equal(true);
    expect(result.incompleteReason).to.equal(undefined);
  });

  it('with a fake server whose next link leaves the base path on the same origin (another tenant), stops there and never sends it the token', async () => {
    const { server, source: s } = source((url) => {
      if (url.pathname.startsWith('/tenant-b/')) return json(searchset([observation('other-tenant')]));
      return json(searchset([observation('a')], { next: 'https://fhir.example.test/tenant-b/Observation?page=2' }));
    });
    const { result } = await capturingWarnings(() => s.search('Observation'));
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a']);
    expect(result.incompleteReason).to.equal('foreign-next-link');
    expect(server.requests.map((request) => new URL(request.url).pathname)).to.deep.equal(['/r4/Observation']);
  });

  it("keeps the first page's Bundle.meta.lastUpdated as the answer's server time", async () => {
    const { source: s } = source(() => json({ ...searchset([observation('a')]), meta: { lastUpdated: '2026-06-01T09:00:00.000Z' } }));
    expect((await s.search('Observation')).serverTime).to.equal('2026-06-01T09:00:00.000Z');
  });

  it('refuses to send a token over plain http, except to this machine', () => {
    expect(() => new OpenServerSource({ baseUrl: 'http://fhir.example.test/r4', token: 'secret-token' })).to.throw(/https/);
    expect(new OpenServerSource({ baseUrl: 'http://127.0.0.1:8080/fhir', token: 'secret-token' }).authenticated).to.equal(true);
    expect(new OpenServerSource({ baseUrl: 'http://localhost:8080/fhir', token: 'secret-token' }).authenticated).to.equal(true);
    expect(new OpenServerSource({ baseUrl: 'http://fhir.example.test/r4' }).authenticated).to.equal(false);
  });

  it('with a fake server whose next link points to another origin, stops there and never sends it the token', async () => {
    const { server, source: s } = source((url) => {
      if (url.origin === FOREIGN) return json(searchset([observation('stolen')]));
      return json(searchset([observation('a')], { next: `${FOREIGN}/r4/Observation?page=2` }));
    });
    const { result, warnings } = await capturingWarnings(() => s.search('Observation'));

    expect(result.resources.map((r) => r.id)).to.deep.equal(['a']);
    expect(result.complete).to.equal(false);
    expect(result.incompleteReason).to.equal('foreign-next-link');
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain(FOREIGN);
    expect(server.requests.every((r) => new URL(r.url).origin === new URL(BASE).origin)).to.equal(true);
    expect(server.requests).to.have.length(1);
  });

  it('with a fake server whose next link is http on the same host (a TLS-terminating proxy), does not follow it', async () => {
    const { server, source: s } = source(() => json(searchset([observation('a')], { next: 'http://fhir.example.test/r4/Observation?page=2' })));
    const { result } = await capturingWarnings(() => s.search('Observation'));
    expect(result.incompleteReason).to.equal('foreign-next-link');
    expect(server.requests).to.have.length(1);
  });

  it('with a fake server that links a page back to an earlier one, stops instead of looping', async () => {
    const { server, source: s } = source((url) =>
      url.searchParams.get('page') === '2'
        ? json(searchset([observation('b')], { next: `${BASE}/Observation?page=1` }))
        : json(searchset([observation('a')], { next: `${BASE}/Observation?page=2` })),
    );
    const result = await s.search('Observation', { page: 1 });
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a', 'b']);
    expect(result.complete).to.equal(false);
    expect(result.incompleteReason).to.equal('repeated-next-link');
    expect(server.requests).to.have.length(2);
  });

  it('with a fake server that never stops paging, fetches pageLimit pages', async () => {
    const { server, source: s } = source(endlessPages);
    const result = await s.search('Observation', undefined, { pageLimit: 3 });
    expect(server.requests).to.have.length(3);
    expect(result.resources).to.have.length(6);
    expect(result.complete).to.equal(false);
    expect(result.incompleteReason).to.equal('page-limit');
  });

  it('with a fake server that never stops paging, stops after 100 pages by default', async () => {
    const { server, source: s } = source(endlessPages);
    const result = await s.search('Observation');
    expect(server.requests).to.have.length(100);
    expect(result.incompleteReason).to.equal('page-limit');
  });

  it('with a fake server that has more than the limit, stops once the limit is held', async () => {
    const { server, source: s } = source(endlessPages);
    const result = await s.search('Observation', undefined, { limit: 3 });
    expect(result.resources.map((r) => r.id)).to.deep.equal(['o1a', 'o1b', 'o2a']);
    expect(result.complete).to.equal(false);
    expect(result.incompleteReason).to.equal('limit');
    expect(server.requests).to.have.length(2);
  });

  it('with a fake server that hangs on the second page, rejects as aborted when the signal fires mid-page', async () => {
    const controller = new AbortController();
    const { server, source: s } = source((url) =>
      url.searchParams.get('page')
        ? new Promise<Response>(() => {}) // never answers, and ignores the signal
        : json(searchset([observation('a')], { next: `${BASE}/Observation?page=2` })),
    );
    const pending = s.search('Observation', undefined, {
      signal: controller.signal,
      onProgress: () => setTimeout(() => controller.abort(), 20),
    });
    const error = await rejection(pending);
    expect(error).to.be.instanceOf(FhirError);
    expect((error as FhirError).kind).to.equal('aborted');
    expect(server.requests).to.have.length(2);
  });

  it('with a fake server that has two pages, requests no further page once aborted between pages', async () => {
    const controller = new AbortController();
    const { server, source: s } = source(endlessPages);
    const error = await rejection(s.search('Observation', undefined, { signal: controller.signal, onProgress: () => controller.abort() }));
    expect((error as FhirError).kind).to.equal('aborted');
    expect(server.requests).to.have.length(1);
  });

  it('with an already aborted signal, sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const { server, source: s } = source(endlessPages);
    expect(((await rejection(s.search('Observation', undefined, { signal: controller.signal }))) as FhirError).kind).to.equal('aborted');
    expect(((await rejection(s.read('Patient', 'p1', { signal: controller.signal }))) as FhirError).kind).to.equal('aborted');
    expect(server.requests).to.have.length(0);
  });

  it('with a fake server that answers a search with a Patient, rejects as invalid-response', async () => {
    const { source: s } = source(() => json({ resourceType: 'Patient', id: 'p1' }));
    const error = (await rejection(s.search('Observation'))) as FhirError;
    expect(error.kind).to.equal('invalid-response');
    expect(error.message).to.contain('not a Bundle');
  });
});

describe('OpenServerSource errors', () => {
  const cases: [number, FhirError['kind'], string][] = [
    [401, 'unauthorized', 'Your session has expired or is not authorised (401).'],
    [403, 'forbidden', 'You do not have permission to see this information (403).'],
    [404, 'not-found', 'The record was not found on the FHIR server (404).'],
    [410, 'not-found', 'The record has been deleted from the FHIR server (410).'],
    [400, 'server', 'The FHIR server could not process the request (400).'],
    [500, 'server', 'The FHIR server reported an error (500).'],
  ];
  for (const [status, kind, message] of cases) {
    it(`with a fake server that answers ${status}, rejects with kind ${kind} and a plain message`, async () => {
      const { source: s } = source(() => new Response('', { status }));
      const error = (await rejection(s.read('Patient', 'p1'))) as FhirError;
      expect(error).to.be.instanceOf(FhirError);
      expect(error.kind).to.equal(kind);
      expect(error.status).to.equal(status);
      expect(error.message).to.equal(message);
      expect(error.url).to.equal(`${BASE}/Patient/p1`);
    });
  }

  it('with a fake server that explains a 500 in an OperationOutcome, quotes its diagnostics', async () => {
    const body = outcome('Database connection pool exhausted');
    const { source: s } = source(() => json(body, 500));
    const error = (await rejection(s.search('Observation'))) as FhirError;
    expect(error.kind).to.equal('server');
    expect(error.message).to.equal('The FHIR server reported an error (500). The server said: Database connection pool exhausted');
    expect(error.outcome).to.deep.equal(body);
  });

  it('with a fake server whose OperationOutcome has only details.text, quotes that', async () => {
    const { source: s } = source(() => json(outcome(undefined, 'Unknown search parameter "foo"'), 400));
    const error = (await rejection(s.search('Observation', { foo: 'x' }))) as FhirError;
    expect(error.message).to.equal('The FHIR server could not process the request (400). The server said: Unknown search parameter "foo"');
  });

  it('with a fake server that cannot be reached, rejects with kind network', async () => {
    const { source: s } = source(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = (await rejection(s.read('Patient', 'p1'))) as FhirError;
    expect(error.kind).to.equal('network');
    expect(error.message).to.equal('The FHIR server could not be reached.');
    expect(error.status).to.equal(undefined);
  });

  it('with the real fetch and a port nothing listens on, rejects with kind network', async () => {
    const s = new OpenServerSource({ baseUrl: 'http://127.0.0.1:9/fhir' });
    const error = (await rejection(s.read('Patient', 'p1'))) as FhirError;
    expect(error.kind).to.equal('network');
  });

  it('with a fake server that answers HTML (a login page), rejects with kind invalid-response', async () => {
    const { source: s } = source(() => new Response('<html>Sign in</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const error = (await rejection(s.read('Patient', 'p1'))) as FhirError;
    expect(error.kind).to.equal('invalid-response');
    expect(error.message).to.equal('The FHIR server sent a response that is not FHIR JSON.');
  });

  it('with a fake server that answers a read with another resource type, rejects with kind invalid-response', async () => {
    const { source: s } = source(() => json(searchset([])));
    const error = (await rejection(s.read('Patient', 'p1'))) as FhirError;
    expect(error.kind).to.equal('invalid-response');
    expect(error.message).to.equal('The FHIR server sent a Bundle when asked for a Patient.');
  });

  it('refuses an id that would change the request path, without sending anything', async () => {
    const { server, source: s } = source(() => json({ resourceType: 'Patient', id: 'x' }));
    const error = (await rejection(s.read('Patient', '../../admin'))) as FhirError;
    expect(error).to.be.instanceOf(FhirError);
    expect(server.requests).to.have.length(0);
  });
});

describe('OpenServerSource', () => {
  it('with a fake server, reads a resource with the token and the extra headers', async () => {
    const { server, source: s } = source(() => json({ resourceType: 'Patient', id: 'p1', gender: 'female' }), {
      token: 't0k3n',
      headers: { 'X-Tenant': 'north' },
    });
    const patient = await s.read('Patient', 'p1');
    expect(patient).to.deep.equal({ resourceType: 'Patient', id: 'p1', gender: 'female' });
    expect(server.requests[0].url).to.equal(`${BASE}/Patient/p1`);
    expect(server.requests[0].headers.get('Authorization')).to.equal('Bearer t0k3n');
    expect(server.requests[0].headers.get('X-Tenant')).to.equal('north');
  });

  it('with a fake server and no token, sends no Authorization header', async () => {
    const { server, source: s } = source(() => json({ resourceType: 'Patient', id: 'p1' }), {});
    await s.read('Patient', 'p1');
    expect(server.requests[0].headers.has('Authorization')).to.equal(false);
  });

  it('describes its server and patient', () => {
    const s = openServerSource({ baseUrl: 'https://ehr.example.org/fhir///', patientId: '42', label: 'Example EHR', userKey: 'u1' });
    expect(s).to.be.instanceOf(OpenServerSource);
    expect(s.server).to.deep.equal({ baseUrl: 'https://ehr.example.org/fhir', label: 'Example EHR' });
    expect(s.patientId).to.equal('42');
    expect(s.userKey).to.equal('u1');
    expect(new OpenServerSource({ baseUrl: 'https://ehr.example.org/fhir' }).server.label).to.equal('ehr.example.org');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new OpenServerSource({ baseUrl: 'javascript:alert(1)' })).to.throw(TypeError);
    expect(() => new OpenServerSource({ baseUrl: 'fhir/r4' })).to.throw(TypeError);
  });
});

describe('buildSearchUrl', () => {
  it('repeats array values, skips undefined and keeps URLSearchParams as they are', () => {
    expect(buildSearchUrl(`${BASE}/`, 'Observation', { patient: 'p1', date: ['ge2020-01-01', 'le2020-12-31'], code: undefined, _count: 50 })).to.equal(
      `${BASE}/Observation?patient=p1&date=ge2020-01-01&date=le2020-12-31&_count=50`,
    );
    expect(buildSearchUrl(BASE, 'Condition', new URLSearchParams([['code', 'http://snomed.info/sct|44054006'], ['code', 'x']]))).to.equal(
      `${BASE}/Condition?code=http%3A%2F%2Fsnomed.info%2Fsct%7C44054006&code=x`,
    );
    expect(buildSearchUrl(BASE, 'Patient')).to.equal(`${BASE}/Patient`);
  });

  it('refuses a resource type that is not one', () => {
    expect(() => buildSearchUrl(BASE, '../Patient', {})).to.throw(FhirError);
  });
});

describe('searchAllPages', () => {
  it('refuses a first URL on another origin than the base', async () => {
    let calls = 0;
    const fetchJson = async () => {
      calls += 1;
      return searchset([]);
    };
    const error = (await rejection(searchAllPages(fetchJson, `${FOREIGN}/Observation`, BASE))) as FhirError;
    expect(error).to.be.instanceOf(FhirError);
    expect(calls).to.equal(0);
  });

  it('keeps entries without a search mode as matches and counts OperationOutcomes without one as outcomes', async () => {
    const page = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: observation('a') }, { resource: outcome('Partial results') }, { fullUrl: 'x' }],
    };
    const result = await searchAllPages<Observation>(async () => page, `${BASE}/Observation`, BASE);
    expect(result.resources.map((r) => r.id)).to.deep.equal(['a']);
    expect(result.outcomes).to.have.length(1);
  });
});

describe('fetchFhirJson', () => {
  it('asks for FHIR JSON and returns the parsed body', async () => {
    const server = fakeServer(() => json({ resourceType: 'Patient', id: 'p1' }));
    const body = await fetchFhirJson(`${BASE}/Patient/p1`, { headers: { Accept: 'text/html' } }, server.fetch);
    expect(body).to.deep.equal({ resourceType: 'Patient', id: 'p1' });
    expect(server.requests[0].headers.get('Accept')).to.equal('application/fhir+json');
  });

  it('reports an aborted fetch as aborted, not as a network failure', async () => {
    const controller = new AbortController();
    const server = fakeServer(
      (_url, _request, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        }),
    );
    const pending = fetchFhirJson(`${BASE}/Patient/p1`, { signal: controller.signal }, server.fetch);
    controller.abort();
    expect(((await rejection(pending)) as FhirError).kind).to.equal('aborted');
  });
});

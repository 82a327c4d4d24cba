// The sandbox FHIR R4 server (Medplum engine + indexed search), driven over real HTTP with
// fetch the way an app would. Hand-written resources cover every behaviour; the third-party
// corpus (Synthea bundles, US Core examples) checks the same behaviours on data we did not write.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, BundleEntry, CapabilityStatement, Observation, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { createFhirServer, type FhirServer } from '../../packages/sandbox/src/fhir/index.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = process.env.FHIR_CORPUS ?? resolve(REPO_ROOT, '../shared/fhir-corpus');
const HAS_CORPUS = existsSync(join(CORPUS, 'synthea')) && existsSync(join(CORPUS, 'us-core-3.0.0'));
const NO_CORPUS = 'fhir-corpus not present';

const VITAL_SIGNS = 'http://terminology.hl7.org/CodeSystem/observation-category';

// ---- hand-written record ------------------------------------------------------------------

function vital(id: string, patient: string, date: string, code: string, value: number): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: VITAL_SIGNS, code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code, display: code === '8867-4' ? 'Heart rate' : 'Body weight' }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: date,
    valueQuantity: { value, unit: code === '8867-4' ? '/min' : 'kg', system: 'http://unitsofmeasure.org' },
    performer: [{ reference: 'Practitioner/pr-1' }],
  };
}

// Ten vital signs for patient A: heart rate (8867-4) and weight (29463-7) on days in 2020-2022.
// Two share 2021-06-01T08:00:00Z so that multi-key sort has a tie to break.
const A_VITALS: Observation[] = [
  vital('a-hr-1', 'hw-a', '2020-01-15T09:00:00Z', '8867-4', 72),
  vital('a-wt-1', 'hw-a', '2020-01-15T09:05:00Z', '29463-7', 80.1),
  vital('a-hr-2', 'hw-a', '2020-07-01T10:00:00+02:00', '8867-4', 75),
  vital('a-wt-2', 'hw-a', '2021-06-01T08:00:00Z', '29463-7', 79.4),
  vital('a-hr-3', 'hw-a', '2021-06-01T08:00:00Z', '8867-4', 68),
  vital('a-wt-3', 'hw-a', '2021-12-31', '29463-7', 78),
  vital('a-hr-4', 'hw-a', '2022-02', '8867-4', 70),
  vital('a-wt-4', 'hw-a', '2022-03-10T12:00:00Z', '29463-7', 77.2),
  vital('a-hr-5', 'hw-a', '2022-03-11T12:00:00Z', '8867-4', 66),
  vital('a-wt-5', 'hw-a', '2022-11-30T23:59:59Z', '29463-7', 76),
];

const HAND_WRITTEN: Array<Resource | Bundle> = [
  {
    resourceType: 'Patient',
    id: 'hw-a',
    name: [{ use: 'official', given: ['Amara'], family: 'Okafor' }],
    birthDate: '1984-03-02',
    gender: 'female',
  },
  {
    resourceType: 'Patient',
    id: 'hw-b',
    name: [{ given: ['Bruno'], family: 'Díaz' }],
    birthDate: '1950-10-10',
    gender: 'male',
  },
  { resourceType: 'Practitioner', id: 'pr-1', name: [{ given: ['Rita'], family: 'Levi' }] },
  {
    resourceType: 'Medication',
    id: 'med-1',
    code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }] },
  },
  ...A_VITALS,
  {
    resourceType: 'Observation',
    id: 'a-lab-1',
    status: 'final',
    category: [{ coding: [{ system: VITAL_SIGNS, code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }], text: 'Glucose' },
    subject: { reference: 'Patient/hw-a' },
    effectivePeriod: { start: '2021-03-01T08:00:00Z', end: '2021-03-02T08:00:00Z' },
  },
  vital('b-hr-1', 'hw-b', '2021-01-01T00:00:00Z', '8867-4', 90),
  {
    resourceType: 'Condition',
    id: 'a-cond-active',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { text: 'Hypertension' },
    subject: { reference: 'Patient/hw-a' },
  },
  {
    resourceType: 'Condition',
    id: 'a-cond-resolved',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
    code: { text: 'Sprained ankle' },
    subject: { reference: 'Patient/hw-a' },
  },
  {
    resourceType: 'MedicationRequest',
    id: 'a-mr-1',
    status: 'active',
    intent: 'order',
    medicationReference: { reference: 'Medication/med-1' },
    subject: { reference: 'Patient/hw-a' },
    requester: { reference: 'Practitioner/pr-1' },
  },
  // A Synthea-style transaction: urn:uuid fullUrls and references, ids in the resources.
  {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:0f6d5d9e-3e0b-4d6a-9d63-1c1c3f0d2a11',
        resource: {
          resourceType: 'Patient',
          id: '0f6d5d9e-3e0b-4d6a-9d63-1c1c3f0d2a11',
          name: [{ given: ['Cleo'], family: 'Urn' }],
        },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: 'urn:uuid:9a1b2c3d-0000-4000-8000-000000000001',
        resource: {
          resourceType: 'Encounter',
          id: '9a1b2c3d-0000-4000-8000-000000000001',
          status: 'finished',
          class: { code: 'AMB' },
          subject: { reference: 'urn:uuid:0f6d5d9e-3e0b-4d6a-9d63-1c1c3f0d2a11' },
          period: { start: '2019-05-01T10:00:00Z', end: '2019-05-03T10:00:00Z' },
        },
        request: { method: 'POST', url: 'Encounter' },
      },
    ],
  } as Bundle,
];

// ---- servers -------------------------------------------------------------------------------

interface Running {
  fhir: FhirServer;
  http: Server;
  base: string;
}

const TOKENS: Record<string, { patient?: string; scopes: string[] }> = {
  'token-a': { patient: 'hw-a', scopes: ['launch/patient', 'patient/*.rs'] },
  'token-a-obs': { patient: 'hw-a', scopes: ['patient/Observation.read'] },
  'token-user': { scopes: ['user/*.read'] },
};

function authorize(req: IncomingMessage) {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  return (token && TOKENS[token]) || null;
}

async function start(options: {
  authorize?: typeof authorize;
  corpus: boolean;
}): Promise<Running & { timings: Record<string, number> }> {
  const http = createServer();
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const fhir = await createFhirServer({ baseUrl: base, authorize: options.authorize });
  timings.create = performance.now() - t;
  await fhir.load(HAND_WRITTEN);
  if (options.corpus) {
    t = performance.now();
    timings.synthea = await fhir.loadFolder(join(CORPUS, 'synthea'));
    timings.usCore = await fhir.loadFolder(join(CORPUS, 'us-core-3.0.0'));
    timings.corpusLoad = performance.now() - t;
  }
  http.on('request', (req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/fhir')) return void res.writeHead(404).end();
    fhir.handle(req, res, url.slice('/fhir'.length)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  return { fhir, http, base, timings };
}

let open: Running & { timings: Record<string, number> };
let secured: Running;

before(async () => {
  open = await start({ corpus: HAS_CORPUS });
  secured = await start({ authorize, corpus: false });
});

after(async () => {
  for (const running of [open, secured]) {
    running?.http.closeAllConnections();
    await new Promise<void>((done) => running?.http.close(() => done()));
  }
});

async function get<T = Bundle>(
  running: Running,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T; headers: Headers; ms: number }> {
  const started = performance.now();
  const url = path.startsWith('http') ? path : `${running.base}${path}`;
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as T) : (undefined as T),
    headers: response.headers,
    ms: performance.now() - started,
  };
}

function ids(bundle: Bundle, mode: 'match' | 'include' = 'match'): string[] {
  return (bundle.entry ?? [])
    .filter((e) => e.search?.mode === mode)
    .map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
}

function link(bundle: Bundle, relation: string): string | undefined {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}

/** Follows `next` links from a first page; returns every entry and the number of pages. */
async function followPages(
  running: Running,
  first: string,
): Promise<{ entries: BundleEntry[]; pages: number; total?: number; ms: number }> {
  const started = performance.now();
  const entries: BundleEntry[] = [];
  let url: string | undefined = first;
  let pages = 0;
  let total: number | undefined;
  while (url) {
    const { status, body }: { status: number; body: Bundle } = await get<Bundle>(running, url);
    assert.equal(status, 200, url);
    total ??= body.total;
    assert.equal(body.total, total, 'total is the same on every page');
    entries.push(...(body.entry ?? []));
    pages++;
    assert.ok(pages < 500, 'paging terminates');
    url = link(body, 'next');
    if (url) assert.ok(url.startsWith(`${running.base}/`), `next link is absolute under the base URL: ${url}`);
  }
  return { entries, pages, total, ms: performance.now() - started };
}

function effective(resource: Resource | undefined): string {
  const observation = resource as Observation;
  return observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? '';
}

// ---- hand-written data --------------------------------------------------------------------

describe('FHIR server: capability and reads', () => {
  test('GET /metadata is a CapabilityStatement for FHIR 4.0.1 in JSON, with search parameters per type', async () => {
    const { status, body, headers } = await get<CapabilityStatement>(open, '/metadata');
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/fhir\+json; charset=utf-8$/);
    assert.equal(body.resourceType, 'CapabilityStatement');
    assert.equal(body.fhirVersion, '4.0.1');
    assert.ok(body.format?.includes('json'));
    const rest = body.rest?.[0];
    assert.equal(rest?.mode, 'server');
    const observation = rest?.resource?.find((r) => r.type === 'Observation');
    const params = observation?.searchParam?.map((p) => p.name) ?? [];
    for (const name of ['patient', 'subject', 'category', 'code', 'date', 'status', '_id', '_lastUpdated']) {
      assert.ok(params.includes(name), `Observation search parameter ${name}`);
    }
    assert.ok(observation?.searchInclude?.includes('Observation:performer'));
    assert.ok(rest?.resource?.some((r) => r.type === 'MedicationRequest'));
    assert.equal(rest?.security?.service, undefined, 'no SMART service without authorize');
  });

  test('with authorize, /metadata is public and names the SMART-on-FHIR security service', async () => {
    const { status, body } = await get<CapabilityStatement>(secured, '/metadata');
    assert.equal(status, 200);
    const coding = body.rest?.[0]?.security?.service?.[0]?.coding?.[0];
    assert.equal(coding?.system, 'http://terminology.hl7.org/CodeSystem/restful-security-service');
    assert.equal(coding?.code, 'SMART-on-FHIR');
  });

  test('read returns the resource with ETag and Last-Modified; If-None-Match gives 304', async () => {
    const { status, body, headers } = await get<Resource>(open, '/Patient/hw-a');
    assert.equal(status, 200);
    assert.equal(body.resourceType, 'Patient');
    assert.equal(body.id, 'hw-a');
    assert.equal(headers.get('access-control-allow-origin'), '*');
    const etag = headers.get('etag');
    assert.match(etag ?? '', /^W\/".+"$/);
    assert.ok(headers.get('last-modified'));
    const again = await fetch(`${open.base}/Patient/hw-a`, { headers: { 'If-None-Match': etag as string } });
    assert.equal(again.status, 304);
    const vread = await get<Resource>(open, `/Patient/hw-a/_history/${body.meta?.versionId}`);
    assert.equal(vread.status, 200);
    assert.equal(vread.body.id, 'hw-a');
  });

  test('read of a missing resource is 404 with an OperationOutcome; so is an unknown type', async () => {
    const missing = await get<OperationOutcome>(open, '/Patient/does-not-exist');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.resourceType, 'OperationOutcome');
    assert.equal(missing.body.issue?.[0]?.code, 'not-found');
    assert.match(missing.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const unknown = await get<OperationOutcome>(open, '/Spaceship/1');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.resourceType, 'OperationOutcome');
  });

  test('writes are refused with 405 (read-only sandbox); OPTIONS answers the CORS preflight', async () => {
    const post = await get<OperationOutcome>(open, '/Observation', {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }),
    });
    assert.equal(post.status, 405);
    assert.equal(post.body.resourceType, 'OperationOutcome');
    assert.ok(post.headers.get('allow'));
    const del = await get<OperationOutcome>(open, '/Patient/hw-a', { method: 'DELETE' });
    assert.equal(del.status, 405);
    assert.equal((await get(open, '/Patient/hw-a')).status, 200, 'still there');

    const preflight = await fetch(`${open.base}/Observation?patient=hw-a`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['authorization', 'content-type', 'accept']) assert.ok(allowed.includes(header), header);
  });

  test('urn:uuid references in a transaction Bundle are rewritten to Type/id', async () => {
    const encounter = '/Encounter/9a1b2c3d-0000-4000-8000-000000000001';
    const { body } = await get<Resource & { subject?: { reference?: string } }>(open, encounter);
    assert.equal(body.subject?.reference, 'Patient/0f6d5d9e-3e0b-4d6a-9d63-1c1c3f0d2a11');
    const search = await get(open, '/Encounter?patient=0f6d5d9e-3e0b-4d6a-9d63-1c1c3f0d2a11');
    assert.deepEqual(ids(search.body), ['Encounter/9a1b2c3d-0000-4000-8000-000000000001']);
  });

  test('listPatients gives id, name, birthDate, gender and compartment size', () => {
    const a = open.fhir.listPatients().find((p) => p.id === 'hw-a');
    assert.deepEqual(a, { id: 'hw-a', name: 'Amara Okafor', birthDate: '1984-03-02', gender: 'female', resourceCount: 14 });
  });
});

describe('FHIR server: search semantics', () => {
  test('patient=<bare id>, patient=Patient/<id> and subject=... find the same resources', async () => {
    const bare = await get(open, '/Observation?patient=hw-a&_count=100');
    const typed = await get(open, '/Observation?patient=Patient/hw-a&_count=100');
    const subject = await get(open, '/Observation?subject=hw-a&_count=100');
    const subjectTyped = await get(open, '/Observation?subject:Patient=hw-a&_count=100');
    assert.equal(bare.body.total, 11);
    assert.deepEqual(ids(typed.body), ids(bare.body));
    assert.deepEqual(ids(subject.body), ids(bare.body));
    assert.deepEqual(ids(subjectTyped.body), ids(bare.body));
    assert.equal(bare.body.type, 'searchset');
    assert.equal(bare.body.entry?.[0]?.fullUrl, `${open.base}/${ids(bare.body)[0]}`);
  });

  test('token search with and without system, comma as OR, clinical-status and status', async () => {
    const noSystem = await get(open, '/Observation?patient=hw-a&category=vital-signs');
    const token = encodeURIComponent(`${VITAL_SIGNS}|vital-signs`);
    const withSystem = await get(open, `/Observation?patient=hw-a&category=${token}`);
    const wrongSystem = await get(open, '/Observation?patient=hw-a&category=http://example.org|vital-signs');
    assert.equal(noSystem.body.total, 10);
    assert.deepEqual(ids(withSystem.body), ids(noSystem.body));
    assert.equal(wrongSystem.body.total, 0);
    const either = await get(open, '/Observation?patient=hw-a&code=8867-4,2345-7');
    assert.equal(either.body.total, 6);
    const display = await get(open, '/Observation?patient=hw-a&code=Heart%20rate');
    assert.equal(display.body.total, 0, 'a display text is not a code');
    const text = await get(open, '/Observation?patient=hw-a&code:text=heart');
    assert.equal(text.body.total, 5);
    const active = await get(open, '/Condition?patient=hw-a&clinical-status=active');
    assert.deepEqual(ids(active.body), ['Condition/a-cond-active']);
    const notActive = await get(open, '/Condition?patient=hw-a&clinical-status:not=active');
    assert.deepEqual(ids(notActive.body), ['Condition/a-cond-resolved']);
    const final = await get(open, '/Observation?patient=hw-b&status=final');
    assert.deepEqual(ids(final.body), ['Observation/b-hr-1']);
  });

  test('date ge/le/gt/lt/eq on partial dates, repeated for a range, and on a Period', async () => {
    const range = await get(open, '/Observation?patient=hw-a&category=vital-signs&date=ge2021&date=le2021-12');
    assert.deepEqual(ids(range.body).sort(), ['Observation/a-hr-3', 'Observation/a-wt-2', 'Observation/a-wt-3']);
    const gt = await get(open, '/Observation?patient=hw-a&category=vital-signs&date=gt2022-03-10');
    assert.deepEqual(ids(gt.body).sort(), ['Observation/a-hr-5', 'Observation/a-wt-5']);
    const lt = await get(open, '/Observation?patient=hw-a&category=vital-signs&date=lt2020-07-01');
    // 2020-07-01T10:00+02:00 is 08:00Z on 2020-07-01, not before that day.
    assert.deepEqual(ids(lt.body).sort(), ['Observation/a-hr-1', 'Observation/a-wt-1']);
    const day = await get(open, '/Observation?patient=hw-a&date=2021-06-01');
    assert.deepEqual(ids(day.body).sort(), ['Observation/a-hr-3', 'Observation/a-wt-2']);
    // eq on a month-precision value: the search range must contain the whole month.
    const month = await get(open, '/Observation?patient=hw-a&date=eq2022-02');
    assert.deepEqual(ids(month.body), ['Observation/a-hr-4']);
    const insideMonth = await get(open, '/Observation?patient=hw-a&date=2022-02-10');
    assert.equal(insideMonth.body.total, 0, '2022-02 is not contained in one day of it');
    // effectivePeriod 2021-03-01T08:00Z..2021-03-02T08:00Z. R4 search.html#prefix: ge matches when
    // the range above the search value overlaps the target, le when the range below does.
    const period = await get(open, '/Observation?patient=hw-a&category=laboratory&date=ge2021-03-01&date=le2021-03-02');
    assert.deepEqual(ids(period.body), ['Observation/a-lab-1']);
    const periodAfter = await get(open, '/Observation?patient=hw-a&category=laboratory&date=ge2021-03-03');
    assert.equal(periodAfter.body.total, 0);
    const after = await get(open, '/Observation?patient=hw-a&category=laboratory&date=sa2021-03-02');
    assert.equal(after.body.total, 0);
    const encounter = await get(open, '/Encounter?date=ge2019-05-02&date=le2019-05-02');
    assert.equal(encounter.body.total, 1, 'Encounter.period overlaps the day');
  });

  test('_sort=-date is newest first; multi-key sort breaks ties; order is stable', async () => {
    const desc = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=-date');
    // a-hr-4 is "2022-02": as a range it ends on 2022-02-28, before a-wt-4 (2022-03-10).
    // a-wt-2 and a-hr-3 share a time and keep load order.
    const newestFirst = ['wt-5', 'hr-5', 'wt-4', 'hr-4', 'wt-3', 'wt-2', 'hr-3', 'hr-2', 'wt-1', 'hr-1'];
    assert.deepEqual(
      ids(desc.body),
      newestFirst.map((id) => `Observation/a-${id}`),
    );

    const multi = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=-date,code');
    const tie = ids(multi.body).filter((id) => id === 'Observation/a-hr-3' || id === 'Observation/a-wt-2');
    assert.deepEqual(tie, ['Observation/a-wt-2', 'Observation/a-hr-3'], '29463-7 sorts before 8867-4');
    const multiDesc = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=-date,-code');
    const tieDesc = ids(multiDesc.body).filter((id) => id === 'Observation/a-hr-3' || id === 'Observation/a-wt-2');
    assert.deepEqual(tieDesc, ['Observation/a-hr-3', 'Observation/a-wt-2']);
    const again = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=-date,code');
    assert.deepEqual(ids(again.body), ids(multi.body));
    const asc = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=date');
    assert.equal(ids(asc.body)[0], 'Observation/a-hr-1');
  });

  test('paging: links are absolute, next links visit every match once in sort order', async () => {
    const first = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=-date&_count=3');
    assert.equal(first.body.total, 10);
    assert.equal(first.body.entry?.length, 3);
    for (const relation of ['self', 'first', 'next', 'last']) {
      assert.ok(link(first.body, relation)?.startsWith(`${open.base}/Observation?`), relation);
    }
    assert.equal(link(first.body, 'previous'), undefined);
    const paged = await followPages(open, `${open.base}/Observation?patient=hw-a&category=vital-signs&_sort=-date&_count=3`);
    assert.equal(paged.pages, 4);
    const all = await get(open, '/Observation?patient=hw-a&category=vital-signs&_sort=-date&_count=100');
    assert.deepEqual(
      paged.entries.map((e) => e.resource?.id),
      ids(all.body).map((id) => id.split('/')[1]),
    );
    const last = await get(open, link(first.body, 'last') as string);
    assert.equal(last.body.entry?.length, 1);
    assert.ok(link(last.body, 'previous'));
    assert.equal(link(last.body, 'next'), undefined);
  });

  test('_count defaults to 50 and is capped; _count=0 and _summary=count give only the total', async () => {
    const many = await get(open, '/Observation?_count=100000');
    assert.ok((many.body.entry?.length ?? 0) <= 1000);
    const plain = await get(open, '/Observation');
    assert.equal(plain.body.entry?.length, Math.min(50, plain.body.total ?? 0));
    const zero = await get(open, '/Observation?patient=hw-a&_count=0');
    assert.equal(zero.body.total, 11);
    assert.equal(zero.body.entry, undefined);
    const count = await get(open, '/Observation?patient=hw-a&_summary=count');
    assert.equal(count.body.total, 11);
    assert.equal(count.body.entry, undefined);
  });

  test('_include adds referenced resources with search.mode include; _revinclude the referrers', async () => {
    const medication = await get(open, '/MedicationRequest?patient=hw-a&_include=MedicationRequest:medication');
    assert.deepEqual(ids(medication.body), ['MedicationRequest/a-mr-1']);
    assert.deepEqual(ids(medication.body, 'include'), ['Medication/med-1']);
    assert.equal(medication.body.total, 1, 'included resources do not count in total');
    const performer = await get(open, '/Observation?patient=hw-a&category=vital-signs&_include=Observation:performer');
    assert.deepEqual(ids(performer.body, 'include'), ['Practitioner/pr-1'], 'included once');
    const rev = await get(open, '/Patient?_id=hw-a&_revinclude=Condition:patient');
    assert.deepEqual(ids(rev.body), ['Patient/hw-a']);
    assert.deepEqual(ids(rev.body, 'include').sort(), ['Condition/a-cond-active', 'Condition/a-cond-resolved']);
  });

  test('_id, _lastUpdated, string search and POST _search', async () => {
    const byId = await get(open, '/Patient?_id=hw-a,hw-b');
    assert.deepEqual(ids(byId.body), ['Patient/hw-a', 'Patient/hw-b']);
    const updated = await get(open, '/Patient?_id=hw-a&_lastUpdated=ge2000-01-01');
    assert.equal(updated.body.total, 1);
    const future = await get(open, '/Patient?_id=hw-a&_lastUpdated=ge2999-01-01');
    assert.equal(future.body.total, 0);
    const accent = await get(open, '/Patient?family=diaz');
    assert.deepEqual(ids(accent.body), ['Patient/hw-b'], 'case- and accent-insensitive prefix');
    const posted = await get(open, '/Observation/_search', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'patient=hw-a&category=vital-signs&_count=2',
    });
    assert.equal(posted.status, 200);
    assert.equal(posted.body.total, 10);
    assert.equal(posted.body.entry?.length, 2);
  });

  test('400 with an OperationOutcome for an unknown parameter or a bad value; lenient handling ignores them', async () => {
    const unknown = await get<OperationOutcome>(open, '/Observation?patient=hw-a&colour=blue');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.resourceType, 'OperationOutcome');
    assert.match(unknown.body.issue?.[0]?.details?.text ?? '', /colour/);
    assert.equal((await get(open, '/Observation?date=ge2020-13-01')).status, 400);
    assert.equal((await get(open, '/Observation?_count=many')).status, 400);
    assert.equal((await get(open, '/Observation?_sort=colour')).status, 400);
    assert.equal((await get(open, '/Observation?code:in=http://example.org/vs')).status, 400);
    const lenient = await get(open, '/Observation?patient=hw-a&colour=blue', { headers: { Prefer: 'handling=lenient' } });
    assert.equal(lenient.status, 200);
    assert.equal(lenient.body.total, 11);
    assert.ok(!link(lenient.body, 'self')?.includes('colour'), 'the self link shows only what was used');
  });
});

describe('FHIR server: SMART access', () => {
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  test('401 with WWW-Authenticate: Bearer and an OperationOutcome when authorize returns null', async () => {
    const none = await get<OperationOutcome>(secured, '/Patient/hw-a');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal(none.body.resourceType, 'OperationOutcome');
    const bad = await get<OperationOutcome>(secured, '/Observation?patient=hw-a', bearer('expired'));
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  test('a patient-level grant reads its patient and shared resources', async () => {
    assert.equal((await get(secured, '/Patient/hw-a', bearer('token-a'))).status, 200);
    assert.equal((await get(secured, '/Observation/a-hr-1', bearer('token-a'))).status, 200);
    assert.equal((await get(secured, '/Practitioner/pr-1', bearer('token-a'))).status, 200);
    assert.equal((await get(secured, '/Medication/med-1', bearer('token-a'))).status, 200);
    const search = await get(secured, '/Observation?patient=hw-a&category=vital-signs', bearer('token-a'));
    assert.equal(search.status, 200);
    assert.equal(search.body.total, 10);
  });

  test("403 for another patient's data: read, search by patient, Patient?_id", async () => {
    const read = await get<OperationOutcome>(secured, '/Patient/hw-b', bearer('token-a'));
    assert.equal(read.status, 403);
    assert.equal(read.body.resourceType, 'OperationOutcome');
    assert.equal((await get(secured, '/Observation/b-hr-1', bearer('token-a'))).status, 403);
    assert.equal((await get(secured, '/Observation?patient=hw-b', bearer('token-a'))).status, 403);
    assert.equal((await get(secured, '/Observation?subject=Patient/hw-b', bearer('token-a'))).status, 403);
    assert.equal((await get(secured, '/Patient?_id=hw-b', bearer('token-a'))).status, 403);
  });

  test('a search that names no patient is limited to the patient in context', async () => {
    const all = await get(secured, '/Observation?code=8867-4&_count=100', bearer('token-a'));
    assert.equal(all.status, 200);
    assert.ok(ids(all.body).every((id) => id.startsWith('Observation/a-')));
    assert.equal(all.body.total, 5);
    const patients = await get(secured, '/Patient', bearer('token-a'));
    assert.deepEqual(ids(patients.body), ['Patient/hw-a']);
  });

  test('scopes limit resource types; a user-level grant sees every patient', async () => {
    assert.equal((await get(secured, '/Observation?patient=hw-a', bearer('token-a-obs'))).status, 200);
    assert.equal((await get(secured, '/Condition?patient=hw-a', bearer('token-a-obs'))).status, 403);
    const user = await get(secured, '/Observation?code=8867-4&_count=100', bearer('token-user'));
    assert.equal(user.body.total, 6);
    assert.equal((await get(secured, '/Patient/hw-b', bearer('token-user'))).status, 200);
  });
});

// ---- third-party corpus ------------------------------------------------------------------

interface SyntheaPatient {
  id: string;
  file: string;
  vitalSigns: Set<string>;
  observations: Observation[];
}

function readSynthea(): SyntheaPatient[] {
  const dir = join(CORPUS, 'synthea');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((file) => {
      const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle;
      const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Resource;
      // Counted straight from the file: Observations whose subject is the patient's urn:uuid and
      // whose category has the code vital-signs.
      const observations = (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is Observation => r?.resourceType === 'Observation')
        .filter((o) => o.subject?.reference === `urn:uuid:${patient.id}`);
      const vitalSigns = new Set(
        observations
          .filter((o) => o.category?.some((c) => c.coding?.some((coding) => coding.code === 'vital-signs')))
          .map((o) => o.id as string),
      );
      return { id: patient.id as string, file, vitalSigns, observations };
    });
}

describe('FHIR server: Synthea and US Core corpus', () => {
  test('loads the Synthea bundles and the US Core examples', (t) => {
    if (!HAS_CORPUS) return t.skip(NO_CORPUS);
    const { timings } = open;
    t.diagnostic(
      `definitions+create ${timings.create.toFixed(0)} ms; corpus (${timings.synthea} Synthea + ` +
        `${timings.usCore} US Core resources) ${timings.corpusLoad.toFixed(0)} ms`,
    );
    assert.ok(timings.synthea > 1800);
    assert.ok(timings.usCore >= 80);
    const patients = open.fhir.listPatients();
    for (const patient of readSynthea()) {
      const listed = patients.find((p) => p.id === patient.id);
      assert.ok(listed, patient.file);
      assert.ok(listed.resourceCount > patient.observations.length);
    }
    assert.equal(patients.find((p) => p.id === 'example')?.name, 'Amy V. Shaw');
  });

  test('Observation?patient=<id>&category=vital-signs&_count=50: next links give every vital sign once', async (t) => {
    if (!HAS_CORPUS) return t.skip(NO_CORPUS);
    for (const patient of readSynthea()) {
      const first = `${open.base}/Observation?patient=${patient.id}&category=vital-signs&_count=50`;
      const paged = await followPages(open, first);
      const seen = paged.entries.map((e) => e.resource?.id as string);
      assert.equal(new Set(seen).size, seen.length, `${patient.file}: no resource twice`);
      assert.equal(seen.length, patient.vitalSigns.size, `${patient.file}: count equals the file's`);
      assert.equal(paged.total, patient.vitalSigns.size);
      assert.deepEqual(new Set(seen), patient.vitalSigns);
      assert.ok(paged.entries.every((e) => e.search?.mode === 'match'));
      assert.equal(paged.pages, Math.max(1, Math.ceil(patient.vitalSigns.size / 50)));
      const who = patient.file.split('_').slice(0, 2).join(' ');
      t.diagnostic(`${who}: ${seen.length} vital signs in ${paged.pages} pages, ${paged.ms.toFixed(0)} ms`);
    }
  });

  test('bare id and Patient/id match the same Synthea Observations; subject= too', async (t) => {
    if (!HAS_CORPUS) return t.skip(NO_CORPUS);
    const [patient] = readSynthea().sort((a, b) => b.observations.length - a.observations.length);
    const bare = await get(open, `/Observation?patient=${patient.id}&_count=1000`);
    const typed = await get(open, `/Observation?patient=Patient/${patient.id}&_count=1000`);
    const subject = await get(open, `/Observation?subject=${patient.id}&_count=1000`);
    assert.equal(bare.body.total, patient.observations.length);
    assert.deepEqual(ids(typed.body), ids(bare.body));
    assert.deepEqual(ids(subject.body), ids(bare.body));
    const timed = await get(open, `/Observation?patient=${patient.id}&category=vital-signs&_count=50`);
    const serverTiming = timed.headers.get('server-timing');
    const over = `${patient.observations.length} Observations`;
    t.diagnostic(`vital-signs first page over ${over}: ${timed.ms.toFixed(1)} ms (${serverTiming})`);
  });

  test('date ge/le and _sort=-date agree with the dates in the files', async (t) => {
    if (!HAS_CORPUS) return t.skip(NO_CORPUS);
    const [patient] = readSynthea().sort((a, b) => b.observations.length - a.observations.length);
    const expected = patient.observations
      .filter((o) => {
        const time = Date.parse(o.effectiveDateTime ?? '');
        return time >= Date.UTC(2015, 0, 1) && time < Date.UTC(2016, 6, 1);
      })
      .map((o) => o.id as string);
    assert.ok(expected.length > 0);
    const ranged = await get(open, `/Observation?patient=${patient.id}&date=ge2015-01-01&date=le2016-06&_count=1000`);
    assert.deepEqual(new Set(ids(ranged.body).map((id) => id.split('/')[1])), new Set(expected));

    const query = `patient=${patient.id}&category=vital-signs&_sort=-date&_count=40`;
    const sorted = await followPages(open, `${open.base}/Observation?${query}`);
    const times = sorted.entries.map((e) => Date.parse(effective(e.resource)));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], `newest first at ${i}`);
    assert.equal(new Set(sorted.entries.map((e) => e.resource?.id)).size, patient.vitalSigns.size);
  });

  test('US Core: _include of MedicationRequest:medication and DiagnosticReport:result', async (t) => {
    if (!HAS_CORPUS) return t.skip(NO_CORPUS);
    const meds = await get(open, '/MedicationRequest?patient=example&_include=MedicationRequest:medication');
    assert.ok(ids(meds.body).includes('MedicationRequest/uscore-mo3'));
    assert.deepEqual(ids(meds.body, 'include'), ['Medication/uscore-med2']);
    const report = await get<Resource & { result?: { reference?: string }[] }>(open, '/DiagnosticReport/cbc');
    const results = (report.body.result ?? []).map((r) => r.reference as string);
    assert.ok(results.length > 0);
    const withResults = await get(open, '/DiagnosticReport?_id=cbc&_include=DiagnosticReport:result');
    assert.deepEqual(ids(withResults.body), ['DiagnosticReport/cbc']);
    assert.deepEqual(ids(withResults.body, 'include').sort(), results.sort());
  });

  test('US Core: entries of a searchset Bundle take their ids and fullUrl references are rewritten', async (t) => {
    if (!HAS_CORPUS) return t.skip(NO_CORPUS);
    const role = await get<Resource & { endpoint?: { reference?: string }[] }>(open, '/PractitionerRole/PractitionerRole-1');
    assert.equal(role.status, 200);
    assert.equal(role.body.endpoint?.[0]?.reference, 'Endpoint/71');
    assert.equal((await get(open, '/Endpoint/71')).status, 200);
  });
});

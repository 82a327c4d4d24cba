import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import type { Resource } from '@medplum/fhirtypes';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../packages/elements/src/define.js';
import type { TimelineElement, TimelineSelectEvent } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';
import { OpenServerSource } from '../../packages/core/src/source/open-server-source.js';
import { FhirError, type FhirSource, type SearchOptions, type SearchParams } from '../../packages/core/src/source/fhir-source.js';



const LAB = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const HIGH = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }] }];

/** A small record with one event of most kinds. */
function record(): Resource[] {
  const subject = { reference: 'Patient/pat' };
  return [
    { resourceType: 'Patient', id: 'pat', name: [{ given: ['Amy'], family: 'Shaw' }] },
    {
      resourceType: 'Encounter',
      id: 'visit',
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ text: 'Annual physical' }],
      subject,
      period: { start: '2024-05-03T09:00:00Z', end: '2024-05-03T09:40:00Z' },
      serviceProvider: { display: 'Maple Street Clinic' },
    },
    {
      resourceType: 'Observation',
      id: 'ldl',
      status: 'final',
      category: LAB,
      code: { text: 'LDL cholesterol' },
      subject,
      encounter: { reference: 'Encounter/visit' },
      effectiveDateTime: '2024-05-03T09:30:00Z',
      valueQuantity: { value: 190, unit: 'mg/dL' },
      interpretation: HIGH,
    },
    { resourceType: 'Procedure', id: 'appendectomy', status: 'completed', code: { text: 'Appendectomy' }, subject, performedDateTime: '2019-07-14' },
    {
      resourceType: 'Condition',
      id: 'htn',
      clinicalStatus: { coding: [{ code: 'active' }] },
      code: { text: 'Essential hypertension' },
      subject,
      onsetDateTime: '2018-03',
      encounter: { reference: 'Encounter/visit' },
    },
    { resourceType: 'Immunization', id: 'flu', status: 'completed', vaccineCode: { text: 'Influenza vaccine' }, patient: subject, occurrenceDateTime: '2023-10-02' },
    { resourceType: 'Immunization', id: 'mmr', status: 'completed', vaccineCode: { text: 'MMR vaccine' }, patient: subject, occurrenceString: 'as a child' },
  ] as Resource[];
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const listItems = (el: Element) => [...shadow(el).querySelectorAll<HTMLElement>('[part~="list"] [role="listitem"]')];
const items = (el: Element) => [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="list"] [part~="item"]')];
const titles = (el: Element) => items(el).map((item) => text(item.querySelector('.title')));
const summary = (el: Element) => text(shadow(el).querySelector('[part~="summary"]'));
const alerts = (el: Element) => [...shadow(el).querySelectorAll('[role="alert"]')].map(text);
const kindToggle = (el: Element, name: string) =>
  [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="kind-toggle"]')].find((button) => text(button.querySelector('.kind-name')) === name)!;
const search = (el: Element) => shadow(el).querySelector<HTMLInputElement>('[part~="search"]')!;
const focused = (el: Element) => shadow(el).activeElement as HTMLElement | null;

async function rendered(el: TimelineElement, count = 1): Promise<void> {
  await waitUntil(() => items(el).length >= count, `the timeline did not render ${count} events`, { timeout: 5000 });
}

async function timelineIn(source: FhirSource, attributes: { groupBy?: string; kinds?: string } = {}): Promise<TimelineElement> {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-timeline group-by=${attributes.groupBy ?? 'date'} kinds=${attributes.kinds ?? nothing}></ehr-timeline>
  </ehr-context>`);
  return context.querySelector('ehr-timeline')!;
}

/** A BundleSource whose searches of some types fail until `heal()`: the server fault a test must control. */
function faultySource(resources: Resource[], failing: string[], error = new FhirError('server', 'The server had an internal error.', { status: 500 })) {
  const inner = new BundleSource({ resources, patientId: 'pat' });
  const broken = new Set(failing);
  const searched: string[] = [];
  const source: FhirSource = {
    server: inner.server,
    patientId: 'pat',
    read: (type, id, options) => inner.read(type, id, options),
    search: async <T extends Resource>(type: string, params?: SearchParams, options?: SearchOptions) => {
      searched.push(type);
      if (broken.has(type)) throw error;
      return inner.search<T>(type, params, options);
    },
  };
  return { source, searched, heal: () => broken.clear() };
}

/**
 * A FHIR server faked behind fetch, with real paging (Bundle.total, `next` links) and a
 * delay per page: a slow multi-page load. Searches are answered by a BundleSource.
 */
function pagedServer(resources: Resource[], options: { pageSize: number; latency: number }) {
  const store = new BundleSource({ resources, patientId: 'pat' });
  const requests: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    requests.push(url.pathname.split('/').pop()!);
    await new Promise((resolve) => setTimeout(resolve, options.latency));
    if (init?.signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    const params = new URLSearchParams(url.search);
    const offset = Number(params.get('_offset') ?? 0);
    params.delete('_offset');
    params.delete('_count');
    const result = await store.search(url.pathname.split('/').pop()!, params);
    const page = result.resources.slice(offset, offset + options.pageSize);
    const next = new URL(url);
    next.searchParams.set('_offset', String(offset + options.pageSize));
    const body = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: result.total,
      link: offset + options.pageSize < result.resources.length ? [{ relation: 'next', url: next.href }] : [],
      entry: [
        ...page.map((resource) => ({ resource, search: { mode: 'match' } })),
        ...(offset === 0 ? result.included.map((resource) => ({ resource, search: { mode: 'include' } })) : []),
      ],
    };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/fhir+json' } });
  };
  return { source: new OpenServerSource({ baseUrl: 'https://paged.example/fhir', patientId: 'pat', fetch: fetchImpl as typeof fetch }), requests };
}

// The virtualizer's benign "ResizeObserver loop completed with undelivered notifications"
// reaches window.onerror, which Mocha reports as a failure; its README prescribes this.
setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach);

describe('<ehr-timeline>: populated', () => {
  it('shows the record as events, newest first, grouped by month, with kind, date and details in words', async () => {
    const el = await timelineIn(new BundleSource({ resources: record() }));
    await rendered(el, 6);
    expect(titles(el)).to.deep.equal([
      'LDL cholesterol',
      'Annual physical',
      'Influenza vaccine',
      'Appendectomy',
      'Essential hypertension',
      'MMR vaccine',
    ]);
    const groups = [...shadow(el).querySelectorAll('[part~="group-header"] [role="heading"]')].map(text);
    expect(groups).to.deep.equal(['May 2024', 'October 2023', 'July 2019', 'March 2018', 'Date unknown']);
    const ldl = text(items(el)[0]);
    expect(ldl).to.contain('Observation');
    expect(ldl).to.contain('190 mg/dL');
    expect(text(items(el)[0]!.querySelector('[part~="badge"]'))).to.equal('High');
    expect(ldl).to.contain('May 3, 2024');
    expect(text(items(el)[4])).to.contain('Mar 2018'); // a partial date stays partial
    expect(text(items(el)[5])).to.contain('as a child');
    expect(summary(el)).to.equal('6 events');
  });

  it('reads every type for the patient in context', async () => {
    const { source, searched } = faultySource(record(), []);
    const el = await timelineIn(source);
    await rendered(el);
    expect(searched.sort()).to.deep.equal(
      ['AllergyIntolerance', 'Condition', 'DiagnosticReport', 'DocumentReference', 'Encounter', 'Immunization', 'MedicationRequest', 'MedicationStatement', 'Observation', 'Procedure'].sort(),
    );
  });

  it('shows resources given directly, without a source', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    expect(summary(el)).to.equal('6 events');
  });

  it('shows a vaccine that was not given as "Not given" with its reason, never as due', async () => {
    const declined = {
      resourceType: 'Immunization',
      id: 'hpv',
      status: 'not-done',
      statusReason: { text: 'Patient objection' },
      vaccineCode: { text: 'HPV vaccine' },
      patient: { reference: 'Patient/pat' },
      occurrenceDateTime: '2023-04-11',
    } as Resource;
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${[declined]}></ehr-timeline>`);
    await rendered(el, 1);
    const row = items(el)[0]!;
    expect(text(row.querySelector('.date-label'))).to.equal('Not given');
    expect(text(row.querySelector('[part~="badge"]'))).to.equal('Not given');
    expect(text(row)).to.contain('Patient objection');
    expect(text(row)).not.to.contain('Due');
  });

  it('uses list semantics with positions, and a heading at the requested level', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline heading-level="3" .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    const list = shadow(el).querySelector('[part~="list"]')!;
    expect(list.getAttribute('role')).to.equal('list');
    expect(list.getAttribute('aria-label')).to.equal('Timeline: 6 events');
    const rows = listItems(el);
    expect(rows.map((row) => row.getAttribute('aria-posinset'))).to.deep.equal(rows.map((_, index) => String(index + 1)));
    expect(rows.every((row) => row.getAttribute('aria-setsize') === String(rows.length))).to.equal(true);
    expect(shadow(el).querySelector('[part~="heading"]')!.getAttribute('aria-level')).to.equal('3');
    expect(shadow(el).querySelector('[part~="group-header"] [role="heading"]')!.getAttribute('aria-level')).to.equal('4');
    await expect(el).to.be.accessible();
  });

  it('groups under encounters with group-by="encounter"', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline group-by="encounter" .resources=${record()}></ehr-timeline>`);
    await rendered(el, 5);
    const header = shadow(el).querySelector('[part~="group-header"]')!;
    expect(text(header)).to.contain('Annual physical');
    expect(text(header)).to.contain('2 events');
    // The encounter heads its group; its lab result and condition are under it.
    expect(titles(el).slice(0, 3)).to.deep.equal(['Annual physical', 'LDL cholesterol', 'Essential hypertension']);
    expect(text(shadow(el).querySelectorAll('[part~="group-header"]')[1]!)).to.contain('Not part of an encounter');
    await expect(el).to.be.accessible();
  });

  it('shows FHIR strings as text, never as markup', async () => {
    const resources = [{ resourceType: 'Procedure', id: 'x', code: { text: '<img src=x onerror="window.hacked=1">' }, performedDateTime: '2020-01-01' }] as Resource[];
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${resources}></ehr-timeline>`);
    await rendered(el);
    expect(titles(el)).to.deep.equal(['<img src=x onerror="window.hacked=1">']);
    expect(shadow(el).querySelector('img')).to.equal(null);
  });
});

describe('<ehr-timeline>: selecting an event', () => {
  it('fires ehr-timeline-select with the event and its resource on click, and marks it current', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    const selected = oneEvent(el, 'ehr-timeline-select') as Promise<TimelineSelectEvent>;
    items(el)[3]!.click();
    const event = await selected;
    expect(event.resource.id).to.equal('appendectomy');
    expect(event.event.title).to.equal('Appendectomy');
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(items(el)[3]!.getAttribute('aria-current')).to.equal('true');
    expect(el.selectedKey).to.equal('Procedure/appendectomy');
  });

  it('is keyboard usable: one tab stop, arrows, Home and End move, Enter and Space select', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline no-filters .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    expect(items(el).filter((item) => item.tabIndex === 0)).to.have.length(1);
    items(el)[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => text(focused(el)?.querySelector('.title')) === 'Annual physical');
    await sendKeys({ press: 'End' });
    await waitUntil(() => text(focused(el)?.querySelector('.title')) === 'MMR vaccine');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => text(focused(el)?.querySelector('.title')) === 'LDL cholesterol');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => text(focused(el)?.querySelector('.title')) === 'Annual physical');
    expect(items(el).filter((item) => item.tabIndex === 0).map((item) => text(item.querySelector('.title')))).to.deep.equal(['Annual physical']);

    const byEnter = oneEvent(el, 'ehr-timeline-select') as Promise<TimelineSelectEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await byEnter).resource.id).to.equal('visit');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => text(focused(el)?.querySelector('.title')) === 'Influenza vaccine');
    const bySpace = oneEvent(el, 'ehr-timeline-select') as Promise<TimelineSelectEvent>;
    await sendKeys({ press: 'Space' });
    expect((await bySpace).resource.id).to.equal('flu');
  });
});

describe('<ehr-timeline>: filters', () => {
  it('filters by free text typed in the labelled search box', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    const box = search(el);
    expect(box.labels?.[0] ? text(box.labels[0]) : '').to.contain('Search');
    box.focus();
    await sendKeys({ type: 'VACCINE' });
    await waitUntil(() => titles(el).length === 2);
    expect(titles(el)).to.deep.equal(['Influenza vaccine', 'MMR vaccine']);
    expect(summary(el)).to.equal('Showing 2 of 6 events');
    expect(el.filter.text).to.equal('VACCINE');
  });

  it('toggles kinds by keyboard, with counts, and says which are shown (aria-pressed)', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    const immunizations = kindToggle(el, 'Immunizations');
    expect(text(immunizations)).to.equal('Immunizations 2');
    expect(immunizations.getAttribute('aria-pressed')).to.equal('true');
    immunizations.focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => titles(el).length === 4);
    expect(kindToggle(el, 'Immunizations').getAttribute('aria-pressed')).to.equal('false');
    expect(titles(el)).not.to.include('Influenza vaccine');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => titles(el).length === 6);
    expect(el.filter.kinds).to.equal(undefined);
  });

  it('filters by a date range typed into the From and To fields', async () => {
    const timeline = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()}></ehr-timeline>`);
    await rendered(timeline, 6);
    const [from, to] = [...shadow(timeline).querySelectorAll<HTMLInputElement>('[part~="date-input"]')];
    expect(text(from!.labels![0]!)).to.contain('From');
    expect(text(to!.labels![0]!)).to.contain('To');
    from!.focus();
    await sendKeys({ type: '01012019' });
    to!.focus();
    await sendKeys({ type: '12312023' });
    await waitUntil(() => timeline.filter.to === '2023-12-31', 'the To date was not taken');
    await waitUntil(() => titles(timeline).length === 2);
    expect(titles(timeline)).to.deep.equal(['Influenza vaccine', 'Appendectomy']);
    expect(summary(timeline)).to.contain('Showing 2 of 6 events');
    expect(summary(timeline)).to.contain('1 event without a date not shown while a date range is set');
  });

  it('says when nothing matches, and clears the filters from there', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()} .filter=${{ text: 'no such thing' }}></ehr-timeline>`);
    await waitUntil(() => shadow(el).querySelector('.no-match'));
    expect(text(shadow(el).querySelector('.no-match'))).to.contain('No events match the filters.');
    expect(text(shadow(el))).not.to.contain('No events recorded');
    await expect(el).to.be.accessible();
    shadow(el).querySelector<HTMLButtonElement>('.no-match [part~="clear-button"]')!.click();
    await rendered(el, 6);
    expect(focused(el)).to.equal(search(el));
    expect(search(el).value).to.equal('');
  });

  it('switches grouping from its select', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline .resources=${record()}></ehr-timeline>`);
    await rendered(el, 6);
    const select = shadow(el).querySelector<HTMLSelectElement>('[part~="group-by"]')!;
    select.value = 'encounter';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => el.getAttribute('group-by') === 'encounter');
    await waitUntil(() => text(shadow(el).querySelector('[part~="group-header"]')).includes('Annual physical'));
  });
});

describe('<ehr-timeline>: large records', () => {
  it('keeps fewer than 300 rows in the DOM for 20,000 generated events, and reaches the last by keyboard', async () => {
    const { resources } = generatePatientRecord({ seed: 7, profile: 'bulk', targetResources: 20_000 });
    const el = await fixture<TimelineElement>(html`<ehr-timeline observations="all" .resources=${resources}></ehr-timeline>`);
    await rendered(el, 5);
    const total = Number(summary(el).replace(/\D/g, ''));
    expect(total).to.be.greaterThan(19_900);
    expect(listItems(el).length).to.be.lessThan(300);
    // Every event is in the list (and the month headers too), though few are in the DOM.
    const size = Number(listItems(el)[0]!.getAttribute('aria-setsize'));
    expect(size).to.be.greaterThan(total);
    items(el)[0]!.focus();
    await sendKeys({ press: 'End' });
    await waitUntil(() => Number(focused(el)?.closest('[role="listitem"]')?.getAttribute('aria-posinset')) === size, 'End did not reach the last row', {
      timeout: 5000,
    });
    expect(listItems(el).length).to.be.lessThan(300);
  });
});

describe('<ehr-timeline>: loading', () => {
  it('shows progress ("N of M loaded") while the pages of a slow server arrive (a paged server faked with latency)', async () => {
    const resources = [
      ...record(),
      ...Array.from({ length: 60 }, (_, index) => ({
        resourceType: 'Procedure',
        id: `p${index}`,
        status: 'completed',
        code: { text: `Dressing change ${index}` },
        subject: { reference: 'Patient/pat' },
        performedDateTime: `2022-01-${String((index % 28) + 1).padStart(2, '0')}`,
      })),
    ] as Resource[];
    const { source } = pagedServer(resources, { pageSize: 10, latency: 40 });
    const el = await timelineIn(source);
    const busy = shadow(el).querySelector('[aria-busy="true"]');
    expect(busy, 'a busy loading state').to.exist;
    expect(busy!.getAttribute('aria-label')).to.equal('Loading timeline');
    await waitUntil(() => /\d+ of 66 loaded/.test(text(shadow(el))), 'no progress was shown', { timeout: 5000 });
    await rendered(el);
    expect(summary(el)).to.equal('66 events');
  });

  it('shows an error with Retry when nothing could be loaded (a network fault faked for every type), never an empty timeline', async () => {
    const types = ['Encounter', 'Condition', 'Procedure', 'Immunization', 'MedicationRequest', 'MedicationStatement', 'DiagnosticReport', 'DocumentReference', 'AllergyIntolerance', 'Observation'];
    const { source, heal } = faultySource(record(), types, new FhirError('network', 'The FHIR server could not be reached.'));
    const el = await timelineIn(source);
    await waitUntil(() => alerts(el).length > 0);
    expect(alerts(el)).to.deep.equal(['The timeline could not be loaded. The FHIR server could not be reached.']);
    expect(text(shadow(el))).not.to.match(/No events/);
    await expect(el).to.be.accessible();
    heal();
    shadow(el).querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
    await rendered(el, 6);
    expect(alerts(el)).to.deep.equal([]);
  });

  it('shows what loaded when one type fails (a server fault faked for Procedure), says which, and retries only it', async () => {
    const { source, searched, heal } = faultySource(record(), ['Procedure']);
    const el = await timelineIn(source);
    await rendered(el, 5);
    expect(alerts(el)).to.deep.equal(['Procedures could not be loaded. The server had an internal error.']);
    expect(titles(el)).not.to.include('Appendectomy');
    expect(titles(el)).to.include('LDL cholesterol');
    const retry = shadow(el).querySelector<HTMLButtonElement>('[part~="failures"] [part~="retry-button"]')!;
    expect(retry.getAttribute('aria-label')).to.equal('Retry procedures');
    await expect(el).to.be.accessible();
    heal();
    searched.length = 0;
    retry.click();
    await waitUntil(() => titles(el).includes('Appendectomy'), 'the retried type did not load');
    expect(searched).to.deep.equal(['Procedure']);
    expect(alerts(el)).to.deep.equal([]);
    expect(summary(el)).to.equal('6 events');
  });

  it('says "No events recorded" for an empty record, and is accessible', async () => {
    const el = await timelineIn(new BundleSource({ resources: [{ resourceType: 'Patient', id: 'pat' } as Resource] }));
    await waitUntil(() => text(shadow(el)).includes('No events recorded'));
    expect(shadow(el).querySelector('[part~="list"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says "No patient selected" without a source', async () => {
    const el = await fixture<TimelineElement>(html`<ehr-timeline></ehr-timeline>`);
    expect(text(shadow(el))).to.contain('No patient selected');
  });

  it('loads only the kinds asked for', async () => {
    const { source, searched } = faultySource(record(), []);
    const el = await timelineIn(source, { kinds: 'encounter immunization' });
    await rendered(el, 3);
    expect(searched.sort()).to.deep.equal(['Encounter', 'Immunization']);
    expect(titles(el)).to.deep.equal(['Annual physical', 'Influenza vaccine', 'MMR vaccine']);
  });

  it('is accessible while loading', async () => {
    const { source } = pagedServer(record(), { pageSize: 10, latency: 2000 });
    const el = await timelineIn(source);
    expect(shadow(el).querySelector('[aria-busy="true"]')).to.exist;
    await expect(el).to.be.accessible();
  });
});

describe('<ehr-timeline>: stories', () => {
  // Each story renders the state it is named after (stories/timeline.stories.ts).
  const args = { groupBy: 'date', headingLevel: 2, observations: 'notable', noFilters: false, latency: 0 };
  type StoryLike = { args?: Partial<typeof args>; render?: (args: never) => unknown };
  async function renderStory(story: StoryLike, render: (args: never) => unknown): Promise<TimelineElement> {
    // One story on screen at a time: a virtual list below the viewport rightly renders no rows.
    fixtureCleanup();
    const host = await fixture(html`<div>${(story.render ?? render)({ ...args, ...story.args } as never)}</div>`);
    return host.querySelector('ehr-timeline')!;
  }

  it('renders every state it names', async () => {
    const stories = await import('../../stories/timeline.stories.js');
    const render = stories.default.render as unknown as (args: never) => unknown;

    const populated = await renderStory(stories.Populated as StoryLike, render);
    await rendered(populated, 5);
    expect(alerts(populated)).to.deep.equal([]);

    const byEncounter = await renderStory(stories.GroupedByEncounter as StoryLike, render);
    await waitUntil(() => shadow(byEncounter).querySelector('[part~="group-header"].encounter'), 'encounter groups', { timeout: 5000 });

    const filtered = await renderStory(stories.Filtered as StoryLike, render);
    await rendered(filtered);
    expect(summary(filtered)).to.match(/^Showing \d+ of [\d,]+ events$/);

    const pending = await renderStory({ ...(stories.PendingWithProgress as StoryLike), args: { latency: 20 } }, render);
    expect(shadow(pending).querySelector('[aria-busy="true"]')).to.exist;
    await waitUntil(() => /[\d,]+ of [\d,]+ loaded/.test(text(shadow(pending))), 'progress', { timeout: 5000 });

    const partial = await renderStory(stories.PartialFailure as StoryLike, render);
    await rendered(partial);
    expect(alerts(partial)).to.have.length(2);
    expect(alerts(partial)[0]).to.match(/^Procedures could not be loaded/);

    const failed = await renderStory(stories.ErrorState as StoryLike, render);
    await waitUntil(() => alerts(failed).length === 1, 'the error', { timeout: 5000 });
    expect(alerts(failed)[0]).to.match(/^The timeline could not be loaded/);

    const empty = await renderStory(stories.Empty as StoryLike, render);
    await waitUntil(() => text(shadow(empty)).includes('No events recorded'), 'the empty state', { timeout: 5000 });

    const noMatches = await renderStory(stories.NoMatches as StoryLike, render);
    await waitUntil(() => text(shadow(noMatches)).includes('No events match the filters.'), 'the no-match state', { timeout: 5000 });

    const large = await renderStory(stories.Large as StoryLike, render);
    await rendered(large, 5);
    expect(Number(summary(large).replace(/\D/g, ''))).to.be.greaterThan(19_900);
    expect(listItems(large).length).to.be.lessThan(300);
  });
});

describe('<ehr-timeline>: keyboard access before rows are rendered', () => {
  it('makes the list itself the tab stop while the virtualizer has no rows in the DOM (below the fold), and is axe-clean', async () => {
    const host = await fixture(html`<div>
      <div style="height: 3000px"></div>
      <ehr-timeline .resources=${record()}></ehr-timeline>
    </div>`);
    const el = host.querySelector('ehr-timeline') as TimelineElement;
    await waitUntil(() => shadow(el).querySelector('[part~="list"]'), 'the list frame');
    await el.updateComplete;
    const list = shadow(el).querySelector<HTMLElement>('[part~="list"]')!;
    expect(items(el), 'below the fold the virtualizer renders no rows').to.have.length(0);
    expect(list.getAttribute('tabindex'), 'no rows yet: the list is focusable').to.equal('0');
    await expect(el).to.be.accessible();
    el.scrollIntoView();
    await waitUntil(() => items(el).length > 0, 'rows render once the list is in view');
    await waitUntil(() => !list.hasAttribute('tabindex'), 'the rows take over the tab stop');
  });
});

import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { DiagnosticReport, Observation, Patient, Quantity, Resource } from '@medplum/fhirtypes';
import '../../packages/elements/src/define.js';
import type { LabResultsElement, LabResultsSelectEvent } from '../../packages/elements/src/index.js';
import { BundleSource } from '../../packages/core/src/source/bundle-source.js';
import { FhirError, type FhirSource, type ReadOptions, type SearchOptions, type SearchParams } from '../../packages/core/src/source/fhir-source.js';
import { formatFhirDate } from '../../packages/core/src/format/index.js';
import { generatePatientRecord } from '../../packages/sandbox/src/generator/index.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const LABORATORY = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const LAB_REPORT = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }];

const patient: Patient = { resourceType: 'Patient', id: 'p1', name: [{ given: ['Amy'], family: 'Shaw' }], gender: 'female', birthDate: '1973-05-03' };
const q = (value: number, unit: string): Quantity => ({ value, unit, system: UCUM, code: unit });

function lab(id: string, loinc: string, name: string, value: number, unit: string, at: string, extra: Partial<Observation> = {}, range?: [number, number]): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: LABORATORY,
    code: { coding: [{ system: LOINC, code: loinc, display: name }], text: name },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: at,
    valueQuantity: q(value, unit),
    ...(range ? { referenceRange: [{ low: q(range[0], unit), high: q(range[1], unit) }] } : {}),
    ...extra,
  } as Observation;
}

function report(id: string, loinc: string, name: string, at: string, results: Observation[], extra: Partial<DiagnosticReport> = {}): DiagnosticReport {
  return {
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    category: LAB_REPORT,
    code: { coding: [{ system: LOINC, code: loinc }], text: name },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: at,
    performer: [{ display: 'Acme Lab' }],
    result: results.map((result) => ({ reference: `Observation/${result.id}` })),
    ...extra,
  } as DiagnosticReport;
}

const OLD = '2023-01-10T09:00:00Z';
const MID = '2023-06-10T09:00:00Z';
const NEW = '2024-03-01T09:00:00Z';
const hgb = (id: string, value: number, at: string, extra: Partial<Observation> = {}) => lab(id, '718-7', 'Hemoglobin', value, 'g/dL', at, extra, [12, 15.5]);
const glucose = (id: string, value: number, at: string, extra: Partial<Observation> = {}) => lab(id, '2345-7', 'Glucose', value, 'mg/dL', at, extra, [70, 99]);
const potassium = (id: string, value: number, at: string, extra: Partial<Observation> = {}) => lab(id, '2823-3', 'Potassium', value, 'mmol/L', at, extra, [3.5, 5.1]);

/** Three CBCs over a year, a metabolic panel on the newest day, a standalone A1c, and a result entered in error. */
function record(): Resource[] {
  const cbcOld = [hgb('h1', 12.1, OLD)];
  const cbcMid = [hgb('h2', 14.2, MID)];
  const cbcNew = [hgb('h3', 13.5, NEW), lab('w3', '6690-2', 'WBC', 6.2, '10*3/uL', NEW, {}, [4, 11])];
  const bmp = [
    glucose('g3', 131, NEW), // no interpretation: High, derived from its range
    potassium('k3', 6.9, NEW, { interpretation: [{ coding: [{ system: V3, code: 'HH' }] }] }),
    lab('c3', '2160-0', 'Creatinine', 0.9, 'mg/dL', NEW, { status: 'corrected' }, [0.6, 1.1]),
    lab('e3', '2951-2', 'Sodium', 140, 'mmol/L', NEW, { status: 'entered-in-error' }),
  ];
  return [
    patient,
    report('cbc-old', '58410-2', 'Complete blood count', OLD, cbcOld),
    report('cbc-mid', '58410-2', 'Complete blood count', MID, cbcMid),
    report('cbc-new', '58410-2', 'Complete blood count', NEW, cbcNew),
    report('bmp-new', '51990-0', 'Basic metabolic panel', NEW, bmp, { conclusion: 'Hyperkalemia: repeat sample requested.' }),
    ...cbcOld,
    ...cbcMid,
    ...cbcNew,
    ...bmp,
    lab('a1', '4548-4', 'Hemoglobin A1c', 6.1, '%', '2022-11-02T08:00:00Z'),
  ];
}

/** A BundleSource that records requests and fails every search of a type until told otherwise (a server fault, faked), or refuses `_include` (400). */
class TestSource implements FhirSource {
  readonly searches: string[] = [];
  readonly reads: string[] = [];
  readonly signals: AbortSignal[] = [];
  readonly failing: Record<string, FhirError | undefined> = {};
  refuseInclude = false;
  never = false;
  private readonly inner: BundleSource;
  constructor(resources: Resource[], patientId: string | null = 'p1', baseUrl?: string) {
    this.inner = new BundleSource({ resources, patientId: patientId ?? undefined, label: 'Example Hospital', ...(baseUrl ? { baseUrl } : {}) });
  }
  get server() {
    return this.inner.server;
  }
  get patientId() {
    return this.inner.patientId;
  }
  read<T extends Resource = Resource>(type: string, id: string, options?: ReadOptions): Promise<T> {
    this.reads.push(`${type}/${id}`);
    return this.inner.read<T>(type, id, options);
  }
  async search<T extends Resource = Resource>(type: string, params?: SearchParams, options?: SearchOptions) {
    const query = new URLSearchParams(params as Record<string, string>);
    this.searches.push(`${type}?${query}`);
    if (options?.signal) this.signals.push(options.signal);
    if (this.never) return new Promise<never>(() => {});
    const failure = this.failing[type];
    if (failure) throw failure;
    if (this.refuseInclude && query.has('_include')) throw new FhirError('server', 'The server does not support _include.', { status: 400 });
    return this.inner.search<T>(type, params, options);
  }
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** What a person sees: rendered text only (display: none left out), blocks separated. */
const seen = (node: Element | null | undefined) => ((node as HTMLElement | null | undefined)?.innerText ?? '').replace(/\s+/g, ' ').trim();
const heading = (el: Element) => shadow(el).querySelector('[part~="heading"]');
const panels = (el: Element) => [...shadow(el).querySelectorAll<HTMLDetailsElement>('details[part~="panel"]')];
const panelNamed = (el: Element, name: string, index = 0) => panels(el).filter((panel) => text(panel.querySelector('.panel-name')) === name)[index]!;
const rows = (root: Element | ShadowRoot) => [...root.querySelectorAll<HTMLTableRowElement>('tr[part~="row"]')];
const rowNamed = (root: Element | ShadowRoot, name: string) => rows(root).find((row) => text(row.querySelector('[part~="analyte"]')) === name)!;
const cells = (row: HTMLTableRowElement) => [...row.cells].map((cell) => seen(cell));

async function labsIn(source: FhirSource, attributes: { patientId?: string; panels?: string; code?: string; headingLevel?: number } = {}) {
  const context = await fixture(html`<ehr-context .source=${source}>
    <ehr-lab-results
      patient-id=${attributes.patientId ?? ''}
      panels=${attributes.panels ?? 'all'}
      code=${attributes.code ?? ''}
      heading-level=${attributes.headingLevel ?? 2}
    ></ehr-lab-results>
  </ehr-context>`);
  return context.querySelector('ehr-lab-results')!;
}

async function loaded(el: LabResultsElement): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.state.loading') === null && heading(el) && !shadow(el).querySelector('[aria-busy]'), 'the results did not finish loading');
  await el.updateComplete;
}

describe('<ehr-lab-results>: populated', () => {
  it('reads reports with their results and laboratory Observations in parallel, and shows panels newest first', async () => {
    const source = new TestSource(record());
    const el = await labsIn(source);
    await loaded(el);

    expect(source.searches).to.have.members([
      'DiagnosticReport?patient=p1&category=LAB&_count=100&_include=DiagnosticReport%3Aresult',
      'Observation?patient=p1&category=laboratory&_count=200',
    ]);
    expect(source.signals.every((signal) => signal instanceof AbortSignal)).to.equal(true);
    // Eight results shown: the one entered in error is not.
    expect(text(heading(el))).to.equal('Lab results (8)');
    expect(panels(el).map((panel) => text(panel.querySelector('.panel-name')))).to.deep.equal([
      'Basic metabolic panel',
      'Complete blood count',
      'Complete blood count',
      'Complete blood count',
      'Hemoglobin A1c',
    ]);
    // The newest day is open, older panels are closed (and their rows not rendered until opened).
    expect(panels(el).map((panel) => panel.open)).to.deep.equal([true, true, false, false, false]);
    expect(text(shadow(el))).not.to.contain('Sodium');
  });

  it('shows each panel as a table with a caption, column and row headers', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    const panel = panelNamed(el, 'Complete blood count');
    const table = panel.querySelector('table')!;
    expect(text(table.caption)).to.equal(`Complete blood count, ${formatFhirDate(NEW, { locale: 'en-US', time: true })}`);
    expect([...table.tHead!.querySelectorAll('th')].map((th) => [text(th), th.getAttribute('scope')])).to.deep.equal([
      ['Test', 'col'],
      ['Result', 'col'],
      ['Flag', 'col'],
      ['Reference range', 'col'],
      ['Trend', 'col'],
    ]);
    const row = rowNamed(panel, 'Hemoglobin');
    expect(row.cells[0]!.tagName).to.equal('TH');
    expect(row.cells[0]!.getAttribute('scope')).to.equal('row');
    expect(cells(row).slice(0, 4)).to.deep.equal(['Hemoglobin', '13.5 g/dL', '', '12–15.5 g/dL']);
  });

  it('marks abnormal values with words, an icon and colour; critical values more; derived flags say so', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    const panel = panelNamed(el, 'Basic metabolic panel');
    const potassiumRow = rowNamed(panel, 'Potassium');
    expect(text(potassiumRow.querySelector('[part~="flag"]'))).to.equal('Critically high');
    expect(potassiumRow.querySelector('[part~="flag"] svg[aria-hidden="true"]')).to.exist;
    expect(potassiumRow.classList.contains('critical')).to.equal(true);
    // Colour as well as words: the critical value is drawn in the critical colour on its own background.
    const value = potassiumRow.querySelector<HTMLElement>('[part~="value"]')!;
    expect(getComputedStyle(value).color).not.to.equal(getComputedStyle(rowNamed(panel, 'Creatinine').querySelector('[part~="value"]')!).color);
    expect(getComputedStyle(value).backgroundColor).not.to.equal('rgba(0, 0, 0, 0)');

    const glucoseRow = rowNamed(panel, 'Glucose');
    expect(seen(glucoseRow.cells[2])).to.equal('High derived from the reference range');
    expect(glucoseRow.classList.contains('abnormal')).to.equal(true);
    expect(seen(rowNamed(panel, 'Creatinine').cells[0])).to.equal('Creatinine Corrected');

    const summary = text(panel.querySelector('summary'));
    expect(summary).to.contain('1 critical');
    expect(summary).to.contain('1 abnormal');
    expect(summary).to.contain('3 results');
    expect(text(panel.querySelector('[part~="conclusion"]'))).to.equal('Conclusion: Hyperkalemia: repeat sample requested.');
  });

  it('draws a sparkline per analyte, named with a summary, the range shaded and the latest point marked', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    const sparkline = rowNamed(panelNamed(el, 'Complete blood count'), 'Hemoglobin').querySelector('svg[part~="sparkline"]')!;
    expect(sparkline.getAttribute('role')).to.equal('img');
    expect(sparkline.getAttribute('aria-label')).to.equal('Hemoglobin, 3 results from 12.1 to 14.2 g/dL, latest 13.5, within range');
    expect(sparkline.querySelector('rect.band')).to.exist;
    expect(sparkline.querySelectorAll('circle.latest')).to.have.length(1);
    // An analyte with one result has no line: a dash, with words for assistive technology.
    const wbc = rowNamed(panelNamed(el, 'Complete blood count'), 'WBC');
    expect(wbc.querySelector('svg')).to.equal(null);
    expect(seen(wbc.cells[4])).to.equal('— No earlier results');
  });

  it('fires ehr-lab-results-select with the Observations of the analyte, and opens its history', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    const button = rowNamed(panelNamed(el, 'Complete blood count'), 'Hemoglobin').querySelector<HTMLButtonElement>('[part~="analyte"]')!;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const event = (await Promise.all([oneEvent(el, 'ehr-lab-results-select'), Promise.resolve(button.click())]))[0] as unknown as LabResultsSelectEvent;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.observation.id).to.equal('h3');
    expect(event.observations.map((observation) => observation.id)).to.deep.equal(['h3', 'h2', 'h1']);
    await el.updateComplete;

    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const history = shadow(el).getElementById(button.getAttribute('aria-controls')!)!;
    expect(text(history.querySelector('caption'))).to.equal('Hemoglobin: 3 results, newest first');
    expect([...history.querySelectorAll('table > tbody > tr')].map((row) => text(row.querySelector('td')))).to.deep.equal(['13.5 g/dL', '14.2 g/dL', '12.1 g/dL']);
    expect(history.querySelector('tr[aria-current="true"]')).to.exist;

    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(shadow(el).querySelector('[part~="history"]')).to.equal(null);
  });

  it('keeps the history closed when the host page cancels the select event', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    el.addEventListener('ehr-lab-results-select', (event) => event.preventDefault());
    const button = rowNamed(panelNamed(el, 'Complete blood count'), 'Hemoglobin').querySelector<HTMLButtonElement>('[part~="analyte"]')!;
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(shadow(el).querySelector('[part~="history"]')).to.equal(null);
  });

  it('is keyboard usable: Enter on a test opens its history, Enter on a summary opens a panel', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    const button = rowNamed(panelNamed(el, 'Basic metabolic panel'), 'Glucose').querySelector<HTMLButtonElement>('[part~="analyte"]')!;
    button.focus();
    const selected = oneEvent(el, 'ehr-lab-results-select');
    await sendKeys({ press: 'Enter' });
    expect(((await selected) as unknown as LabResultsSelectEvent).observation.id).to.equal('g3');
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');

    const closed = panels(el)[2]!;
    expect(closed.open).to.equal(false);
    closed.querySelector('summary')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => closed.open && rows(closed).length > 0, 'the panel did not open');
    expect(text(rowNamed(closed, 'Hemoglobin').cells[1])).to.contain('14.2 g/dL');
  });

  it('Expand all and Collapse all', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    const button = (name: string) => [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="toolbar"] button')].find((b) => text(b) === name)!;
    button('Expand all').click();
    await el.updateComplete;
    expect(panels(el).every((panel) => panel.open)).to.equal(true);
    expect(rows(shadow(el))).to.have.length(8);
    button('Collapse all').click();
    await el.updateComplete;
    expect(panels(el).some((panel) => panel.open)).to.equal(false);
  });

  it('panels="latest" shows the newest panel of each kind; a number shows the newest N', async () => {
    const latest = await labsIn(new TestSource(record()), { panels: 'latest' });
    await loaded(latest);
    expect(text(heading(latest))).to.equal('Lab results, latest of each (6)');
    expect(panels(latest).map((panel) => text(panel.querySelector('.panel-name')))).to.deep.equal(['Basic metabolic panel', 'Complete blood count', 'Hemoglobin A1c']);

    const two = await labsIn(new TestSource(record()), { panels: '2' });
    await loaded(two);
    expect(panels(two)).to.have.length(2);
  });

  it('code filters by LOINC code, without reloading when it changes', async () => {
    const source = new TestSource(record());
    const el = await labsIn(source, { code: '718-7' });
    await loaded(el);
    expect(text(heading(el))).to.equal('Lab results (3)');
    expect(panels(el).map((panel) => text(panel.querySelector('summary')))).to.have.length(3);
    el.code = '2345-7,2823-3';
    await el.updateComplete;
    expect(rows(shadow(el)).map((row) => text(row.querySelector('[part~="analyte"]')))).to.deep.equal(['Glucose', 'Potassium']);
    el.code = '9999-9';
    await el.updateComplete;
    expect(text(shadow(el).querySelector('.state.empty'))).to.equal('No lab results recorded for LOINC 9999-9 8 other lab results are not shown.');
    expect(source.searches).to.have.length(2);
  });

  it('shows resources given through the property, without a source and without reading', async () => {
    const el = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${record()}></ehr-lab-results>`);
    expect(text(heading(el))).to.equal('Lab results (8)');
    expect(rowNamed(shadow(el), 'Potassium')).to.exist;
  });

  it('with patient-id, leaves out given resources about another patient and says how many', async () => {
    const other = lab('x1', '718-7', 'Other patient hemoglobin', 11, 'g/dL', NEW, { subject: { reference: 'Patient/p2' } });
    const el = await fixture<LabResultsElement>(
      html`<ehr-lab-results patient-id="p1" .resources=${[...record(), { resourceType: 'Patient', id: 'p2' } as Patient, other]}></ehr-lab-results>`,
    );
    await el.updateComplete;
    expect(text(heading(el))).to.equal('Lab results (8)');
    expect(rowNamed(shadow(el), 'Other patient hemoglobin')).to.equal(undefined);
    const notices = [...shadow(el).querySelectorAll('[part~="notice"]')].map((notice) => text(notice));
    expect(notices).to.include('2 records the server returned for another patient were left out.');
    // Without patient-id, what is given is shown as given.
    const all = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${[...record(), other]}></ehr-lab-results>`);
    expect(rowNamed(shadow(all), 'Other patient hemoglobin')).to.exist;
  });

  it('counts a result the lab flagged in words only ("High") as abnormal, flagged from its range', async () => {
    const sugar = glucose('g9', 250, NEW, { interpretation: [{ text: 'High' }] });
    const el = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${[patient, report('chem', '24323-8', 'Chemistry', NEW, [sugar]), sugar]}></ehr-lab-results>`);
    const panel = panelNamed(el, 'Chemistry');
    expect(text(panel.querySelector('summary'))).to.contain('1 abnormal');
    const row = rowNamed(panel, 'Glucose');
    expect(row.classList.contains('abnormal')).to.equal(true);
    expect(text(row.querySelector('[part~="flag"]'))).to.equal('High');
    expect(row.querySelector('[part~="flag"] svg[aria-hidden="true"]')).to.exist;
  });

  it('reads the patient named by patient-id', async () => {
    const other = lab('x1', '718-7', 'Other patient hemoglobin', 11, 'g/dL', NEW, { subject: { reference: 'Patient/p2' } });
    const source = new TestSource([...record(), { resourceType: 'Patient', id: 'p2' }, other]);
    const el = await labsIn(source, { patientId: 'p2' });
    await loaded(el);
    expect(source.searches.every((search) => search.includes('patient=p2'))).to.equal(true);
    expect(rows(shadow(el)).map((row) => text(row.querySelector('[part~="analyte"]')))).to.deep.equal(['Other patient hemoglobin']);
  });

  it('shows a report given only as documents (presentedForm): titles, types, links to the server or inline data, plain text as text', async () => {
    const words = 'Total cholesterol <b>240</b> mg/dL: high.';
    const documentOnly = report('lipid-doc', '57698-3', 'Lipid panel', NEW, [], {
      presentedForm: [
        { contentType: 'application/pdf', url: 'https://fhir.example.org/r4/Binary/pdf1', title: 'Lipid report', size: 20480 },
        { contentType: 'application/pdf', url: 'Binary/pdf2', title: 'Addendum' },
        { contentType: 'application/pdf', url: 'https://elsewhere.example.com/report.pdf', title: 'Copy elsewhere' },
        { contentType: 'text/html', url: 'javascript:alert(1)', title: 'Script' },
        { contentType: 'text/plain; charset=utf-8', data: btoa(words), title: 'Report text' },
      ],
    });
    const source = new TestSource([patient, documentOnly], 'p1', 'https://fhir.example.org/r4');
    const el = await labsIn(source);
    await loaded(el);
    const panel = panelNamed(el, 'Lipid panel');
    expect(seen(panel)).not.to.contain('lists no results');
    const items = [...panel.querySelectorAll('[part~="attachment"]')];
    expect(items.map((item) => seen(item.querySelector('a, .attachment-title') as Element))).to.deep.equal(['Lipid report', 'Addendum', 'Copy elsewhere', 'Script', 'Report text']);
    expect(seen(items[0] as Element)).to.equal('Lipid report (application/pdf, 20 KB)');
    const links = [...panel.querySelectorAll<HTMLAnchorElement>('[part~="attachment"] a')];
    expect(links.map((link) => [link.textContent?.trim(), link.getAttribute('href')])).to.deep.equal([
      ['Lipid report', 'https://fhir.example.org/r4/Binary/pdf1'],
      ['Addendum', 'https://fhir.example.org/r4/Binary/pdf2'],
      ['Report text', `data:text/plain;base64,${btoa(words)}`],
    ]);
    expect(seen(items[2] as Element)).to.contain('held elsewhere, not linked');
    expect(links[0]!.rel).to.contain('noopener');
    // Inline plain text is shown as words: markup in it is text, never elements.
    expect(items[4]!.querySelector('pre')?.textContent).to.equal(words);
    expect(items[4]!.querySelector('b')).to.equal(null);
    // The documents are never fetched by the element (nor with the token).
    expect(source.reads.filter((read) => read.startsWith('Binary'))).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('the heading level is the host page\'s; no-heading leaves it out and keeps the name', async () => {
    const el = await labsIn(new TestSource(record()), { headingLevel: 4 });
    await loaded(el);
    expect(heading(el)!.getAttribute('role')).to.equal('heading');
    expect(heading(el)!.getAttribute('aria-level')).to.equal('4');
    expect(shadow(el).querySelector('section[part~="base"]')!.getAttribute('aria-labelledby')).to.equal('heading');
    el.noHeading = true;
    await el.updateComplete;
    expect(heading(el)).to.equal(null);
    expect(shadow(el).querySelector('section[part~="base"]')!.getAttribute('aria-label')).to.equal('Lab results');
  });

  it('shows markup in FHIR strings as text, never as elements', async () => {
    const evil = lab('evil', '718-7', '<img src=x onerror="window.__pwned=1">', 9, '<b>g/dL</b>', NEW, { note: [{ text: '<script>window.__pwned=1</script>' }] });
    const el = await fixture<LabResultsElement>(
      html`<ehr-lab-results .resources=${[report('r', '1-8', '<style>*{display:none}</style>CBC', NEW, [evil], { conclusion: '<iframe src="https://tracker.example.net"></iframe>' }), evil]}></ehr-lab-results>`,
    );
    expect(shadow(el).querySelector('img, script:not([type]), iframe, b, .panels style')).to.equal(null);
    expect(text(rowNamed(shadow(el), '<img src=x onerror="window.__pwned=1">').cells[1])).to.contain('9 <b>g/dL</b>');
    expect(text(shadow(el).querySelector('.panel-name'))).to.equal('<style>*{display:none}</style>CBC');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('shows older panels on request, 40 at a time, and long histories on request', async () => {
    const many: Resource[] = [patient];
    for (let i = 0; i < 45; i++) many.push(glucose(`g-${i}`, 90 + (i % 10), new Date(Date.UTC(2020, 0, 1 + i * 3, 8)).toISOString()));
    const el = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${many}></ehr-lab-results>`);
    expect(panels(el)).to.have.length(40);
    const more = shadow(el).querySelector<HTMLButtonElement>('[part~="more-button"]')!;
    expect(text(more)).to.equal('Show older panels (5 more)');
    more.click();
    await el.updateComplete;
    expect(panels(el)).to.have.length(45);
    expect(shadow(el).querySelector('[part~="more-button"]')).to.equal(null);

    // A long history shows the newest 25 results, the rest on request.
    rows(shadow(el))[0]!.querySelector<HTMLButtonElement>('[part~="analyte"]')!.click();
    await el.updateComplete;
    const history = shadow(el).querySelector('[part~="history"]')!;
    expect(text(history.querySelector('caption'))).to.equal('Glucose: 45 results, newest first');
    expect(history.querySelectorAll('table > tbody > tr')).to.have.length(25);
    const all = [...history.querySelectorAll('button')].find((button) => text(button) === 'Show all 45 results')!;
    all.click();
    await el.updateComplete;
    expect(shadow(el).querySelectorAll('[part~="history"] table > tbody > tr')).to.have.length(45);
  });

  it('is accessible with panels closed, open and a history open', async () => {
    const el = await labsIn(new TestSource(record()));
    await loaded(el);
    await expect(el).to.be.accessible();
    el.expandAll();
    await el.updateComplete;
    rowNamed(panelNamed(el, 'Complete blood count'), 'Hemoglobin').querySelector<HTMLButtonElement>('[part~="analyte"]')!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});

describe('<ehr-lab-results>: loading, errors and empty', () => {
  it('shows a busy skeleton while the server has not answered', async () => {
    const source = new TestSource(record());
    source.never = true;
    const el = await labsIn(source);
    const busy = shadow(el).querySelector('[aria-busy="true"]')!;
    expect(busy.getAttribute('aria-label')).to.equal('Loading lab results');
    expect(text(shadow(el))).not.to.contain('No lab results');
    await expect(el).to.be.accessible();
  });

  it('when both searches fail (server fault, faked), says what failed with Retry, never "No lab results"; Retry loads them', async () => {
    const source = new TestSource(record());
    source.failing.DiagnosticReport = new FhirError('server', 'The server answered 503 Service Unavailable.', { status: 503 });
    source.failing.Observation = new FhirError('server', 'The server answered 503 Service Unavailable.', { status: 503 });
    const el = await labsIn(source);
    await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no error shown');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('Lab results could not be loaded. The server answered 503 Service Unavailable.');
    expect(text(shadow(el))).not.to.contain('No lab results');
    expect(shadow(el).querySelector('details')).to.equal(null);
    await expect(el).to.be.accessible();

    // The server recovers; Retry reads again.
    source.failing.DiagnosticReport = source.failing.Observation = undefined;
    shadow(el).querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
    await waitUntil(() => panels(el).length > 0, 'Retry did not load the results');
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    expect(text(heading(el))).to.equal('Lab results (8)');
  });

  it('when the reports fail (server fault, faked), shows the results that loaded and a warning with Retry', async () => {
    const source = new TestSource(record());
    source.failing.DiagnosticReport = new FhirError('forbidden', 'Access to DiagnosticReport was refused.', { status: 403 });
    const el = await labsIn(source);
    await loaded(el);
    const warning = shadow(el).querySelector('[part~="warning"]')!;
    expect(text(warning.querySelector('[role="alert"]'))).to.equal(
      'Lab reports could not be loaded. Access to DiagnosticReport was refused. Results are shown without their reports: panel names, report status and conclusions may be missing.',
    );
    // The results are there, grouped by the time they were drawn.
    expect(text(heading(el))).to.equal('Lab results (8)');
    expect(text(shadow(el))).not.to.contain('No lab results recorded');
    source.failing.DiagnosticReport = undefined;
    warning.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
    await waitUntil(() => shadow(el).querySelector('[part~="warning"]') === null && panels(el).length === 5, 'Retry did not load the reports');
  });

  it('when the results search fails (server fault, faked) and the reports load, never says there are none', async () => {
    const source = new TestSource([patient, lab('solo', '4548-4', 'Hemoglobin A1c', 6.1, '%', NEW)]);
    source.failing.Observation = new FhirError('network', 'The server could not be reached.');
    const el = await labsIn(source);
    await loaded(el);
    expect(text(shadow(el).querySelector('[part~="warning"] [role="alert"]'))).to.contain('Lab results outside reports could not be loaded.');
    expect(text(shadow(el).querySelector('.state.empty'))).to.equal('No lab results in what could be loaded.');
    expect(text(shadow(el))).not.to.contain('No lab results recorded');
  });

  it('asks again without _include when the server refuses it (400), and reads report results it did not return', async () => {
    // A report result without the laboratory category: only a read by id finds it.
    const uncategorised = hgb('h-x', 13.9, NEW, { category: undefined });
    const source = new TestSource([patient, report('r', '58410-2', 'Complete blood count', NEW, [uncategorised]), uncategorised]);
    source.refuseInclude = true;
    const el = await labsIn(source);
    await loaded(el);
    expect(source.searches).to.include('DiagnosticReport?patient=p1&category=LAB&_count=100');
    expect(source.searches).to.include('Observation?_id=h-x');
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    expect(text(rowNamed(panelNamed(el, 'Complete blood count'), 'Hemoglobin').cells[1])).to.contain('13.9 g/dL');
  });

  it('says "No lab results recorded" when there are none', async () => {
    const el = await labsIn(new TestSource([patient]));
    await loaded(el);
    expect(text(shadow(el).querySelector('.state.empty'))).to.equal('No lab results recorded');
    expect(text(heading(el))).to.equal('Lab results (0)');
    await expect(el).to.be.accessible();
  });

  it('says "No patient selected" without a patient', async () => {
    const el = await labsIn(new TestSource([], null));
    expect(text(shadow(el).querySelector('.state.empty'))).to.equal('No patient selected');
  });
});

describe('<ehr-lab-results>: theming and media', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  const critical = (el: Element) => rowNamed(shadow(el), 'Potassium').querySelector<HTMLElement>('[part~="value"]')!;

  it('reads its documented custom properties, falling back to the global tokens', async () => {
    const el = await fixture<LabResultsElement>(html`<ehr-lab-results
      style="--ehr-lab-results-critical-color: rgb(1, 2, 3); --ehr-color-surface: rgb(250, 240, 230)"
      .resources=${record()}
    ></ehr-lab-results>`);
    expect(getComputedStyle(critical(el)).color).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(shadow(el).querySelector('[part~="base"]')!).backgroundColor).to.equal('rgb(250, 240, 230)');
    el.style.setProperty('--ehr-lab-results-background', 'rgb(9, 9, 9)');
    expect(getComputedStyle(shadow(el).querySelector('[part~="base"]')!).backgroundColor).to.equal('rgb(9, 9, 9)');
  });

  it('follows a dark colour scheme', async () => {
    const el = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${record()}></ehr-lab-results>`);
    const light = getComputedStyle(critical(el)).color;
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(shadow(el).querySelector('[part~="base"]')!).backgroundColor).to.equal('rgb(22, 27, 34)');
    expect(getComputedStyle(critical(el)).color).not.to.equal(light);
  });

  it('turns off the chevron animation under prefers-reduced-motion', async () => {
    const el = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${record()}></ehr-lab-results>`);
    const chevron = () => getComputedStyle(shadow(el).querySelector('summary')!, '::before').transitionDuration;
    expect(chevron()).not.to.equal('0s');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(chevron()).to.equal('0s');
  });
});

describe('<ehr-lab-results>: generated records', () => {
  it('shows every laboratory Observation of a generated complex record, with flags and trends', async () => {
    const { resources, patient: generated } = generatePatientRecord({ seed: 11, profile: 'complex' });
    const labs = resources.filter(
      (resource) => resource.resourceType === 'Observation' && JSON.stringify((resource as Observation).category ?? []).includes('"laboratory"'),
    );
    const source = new BundleSource({ resources, patientId: generated.id });
    const el = await labsIn(source);
    await loaded(el);
    expect(text(heading(el))).to.equal(`Lab results (${labs.length})`);
    while (shadow(el).querySelector('[part~="more-button"]')) {
      shadow(el).querySelector<HTMLButtonElement>('[part~="more-button"]')!.click();
      await el.updateComplete;
    }
    el.expandAll();
    await el.updateComplete;
    expect(rows(shadow(el))).to.have.length(labs.length);
    expect(shadow(el).querySelectorAll('svg[part~="sparkline"]').length).to.be.greaterThan(labs.length / 2);
    expect(text(shadow(el))).to.contain('Complete blood count');
    expect(shadow(el).querySelectorAll('tr.abnormal, tr.critical').length).to.be.greaterThan(0);
  });
});

describe('<ehr-lab-results>: stories', () => {
  // Each story renders the state it is named after (stories/lab-results.stories.ts).
  type StoryLike = { args?: Record<string, unknown>; render?: (args: never) => unknown };

  it('renders every state it names', async function () {
    this.timeout(120000); // renders every story, some with years of generated labs: slow on a loaded 2-core machine
    const stories = await import('../../stories/lab-results.stories.js');
    const defaults = { ...stories.default.args, latency: 0 };
    const render = stories.default.render as unknown as (args: never) => unknown;
    const show = async (story: StoryLike): Promise<LabResultsElement> => {
      fixtureCleanup();
      const host = await fixture(html`<div>${(story.render ?? render)({ ...defaults, ...story.args, latency: 0 } as never)}</div>`);
      return host.querySelector('ehr-lab-results')!;
    };
    const settled = (el: LabResultsElement) =>
      waitUntil(() => shadow(el).querySelector('details[part~="panel"], .state.empty, .state.error'), 'the story did not settle', { timeout: 10000 });
    const alerts = (el: LabResultsElement) => [...shadow(el).querySelectorAll('[role="alert"]')].map((alert) => text(alert));

    const populated = await show(stories.Populated as StoryLike);
    await settled(populated);
    expect(panels(populated).map((panel) => text(panel.querySelector('.panel-name'))).slice(0, 2)).to.deep.equal(['Complete blood count', 'Comprehensive metabolic panel']);
    expect(shadow(populated).querySelectorAll('svg[part~="sparkline"]').length).to.be.greaterThan(10);

    const critical = await show(stories.AbnormalAndCritical as StoryLike);
    await settled(critical);
    expect(shadow(critical).querySelectorAll('tr.critical').length).to.equal(3);
    expect(text(shadow(critical))).to.contain('Not performed: specimen hemolyzed');

    const trends = await show(stories.Trends as StoryLike);
    await settled(trends);
    expect(panels(trends).length).to.be.greaterThan(20);

    const latest = await show(stories.LatestOfEach as StoryLike);
    await settled(latest);
    expect(text(heading(latest))).to.match(/^Lab results, latest of each \(\d+\)$/);

    const standalone = await show(stories.StandaloneResults as StoryLike);
    await settled(standalone);
    expect(panels(standalone).every((panel) => panel.classList.contains('standalone'))).to.equal(true);

    const pending = await show(stories.Pending as StoryLike);
    expect(shadow(pending).querySelector('[aria-busy="true"]')).to.exist;

    const failed = await show(stories.ErrorState as StoryLike);
    await settled(failed);
    expect(alerts(failed)).to.deep.equal(['Lab results could not be loaded. The server answered 503 Service Unavailable.']);

    const partial = await show(stories.PartialFailure as StoryLike);
    await settled(partial);
    expect(alerts(partial)[0]).to.match(/^Lab reports could not be loaded\./);
    expect(panels(partial).length).to.be.greaterThan(0);

    const empty = await show(stories.Empty as StoryLike);
    await settled(empty);
    expect(text(shadow(empty).querySelector('.state.empty'))).to.equal('No lab results recorded');

    const malicious = await show(stories.MaliciousStrings as StoryLike);
    await settled(malicious);
    expect(shadow(malicious).querySelector('img, script:not([type]), iframe, marquee, a[href], svg[onload]')).to.equal(null);
    expect(text(shadow(malicious).querySelector('.panel-name'))).to.equal('<style>*{display:none}</style>CBC');
  });
});

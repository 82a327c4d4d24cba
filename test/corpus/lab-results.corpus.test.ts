// Real-world-shaped records we did not generate (../shared/fhir-corpus): every Synthea
// patient's laboratory Observations are shown, one row each, grouped under their
// DiagnosticReports; the US Core lab report examples render with their results in the
// report's order and the flags their ranges imply.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Bundle, DiagnosticReport, Observation, Resource } from '@medplum/fhirtypes';
import { BundleSource } from '@ehr-elements/core';
import '@ehr-elements/elements/define.js';
import type { LabResultsElement } from '@ehr-elements/elements';

async function corpusFiles(): Promise<string[]> {
  return (await fetch('/__corpus/index.json')).json();
}

async function load<T = Resource>(path: string): Promise<T> {
  return (await fetch(`/__corpus/${path}`)).json();
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const seen = (node: Element | null | undefined) => ((node as HTMLElement | null | undefined)?.innerText ?? '').replace(/\s+/g, ' ').trim();
const shadow = (el: Element) => el.shadowRoot!;
const panels = (el: Element) => [...shadow(el).querySelectorAll<HTMLDetailsElement>('details[part~="panel"]')];
const rows = (root: Element | ShadowRoot) => [...root.querySelectorAll<HTMLTableRowElement>('tr[part~="row"]')];
const names = (root: Element | ShadowRoot) => rows(root).map((row) => text(row.querySelector('[part~="analyte"]')));

function isLab(resource: Resource | undefined): resource is Observation {
  return resource?.resourceType === 'Observation' && (resource.category ?? []).some((concept) => (concept.coding ?? []).some((coding) => coding.code === 'laboratory'));
}

async function render(source: BundleSource): Promise<LabResultsElement> {
  const context = await fixture(html`<ehr-context .source=${source}><ehr-lab-results></ehr-lab-results></ehr-context>`);
  const el = context.querySelector('ehr-lab-results') as LabResultsElement;
  await waitUntil(() => shadow(el).querySelector('details[part~="panel"], .state.empty, [role="alert"]'), 'the lab results did not render', { timeout: 15000 });
  await el.updateComplete;
  return el;
}

/** Every panel rendered ("Show older panels" until there are no more) and opened. */
async function showEverything(el: LabResultsElement): Promise<void> {
  for (let guard = 0; guard < 100 && shadow(el).querySelector('[part~="more-button"]'); guard++) {
    shadow(el).querySelector<HTMLButtonElement>('[part~="more-button"]')!.click();
    await el.updateComplete;
  }
  el.expandAll();
  await el.updateComplete;
}

const uncaught: unknown[] = [];
window.addEventListener('error', (event) => uncaught.push(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => uncaught.push(event.reason));

describe('lab results over the FHIR corpus', () => {
  afterEach(() => {
    expect(uncaught, 'no uncaught error').to.deep.equal([]);
  });

  it('shows every Synthea patient\'s laboratory Observations, one row each, grouped under their reports', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('synthea/'));
    expect(files.length).to.equal(4);
    for (const file of files) {
      const bundle = await load<Bundle>(file);
      const resources = (bundle.entry ?? []).map((entry) => entry.resource);
      const labs = resources.filter(isLab).filter((observation) => observation.status !== 'entered-in-error');
      const reports = resources.filter(
        (resource): resource is DiagnosticReport =>
          resource?.resourceType === 'DiagnosticReport' && (resource.category ?? []).some((concept) => concept.coding?.some((coding) => coding.code === 'LAB')),
      );
      expect(labs.length, `${file}: some labs`).to.be.greaterThan(0);

      const el = await render(new BundleSource({ bundle }));
      expect(shadow(el).querySelector('[role="alert"]'), `${file}: no error`).to.equal(null);
      expect(text(shadow(el).querySelector('[part~="heading"]')), file).to.equal(`Lab results (${labs.length})`);
      await showEverything(el);
      expect(rows(shadow(el)).length, `${file}: one row per laboratory Observation`).to.equal(labs.length);
      // Each report is a panel holding exactly its results.
      const reportPanels = panels(el).filter((panel) => panel.classList.contains('report'));
      expect(reportPanels.length, `${file}: one panel per lab report`).to.equal(reports.length);
      const resultCounts = reportPanels.map((panel) => rows(panel).length).sort((a, b) => a - b);
      expect(resultCounts, file).to.deep.equal(reports.map((report) => report.result?.length ?? 0).sort((a, b) => a - b));
    }
  });

  it('keeps a record with 484 labs usable: only the newest panels are open and rendered', async () => {
    const file = (await corpusFiles()).find((name) => name.startsWith('synthea/Josue_Sipes'))!;
    const bundle = await load<Bundle>(file);
    const el = await render(new BundleSource({ bundle }));
    expect(text(shadow(el).querySelector('[part~="heading"]'))).to.equal('Lab results (484)');
    // Open: the panels of the newest day (drawn together); every older one is closed.
    const day = (panel: HTMLDetailsElement) => text(panel.querySelector('.panel-date')).split(', ').slice(0, 2).join(', ');
    const newestDay = day(panels(el)[0]!);
    expect(panels(el).map((panel) => panel.open)).to.deep.equal(panels(el).map((panel) => day(panel) === newestDay));
    expect(panels(el).filter((panel) => panel.open).length).to.be.within(1, 6);
    expect(panels(el).length).to.be.at.most(40);
    expect(rows(shadow(el)).length).to.be.lessThan(60);
    // The newest panels are first, and an analyte measured for years has a sparkline summarising it.
    const sparkline = shadow(el).querySelector('svg[part~="sparkline"]')!;
    expect(sparkline.getAttribute('aria-label')).to.match(/^.+, \d+ results from [\d.,]+ to [\d.,]+ .+, latest [\d.,]+, (no reference range|within range|above range|below range)/);
    await expect(el).to.be.accessible();
  });

  it('groups the US Core CBC, metabolic panel and urinalysis examples with their Observations', async () => {
    const files = (await corpusFiles()).filter((file) => file.startsWith('us-core-3.0.0/'));
    const resources = await Promise.all(files.map((file) => load(file)));
    const el = await render(new BundleSource({ resources, patientId: 'example' }));
    await showEverything(el);
    expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);

    const panel = (name: string) => panels(el).find((candidate) => text(candidate.querySelector('.panel-name')) === name)!;
    const cbc = panel('Complete blood count (hemogram) panel - Blood by Automated count');
    expect(names(cbc)).to.deep.equal(['Neutrophils %', 'MCHC RBC Auto-mCnc', 'Hgb Bld-mCnc', 'RBC # Bld Auto']);
    const metabolic = panel('Comprehensive metabolic 2000 panel - Serum or Plasma');
    expect(names(metabolic)).to.deep.equal([
      'Bilirub SerPl-mCnc',
      'Sodium SerPl-sCnc',
      'Potassium SerPl-sCnc',
      'Creat SerPl-mCnc',
      'CO2 SerPl-sCnc',
      'Chloride SerPl-sCnc',
      'Calcium SerPl-mCnc',
      'BUN SerPl-mCnc',
      'Glucose Bld-mCnc',
    ]);
    const urinalysis = panel('Complete Urinalysis');
    expect(rows(urinalysis)).to.have.length(17);
    expect(names(urinalysis).slice(0, 3)).to.deep.equal(['COLOR', 'APPEARANCE', 'GLUCOSE']);
    for (const name of ['Neutrophils %', 'MCHC RBC Auto-mCnc']) expect(names(cbc)).to.include(name);

    // Report metadata: the lab, and the results' own collection date when it differs from the report's.
    expect(seen(metabolic.querySelector('.panel-meta'))).to.contain('Acme Laboratory, Inc');
    const bilirubin = rows(metabolic).find((row) => text(row.querySelector('[part~="analyte"]')) === 'Bilirub SerPl-mCnc')!;
    expect(seen(bilirubin.cells[0])).to.contain('Collected');
    // No interpretation in the examples: flags derived from their ranges, and labelled so.
    const flag = (root: Element, name: string) => seen(rows(root).find((row) => text(row.querySelector('[part~="analyte"]')) === name)!.cells[2]);
    expect(flag(metabolic, 'Calcium SerPl-mCnc')).to.equal('Low derived from the reference range');
    expect(flag(metabolic, 'Creat SerPl-mCnc')).to.equal('High derived from the reference range');
    expect(flag(cbc, 'MCHC RBC Auto-mCnc')).to.equal('High derived from the reference range');
    expect(flag(cbc, 'Hgb Bld-mCnc')).to.equal('');
    // Coded, string and range values.
    const value = (root: Element, name: string) => seen(rows(root).find((row) => text(row.querySelector('[part~="analyte"]')) === name)!.cells[1]);
    expect(value(urinalysis, 'NITRITE')).to.equal('Positive');
    expect(value(urinalysis, 'COMMENT')).to.equal('Recommend Urine Culture');
    expect(value(urinalysis, 'WBC')).to.equal('20–30 cells/HPF');

    // The one laboratory Observation no report lists stands alone.
    const standalone = panels(el).filter((candidate) => candidate.classList.contains('standalone'));
    expect(standalone.map((candidate) => names(candidate))).to.deep.equal([['EPITHELIAL CELLS']]);
    const labCount = resources.filter(isLab).length;
    expect(rows(shadow(el)).length).to.equal(labCount);
    await expect(el).to.be.accessible();
  });
});

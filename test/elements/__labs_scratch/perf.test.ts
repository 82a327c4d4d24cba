import { fixture, html } from '@open-wc/testing';
import '../../../packages/elements/src/define.js';
import type { LabResultsElement } from '../../../packages/elements/src/index.js';
import { toLabsView } from '../../../packages/core/src/index.js';
import { generatePatientRecord } from '../../../packages/sandbox/src/generator/index.js';

it('perf', async function () {
  this.timeout(60000);
  const { resources } = generatePatientRecord({ seed: 1, profile: 'bulk', targetResources: 20000 });
  for (let i = 0; i < 3; i++) { const t = performance.now(); toLabsView(resources, { locale: 'en-US' }); console.log('build', (performance.now() - t).toFixed(1)); }
  const el = await fixture<LabResultsElement>(html`<ehr-lab-results .resources=${resources}></ehr-lab-results>`);
  await el.updateComplete;
  const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="analyte"]')!;
  let t = performance.now();
  button.click();
  await el.updateComplete;
  console.log('history render', (performance.now() - t).toFixed(1), el.shadowRoot!.querySelectorAll('[part~="history"] tr').length);
  t = performance.now();
  button.click();
  await el.updateComplete;
  console.log('close history', (performance.now() - t).toFixed(1));
  t = performance.now();
  el.requestUpdate();
  await el.updateComplete;
  console.log('plain rerender', (performance.now() - t).toFixed(1));
});

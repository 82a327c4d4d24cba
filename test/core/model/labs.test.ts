import { expect } from '@open-wc/testing';
import type { DiagnosticReport, Observation, Patient, Quantity, Resource } from '@medplum/fhirtypes';
import {
  formatFhirDate,
  loadUnitConverter,
  setUcumLoader,
  parseLabCodes,
  parseLabPanelSelection,
  selectLabPanels,
  toLabsView,
  type LabResultView,
  type LabsView,
} from '../../../packages/core/src/index.js';
import { generatePatientRecord } from '../../../packages/sandbox/src/generator/index.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const LABORATORY = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const LAB_REPORT = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }];

const q = (value: number, unit: string, code = unit): Quantity => ({ value, unit, system: UCUM, code });
const interpretation = (code: string) => [{ coding: [{ system: V3, code }] }];

let ids = 0;
function lab(loinc: string, name: string, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: `o${++ids}`,
    status: 'final',
    category: LABORATORY,
    code: { coding: [{ system: LOINC, code: loinc, display: name }], text: name },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-03-01T09:30:00Z',
    ...extra,
  } as Observation;
}

function report(id: string, name: string, results: Observation[], extra: Partial<DiagnosticReport> = {}): DiagnosticReport {
  return {
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    category: LAB_REPORT,
    code: { coding: [{ system: LOINC, code: '58410-2', display: 'CBC panel' }], text: name },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-03-01T09:30:00Z',
    result: results.map((result) => ({ reference: `Observation/${result.id}` })),
    ...extra,
  } as DiagnosticReport;
}

const hgb = (value: number, extra: Partial<Observation> = {}) =>
  lab('718-7', 'Hemoglobin', { valueQuantity: q(value, 'g/dL'), referenceRange: [{ low: q(12, 'g/dL'), high: q(15.5, 'g/dL') }], ...extra });

/** The only result of a one-Observation view. */
function only(resources: Resource[], options: Parameters<typeof toLabsView>[1] = {}): LabResultView {
  const view = toLabsView(resources, { locale: 'en-US', ...options });
  expect(view.panels.flatMap((panel) => panel.results), 'one result').to.have.length(1);
  return view.panels[0]!.results[0]!;
}

const names = (view: LabsView) => view.panels.map((panel) => panel.name);

// web-test-runner serves ES modules only and @lhncbc/ucum-lhc's package entry is CommonJS:
// the tests load NLM's own browser build of it through the public loader seam.
function loadUcumBrowserBuild(): Promise<unknown> {
  const existing = (window as { ucumPkg?: unknown }).ucumPkg;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/@lhncbc/ucum-lhc/browser-dist/ucum-lhc.min.js';
    script.onload = () => resolve((window as { ucumPkg?: unknown }).ucumPkg);
    script.onerror = () => reject(new Error('ucum-lhc did not load'));
    document.head.append(script);
  });
}

before(() => setUcumLoader(loadUcumBrowserBuild));
after(() => setUcumLoader(undefined));

describe('toLabsView: grouping', () => {
  it('groups report results under their DiagnosticReport, in the report\'s order, newest report first', () => {
    const a = hgb(13.1);
    const b = lab('6690-2', 'WBC', { valueQuantity: q(6.2, '10*3/uL') });
    const older = [hgb(12.9, { effectiveDateTime: '2023-01-10T08:00:00Z' })];
    const view = toLabsView(
      [
        report('old', 'CBC', older, { effectiveDateTime: '2023-01-10T08:00:00Z' }),
        ...older,
        b,
        a,
        report('new', 'Complete blood count', [b, a], { issued: '2024-03-01T14:00:00Z', performer: [{ reference: 'Organization/lab', display: 'Acme Lab' }], conclusion: 'Normal CBC.' }),
      ],
      { locale: 'en-US' },
    );
    expect(names(view)).to.deep.equal(['Complete blood count', 'CBC']);
    const panel = view.panels[0]!;
    expect(panel.kind).to.equal('report');
    expect(panel.results.map((result) => result.name)).to.deep.equal(['WBC', 'Hemoglobin']);
    expect(panel.date?.value).to.equal('2024-03-01T09:30:00Z');
    expect(panel.issued?.display).to.equal(formatFhirDate('2024-03-01T14:00:00Z', { locale: 'en-US', time: true }));
    expect(panel.performer).to.equal('Acme Lab');
    expect(panel.conclusion).to.equal('Normal CBC.');
    expect(panel.statusLabel).to.equal(undefined);
    expect(view.resultCount).to.equal(3);
  });

  it('labels report statuses: preliminary, amended, corrected, cancelled; drops an entered-in-error report', () => {
    const statuses = ['preliminary', 'amended', 'corrected', 'cancelled', 'entered-in-error'] as const;
    const view = toLabsView(
      statuses.map((status, i) => report(`r-${status}`, status, [], { status, effectiveDateTime: `2024-0${i + 1}-01` })),
      { locale: 'en-US' },
    );
    expect(view.panels.map((panel) => [panel.name, panel.statusLabel])).to.deep.equal([
      ['cancelled', 'Cancelled'],
      ['corrected', 'Corrected'],
      ['amended', 'Amended'],
      ['preliminary', 'Preliminary'],
    ]);
    expect(view.excluded).to.equal(1);
  });

  it('keeps only laboratory reports; a radiology report is not a lab panel', () => {
    const view = toLabsView(
      [
        report('xray', 'Chest X-ray', [], { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD' }] }] }),
        report('hem', 'Hematology', [], { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'HM' }] }] }),
      ],
      { locale: 'en-US' },
    );
    expect(names(view)).to.deep.equal(['Hematology']);
  });

  it('names the results a report lists that the record does not hold', () => {
    const view = toLabsView(
      [report('r', 'CMP', [], { result: [{ reference: 'Observation/gone', display: 'SODIUM' }, { reference: 'Observation/also-gone' }] })],
      { locale: 'en-US' },
    );
    expect(view.panels[0]!.unavailable).to.deep.equal(['SODIUM', 'Observation/also-gone']);
  });

  it('keeps a report\'s documents (presentedForm), decoding inline plain text; a report of documents only is still a panel', () => {
    const doc = report('doc', 'Lipid panel', [], {
      presentedForm: [
        { contentType: 'application/pdf', url: 'Binary/1', title: 'Lipid report', size: 2048, creation: '2024-03-01' },
        { contentType: 'text/plain', data: btoa('LDL 190 mg/dL') },
        { contentType: 'application/pdf' },
      ],
    });
    const view = toLabsView([doc], { locale: 'en-US' });
    expect(view.panels).to.have.length(1);
    const [pdf, words, ...rest] = view.panels[0]!.attachments;
    expect(pdf).to.include({ title: 'Lipid report', contentType: 'application/pdf', url: 'Binary/1', size: 2048 });
    expect(pdf?.creation?.day).to.equal('Mar 1, 2024');
    expect(words).to.include({ title: 'Report document', contentType: 'text/plain', text: 'LDL 190 mg/dL' });
    // An attachment with no title, url or data says nothing and is left out.
    expect(rest).to.deep.equal([]);
  });

  it('resolves results contained in the report and urn:uuid references of bundle entries', () => {
    const contained = hgb(13, { id: 'c1' });
    const uuid = lab('6690-2', 'WBC', { id: '2f5e4a1c-0000-4000-8000-000000000001', valueQuantity: q(7, '10*3/uL') });
    const dr = report('r', 'CBC', [], {
      contained: [contained],
      result: [{ reference: '#c1' }, { reference: `urn:uuid:${uuid.id}` }],
    });
    const view = toLabsView([dr, uuid], { locale: 'en-US' });
    expect(view.panels).to.have.length(1);
    expect(view.panels[0]!.results.map((result) => result.name)).to.deep.equal(['Hemoglobin', 'WBC']);
  });

  it('groups the members of a panel Observation (hasMember); the grouper is a heading, not a result', () => {
    const ldl = lab('13457-7', 'LDL', { valueQuantity: q(96, 'mg/dL') });
    const hdl = lab('2085-9', 'HDL', { valueQuantity: q(55, 'mg/dL') });
    const panel = lab('57698-3', 'Lipid panel', { hasMember: [{ reference: `Observation/${ldl.id}` }, { reference: `Observation/${hdl.id}` }] });
    const view = toLabsView([ldl, panel, hdl], { locale: 'en-US' });
    expect(names(view)).to.deep.equal(['Lipid panel']);
    expect(view.panels[0]!.kind).to.equal('panel');
    expect(view.panels[0]!.results.map((result) => result.name)).to.deep.equal(['LDL', 'HDL']);
    expect(view.resultCount).to.equal(2);
  });

  it('shows a panel Observation listed in a report as a named section of its members; cycles stop', () => {
    const ldl = lab('13457-7', 'LDL', { valueQuantity: q(96, 'mg/dL') });
    const panel = lab('57698-3', 'Lipid panel', { hasMember: [{ reference: `Observation/${ldl.id}` }] });
    // A member that points back at its panel must not loop.
    ldl.hasMember = [{ reference: `Observation/${panel.id}` }];
    const glucose = lab('2345-7', 'Glucose', { valueQuantity: q(90, 'mg/dL') });
    const view = toLabsView([report('r', 'Chemistry', [glucose, panel]), ldl, panel, glucose], { locale: 'en-US' });
    expect(view.panels).to.have.length(1);
    const sections = view.panels[0]!.sections;
    expect(sections.map((section) => [section.name, section.results.map((result) => result.name)])).to.deep.equal([
      [undefined, ['Glucose']],
      ['Lipid panel', ['LDL']],
    ]);
  });

  it('groups results outside reports by their exact effective time, named after their analytes', () => {
    const at = (time: string, name: string, code: string) => lab(code, name, { effectiveDateTime: time, valueQuantity: q(1, 'mg/dL') });
    const view = toLabsView(
      [
        at('2024-05-02T10:00:00Z', 'Glucose', '2345-7'),
        at('2024-05-02T10:00:00Z', 'Hemoglobin A1c', '4548-4'),
        at('2024-05-02T16:00:00Z', 'TSH', '3016-3'),
        lab('1234-5', 'Undated test', { effectiveDateTime: undefined, valueString: 'done' }),
      ],
      { locale: 'en-US' },
    );
    expect(view.panels.map((panel) => [panel.kind, panel.name, panel.results.length])).to.deep.equal([
      ['standalone', 'TSH', 1],
      ['standalone', 'Glucose, Hemoglobin A1c', 2],
      ['standalone', 'Undated test', 1],
    ]);
    expect(view.panels[2]!.date).to.equal(undefined);
  });

  it('drops entered-in-error results everywhere and counts them; shows cancelled results as such', () => {
    const wrong = hgb(99, { status: 'entered-in-error' });
    const cancelled = lab('6690-2', 'WBC', { status: 'cancelled', dataAbsentReason: { coding: [{ code: 'not-performed' }] } });
    const view = toLabsView([report('r', 'CBC', [wrong, cancelled]), wrong, cancelled, hgb(50, { status: 'entered-in-error' })], { locale: 'en-US' });
    expect(view.panels[0]!.results.map((result) => [result.name, result.statusLabel, result.value.text])).to.deep.equal([['WBC', 'Cancelled', 'Not performed']]);
    expect(view.panels[0]!.unavailable).to.deep.equal([]);
    expect(view.excluded).to.equal(2);
    expect(view.resultCount).to.equal(1);
  });

  it('labels preliminary, corrected and amended results', () => {
    for (const [status, label] of [
      ['preliminary', 'Preliminary'],
      ['corrected', 'Corrected'],
      ['amended', 'Amended'],
      ['final', undefined],
    ] as const) {
      expect(only([hgb(13, { status })]).statusLabel, status).to.equal(label);
    }
  });

  it('later copies of a resource replace earlier ones', () => {
    const first = hgb(10, { id: 'same' });
    const corrected = hgb(13, { id: 'same', status: 'corrected' });
    const result = only([first, corrected]);
    expect(result.value.text).to.equal('13 g/dL');
    expect(result.statusLabel).to.equal('Corrected');
  });
});

describe('toLabsView: values', () => {
  const value = (extra: Partial<Observation>) => only([lab('1-8', 'Test', extra)]).value;

  it('shows a Quantity with its unit text, else its code, and keeps the comparator', () => {
    expect(value({ valueQuantity: { value: 4.58, unit: '10*6/uL', system: UCUM } })).to.include({ kind: 'quantity', text: '4.58 10*6/uL', number: 4.58 });
    expect(value({ valueQuantity: { value: 17, system: UCUM, code: 'g/dL' } }).text).to.equal('17 g/dL');
    expect(value({ valueQuantity: { value: 1.5, unit: 'mmol/L', system: UCUM, code: 'mmol/L' } }).unit).to.equal('mmol/L');
    expect(value({ valueQuantity: { value: 0.01, comparator: '<', unit: 'ng/mL' } })).to.include({ text: '< 0.01 ng/mL', comparator: '<' });
    expect(value({ valueQuantity: { value: 1200, comparator: '>=', unit: 'U/L' } }).text).to.equal('>= 1,200 U/L');
    expect(value({ valueQuantity: { value: 7 } }).text).to.equal('7');
  });

  it('shows every other value type', () => {
    expect(value({ valueString: 'Recommend urine culture' })).to.include({ kind: 'string', text: 'Recommend urine culture' });
    expect(value({ valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10828004', display: 'Positive' }] } })).to.include({ kind: 'concept', text: 'Positive' });
    expect(value({ valueCodeableConcept: { coding: [{ display: 'Cloudy' }], text: 'Hazy' } }).text).to.equal('Hazy');
    expect(value({ valueBoolean: true }).text).to.equal('Yes');
    expect(value({ valueBoolean: false }).text).to.equal('No');
    expect(value({ valueInteger: 3 })).to.include({ kind: 'integer', text: '3', number: 3 });
    expect(value({ valueRange: { low: q(1, 'cells/HPF', '/[HPF]'), high: q(5, 'cells/HPF', '/[HPF]') } }).text).to.equal('1–5 cells/HPF');
    expect(value({ valueRange: { low: q(20, 'mg/dL') } }).text).to.equal('≥ 20 mg/dL');
    expect(value({ valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } })).to.include({ kind: 'ratio', text: '1:128' });
    expect(value({ valueRatio: { numerator: q(3, 'mg'), denominator: q(1, 'L') } }).text).to.equal('3 mg / 1 L');
    expect(value({ valuePeriod: { start: '2024-01-02', end: '2024-01-05' } }).text).to.equal('Jan 2, 2024 – Jan 5, 2024');
    expect(value({ valueTime: '08:30:00' }).text).to.equal('08:30:00');
  });

  it('says why a value is absent (dataAbsentReason), and when none was recorded', () => {
    expect(value({ dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed' }] } })).to.include({
      kind: 'absent',
      text: 'Not performed',
    });
    expect(value({ dataAbsentReason: { text: 'Specimen hemolyzed' } }).text).to.equal('Specimen hemolyzed');
    expect(value({ dataAbsentReason: { coding: [{ code: 'error' }] } }).text).to.equal('Error');
    expect(value({})).to.include({ kind: 'none', text: 'No value recorded' });
  });

  it('lists components when the Observation has no value of its own', () => {
    const result = value({
      component: [
        { code: { text: 'Kappa' }, valueQuantity: q(12, 'mg/L') },
        { code: { text: 'Lambda' }, valueQuantity: q(8, 'mg/L') },
      ],
    });
    expect(result).to.include({ kind: 'components', text: 'Kappa: 12 mg/L; Lambda: 8 mg/L' });
  });

  it('names a result by code text, else LOINC display, else the report\'s reference display, else the code', () => {
    const display = lab('718-7', 'x', { code: { coding: [{ system: 'http://acme.example/codes', code: 'HB', display: 'Local Hgb' }, { system: LOINC, code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' }] } });
    expect(only([display]).name).to.equal('Hemoglobin [Mass/volume] in Blood');
    const bare = lab('718-7', 'x', { code: { coding: [{ system: LOINC, code: '718-7' }] } });
    expect(only([bare])).to.include({ name: 'LOINC 718-7', nameSource: 'code', loinc: '718-7' });
    const fromReport = lab('718-7', 'x', { code: { coding: [{ system: LOINC, code: '718-7' }] } });
    const view = toLabsView([report('r', 'CBC', [], { result: [{ reference: `Observation/${fromReport.id}`, display: 'HEMOGLOBIN' }] }), fromReport], { locale: 'en-US' });
    expect(view.panels[0]!.results[0]).to.include({ name: 'HEMOGLOBIN', nameSource: 'reference' });
    expect(only([lab('1-8', 'x', { code: {} })]).name).to.equal('Unnamed test');
  });

  it('keeps the effective date, issued, the lab (an Organization performer first) and notes', () => {
    const result = only([
      lab('718-7', 'Hemoglobin', {
        effectiveDateTime: undefined,
        effectivePeriod: { start: '2024-02-03T08:00:00Z', end: '2024-02-03T08:05:00Z' },
        issued: '2024-02-03T12:00:00Z',
        performer: [{ reference: 'Practitioner/x', display: 'Dr. Bone' }, { reference: 'Organization/lab', display: 'Quest' }],
        note: [{ text: 'Specimen slightly hemolyzed.' }],
        valueQuantity: q(13, 'g/dL'),
      }),
    ]);
    expect(result.date?.value).to.equal('2024-02-03T08:00:00Z');
    expect(result.issued?.value).to.equal('2024-02-03T12:00:00Z');
    expect(result.performer).to.equal('Quest');
    expect(result.notes).to.deep.equal(['Specimen slightly hemolyzed.']);
  });

  it('never throws on malformed input', () => {
    const junk: unknown[] = [
      null,
      'x',
      42,
      { resourceType: 'Observation' },
      { resourceType: 'Observation', category: 'laboratory', code: 5, valueQuantity: { value: 'x' }, referenceRange: [null, { low: 'a' }], interpretation: {} },
      { resourceType: 'Observation', id: 'y', category: LABORATORY, valueQuantity: { value: Infinity }, effectiveDateTime: '2024-13-45', hasMember: 'x' },
      { resourceType: 'DiagnosticReport', category: LAB_REPORT, result: [null, 'x', { reference: 5 }], effectivePeriod: 'x' },
    ];
    expect(() => toLabsView(junk)).not.to.throw();
    expect(() => toLabsView(undefined)).not.to.throw();
    expect(() => toLabsView({})).not.to.throw();
    const view = toLabsView(junk, { locale: 'en-US' });
    expect(view.resultCount).to.equal(1);
  });
});

describe('toLabsView: flags and ranges', () => {
  const flagOf = (extra: Partial<Observation>) => only([hgb(13, extra)]).flag;

  it('reads every v3 ObservationInterpretation flag in words, critical ones as critical', () => {
    const expected: Record<string, [string, string]> = {
      H: ['High', 'abnormal'],
      L: ['Low', 'abnormal'],
      A: ['Abnormal', 'abnormal'],
      HH: ['Critically high', 'critical'],
      LL: ['Critically low', 'critical'],
      AA: ['Critically abnormal', 'critical'],
      N: ['Normal', 'normal'],
    };
    for (const [code, [label, severity]] of Object.entries(expected)) {
      expect(flagOf({ interpretation: interpretation(code) }), code).to.include({ code, label, severity, source: 'interpretation' });
    }
    // The most severe of several codings wins; a concept with only text is shown as it is.
    expect(flagOf({ interpretation: [{ coding: [{ system: V3, code: 'H' }, { system: V3, code: 'HH' }] }] })?.code).to.equal('HH');
    expect(flagOf({ interpretation: [{ text: 'Borderline' }] })).to.include({ label: 'Borderline', severity: 'other' });
  });

  it('reads R4 codes spelled with characters and hyphens (H>, L<, SYN-R, SYN-S), and MS and VS', () => {
    const expected: Record<string, [string, string, string]> = {
      'H>': ['Significantly high', 'abnormal', 'high'],
      'L<': ['Significantly low', 'abnormal', 'low'],
      'SYN-R': ['Synergy resistant', 'abnormal', 'none'],
      'SYN-S': ['Synergy susceptible', 'other', 'none'],
      SYN_R: ['Synergy resistant', 'abnormal', 'none'],
      MS: ['Moderately susceptible', 'other', 'none'],
      VS: ['Very susceptible', 'other', 'none'],
    };
    for (const [code, [label, severity, direction]] of Object.entries(expected)) {
      expect(flagOf({ interpretation: interpretation(code) }), code).to.include({ code, label, severity, direction, source: 'interpretation' });
    }
  });

  it('shows a code it does not know by its display, else its text, else the code itself', () => {
    expect(flagOf({ interpretation: [{ coding: [{ system: V3, code: 'XQ', display: 'Out of spec' }] }] })).to.include({ label: 'Out of spec', severity: 'other' });
    expect(flagOf({ interpretation: [{ coding: [{ system: V3, code: 'XQ' }], text: 'Lab comment' }] })).to.include({ label: 'Lab comment', severity: 'other' });
    const bare = flagOf({ interpretation: [{ coding: [{ system: V3, code: 'XQ' }] }] });
    expect(bare).to.include({ label: 'XQ', severity: 'other' });
    expect(bare?.code).to.equal(undefined);
  });

  it('reads the codes of a coding whose system is the value set URL (a common mistake) or absent', () => {
    for (const system of ['http://hl7.org/fhir/ValueSet/observation-interpretation', undefined]) {
      const flag = flagOf({ interpretation: [{ coding: [{ ...(system ? { system } : {}), code: 'HH' }] }] });
      expect(flag, String(system)).to.include({ code: 'HH', label: 'Critically high', severity: 'critical', direction: 'high' });
    }
    // A code of some other system is not read as a v3 code: its display is shown, and the range flags the value.
    expect(only([hgb(17, { interpretation: [{ coding: [{ system: 'http://example.org/flags', code: 'N', display: 'Nope' }] }] })]).flag).to.include({
      label: 'Nope',
      severity: 'abnormal',
      direction: 'high',
    });
  });

  it('an interpretation in words only still flags a value outside its range, in the lab\'s words, and counts it', () => {
    const glucose = lab('2345-7', 'Glucose', {
      valueQuantity: q(250, 'mg/dL'),
      referenceRange: [{ low: q(70, 'mg/dL'), high: q(99, 'mg/dL') }],
      interpretation: [{ text: 'High' }],
    });
    const view = toLabsView([report('r', 'Chemistry', [glucose]), glucose], { locale: 'en-US' });
    expect(view.panels[0]!.results[0]!.flag).to.include({ code: 'H', label: 'High', severity: 'abnormal', direction: 'high', source: 'interpretation' });
    expect(view.panels[0]).to.include({ abnormal: 1, critical: 0 });
    // The lab's own words stay the label; within range they are shown but ask for no attention.
    expect(only([hgb(9, { interpretation: [{ text: 'Below expected' }] })]).flag).to.include({ label: 'Below expected', severity: 'abnormal', direction: 'low' });
    expect(only([hgb(13, { interpretation: [{ text: 'Borderline' }] })]).flag).to.include({ label: 'Borderline', severity: 'other', direction: 'none' });
  });

  it('derives High or Low from the range when the lab gave no interpretation, and says so', () => {
    expect(only([hgb(17)]).flag).to.include({ code: 'H', label: 'High', source: 'derived', severity: 'abnormal' });
    expect(only([hgb(9.8)]).flag).to.include({ code: 'L', label: 'Low', source: 'derived' });
    expect(only([hgb(13)]).flag).to.equal(undefined);
    // The lab's Normal is trusted over the range.
    expect(only([hgb(17, { interpretation: interpretation('N') })]).flag?.severity).to.equal('normal');
  });

  it('derives a flag from a bound only when every value it allows is outside', () => {
    expect(only([hgb(0, { valueQuantity: { value: 10, comparator: '<', unit: 'g/dL', system: UCUM, code: 'g/dL' } })]).flag?.label).to.equal('Low');
    expect(only([hgb(0, { valueQuantity: { value: 14, comparator: '<', unit: 'g/dL', system: UCUM, code: 'g/dL' } })]).flag).to.equal(undefined);
    expect(only([hgb(0, { valueQuantity: { value: 16, comparator: '>', unit: 'g/dL', system: UCUM, code: 'g/dL' } })]).flag?.label).to.equal('High');
  });

  it('compares a range in another unit only after converting it, never as is', async () => {
    const observation = lab('2345-7', 'Glucose', { valueQuantity: q(1.5, 'g/L'), referenceRange: [{ low: q(70, 'mg/dL'), high: q(99, 'mg/dL') }] });
    // Without UCUM the pair cannot be converted: no flag (1.5 < 70 would wrongly say Low), and the pair is pending.
    const basic = toLabsView([observation], { locale: 'en-US' });
    expect(basic.panels[0]!.results[0]!.flag).to.equal(undefined);
    expect(basic.pendingConversions).to.deep.include({ from: 'mg/dL', to: 'g/L' });
    const converter = await loadUnitConverter();
    expect(toLabsView([observation], { locale: 'en-US', converter }).panels[0]!.results[0]!.flag).to.include({ label: 'High', source: 'derived' });
  });

  it('writes ranges: low–high with unit, ≥ low, ≤ high, or the text', () => {
    expect(only([hgb(13)]).range).to.include({ text: '12–15.5 g/dL', low: 12, high: 15.5, applies: 'yes' });
    expect(only([lab('1-8', 'eGFR', { valueQuantity: q(75, 'mL/min/{1.73_m2}'), referenceRange: [{ low: q(60, 'mL/min/{1.73_m2}') }] })]).range?.text).to.equal('≥ 60 mL/min/{1.73_m2}');
    expect(only([lab('1-8', 'LDL', { valueQuantity: q(96, 'mg/dL'), referenceRange: [{ high: q(100, 'mg/dL') }] })]).range?.text).to.equal('≤ 100 mg/dL');
    expect(only([lab('1-8', 'Nitrite', { valueString: 'Positive', referenceRange: [{ text: 'Negative' }] })]).range?.text).to.equal('Negative');
  });

  it('picks the range for the patient\'s sex and age on the result\'s day', () => {
    const ranges = [
      { low: q(12, 'g/dL'), high: q(15.5, 'g/dL'), appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248152002', display: 'Female' }] }], age: { low: { value: 18, unit: 'yr', code: 'a', system: UCUM } } },
      { low: q(13.5, 'g/dL'), high: q(17.5, 'g/dL'), appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248153007', display: 'Male' }] }], age: { low: { value: 18, unit: 'yr', code: 'a', system: UCUM } } },
      { low: q(11, 'g/dL'), high: q(13.5, 'g/dL'), age: { low: { value: 1, code: 'a' }, high: { value: 17, code: 'a' } } },
    ];
    const result = (patient: Patient | undefined, value = 14) => only([...(patient ? [patient] : []), hgb(value, { referenceRange: ranges })]);
    const woman: Patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1980-06-01' };
    const man: Patient = { resourceType: 'Patient', id: 'p1', gender: 'male', birthDate: '1980-06-01' };
    const child: Patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '2015-06-01' };
    expect(result(woman).range).to.include({ text: '12–15.5 g/dL', qualifier: 'Female, 18 y and older', applies: 'yes' });
    expect(result(man).range?.text).to.equal('13.5–17.5 g/dL');
    expect(result(child).range).to.include({ text: '11–13.5 g/dL', qualifier: '1–17 y' });
    expect(result(child).flag?.label).to.equal('High');
    // Sex and age unknown: every candidate as text, and no flag derived from any of them.
    const unknown = result(undefined, 20);
    expect(unknown.range).to.deep.equal({
      text: '12–15.5 g/dL (Female, 18 y and older); 13.5–17.5 g/dL (Male, 18 y and older); 11–13.5 g/dL (1–17 y)',
      applies: 'uncertain',
    });
    expect(unknown.flag).to.equal(undefined);
  });

  it('reads "normal" in appliesTo as the range\'s meaning, not a population (US Core examples)', () => {
    const result = only([
      hgb(17, {
        referenceRange: [
          {
            low: q(12, 'g/dL'),
            high: q(15.5, 'g/dL'),
            appliesTo: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'normal' }], text: 'Normal Range' }],
          },
        ],
      }),
    ]);
    expect(result.range?.applies).to.equal('yes');
    expect(result.flag?.label).to.equal('High');
  });

  it('prefers the normal range over a therapeutic one', () => {
    const result = only([
      lab('6301-6', 'INR', {
        valueQuantity: { value: 2.4 },
        referenceRange: [
          { low: { value: 2 }, high: { value: 3 }, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'therapeutic' }] } },
          { low: { value: 0.8 }, high: { value: 1.2 }, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'normal' }] } },
        ],
      }),
    ]);
    expect(result.range?.text).to.equal('0.8–1.2');
    expect(result.flag?.label).to.equal('High');
  });

  it('counts abnormal and critical results of a panel', () => {
    const results = [hgb(13), hgb(17), hgb(5, { interpretation: interpretation('LL') })];
    const view = toLabsView([report('r', 'CBC', results), ...results], { locale: 'en-US' });
    expect(view.panels[0]).to.include({ abnormal: 1, critical: 1 });
  });
});

describe('toLabsView: trends', () => {
  it('trends an analyte by LOINC code, oldest first, with the latest range and a summary', () => {
    const series = [
      hgb(12.1, { effectiveDateTime: '2023-01-01T08:00:00Z' }),
      hgb(14.2, { effectiveDateTime: '2023-06-01T08:00:00Z' }),
      hgb(13.5, { effectiveDateTime: '2024-01-01T08:00:00Z', code: { coding: [{ system: LOINC, code: '718-7' }], text: 'Hemoglobin' } }),
    ];
    const view = toLabsView(series, { locale: 'en-US' });
    const trend = view.trends.get('loinc:718-7')!;
    expect(trend.points.map((point) => point.value)).to.deep.equal([12.1, 14.2, 13.5]);
    expect(trend.range).to.deep.equal({ low: 12, high: 15.5 });
    expect(trend.latest?.value).to.equal(13.5);
    expect(trend.standing).to.equal('within');
    expect(trend.summary).to.equal('Hemoglobin, 3 results from 12.1 to 14.2 g/dL, latest 13.5, within range');
    expect(trend.results.map((result) => result.value.number)).to.deep.equal([13.5, 14.2, 12.1]);
  });

  it('stands as the latest result\'s flag says: the lab\'s interpretation over the range, as in its row', () => {
    const trendOf = (latest: Partial<Observation>) => {
      const series = [hgb(12.5, { effectiveDateTime: '2023-01-01T08:00:00Z' }), hgb(latest.valueQuantity?.value ?? 13, { effectiveDateTime: '2024-01-01T08:00:00Z', ...latest })];
      const view = toLabsView(series, { locale: 'en-US' });
      const newest = view.panels.flatMap((panel) => panel.results).find((result) => result.date?.value === '2024-01-01T08:00:00Z');
      return { trend: view.trends.get('loinc:718-7')!, flag: newest?.flag };
    };
    // Within the range by number, but the lab says High: the trend says high too.
    const high = trendOf({ valueQuantity: q(13, 'g/dL'), interpretation: interpretation('H') });
    expect(high.flag?.label).to.equal('High');
    expect(high.trend.standing).to.equal('above');
    expect(high.trend.summary).to.equal('Hemoglobin, 2 results from 12.5 to 13 g/dL, latest 13, high');
    // Above the range by number, but the lab says Normal: no flag in the row, and the trend agrees.
    const normal = trendOf({ valueQuantity: q(16, 'g/dL'), interpretation: interpretation('N') });
    expect(normal.flag?.severity).to.equal('normal');
    expect(normal.trend.standing).to.equal('within');
    expect(normal.trend.summary).to.equal('Hemoglobin, 2 results from 12.5 to 16 g/dL, latest 16, normal');
    // When the lab and the range agree, the range's words are kept.
    const critical = trendOf({ valueQuantity: q(5, 'g/dL'), interpretation: interpretation('LL') });
    expect(critical.trend.standing).to.equal('below');
    expect(critical.trend.summary).to.equal('Hemoglobin, 2 results from 5 to 12.5 g/dL, latest 5, below range');
    // An abnormal code with no direction is "flagged", in the lab's words.
    const abnormal = trendOf({ valueQuantity: q(13, 'g/dL'), interpretation: interpretation('A') });
    expect(abnormal.trend.standing).to.equal('flagged');
    expect(abnormal.trend.summary).to.match(/latest 13, abnormal$/);
  });

  it('never mixes units: a value in a unit that cannot be converted is left out and listed', () => {
    const series = [
      lab('2345-7', 'Glucose', { effectiveDateTime: '2023-01-01', valueQuantity: q(5.5, 'mmol/L') }),
      lab('2345-7', 'Glucose', { effectiveDateTime: '2023-06-01', valueQuantity: q(101, 'mg/dL') }),
      lab('2345-7', 'Glucose', { effectiveDateTime: '2024-01-01', valueQuantity: q(96, 'mg/dL') }),
    ];
    const trend = toLabsView(series, { locale: 'en-US', converter: { complete: true, convert: (value, from, to) => (from === to ? value : undefined) } }).trends.get('loinc:2345-7')!;
    expect(trend.unit).to.equal('mg/dL');
    expect(trend.points.map((point) => point.value)).to.deep.equal([101, 96]);
    expect(trend.gaps.map((gap) => gap.reason)).to.deep.equal(['In mmol/L, which cannot be shown in mg/dL']);
    expect(trend.summary).to.equal('Glucose, 2 results from 96 to 101 mg/dL, latest 96, no reference range; 1 more result not charted');
  });

  it('converts a value in a convertible unit through UCUM', async () => {
    const series = [
      lab('2345-7', 'Glucose', { effectiveDateTime: '2023-01-01', valueQuantity: q(1.1, 'g/L') }),
      lab('2345-7', 'Glucose', { effectiveDateTime: '2024-01-01', valueQuantity: q(96, 'mg/dL') }),
    ];
    expect(toLabsView(series, { locale: 'en-US' }).pendingConversions).to.deep.equal([{ from: 'g/L', to: 'mg/dL' }]);
    const trend = toLabsView(series, { locale: 'en-US', converter: await loadUnitConverter() }).trends.get('loinc:2345-7')!;
    expect(trend.points.map((point) => point.display)).to.deep.equal(['110', '96']);
    expect(trend.gaps).to.deep.equal([]);
  });

  it('trends by normalised name when there is no LOINC code; leaves bounds and cancelled results out of the line', () => {
    const series = [
      lab('x', 'Troponin I', { code: { text: 'Troponin  I' }, effectiveDateTime: '2024-01-01', valueQuantity: { value: 0.01, comparator: '<', unit: 'ng/mL' } }),
      lab('x', 'Troponin I', { code: { text: 'troponin i' }, effectiveDateTime: '2024-01-02', valueQuantity: { value: 0.4, unit: 'ng/mL' } }),
      lab('x', 'Troponin I', { code: { text: 'TROPONIN I' }, effectiveDateTime: '2024-01-03', status: 'cancelled', valueQuantity: { value: 9, unit: 'ng/mL' } }),
    ];
    const trend = toLabsView(series, { locale: 'en-US' }).trends.get('name:troponin i')!;
    expect(trend.results).to.have.length(3);
    expect(trend.points.map((point) => point.value)).to.deep.equal([0.4]);
    expect(trend.gaps.map((gap) => gap.reason)).to.deep.equal(['Given as a bound (< 0.01 ng/mL)']);
    // Named as the result its latest point comes from.
    expect(trend.summary).to.equal('troponin i, 1 result: 0.4 ng/mL, no reference range; 1 more result not charted');
  });
});

describe('selectLabPanels', () => {
  const cbc = (id: string, date: string, value: number) => {
    const result = hgb(value, { effectiveDateTime: date });
    return [report(id, 'CBC', [result], { effectiveDateTime: date }), result];
  };
  const view = () =>
    toLabsView(
      [
        ...cbc('c1', '2024-01-01', 13),
        ...cbc('c2', '2024-02-01', 12),
        lab('2345-7', 'Glucose', { effectiveDateTime: '2024-03-01', valueQuantity: q(96, 'mg/dL') }),
        lab('2345-7', 'Glucose', { effectiveDateTime: '2023-03-01', valueQuantity: q(92, 'mg/dL') }),
        lab('718-7', 'Hemoglobin', { effectiveDateTime: '2023-12-01', valueQuantity: q(12, 'g/dL') }),
      ],
      { locale: 'en-US' },
    );

  it('latest: the newest panel of each kind and the newest standalone result of each analyte', () => {
    const selection = selectLabPanels(view(), { panels: 'latest' });
    expect(selection.panels.map((panel) => [panel.name, panel.date?.value])).to.deep.equal([
      ['Glucose', '2024-03-01'],
      ['CBC', '2024-02-01'],
    ]);
  });

  it('a number: the newest N panels; codes: only those tests', () => {
    expect(selectLabPanels(view(), { panels: 2 }).panels.map((panel) => panel.date?.value)).to.deep.equal(['2024-03-01', '2024-02-01']);
    const glucose = selectLabPanels(view(), { codes: ['2345-7'] });
    expect(glucose.panels.map((panel) => panel.name)).to.deep.equal(['Glucose', 'Glucose']);
    expect(glucose.resultCount).to.equal(2);
    expect(glucose.filteredOut).to.equal(3);
    // A panel's own code keeps the whole panel.
    expect(selectLabPanels(view(), { codes: ['58410-2'] }).panels.map((panel) => panel.name)).to.deep.equal(['CBC', 'CBC']);
  });

  it('parses the attributes', () => {
    expect(parseLabPanelSelection('latest')).to.equal('latest');
    expect(parseLabPanelSelection(' 5 ')).to.equal(5);
    expect(parseLabPanelSelection('0')).to.equal('all');
    expect(parseLabPanelSelection('nonsense')).to.equal('all');
    expect(parseLabCodes('718-7, 2345-7 http://loinc.org|4548-4,,')).to.deep.equal(['718-7', '2345-7', '4548-4']);
  });
});

describe('toLabsView: generated records', () => {
  it('shows every laboratory Observation of a complex record once, grouped by its reports, with ranges and flags', () => {
    const { resources } = generatePatientRecord({ seed: 7, profile: 'complex' });
    const labs = resources.filter(
      (resource): resource is Observation =>
        resource.resourceType === 'Observation' && (resource.category ?? []).some((concept) => concept.coding?.some((coding) => coding.code === 'laboratory')),
    );
    const reports = resources.filter(
      (resource): resource is DiagnosticReport =>
        resource.resourceType === 'DiagnosticReport' && (resource.category ?? []).some((concept) => concept.coding?.some((coding) => coding.code === 'LAB')),
    );
    const view = toLabsView(resources, { locale: 'en-US' });
    expect(view.resultCount).to.equal(labs.filter((observation) => observation.status !== 'entered-in-error').length);
    expect(view.panels.filter((panel) => panel.kind === 'report')).to.have.length(reports.length);
    const names = new Set(view.panels.map((panel) => panel.name));
    expect(names).to.include('Complete blood count');
    expect(names).to.include('Basic metabolic panel');
    // Newest first.
    const times = view.panels.map((panel) => panel.time!).filter((time) => time !== undefined);
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    const results = view.panels.flatMap((panel) => panel.results);
    expect(results.filter((result) => result.range?.low !== undefined).length).to.be.greaterThan(labs.length / 2);
    expect(results.some((result) => result.flag?.source === 'interpretation' && result.flag.severity === 'abnormal')).to.equal(true);
    // Every analyte measured more than once has a trend with a line.
    const creatinine = view.trends.get('loinc:2160-0');
    expect(creatinine?.points.length).to.be.greaterThan(1);
    expect(creatinine?.summary).to.match(/^Creatinine, \d+ results from [\d.]+ to [\d.]+ mg\/dL, latest [\d.]+, (within|above|below) range$/);
  });
});

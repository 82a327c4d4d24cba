import { expect } from '@open-wc/testing';
import type { Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import {
  basicUnitConverter,
  decimateVitalPoints,
  formatVitalRange,
  formatVitalDate,
  formatVitalReading,
  loadUnitConverter,
  parseVitalKinds,
  readingFlag,
  readingsBetween,
  setUcumLoader,
  toVitalsView,
  type VitalSeries,
  type VitalsView,
} from '../../../packages/core/src/model/index.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const LABORATORY = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];

const mmHg = (value: number): Quantity => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const code = (loinc: string, display?: string) => ({ coding: [{ system: LOINC, code: loinc, ...(display ? { display } : {}) }] });

let ids = 0;
function obs(loinc: string, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: `o${++ids}`,
    status: 'final',
    category: VITAL_SIGNS,
    code: code(loinc),
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-03-01T09:30:00Z',
    ...extra,
  } as Observation;
}

const systolic = (value: number): ObservationComponent => ({ code: code('8480-6'), valueQuantity: mmHg(value) });
const diastolic = (value: number): ObservationComponent => ({ code: code('8462-4'), valueQuantity: mmHg(value) });

const series = (view: VitalsView, kind: string): VitalSeries => {
  const found = view.series.find((item) => item.kind === kind);
  if (!found) throw new Error(`no ${kind} series`);
  return found;
};
/** [time, systolic, diastolic] of every BP reading. */
const bpPairs = (view: VitalsView) => series(view, 'bp').readings.map((reading) => [reading.time, ...reading.values.map((value) => value.value)]);
const values = (view: VitalsView, kind: string) => series(view, kind).readings.map((reading) => reading.values[0]!.value);

describe('toVitalsView: blood pressure', () => {
  const times = ['2023-01-10T10:00:00Z', '2024-03-01T09:30:00Z'];
  const expected = [
    [Date.parse(times[0]!), 128, 82],
    [Date.parse(times[1]!), 141, 91],
  ];

  it('pairs systolic and diastolic the same way from all three codings and from swapped components', () => {
    const readings: [number, number][] = [
      [128, 82],
      [141, 91],
    ];
    const usCorePanel = readings.map(([s, d], i) => obs('85354-9', { effectiveDateTime: times[i], component: [systolic(s), diastolic(d)] }));
    const syntheaPanel = readings.map(([s, d], i) => obs('55284-4', { effectiveDateTime: times[i], component: [systolic(s), diastolic(d)] }));
    const swapped = readings.map(([s, d], i) => obs('85354-9', { effectiveDateTime: times[i], component: [diastolic(d), systolic(s)] }));
    const separate = readings.flatMap(([s, d], i) => [
      obs('8480-6', { effectiveDateTime: times[i], encounter: { reference: `Encounter/e${i}` }, valueQuantity: mmHg(s) }),
      obs('8462-4', { effectiveDateTime: times[i], encounter: { reference: `Encounter/e${i}` }, valueQuantity: mmHg(d) }),
    ]);
    // Separate Observations arrive in any order.
    const shuffled = [separate[3]!, separate[0]!, separate[2]!, separate[1]!];

    for (const [name, resources] of Object.entries({ usCorePanel, syntheaPanel, swapped, separate: shuffled })) {
      const view = toVitalsView(resources);
      expect(bpPairs(view), name).to.deep.equal(expected);
      expect(series(view, 'bp').measures.map((measure) => measure.key), name).to.deep.equal(['systolic', 'diastolic']);
    }
  });

  it('matches components by code, ignoring others, whatever their position', () => {
    const mean: ObservationComponent = { code: code('8478-0', 'Mean blood pressure'), valueQuantity: mmHg(99) };
    const view = toVitalsView([obs('85354-9', { component: [mean, diastolic(70), systolic(120)] })]);
    expect(series(view, 'bp').readings[0]!.values.map((value) => value.value)).to.deep.equal([120, 70]);
  });

  it('keeps a missing or data-absent half as a gap, never a zero', () => {
    const view = toVitalsView([
      obs('85354-9', {
        effectiveDateTime: '2024-01-01',
        component: [systolic(109), { code: code('8462-4'), dataAbsentReason: { coding: [{ code: 'unknown' }], text: 'Unknown' } }],
      }),
      obs('85354-9', { effectiveDateTime: '2024-02-01', component: [systolic(118)] }),
      obs('8480-6', { effectiveDateTime: '2024-03-01T08:00:00Z', valueQuantity: mmHg(131) }),
    ]);
    const readings = series(view, 'bp').readings;
    expect(readings.map((reading) => reading.values.map((value) => value.value))).to.deep.equal([
      [109, null],
      [118, null],
      [131, null],
    ]);
    expect(readings.map((reading) => reading.values[1]!.absent)).to.deep.equal(['Unknown', 'Not recorded', 'Not recorded']);
    expect(formatVitalReading(readings[0]!, series(view, 'bp'))).to.equal('109/—');
  });

  it('pairs separate Observations only at the same time and encounter', () => {
    const view = toVitalsView([
      obs('8480-6', { effectiveDateTime: '2024-03-01T08:00:00Z', encounter: { reference: 'Encounter/a' }, valueQuantity: mmHg(130) }),
      obs('8462-4', { effectiveDateTime: '2024-03-01T08:00:00Z', encounter: { reference: 'Encounter/b' }, valueQuantity: mmHg(80) }),
      obs('8480-6', { effectiveDateTime: '2024-03-02T08:00:00Z', valueQuantity: mmHg(125) }),
      obs('8462-4', { effectiveDateTime: '2024-03-02T09:00:00+01:00', valueQuantity: mmHg(79) }), // the same moment
    ]);
    const readings = series(view, 'bp').readings;
    expect(readings.map((reading) => reading.values.map((value) => value.value))).to.deep.equal([
      [130, null],
      [null, 80],
      [125, 79],
    ]);
    expect(readings[2]!.resourceIds).to.have.length(2);
  });

  it('counts a panel that only groups separate Observations (hasMember) once, through its members', () => {
    const sys = obs('8480-6', { valueQuantity: mmHg(122) });
    const dia = obs('8462-4', { valueQuantity: mmHg(78) });
    const grouper = obs('85354-9', { hasMember: [{ reference: `Observation/${sys.id}` }, { reference: `Observation/${dia.id}` }] });
    const vitalsPanel = obs('85353-1', { hasMember: [{ reference: `Observation/${grouper.id}` }] });
    const view = toVitalsView([vitalsPanel, grouper, sys, dia]);
    expect(bpPairs(view)).to.deep.equal([[Date.parse('2024-03-01T09:30:00Z'), 122, 78]]);
  });
});

describe('toVitalsView: blood pressure pairing by posture, panel and encounter', () => {
  const at = '2024-03-01T09:30:00Z';
  const separate = (loinc: string, value: number, extra: Partial<Observation> = {}) => obs(loinc, { effectiveDateTime: at, valueQuantity: mmHg(value), ...extra });
  /** Readings as [codeText, systolic, diastolic], sorted so order of arrival does not matter. */
  const shown = (view: VitalsView) =>
    series(view, 'bp')
      .readings.map((reading) => [reading.codeText ?? '', ...reading.values.map((value) => value.value)])
      .map((row) => JSON.stringify(row))
      .sort()
      .map((row) => JSON.parse(row) as unknown[]);

  it('pairs an orthostatic set by posture (LOINC 8459-0/8453-3 sitting, 8460-8/8454-1 standing), never crossed', () => {
    // Arrival order that crossed them when halves were paired by position.
    const view = toVitalsView([separate('8460-8', 100), separate('8453-3', 80), separate('8459-0', 120), separate('8454-1', 60)]);
    expect(shown(view)).to.deep.equal([
      ['Sitting', 120, 80],
      ['Standing', 100, 60],
    ]);
  });

  it('shows the posture in the table details', () => {
    const view = toVitalsView([separate('8461-6', 118), separate('8455-8', 76)]);
    expect(series(view, 'bp').readings[0]!.codeText).to.equal('Supine');
  });

  it('pairs through each panel’s hasMember when the members carry plain codes', () => {
    const sitting = [separate('8480-6', 120), separate('8462-4', 80)];
    const standing = [separate('8480-6', 100), separate('8462-4', 60)];
    // Members listed crosswise in the resource list: only hasMember says which go together.
    const panelA = obs('85354-9', { effectiveDateTime: at, hasMember: [{ reference: `Observation/${sitting[0]!.id}` }, { reference: `Observation/${sitting[1]!.id}` }] });
    const panelB = obs('85354-9', { effectiveDateTime: at, hasMember: [{ reference: `Observation/${standing[1]!.id}` }, { reference: `Observation/${standing[0]!.id}` }] });
    const view = toVitalsView([standing[0]!, sitting[1]!, panelB, sitting[0]!, standing[1]!, panelA]);
    expect(shown(view)).to.deep.equal([
      ['', 100, 60],
      ['', 120, 80],
    ]);
  });

  it('keeps ambiguous halves apart instead of guessing a pair', () => {
    const view = toVitalsView([separate('8480-6', 120), separate('8462-4', 80), separate('8480-6', 100), separate('8462-4', 60)]);
    expect(shown(view)).to.deep.equal([
      ['', 100, null],
      ['', 120, null],
      ['', null, 60],
      ['', null, 80],
    ]);
  });

  it('keeps both systolics of a panel that holds two, paired by posture', () => {
    const view = toVitalsView([
      obs('85354-9', {
        effectiveDateTime: at,
        component: [
          { code: code('8459-0'), valueQuantity: mmHg(120) },
          { code: code('8460-8'), valueQuantity: mmHg(100) },
          { code: code('8453-3'), valueQuantity: mmHg(80) },
          { code: code('8454-1'), valueQuantity: mmHg(60) },
        ],
      }),
    ]);
    expect(shown(view)).to.deep.equal([
      ['Sitting', 120, 80],
      ['Standing', 100, 60],
    ]);
  });

  it('pairs separate halves whose encounter is written relative and absolute', () => {
    const view = toVitalsView([
      separate('8480-6', 124, { encounter: { reference: 'Encounter/e7' } }),
      separate('8462-4', 81, { encounter: { reference: 'https://ehr.example/fhir/Encounter/e7' } }),
    ]);
    expect(shown(view)).to.deep.equal([['', 124, 81]]);
  });
});

describe('toVitalsView: code systems', () => {
  const OID = 'urn:oid:2.16.840.1.113883.6.1';
  it('reads LOINC codes sent with the LOINC OID as system', () => {
    const view = toVitalsView([
      obs('x', { code: { coding: [{ system: OID, code: '8867-4' }] }, valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' } }),
      obs('x', { code: { coding: [{ system: OID, code: '85354-9' }] }, component: [systolic(121), { code: { coding: [{ system: OID, code: '8462-4' }] }, valueQuantity: mmHg(79) }] }),
    ]);
    expect(values(view, 'hr')).to.deep.equal([72]);
    expect(bpPairs(view)).to.deep.equal([[Date.parse('2024-03-01T09:30:00Z'), 121, 79]]);
  });

  it('reads a blood pressure panel coded only with SNOMED CT 75367002 whose components are LOINC', () => {
    const view = toVitalsView([obs('x', { code: { coding: [{ system: 'http://snomed.info/sct', code: '75367002' }] }, component: [systolic(133), diastolic(85)] })]);
    expect(bpPairs(view)).to.deep.equal([[Date.parse('2024-03-01T09:30:00Z'), 133, 85]]);
  });

  it('reads 8479-8, systolic by palpation, as a systolic half named by its method', () => {
    const view = toVitalsView([obs('8479-8', { valueQuantity: mmHg(90) })]);
    const reading = series(view, 'bp').readings[0]!;
    expect(reading.values.map((value) => value.value)).to.deep.equal([90, null]);
    expect(reading.codeText).to.equal('By palpation');
  });
});

describe('toVitalsView: the other vitals', () => {
  it('finds each vital by its LOINC code or a common variant', () => {
    const resources = [
      obs('8867-4', { valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' } }),
      obs('9279-1', { valueQuantity: { value: 16, unit: 'breaths per minute', system: UCUM, code: '/min' } }),
      obs('8331-1', { code: { coding: [{ system: LOINC, code: '8331-1', display: 'Oral temperature' }] }, valueQuantity: { value: 37.2, unit: 'Cel', system: UCUM, code: 'Cel' } }),
      obs('59408-5', { code: { coding: [{ system: LOINC, code: '2708-6' }, { system: LOINC, code: '59408-5' }] }, valueQuantity: { value: 97, unit: '%', system: UCUM, code: '%' } }),
      obs('3141-9', { valueQuantity: { value: 70.5, unit: 'kg', system: UCUM, code: 'kg' } }),
      obs('8306-3', { valueQuantity: { value: 62, unit: 'cm', system: UCUM, code: 'cm' } }),
      obs('39156-5', { valueQuantity: { value: 24.1, unit: 'kg/m2', system: UCUM, code: 'kg/m2' } }),
      obs('8287-5', { valueQuantity: { value: 41.5, unit: 'cm', system: UCUM, code: 'cm' } }),
      obs('72514-3', { valueQuantity: { value: 3, unit: '{score}', system: UCUM, code: '{score}' } }), // pain: not charted here
    ];
    const view = toVitalsView(resources);
    expect(view.series.map((item) => item.kind)).to.deep.equal(['hr', 'rr', 'temp', 'spo2', 'weight', 'height', 'bmi', 'head']);
    expect(view.series.map((item) => item.readings[0]!.values[0]!.value)).to.deep.equal([72, 16, 37.2, 97, 70.5, 62, 24.1, 41.5]);
    expect(series(view, 'temp').readings[0]!.codeText).to.equal('Oral temperature');
    expect(series(view, 'hr').unitLabel).to.equal('bpm');
  });

  it('accepts vitals without a category, and an arterial saturation only as a vital sign', () => {
    const view = toVitalsView([
      obs('8867-4', { category: undefined, valueQuantity: { value: 64, unit: '/min', code: '/min', system: UCUM } }),
      obs('2708-6', { category: LABORATORY, valueQuantity: { value: 94, unit: '%', code: '%', system: UCUM } }),
      obs('2708-6', { category: undefined, valueQuantity: { value: 96, unit: '%', code: '%', system: UCUM } }),
    ]);
    expect(values(view, 'hr')).to.deep.equal([64]);
    expect(values(view, 'spo2')).to.deep.equal([96]);
  });

  it('keeps a data-absent or non-numeric value as a gap with its reason', () => {
    const view = toVitalsView([
      obs('8867-4', { effectiveDateTime: '2024-01-01', dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed' }] } }),
      obs('8867-4', { effectiveDateTime: '2024-01-02', valueString: 'irregular' }),
      obs('8867-4', { effectiveDateTime: '2024-01-03', valueQuantity: { unit: '/min', code: '/min' } }),
      obs('8867-4', { effectiveDateTime: '2024-01-04', valueQuantity: { value: 0, unit: '/min', code: '/min', system: UCUM } }),
    ]);
    const hr = series(view, 'hr');
    expect(hr.readings.map((reading) => reading.values[0]!.value)).to.deep.equal([null, null, null, 0]);
    expect(hr.readings.map((reading) => reading.values[0]!.absent)).to.deep.equal(['Not performed', 'Recorded as text: “irregular”', 'No number recorded', undefined]);
    expect(hr.latest?.date).to.equal('2024-01-04');
  });

  it('leaves out entered-in-error and cancelled Observations, and counts a repeated id once', () => {
    const weight = (value: number, extra: Partial<Observation> = {}) => obs('29463-7', { valueQuantity: { value, unit: 'kg', system: UCUM, code: 'kg' }, ...extra });
    const kept = weight(70.2);
    const view = toVitalsView([
      kept,
      { ...kept },
      weight(702, { status: 'entered-in-error' }),
      weight(70, { status: 'cancelled' }),
      weight(70.4, { status: 'amended', effectiveDateTime: '2024-04-01' }),
    ]);
    expect(values(view, 'weight')).to.deep.equal([70.2, 70.4]);
    expect(series(view, 'weight').readings[1]!.status).to.equal('amended');
    expect(view.excluded).to.equal(2);
  });

  it('carries the record: resource id, clinical date, performer, unit and display unit', () => {
    const view = toVitalsView([
      obs('8310-5', {
        id: 'temp-1',
        effectiveDateTime: '2024-03-01T09:30:00-05:00',
        performer: [{ reference: 'Practitioner/n1', display: 'Jordan Blake, RN' }],
        encounter: { reference: 'Encounter/e1' },
        valueQuantity: { value: 100.4, unit: 'degF', system: UCUM, code: '[degF]' },
        meta: { lastUpdated: '2025-12-31T00:00:00Z' },
      }),
    ]);
    const temp = series(view, 'temp');
    const reading = temp.readings[0]!;
    expect(reading.resourceIds).to.deep.equal(['temp-1']);
    expect(reading.date).to.equal('2024-03-01T09:30:00-05:00');
    expect(reading.dateSource).to.equal('effective');
    expect(reading.time).to.equal(Date.parse('2024-03-01T14:30:00Z'));
    expect(reading.performer).to.equal('Jordan Blake, RN');
    expect(reading.encounter).to.equal('Encounter/e1');
    expect(temp.unit).to.equal('Cel');
    expect(temp.unitLabel).to.equal('°C');
    expect(reading.values[0]!.value).to.be.closeTo(38, 1e-9);
    expect(reading.values[0]!.original).to.deep.equal({ value: 100.4, unit: 'degF' });
  });

  it('dates by effective[x], then issued; never by meta.lastUpdated', () => {
    const hr = (extra: Partial<Observation>) => obs('8867-4', { effectiveDateTime: undefined, valueQuantity: { value: 60, unit: '/min', code: '/min', system: UCUM }, ...extra });
    const view = toVitalsView([
      hr({ id: 'period', effectivePeriod: { start: '2024-01-05T10:00:00Z', end: '2024-01-05T10:05:00Z' } }),
      hr({ id: 'issued', issued: '2024-01-06T10:00:00Z' }),
      hr({ id: 'updated-only', meta: { lastUpdated: '2024-01-07T10:00:00Z' } }),
      hr({ id: 'month', effectiveDateTime: '2023-11' }),
    ]);
    const result = series(view, 'hr');
    expect(result.readings.map((reading) => [reading.key, reading.dateSource])).to.deep.equal([
      ['month', 'effective'],
      ['period', 'effective'],
      ['issued', 'issued'],
    ]);
    expect(result.undated.map((reading) => reading.key)).to.deep.equal(['updated-only']);
    expect(formatVitalDate(result.readings[0]!, { locale: 'en-US' })).to.equal('Nov 2023');
  });

  it('never throws on malformed input', () => {
    const garbage: unknown[] = [
      null,
      42,
      'x',
      { resourceType: 'Observation' },
      { resourceType: 'Observation', code: 'bp' },
      { resourceType: 'Observation', code: { coding: 'x' } },
      { resourceType: 'Observation', code: code('85354-9'), component: 'x', effectiveDateTime: 20240101 },
      { resourceType: 'Observation', code: code('85354-9'), component: [null, { code: null }, { code: code('8480-6'), valueQuantity: { value: '120' } }] },
      { resourceType: 'Observation', code: code('8867-4'), valueQuantity: { value: Infinity }, referenceRange: 'x', interpretation: [null] },
      { resourceType: 'Observation', code: code('29463-7'), valueQuantity: { value: 70, unit: 42 }, performer: [null, 'x'] },
    ];
    expect(() => toVitalsView(garbage)).not.to.throw();
    expect(() => toVitalsView(null)).not.to.throw();
    expect(() => toVitalsView({})).not.to.throw();
    const view = toVitalsView(garbage);
    expect(series(view, 'bp').readings.length + series(view, 'bp').undated.length).to.equal(2);
    expect(series(view, 'bp').undated.flatMap((reading) => reading.values.map((value) => value.value))).to.deep.equal([null, null, null, null]);
  });
});

describe('toVitalsView: units', () => {
  after(() => setUcumLoader(undefined));

  it('reads a unit written as text when there is no code', () => {
    const view = toVitalsView([
      obs('29463-7', { valueQuantity: { value: 154.3, unit: 'lbs' } }),
      obs('8867-4', { valueQuantity: { value: 88, unit: 'beats/minute' } }),
      obs('8310-5', { valueQuantity: { value: 98.6, unit: '°F' } }),
    ]);
    expect(values(view, 'weight')[0]).to.be.closeTo(69.989, 0.001);
    expect(values(view, 'hr')).to.deep.equal([88]);
    expect(values(view, 'temp')[0]).to.be.closeTo(37, 1e-9);
    expect(view.pendingConversions).to.deep.equal([]);
  });

  it('takes a unit-less value of a single-unit vital in that unit, but never guesses a weight unit', () => {
    const view = toVitalsView([obs('8867-4', { valueQuantity: { value: 70 } }), obs('29463-7', { valueQuantity: { value: 70 } })]);
    expect(values(view, 'hr')).to.deep.equal([70]);
    expect(values(view, 'weight')).to.deep.equal([null]);
    expect(series(view, 'weight').readings[0]!.values[0]!.absent).to.equal('No unit recorded');
  });

  it('shows US units on request, and any UCUM display unit per vital', () => {
    const resources = [
      obs('29463-7', { valueQuantity: { value: 70, unit: 'kg', system: UCUM, code: 'kg' } }),
      obs('8302-2', { valueQuantity: { value: 30.48, unit: 'cm', system: UCUM, code: 'cm' } }),
      obs('8310-5', { valueQuantity: { value: 37, unit: 'Cel', system: UCUM, code: 'Cel' } }),
    ];
    const us = toVitalsView(resources, { units: 'us' });
    expect(values(us, 'weight')[0]).to.be.closeTo(154.3236, 1e-4);
    expect(values(us, 'height')[0]).to.be.closeTo(12, 1e-9);
    expect(values(us, 'temp')[0]).to.be.closeTo(98.6, 1e-9);
    expect(us.series.map((item) => item.unitLabel)).to.deep.equal(['°F', 'lb', 'in']);
    const grams = toVitalsView(resources, { displayUnits: { weight: 'g' } });
    expect(values(grams, 'weight')).to.deep.equal([70000]);
  });

  it('leaves a unit off the fast paths pending until a UCUM converter is given', async () => {
    const resources = [obs('85354-9', { component: [{ code: code('8480-6'), valueQuantity: { value: 16, unit: 'kPa', system: UCUM, code: 'kPa' } }, diastolic(80)] })];
    const first = toVitalsView(resources, { converter: basicUnitConverter });
    expect(first.pendingConversions).to.deep.equal([{ from: 'kPa', to: 'mm[Hg]' }]);
    expect(series(first, 'bp').readings[0]!.values.map((value) => value.value)).to.deep.equal([null, 80]);

    setUcumLoader(loadUcumBrowserBuild);
    const second = toVitalsView(resources, { converter: await loadUnitConverter() });
    expect(second.pendingConversions).to.deep.equal([]);
    expect(series(second, 'bp').readings[0]!.values[0]!.value).to.be.closeTo(120.01, 0.01);
  });
});

describe('toVitalsView: ranges and flags', () => {
  const hr = (value: number, extra: Partial<Observation> = {}) =>
    obs('8867-4', { valueQuantity: { value, unit: '/min', system: UCUM, code: '/min' }, referenceRange: [{ low: { value: 60, unit: '/min' }, high: { value: 100, unit: '/min' } }], ...extra });
  const H = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }] };
  const N = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'N' }] };

  it('carries the reference range and flags from the interpretation, else from the range', () => {
    const view = toVitalsView([
      hr(90, { effectiveDateTime: '2024-01-01', interpretation: [H] }),
      hr(120, { effectiveDateTime: '2024-01-02' }),
      hr(50, { effectiveDateTime: '2024-01-03' }),
      hr(110, { effectiveDateTime: '2024-01-04', interpretation: [N] }),
      hr(75, { effectiveDateTime: '2024-01-05' }),
    ]);
    const readings = series(view, 'hr').readings;
    expect(readings.map((reading) => readingFlag(reading)?.code)).to.deep.equal(['H', 'H', 'L', undefined, undefined]);
    expect(readings.map((reading) => readingFlag(reading)?.source)).to.deep.equal(['interpretation', 'range', 'range', undefined, undefined]);
    expect(readings[0]!.values[0]!.range).to.deep.equal({ low: 60, high: 100 });
  });

  it('still checks the range when the interpretation has a code it does not know, or only text', () => {
    const view = toVitalsView([
      hr(140, { effectiveDateTime: '2024-01-01', interpretation: [{ coding: [{ system: 'http://example.org/local-flags', code: 'N' }] }] }),
      hr(140, { effectiveDateTime: '2024-01-02', interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'XYZ' }] }] }),
      hr(140, { effectiveDateTime: '2024-01-03', interpretation: [{ text: 'Reviewed' }] }),
      hr(140, { effectiveDateTime: '2024-01-04', interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0078', code: 'N' }] }] }),
    ]);
    const readings = series(view, 'hr').readings;
    expect(readings.map((reading) => readingFlag(reading)?.label)).to.deep.equal(['High', 'High', 'High', undefined]);
    expect(readings.map((reading) => readingFlag(reading)?.source)).to.deep.equal(['range', 'range', 'range', undefined]);
  });

  it('keeps the range text, and picks the normal range over one for another population', () => {
    const view = toVitalsView([
      obs('8867-4', {
        effectiveDateTime: '2024-01-01',
        valueQuantity: { value: 95, unit: '/min', system: UCUM, code: '/min' },
        referenceRange: [
          { low: { value: 100, unit: '/min' }, high: { value: 160, unit: '/min' }, appliesTo: [{ text: 'Newborn' }] },
          { low: { value: 60, unit: '/min' }, high: { value: 100, unit: '/min' }, text: '60-100 beats/min at rest' },
        ],
      }),
      obs('8867-4', { effectiveDateTime: '2024-01-02', valueQuantity: { value: 80, unit: '/min', system: UCUM, code: '/min' }, referenceRange: [{ text: 'Resting: under 100' }] }),
    ]);
    const [first, second] = series(view, 'hr').readings;
    expect(first!.values[0]!.range).to.deep.equal({ low: 60, high: 100, text: '60-100 beats/min at rest' });
    expect(readingFlag(first!)).to.equal(undefined); // 95 is inside the range that applies, not below the newborn one
    expect(second!.values[0]!.range).to.deep.equal({ text: 'Resting: under 100' });
    expect(formatVitalRange(second!.values[0], series(view, 'hr'))).to.equal('Resting: under 100');
    expect(formatVitalRange({ value: 1, range: { low: 95 } }, { decimals: 0 })).to.equal('≥ 95');
  });

  it('converts the range to the display unit with the value', () => {
    const view = toVitalsView(
      [obs('8310-5', { valueQuantity: { value: 37, unit: 'Cel', system: UCUM, code: 'Cel' }, referenceRange: [{ low: { value: 36.1, unit: 'Cel', system: UCUM, code: 'Cel' }, high: { value: 38, unit: 'Cel', system: UCUM, code: 'Cel' } }] })],
      { units: 'us' },
    );
    const range = series(view, 'temp').readings[0]!.values[0]!.range!;
    expect(range.low).to.be.closeTo(96.98, 1e-9);
    expect(range.high).to.be.closeTo(100.4, 1e-9);
  });

  it('flags only the half of a BP panel that is outside its own range, or the reading once', () => {
    const range = (low: number, high: number) => [{ low: { value: low, unit: 'mmHg' }, high: { value: high, unit: 'mmHg' } }];
    const view = toVitalsView([
      obs('85354-9', {
        effectiveDateTime: '2024-01-01',
        interpretation: [H],
        component: [
          { ...systolic(150), referenceRange: range(90, 139) },
          { ...diastolic(78), referenceRange: range(60, 89) },
        ],
      }),
      obs('85354-9', { effectiveDateTime: '2024-01-02', interpretation: [H], component: [systolic(150), diastolic(78)] }),
    ]);
    const [ranged, plain] = series(view, 'bp').readings;
    expect(ranged!.values.map((value) => value.flag?.code)).to.deep.equal(['H', undefined]);
    expect(plain!.values.filter((value) => value.flag)).to.have.length(1);
    expect(readingFlag(plain!)?.label).to.equal('High');
  });

  it('flags a blood pressure half from its component interpretation', () => {
    const view = toVitalsView([obs('85354-9', { component: [{ ...systolic(162), interpretation: [H] }, diastolic(88)] })]);
    const reading = series(view, 'bp').readings[0]!;
    expect(reading.values.map((value) => value.flag?.code)).to.deep.equal(['H', undefined]);
  });
});

describe('vitals helpers', () => {
  it('parses a vitals list in clinical order, ignoring unknown names', () => {
    expect(parseVitalKinds('weight, bp hr,nonsense,Temperature')).to.deep.equal(['bp', 'hr', 'temp', 'weight']);
    expect(parseVitalKinds(undefined)).to.deep.equal([]);
  });

  it('selects readings within a time range', () => {
    const view = toVitalsView(
      ['2020-01-01', '2022-01-01', '2024-01-01', '2025-01-01'].map((date) => obs('8867-4', { effectiveDateTime: date, valueQuantity: { value: 70, unit: '/min', code: '/min', system: UCUM } })),
    );
    const hr = series(view, 'hr');
    const from = new Date(2021, 5, 1).getTime();
    expect(readingsBetween(hr, from, Infinity).map((reading) => reading.date)).to.deep.equal(['2022-01-01', '2024-01-01', '2025-01-01']);
    expect(readingsBetween(hr, -Infinity, Infinity)).to.equal(hr.readings);
  });

  it('builds 50,000 readings without a UCUM load', () => {
    const start = Date.UTC(2020, 0, 1);
    const resources = Array.from({ length: 50_000 }, (_, i) =>
      obs('8867-4', { effectiveDateTime: new Date(start + i * 60_000).toISOString(), valueQuantity: { value: 60 + (i % 40), unit: '/min', system: UCUM, code: '/min' } }),
    );
    const view = toVitalsView(resources);
    expect(series(view, 'hr').readings).to.have.length(50_000);
    expect(view.pendingConversions).to.deep.equal([]);
  });
});

// The UCUM library, as units.test.ts loads it (see there why).
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

describe('decimateVitalPoints', () => {
  /** 50,000 points: a slow sine with a 2 % share of gaps (runs of 5 nulls), a spike and a dip, and 499 flagged points. */
  function longSeries() {
    const points: { x: number; y: number | null; flagged: boolean }[] = [];
    for (let i = 0; i < 50_000; i++) {
      const gap = i % 250 >= 245;
      const y = gap ? null : i === 12_345 ? 400 : i === 33_333 ? -50 : 100 + 20 * Math.sin(i / 500);
      points.push({ x: i, y, flagged: !gap && i % 100 === 7 && i < 49_900 });
    }
    return points;
  }
  const options = { samples: 500, value: (point: { y: number | null }) => point.y };

  it('draws a bounded number of points, with one null marker per gap and no null drawn as a value', () => {
    const points = longSeries();
    const gaps = points.filter((point, i) => point.y === null && (i === 0 || points[i - 1]!.y !== null)).length;
    const drawn = decimateVitalPoints(points, options);
    const nulls = drawn.filter((point) => point.y === null).length;
    expect(nulls).to.equal(gaps);
    expect(drawn.length - nulls).to.be.at.most(2 * 500 + 2 * (gaps + 1));
    // The markers are where the gaps are: between the last value before and the first after.
    for (let i = 0; i < drawn.length; i++) {
      if (drawn[i]!.y !== null) continue;
      if (drawn[i]!.x > 0) expect(points[drawn[i]!.x - 1]!.y).not.to.equal(null);
    }
    // In order.
    expect(drawn.every((point, i) => i === 0 || drawn[i - 1]!.x < point.x)).to.equal(true);
  });

  it('keeps the extremes and the first and last values', () => {
    const drawn = decimateVitalPoints(longSeries(), options);
    expect(drawn.some((point) => point.y === 400)).to.equal(true);
    expect(drawn.some((point) => point.y === -50)).to.equal(true);
    expect(drawn[0]!.x).to.equal(0);
    expect(drawn.filter((point) => point.y !== null).pop()!.x).to.equal(49_994); // 49,995-49,999 are a gap
  });

  it('keeps every point asked for (flagged readings)', () => {
    const points = longSeries();
    const flagged = points.filter((point) => point.flagged);
    expect(flagged).to.have.length(499);
    const drawn = decimateVitalPoints(points, { ...options, keep: (point) => point.flagged });
    expect(drawn.filter((point) => point.flagged)).to.have.length(499);
  });

  it('returns a short series as it is', () => {
    const points = [{ y: 1 }, { y: null }, { y: null }, { y: 3 }];
    expect(decimateVitalPoints(points, options)).to.deep.equal(points);
  });
});


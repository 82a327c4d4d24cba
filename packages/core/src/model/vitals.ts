import { formatFhirDate, fhirDateInstant, parseFhirDate, type ParsedFhirDate } from '../format/fhir-date.js';
import { resolveLocale } from '../format/locale.js';
import { DATA_ABSENT_REASON_LABELS as ABSENT_REASONS, interpretationOf } from './observation-value.js';
import { referenceKey } from './codeable.js';
import { conceptText, isObject, objects, text, type JsonObject } from './read.js';
import { basicUnitConverter, isFastPathUnit, unitCodeFromText, type UnitConverter, type UnitDimension } from './units.js';
import {
  VITAL_CODE_INDEX,
  VITAL_DEFINITIONS,
  VITAL_KINDS,
  SNOMED_BLOOD_PRESSURE,
  type BloodPressureMeasure,
  type VitalCode,
  type VitalKind,
} from './vitals-codes.js';

export { VITAL_CODES, VITAL_DEFINITIONS, VITAL_KINDS, vitalSignCodes } from './vitals-codes.js';
export type { BloodPressureMeasure, VitalCode, VitalCodeRole, VitalDefinition, VitalKind } from './vitals-codes.js';

/** `metric` (default): kg, cm, °C. `us`: lb, in, °F. */
export type VitalUnitSystem = 'metric' | 'us';

/** An abnormal flag, from the Observation's interpretation or, when it has none, from its reference range. */
export interface VitalFlag {
  /** `H`, `HH`, `L`, `LL`, `A` or `AA` (v3-ObservationInterpretation). */
  readonly code: 'H' | 'HH' | 'L' | 'LL' | 'A' | 'AA';
  /** "High", "Critically high", "Low", "Critically low", "Abnormal", "Critically abnormal". */
  readonly label: string;
  /** Where the flag came from: the record's own interpretation, or a comparison with its reference range. */
  readonly source: 'interpretation' | 'range';
}

/** One measured value of a reading (blood pressure has two), in the series' display unit. */
export interface VitalValue {
  /** The value in the display unit; null is a gap (data absent, not recorded, not convertible): never 0. */
  readonly value: number | null;
  /** `<`, `<=`, `>=` or `>` when the record gives the value as a bound (Quantity.comparator). */
  readonly comparator?: string;
  /** The value as recorded, when its unit is not the display unit. */
  readonly original?: { readonly value: number; readonly unit: string };
  /** Why there is no value: the dataAbsentReason's text ("Unknown"), "Not recorded", or a unit problem. */
  readonly absent?: string;
  readonly flag?: VitalFlag;
  /** The reference range, in the display unit; `text` as the record words it (ReferenceRange.text). */
  readonly range?: { readonly low?: number; readonly high?: number; readonly text?: string };
}

/** One reading: a single Observation, or a systolic and a diastolic Observation paired. */
export interface VitalReading {
  /** Unique within its series: the resource id, or both ids of a paired blood pressure. */
  readonly key: string;
  /** The Observation ids this reading came from. */
  readonly resourceIds: readonly string[];
  /**
   * Where the reading sits on a time axis, in epoch milliseconds: the moment of a dateTime
   * with a zone; a time without a zone and a date without a time are read in the viewer's
   * zone (a date at noon, so it stays on its day); NaN when the reading has no date.
   */
  readonly time: number;
  /** The clinical date as recorded (effective[x], else issued); partial dates stay partial. */
  readonly date?: string;
  /** Which element `date` came from. */
  readonly dateSource?: 'effective' | 'issued';
  /** Values in the order of the series' measures (blood pressure: systolic, diastolic). */
  readonly values: readonly VitalValue[];
  /** Who took it (the first performer's display), when the record says. */
  readonly performer?: string;
  /** The encounter reference, when there is one. */
  readonly encounter?: string;
  /** What was measured, as the record names it ("Oral temperature"), when it is more specific than the series. */
  readonly codeText?: string;
  /** Observation.status when it is not final (preliminary, amended, corrected, unknown, registered). */
  readonly status?: string;
}

export interface VitalMeasure {
  readonly key: 'value' | BloodPressureMeasure;
  /** "Systolic", "Diastolic", or the vital's label. */
  readonly label: string;
}

export interface VitalSeries {
  readonly kind: VitalKind;
  /** "Blood pressure". */
  readonly label: string;
  /** The UCUM code every value is shown in. */
  readonly unit: string;
  /** The unit for people: "mmHg", "°C", "kg", "bpm". */
  readonly unitLabel: string;
  /** Fraction digits shown for values of this unit. */
  readonly decimals: number;
  readonly measures: readonly VitalMeasure[];
  /** Readings with a date, oldest first. */
  readonly readings: readonly VitalReading[];
  /** Readings without any date: listed, never placed on a time axis. */
  readonly undated: readonly VitalReading[];
  /** The newest dated reading that has a value. */
  readonly latest?: VitalReading;
}

export interface VitalsView {
  /** One series per vital with at least one reading, in clinical reading order (BP, HR, RR, temperature, SpO2, weight, height, BMI, head circumference). */
  readonly series: readonly VitalSeries[];
  /**
   * Unit pairs the converter could not handle (with {@link basicUnitConverter}: any pair
   * off the fast paths). Their values are gaps until the view is built again with a UCUM
   * converter (`loadUnitConverter()`).
   */
  readonly pendingConversions: readonly { readonly from: string; readonly to: string }[];
  /** Observations of vitals left out as entered-in-error or cancelled. */
  readonly excluded: number;
}

export interface VitalsViewOptions {
  /** `metric` (default) or `us`. */
  readonly units?: VitalUnitSystem;
  /** A UCUM display unit per vital, overriding `units` (e.g. `{ weight: 'g' }` on a neonatal ward). */
  readonly displayUnits?: Partial<Record<VitalKind, string>>;
  /** Converts values to the display units. Default {@link basicUnitConverter} (no UCUM load). */
  readonly converter?: UnitConverter;
  /** The vitals to build (default all). */
  readonly kinds?: readonly VitalKind[];
}

// LOINC's FHIR system URI, and its HL7 OID as some v2-derived feeds send it (as labs.ts reads it).
const LOINC_SYSTEMS: readonly string[] = ['http://loinc.org', 'urn:oid:2.16.840.1.113883.6.1'];
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';

interface UnitDisplay {
  readonly label: string;
  readonly decimals: number;
}

const UNIT_DISPLAY: Record<string, UnitDisplay> = {
  'mm[Hg]': { label: 'mmHg', decimals: 0 },
  '/min': { label: '/min', decimals: 0 },
  Cel: { label: '°C', decimals: 1 },
  '[degF]': { label: '°F', decimals: 1 },
  K: { label: 'K', decimals: 2 },
  '%': { label: '%', decimals: 0 },
  kg: { label: 'kg', decimals: 1 },
  g: { label: 'g', decimals: 0 },
  '[lb_av]': { label: 'lb', decimals: 1 },
  '[oz_av]': { label: 'oz', decimals: 1 },
  cm: { label: 'cm', decimals: 1 },
  mm: { label: 'mm', decimals: 0 },
  m: { label: 'm', decimals: 2 },
  '[in_i]': { label: 'in', decimals: 1 },
  '[ft_i]': { label: 'ft', decimals: 2 },
  'kg/m2': { label: 'kg/m²', decimals: 1 },
};

// v3-ObservationInterpretation codes that flag a value (N, normal, flags nothing; any other code leaves it to the range).
const FLAGS: Record<string, Pick<VitalFlag, 'code' | 'label'>> = {
  H: { code: 'H', label: 'High' },
  HU: { code: 'H', label: 'High' },
  HH: { code: 'HH', label: 'Critically high' },
  L: { code: 'L', label: 'Low' },
  LU: { code: 'L', label: 'Low' },
  LL: { code: 'LL', label: 'Critically low' },
  A: { code: 'A', label: 'Abnormal' },
  AA: { code: 'AA', label: 'Critically abnormal' },
};

/** The UCUM unit a vital is shown in, under `options` (`displayUnits`, else `units`). */
export function vitalDisplayUnit(kind: VitalKind, options: Pick<VitalsViewOptions, 'units' | 'displayUnits'> = {}): string {
  const chosen = text(options.displayUnits?.[kind]);
  if (chosen) return chosen;
  const definition = VITAL_DEFINITIONS[kind];
  return options.units === 'us' ? definition.usUnit : definition.metricUnit;
}

/** The unit for people ("°F", "lb", "bpm") and the fraction digits shown for it. */
export function vitalUnitDisplay(kind: VitalKind, unit: string): UnitDisplay {
  if (kind === 'hr' && unit === '/min') return { label: 'bpm', decimals: 0 };
  return UNIT_DISPLAY[unit] ?? { label: unit, decimals: 2 };
}

/**
 * The vital a FHIR Observation records, by LOINC code (never by position or text), with
 * the table entry that matched; undefined for anything else. A blood pressure panel wins
 * over a component code listed beside it.
 */
export function vitalCodeOf(observation: unknown): VitalCode | undefined {
  if (!isObject(observation) || observation.resourceType !== 'Observation') return undefined;
  return codeOf(observation.code, observation.category);
}

function codeOf(concept: unknown, category: unknown): VitalCode | undefined {
  if (!isObject(concept)) return undefined;
  let found: VitalCode | undefined;
  let snomedPanel = false;
  for (const coding of objects(concept.coding)) {
    if (coding.system === SNOMED && text(coding.code) === SNOMED_BLOOD_PRESSURE.code) {
      snomedPanel = true; // only when no LOINC code says more
      continue;
    }
    // LOINC codes are kept when the system is missing too: some feeds leave it out.
    if (coding.system !== undefined && !LOINC_SYSTEMS.includes(coding.system as string)) continue;
    const code = typeof coding.code === 'string' ? VITAL_CODE_INDEX.get(coding.code.trim()) : undefined;
    if (!code) continue;
    if (code.alsoLaboratory && !isVitalSignsOrUncategorised(category)) continue;
    if (code.is.role === 'bp-panel') return code;
    found ??= code;
  }
  return found ?? (snomedPanel ? SNOMED_BLOOD_PRESSURE : undefined);
}

function isVitalSignsOrUncategorised(category: unknown): boolean {
  const concepts = objects(category);
  if (concepts.length === 0) return true;
  return concepts.some((concept) => objects(concept.coding).some((coding) => coding.code === 'vital-signs'));
}

/**
 * Vital signs over time, from FHIR R4 Observations (US Core vital signs profiles), for a
 * chart and a table. Pure and total: any element may be missing or malformed and a view
 * still comes back; it never throws.
 *
 * - Vitals are found by LOINC code (the table in vitals-codes.ts), with or without the
 *   vital-signs category; other resources are ignored.
 * - Blood pressure is one series of paired readings: from a panel (85354-9, 55284-4,
 *   35094-2) whose components are matched by CODE, never by position, or from separate
 *   systolic and diastolic Observations paired by effective time and encounter.
 *   A panel with no components but `hasMember` is a grouper: its members are the readings.
 * - FHIR R4 Observation.status: `entered-in-error` (never valid) and `cancelled` (never
 *   completed) are left out. Resources repeated with the same id are counted once.
 * - A dataAbsentReason, a missing component, a value that is not a Quantity or a unit that
 *   cannot be read makes a GAP (value null, with the reason), never a zero.
 * - Units: `Quantity.code` (UCUM), else the unit text where it is unambiguous for the
 *   vital ("lbs", "°F", "beats/minute"); values are converted to the display unit with
 *   `options.converter`.
 * - Reference ranges and interpretation flags are carried; without an interpretation, a
 *   value outside its reference range is flagged from the range.
 */
export function toVitalsView(resources: unknown, options: VitalsViewOptions = {}): VitalsView {
  const converter = options.converter ?? basicUnitConverter;
  const kinds = new Set(options.kinds ?? VITAL_KINDS);
  const pending = new Map<string, { from: string; to: string }>();
  const context: BuildContext = { converter, pending };

  // Later copies of a resource (same id) replace earlier ones, as a server's update would.
  const byId = new Map<string, JsonObject>();
  const anonymous: JsonObject[] = [];
  for (const resource of Array.isArray(resources) ? resources : []) {
    if (!isObject(resource) || resource.resourceType !== 'Observation') continue;
    const id = text(resource.id);
    if (id) byId.set(id, resource);
    else anonymous.push(resource);
  }

  const readings = new Map<VitalKind, VitalReading[]>();
  const add = (kind: VitalKind, reading: VitalReading) => {
    const list = readings.get(kind);
    if (list) list.push(reading);
    else readings.set(kind, [reading]);
  };
  const parts: BloodPressurePart[] = [];
  const groupers: Set<string>[] = [];
  let excluded = 0;
  let index = 0;

  for (const observation of [...byId.values(), ...anonymous]) {
    index += 1;
    const code = codeOf(observation.code, observation.category);
    if (!code) continue;
    const kind: VitalKind = code.is.role === 'value' ? code.is.kind : 'bp';
    if (!kinds.has(kind)) continue;
    if (observation.status === 'entered-in-error' || observation.status === 'cancelled') {
      excluded += 1;
      continue;
    }
    const id = text(observation.id) ?? `#${index}`;
    const unit = vitalDisplayUnit(kind, options);
    const target: Target = { unit, label: vitalUnitDisplay(kind, unit).label, dimension: VITAL_DEFINITIONS[kind].dimension };
    const base = readingBase(observation, id, code);

    if (code.is.role === 'value') {
      add(kind, { ...base, values: [measure(observation, observation, target, context)] });
    } else if (code.is.role === 'bp-part') {
      parts.push({ measure: code.is.measure, variant: code.is.variant, key: id, resourceId: id, base, value: measure(observation, observation, target, context) });
    } else {
      const components: { measure: BloodPressureMeasure; variant?: string; component: JsonObject }[] = [];
      for (const component of objects(observation.component)) {
        const role = codeOf(component.code, undefined)?.is;
        if (role?.role === 'bp-part') components.push({ measure: role.measure, variant: role.variant, component });
      }
      // A panel that only groups separate systolic and diastolic Observations (hasMember) is
      // not a reading: its members are, and they are paired through it (FHIR R4 vitalsigns:
      // a panel carries its values as components or references them as hasMember).
      if (objects(observation.component).length === 0 && objects(observation.hasMember).length > 0 && observation.dataAbsentReason === undefined) {
        const members = new Set<string>();
        for (const member of objects(observation.hasMember)) {
          const key = referenceKey(member.reference);
          if (key?.type === 'Observation') members.add(key.id);
        }
        groupers.push(members);
        continue;
      }
      const systolics = components.filter((entry) => entry.measure === 'systolic');
      const diastolics = components.filter((entry) => entry.measure === 'diastolic');
      if (systolics.length <= 1 && diastolics.length <= 1) {
        const half = (entry: (typeof components)[number] | undefined): VitalValue =>
          entry
            ? measure(entry.component, observation, target, context)
            : { value: null, absent: absentReason(observation.dataAbsentReason) ?? 'Not recorded' };
        const variant = systolics[0]?.variant ?? diastolics[0]?.variant;
        const values = withPanelInterpretation(observation, [
          { component: systolics[0]?.component, value: half(systolics[0]) },
          { component: diastolics[0]?.component, value: half(diastolics[0]) },
        ]);
        add('bp', { ...base, ...(variant ? { codeText: variant } : {}), values });
      } else {
        // More than one systolic or diastolic in one panel (sitting and standing, say): none is
        // dropped; they are paired by variant like separate Observations.
        const values = withPanelInterpretation(
          observation,
          components.map((entry) => ({ component: entry.component, value: measure(entry.component, observation, target, context) })),
        );
        const halves = components.map((entry, position) => ({
          measure: entry.measure,
          variant: entry.variant,
          key: `${id}#${position}`,
          resourceId: id,
          base,
          value: values[position]!,
        }));
        for (const reading of pairGroup(halves)) add('bp', reading);
      }
    }
  }

  for (const reading of pairBloodPressure(parts, groupers)) add('bp', reading);

  const series: VitalSeries[] = [];
  for (const kind of VITAL_KINDS) {
    const list = readings.get(kind);
    if (!list || !kinds.has(kind)) continue;
    const unit = vitalDisplayUnit(kind, options);
    const display = vitalUnitDisplay(kind, unit);
    // Weights in kg: 0.1 kg for children and adults, 0.01 kg (10 g) for babies.
    const decimals = unit === 'kg' && !list.some((reading) => reading.values.some((value) => value.value !== null && value.value >= 10)) ? 2 : display.decimals;
    const dated = list.filter((reading) => !Number.isNaN(reading.time)).sort(byTime);
    const undated = list.filter((reading) => Number.isNaN(reading.time));
    let latest: VitalReading | undefined;
    for (let i = dated.length - 1; i >= 0 && !latest; i--) {
      if (dated[i]!.values.some((value) => value.value !== null)) latest = dated[i];
    }
    const label = VITAL_DEFINITIONS[kind].label;
    series.push({
      kind,
      label,
      unit,
      unitLabel: display.label,
      decimals,
      measures:
        kind === 'bp'
          ? [
              { key: 'systolic', label: 'Systolic' },
              { key: 'diastolic', label: 'Diastolic' },
            ]
          : [{ key: 'value', label }],
      readings: dated,
      undated,
      ...(latest ? { latest } : {}),
    });
  }
  return { series, pendingConversions: [...pending.values()], excluded };
}

/** Parses a `vitals` list ("bp,hr,weight"; also "blood-pressure", "temperature", "spo2" ...) into kinds, in clinical order. Unknown names are ignored. */
export function parseVitalKinds(value: unknown): VitalKind[] {
  if (typeof value !== 'string') return [];
  const aliases: Record<string, VitalKind> = {
    bp: 'bp', 'blood-pressure': 'bp', bloodpressure: 'bp',
    hr: 'hr', 'heart-rate': 'hr', pulse: 'hr',
    rr: 'rr', 'respiratory-rate': 'rr', resp: 'rr',
    temp: 'temp', temperature: 'temp',
    spo2: 'spo2', 'oxygen-saturation': 'spo2', o2sat: 'spo2', sat: 'spo2',
    weight: 'weight', wt: 'weight',
    height: 'height', ht: 'height', length: 'height',
    bmi: 'bmi',
    head: 'head', 'head-circumference': 'head', hc: 'head', ofc: 'head',
  };
  const wanted = new Set(
    value
      .split(/[\s,]+/)
      .map((name) => aliases[name.trim().toLowerCase()])
      .filter((kind): kind is VitalKind => kind !== undefined),
  );
  return VITAL_KINDS.filter((kind) => wanted.has(kind));
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number with at most `decimals` fraction digits, in `locale` ("37.8", "1,204"). */
export function formatVitalNumber(value: number, decimals: number, locale?: string): string {
  const resolved = resolveLocale(locale);
  const key = `${resolved}|${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(resolved, { maximumFractionDigits: decimals, useGrouping: false });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** One value for people: "128", ">99", or "—" for a gap. */
export function formatVitalValue(value: VitalValue | undefined, series: Pick<VitalSeries, 'decimals'>, locale?: string): string {
  if (!value || value.value === null) return '—';
  return `${value.comparator ?? ''}${formatVitalNumber(value.value, series.decimals, locale)}`;
}

/** A reading's values for people: "128/82" for blood pressure, "72" otherwise ("128/—" when one half is missing). */
export function formatVitalReading(reading: VitalReading, series: Pick<VitalSeries, 'decimals'>, locale?: string): string {
  return reading.values.map((value) => formatVitalValue(value, series, locale)).join('/');
}

/** A reading's date for people ("Mar 3, 2026, 9:15 AM"; partial dates stay partial); "No date" when it has none. */
export function formatVitalDate(reading: Pick<VitalReading, 'date'>, options: { locale?: string; time?: boolean } = {}): string {
  if (!reading.date) return 'No date';
  return formatFhirDate(reading.date, { locale: options.locale, time: options.time ?? true }) ?? reading.date;
}

/** A value's reference range for people: its text as recorded, else "60–100", "≥ 95", "≤ 140"; "—" when it has none. */
export function formatVitalRange(value: VitalValue | undefined, series: Pick<VitalSeries, 'decimals'>, locale?: string): string {
  const range = value?.range;
  if (!range) return '—';
  if (range.text) return range.text;
  const number = (bound: number) => formatVitalNumber(bound, series.decimals, locale);
  if (range.low !== undefined && range.high !== undefined) return `${number(range.low)}–${number(range.high)}`;
  if (range.low !== undefined) return `≥ ${number(range.low)}`;
  if (range.high !== undefined) return `≤ ${number(range.high)}`;
  return '—';
}

/** The flag to show for a reading: the most severe of its values' flags. */
export function readingFlag(reading: VitalReading): VitalFlag | undefined {
  const order = ['HH', 'LL', 'AA', 'H', 'L', 'A'];
  let best: VitalFlag | undefined;
  for (const value of reading.values) {
    if (value.flag && (!best || order.indexOf(value.flag.code) < order.indexOf(best.code))) best = value.flag;
  }
  return best;
}

/** The readings of a series whose time is within [start, end] (inclusive), oldest first. */
export function readingsBetween(series: Pick<VitalSeries, 'readings'>, start: number, end: number): readonly VitalReading[] {
  const readings = series.readings;
  const from = lowerBound(readings, start);
  let to = from;
  while (to < readings.length && readings[to]!.time <= end) to++;
  return from === 0 && to === readings.length ? readings : readings.slice(from, to);
}

/** What {@link decimateVitalPoints} needs to know of a point. */
export interface DecimationOptions<T> {
  /** Points drawn at most, about (each gap adds its marker; `keep` points come on top). */
  readonly samples: number;
  /** The point's value; null is a gap. */
  readonly value: (point: T) => number | null;
  /** Points that are always drawn (abnormal readings). */
  readonly keep?: (point: T) => boolean;
}

/**
 * The points of a long series worth drawing, in order: per run of values between gaps,
 * the lowest and the highest of each bucket (so peaks and troughs survive), the run's first
 * and last point, every point `keep` asks for, and one null marker per gap (so a gap stays a
 * gap). Chart.js's own LTTB reads a null as 0, which drew gaps as outliers; this never looks
 * at a null's value. Points shorter than `samples` come back as they are.
 */
export function decimateVitalPoints<T>(points: readonly T[], options: DecimationOptions<T>): T[] {
  const { value, keep } = options;
  const samples = Math.max(2, Math.floor(options.samples));
  const runs: [number, number][] = [];
  let valued = 0;
  for (let i = 0; i < points.length; ) {
    if (value(points[i]!) === null) {
      i++;
      continue;
    }
    const from = i;
    while (i < points.length && value(points[i]!) !== null) i++;
    runs.push([from, i]);
    valued += i - from;
  }
  if (valued <= samples) return [...points];
  const chosen = new Uint8Array(points.length);
  const buckets = Math.max(1, Math.floor(samples / 2));
  for (const [from, to] of runs) {
    const length = to - from;
    const count = Math.max(1, Math.round((buckets * length) / valued));
    if (length <= count * 2) {
      chosen.fill(1, from, to);
      continue;
    }
    chosen[from] = 1;
    chosen[to - 1] = 1;
    for (let bucket = 0; bucket < count; bucket++) {
      const start = from + Math.floor((bucket * length) / count);
      const end = from + Math.floor(((bucket + 1) * length) / count);
      let low = start;
      let high = start;
      for (let i = start + 1; i < end; i++) {
        const current = value(points[i]!)!;
        if (current < value(points[low]!)!) low = i;
        if (current > value(points[high]!)!) high = i;
      }
      chosen[low] = 1;
      chosen[high] = 1;
    }
  }
  const output: T[] = [];
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const gap = value(point) === null;
    // One marker per gap: the first null of each run of nulls.
    if (chosen[i] || (gap && (i === 0 || value(points[i - 1]!) !== null)) || (!gap && keep?.(point))) output.push(point);
  }
  return output;
}

function lowerBound(readings: readonly VitalReading[], time: number): number {
  let low = 0;
  let high = readings.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (readings[middle]!.time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

// ---------------------------------------------------------------------------

/** The unit values are shown in, and the dimension unit text is read in. */
interface Target {
  readonly unit: string;
  readonly label: string;
  readonly dimension: UnitDimension;
}

interface BuildContext {
  readonly converter: UnitConverter;
  readonly pending: Map<string, { from: string; to: string }>;
}

type ReadingBase = Omit<VitalReading, 'values'>;

interface BloodPressurePart {
  readonly measure: BloodPressureMeasure;
  /** The posture or method its code names (see VitalCodeRole). */
  readonly variant?: string;
  /** Unique: the resource id, or the panel's id and the component's position. */
  readonly key: string;
  readonly resourceId: string;
  readonly base: ReadingBase;
  readonly value: VitalValue;
}

function byTime(a: VitalReading, b: VitalReading): number {
  return a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

// The generic code of each vital (FHIR R4 vital signs profiles): nothing more to say about what was measured.
const GENERIC_CODES = new Set(['8310-5', '8867-4', '9279-1', '29463-7', '8302-2', '39156-5', '9843-4', '59408-5']);

function readingBase(observation: JsonObject, id: string, code: VitalCode): ReadingBase {
  const { date, source, time } = clinicalDate(observation);
  const performer = objects(observation.performer)
    .map((reference) => text(reference.display))
    .find(Boolean);
  const encounter = isObject(observation.encounter) ? text(observation.encounter.reference) : undefined;
  const status = typeof observation.status === 'string' && observation.status !== 'final' ? observation.status : undefined;
  // Name the site or method when the code says more than the vital ("Oral temperature").
  const codeText = GENERIC_CODES.has(code.code) || code.is.role !== 'value' ? undefined : (conceptText(observation.code) ?? code.display);
  return {
    key: id,
    resourceIds: [id],
    time,
    ...(date ? { date, dateSource: source } : {}),
    ...(performer ? { performer } : {}),
    ...(encounter ? { encounter } : {}),
    ...(codeText ? { codeText } : {}),
    ...(status ? { status } : {}),
  };
}

/** effective[x] (dateTime, Period start or end, instant), else `issued`. Never meta.lastUpdated. */
function clinicalDate(observation: JsonObject): { date?: string; source?: 'effective' | 'issued'; time: number } {
  const period = isObject(observation.effectivePeriod) ? observation.effectivePeriod : undefined;
  const found = (value: unknown, source: 'effective' | 'issued') => {
    const parsed = parseFhirDate(value);
    return parsed ? { date: (value as string).trim(), source, time: axisTime(parsed) } : undefined;
  };
  return (
    found(observation.effectiveDateTime, 'effective') ??
    found(period?.start, 'effective') ??
    found(period?.end, 'effective') ??
    found(observation.effectiveInstant, 'effective') ??
    found(observation.issued, 'issued') ?? { time: NaN }
  );
}

function axisTime(date: ParsedFhirDate): number {
  if (date.precision === 'time' && date.offsetMinutes !== undefined && date.year > 99) {
    // A moment (the common case, computed without allocating Dates).
    return Date.UTC(date.year, date.month! - 1, date.day!, date.hour!, date.minute!, date.second!, date.millisecond!) - date.offsetMinutes * 60_000;
  }
  const instant = fhirDateInstant(date);
  if (instant) return instant.getTime();
  // Partial dates sit in the middle of what they stand for; a day at local noon.
  const month = (date.month ?? 7) - 1;
  const day = date.day ?? (date.month === undefined ? 1 : 15);
  const local = new Date(2000, month, day, date.precision === 'time' ? (date.hour ?? 0) : 12, date.minute ?? 0, date.second ?? 0, date.millisecond ?? 0);
  local.setFullYear(date.year, month, day);
  return local.getTime();
}

/**
 * Separate systolic and diastolic Observations as readings: first through the panels that
 * list them (hasMember), then by effective time and encounter (the same Encounter however
 * the reference is written), and within those by code variant (see {@link pairGroup}).
 */
function pairBloodPressure(parts: readonly BloodPressurePart[], groupers: readonly Set<string>[]): VitalReading[] {
  const readings: VitalReading[] = [];
  const used = new Set<BloodPressurePart>();
  for (const members of groupers) {
    const group = parts.filter((part) => !used.has(part) && members.has(part.resourceId));
    if (group.length === 0) continue;
    for (const part of group) used.add(part);
    readings.push(...pairGroup(group));
  }
  const groups = new Map<string, BloodPressurePart[]>();
  for (const part of parts) {
    if (used.has(part)) continue;
    const when = Number.isNaN(part.base.time) ? `undated:${part.base.date ?? ''}` : String(part.base.time);
    const encounter = referenceKey(part.base.encounter);
    const key = `${when}|${encounter ? `${encounter.type}/${encounter.id}` : (part.base.encounter ?? '')}`;
    const group = groups.get(key);
    if (group) group.push(part);
    else groups.set(key, [part]);
  }
  for (const group of groups.values()) readings.push(...pairGroup(group));
  return readings;
}

/**
 * Halves taken together (same time and encounter, or one panel): a systolic and a diastolic
 * of the same variant (sitting with sitting) are a pair when each is the only one of its
 * kind; a lone plain half goes with a lone half of a variant. Anything else is ambiguous and
 * each half is its own reading with the other half missing: a wrong pair (sitting systolic
 * with standing diastolic) would show a blood pressure nobody measured.
 */
function pairGroup(group: readonly BloodPressurePart[]): VitalReading[] {
  const readings: VitalReading[] = [];
  let left = [...group];
  const take = (systolic: BloodPressurePart | undefined, diastolic: BloodPressurePart | undefined) => {
    readings.push(pairedReading(systolic, diastolic));
    left = left.filter((part) => part !== systolic && part !== diastolic);
  };
  for (const variant of new Set(group.map((part) => part.variant))) {
    const systolic = left.filter((part) => part.measure === 'systolic' && part.variant === variant);
    const diastolic = left.filter((part) => part.measure === 'diastolic' && part.variant === variant);
    if (systolic.length === 1 && diastolic.length === 1) take(systolic[0], diastolic[0]);
  }
  const systolic = left.filter((part) => part.measure === 'systolic');
  const diastolic = left.filter((part) => part.measure === 'diastolic');
  if (systolic.length === 1 && diastolic.length === 1 && (systolic[0]!.variant === undefined || diastolic[0]!.variant === undefined)) take(systolic[0], diastolic[0]);
  for (const part of [...left]) take(part.measure === 'systolic' ? part : undefined, part.measure === 'diastolic' ? part : undefined);
  return readings;
}

function pairedReading(sys: BloodPressurePart | undefined, dia: BloodPressurePart | undefined): VitalReading {
  const missing: VitalValue = { value: null, absent: 'Not recorded' };
  const first = (sys ?? dia)!;
  const performer = sys?.base.performer ?? dia?.base.performer;
  const variant = sys?.variant ?? dia?.variant;
  return {
    ...first.base,
    key: [sys?.key, dia?.key].filter((key): key is string => key !== undefined).join('+'),
    resourceIds: [...new Set([sys?.resourceId, dia?.resourceId].filter((id): id is string => id !== undefined))],
    ...(performer ? { performer } : {}),
    ...(variant ? { codeText: variant } : {}),
    values: [sys?.value ?? missing, dia?.value ?? missing],
  };
}

/** The value of an Observation or a component, in `unit`; a gap with its reason when there is none. */
function measure(holder: JsonObject, observation: JsonObject, target: Target, context: BuildContext): VitalValue {
  const { unit, dimension } = target;
  const quantity = isObject(holder.valueQuantity) ? holder.valueQuantity : undefined;
  if (!quantity || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) {
    const reason = absentReason(holder.dataAbsentReason) ?? (holder === observation ? undefined : absentReason(observation.dataAbsentReason)) ?? otherValue(holder) ?? 'No value recorded';
    return { value: null, absent: reason };
  }
  const recorded = quantity.value;
  const from = unitOf(quantity, dimension);
  const comparator = typeof quantity.comparator === 'string' && ['<', '<=', '>=', '>'].includes(quantity.comparator) ? quantity.comparator : undefined;
  const recordedUnit = text(quantity.unit) ?? text(quantity.code) ?? '';
  if (!from) return { value: null, absent: 'No unit recorded', original: { value: recorded, unit: recordedUnit } };
  const converted = convert(recorded, from, unit, context);
  if (converted === undefined) {
    const absent = context.converter.complete ? `Unit “${recordedUnit || from}” cannot be shown in ${target.label}` : 'Converting units…';
    return { value: null, absent, original: { value: recorded, unit: recordedUnit || from } };
  }
  const range = rangeOf(holder, from, unit, dimension, context);
  const flag = flagOf(holder, converted, range);
  return {
    value: converted,
    ...(comparator ? { comparator } : {}),
    ...(from !== unit ? { original: { value: recorded, unit: recordedUnit || from } } : {}),
    ...(flag ? { flag } : {}),
    ...(range ? { range } : {}),
  };
}

function convert(value: number, from: string, to: string, context: BuildContext): number | undefined {
  const result = context.converter.convert(value, from, to);
  if (result === undefined && !context.converter.complete) context.pending.set(`${from}\u0000${to}`, { from, to });
  return result;
}

/**
 * The UCUM code of a Quantity, read for a vital of `dimension`: a UCUM `code` (system UCUM
 * or none), else unit text that is unambiguous for the vital, else the code or text as
 * written (UCUM decides). For vitals with one unit (mmHg, /min, %, kg/m2), a value with
 * no unit at all is in that unit: the LOINC code fixes it.
 */
function unitOf(quantity: JsonObject, dimension: UnitDimension): string | undefined {
  const code = text(quantity.code);
  const system = text(quantity.system);
  const ucumCode = code && (system === undefined || system === UCUM) ? code : undefined;
  if (ucumCode && isFastPathUnit(ucumCode)) return ucumCode;
  const known = unitCodeFromText(ucumCode, dimension) ?? unitCodeFromText(quantity.unit, dimension) ?? unitCodeFromText(code, dimension);
  if (known) return known;
  if (ucumCode) return ucumCode;
  const written = text(quantity.unit);
  if (written) return written;
  const single: Partial<Record<UnitDimension, string>> = { pressure: 'mm[Hg]', rate: '/min', fraction: '%', bmi: 'kg/m2' };
  return code === undefined ? single[dimension] : undefined;
}

const RANGE_MEANING = 'http://terminology.hl7.org/CodeSystem/referencerange-meaning';

/**
 * The reference range of a value (FHIR R4 Observation.referenceRange, 0..*; rule obs-3: low,
 * high or text): a range with no `appliesTo` whose `type` is absent or `normal` first (a
 * range for another population or a treatment target is not this patient's normal), else
 * the first with anything to show. Bounds in the display unit; text kept as written.
 */
function rangeOf(holder: JsonObject, from: string, unit: string, dimension: UnitDimension, context: BuildContext): VitalValue['range'] {
  const ranges = objects(holder.referenceRange);
  const isNormal = (range: JsonObject) =>
    objects(range.appliesTo).length === 0 &&
    (!isObject(range.type) || objects(range.type.coding).some((coding) => text(coding.code) === 'normal' && (coding.system === undefined || coding.system === RANGE_MEANING)));
  const bound = (quantity: unknown): number | undefined => {
    if (!isObject(quantity) || typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) return undefined;
    const dimensionless = text(quantity.code) === undefined && text(quantity.unit) === undefined;
    const boundUnit = dimensionless ? from : (unitOf(quantity, dimension) ?? from);
    return convert(quantity.value, boundUnit, unit, context);
  };
  for (const range of [...ranges.filter(isNormal), ...ranges.filter((range) => !isNormal(range))]) {
    const low = bound(range.low);
    const high = bound(range.high);
    const written = text(range.text);
    if (low !== undefined || high !== undefined || written !== undefined) {
      return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}), ...(written !== undefined ? { text: written } : {}) };
    }
  }
  return undefined;
}

function flagOf(holder: JsonObject, value: number, range: VitalValue['range']): VitalFlag | undefined {
  // The holder's own interpretation (a BP panel's is applied per reading: see withPanelInterpretation).
  const interpreted = interpretationFlag(holder.interpretation);
  if (interpreted !== undefined) return interpreted ?? undefined;
  if (!range) return undefined;
  if (range.high !== undefined && value > range.high) return { ...FLAGS.H!, source: 'range' };
  if (range.low !== undefined && value < range.low) return { ...FLAGS.L!, source: 'range' };
  return undefined;
}

/**
 * A BP panel's own interpretation, applied to its halves (components with their own
 * interpretation keep it). The panel's flag is about the reading, not each half: when
 * a half lies outside its own reference range, that half carries the flag (from the range)
 * and the other does not; when no half says which, the reading is flagged once, on its first
 * half with a value. An explicit N (normal) clears the range flags of the other halves.
 */
function withPanelInterpretation(panel: JsonObject, halves: readonly { component?: JsonObject; value: VitalValue }[]): VitalValue[] {
  const values = halves.map((half) => half.value);
  const flag = interpretationFlag(panel.interpretation);
  if (flag === undefined) return values;
  const open = halves
    .map((half, index) => ({ ...half, index }))
    .filter((half) => half.value.value !== null && (!half.component || interpretationFlag(half.component.interpretation) === undefined));
  if (flag === null) {
    for (const { index } of open) {
      const { flag: _dropped, ...rest } = values[index]!;
      values[index] = rest;
    }
    return values;
  }
  if (values.some((value) => value.flag)) return values;
  const first = open[0];
  if (first) values[first.index] = { ...values[first.index]!, flag };
  return values;
}

/**
 * The flag of an interpretation (FHIR R4 Observation.interpretation, read by
 * `interpretationOf`: v3-ObservationInterpretation or v2-0078 codes, most severe first);
 * null only for an explicit N (normal: no flag, and no range check); undefined when there is
 * none, or when no code is one this chart flags (a code it does not know, or text alone
 * must not silence the reference-range check).
 */
function interpretationFlag(interpretation: unknown): VitalFlag | null | undefined {
  const code = interpretationOf(interpretation)?.code;
  if (code === undefined) return undefined;
  const flag = FLAGS[code];
  if (flag) return { ...flag, source: 'interpretation' };
  return code === 'N' ? null : undefined;
}

function absentReason(reason: unknown): string | undefined {
  if (!isObject(reason)) return undefined;
  const label = conceptText(reason);
  if (label) return label;
  const code = objects(reason.coding)
    .map((coding) => text(coding.code))
    .find(Boolean);
  return code ? (ABSENT_REASONS[code] ?? code) : 'Not recorded';
}

function otherValue(holder: JsonObject): string | undefined {
  if (typeof holder.valueString === 'string' && text(holder.valueString)) return `Recorded as text: “${text(holder.valueString)}”`;
  for (const key of Object.keys(holder)) {
    if (key.startsWith('value') && key !== 'valueQuantity') return 'Not a measured value';
  }
  if (isObject(holder.valueQuantity)) return 'No number recorded';
  return undefined;
}

// Unit conversion for clinical quantities, by UCUM (https://ucum.org), through NLM's
// reference implementation @lhncbc/ucum-lhc. The library (~59 KB gzip with its unit
// tables) is loaded on demand, by a dynamic import, only when a value must be converted
// between units that the verified fast paths below do not cover. Pure: no DOM.

/** What a unit measures; unit text is read in the context of one dimension ("C" is Celsius only for a temperature). */
export type UnitDimension = 'mass' | 'length' | 'temperature' | 'rate' | 'pressure' | 'fraction' | 'bmi';

/** A synchronous unit converter. */
export interface UnitConverter {
  /**
   * `value` (in UCUM unit `from`) expressed in UCUM unit `to`; undefined when this converter
   * cannot say (an unknown unit, incommensurable units, or a pair it does not cover).
   */
  convert(value: number, from: string, to: string): number | undefined;
  /**
   * True when the converter knows every UCUM unit, so undefined means "not convertible".
   * False for {@link basicUnitConverter}, where undefined may mean "load UCUM and ask again".
   */
  readonly complete: boolean;
}

/** A unit the fast paths know: how to go to and from its dimension's base unit. */
export interface FastPathUnit {
  readonly code: string;
  readonly dimension: UnitDimension;
  readonly toBase: (value: number) => number;
  readonly fromBase: (value: number) => number;
}

const linear = (code: string, dimension: UnitDimension, factor: number): FastPathUnit => ({
  code,
  dimension,
  toBase: (value) => value * factor,
  fromBase: (value) => value / factor,
});

/**
 * The conversions done without loading UCUM: exact definitions from the UCUM tables
 * (international avoirdupois pound = 453.59237 g, international inch = 2.54 cm, degree
 * Fahrenheit = 5/9 K offset 459.67 °F). Each pair is checked against @lhncbc/ucum-lhc in
 * test/core/model/units.test.ts; a unit not listed here is converted by the library.
 */
export const FAST_PATH_UNITS: readonly FastPathUnit[] = [
  // mass, base g
  linear('g', 'mass', 1),
  linear('kg', 'mass', 1000),
  linear('mg', 'mass', 0.001),
  linear('[lb_av]', 'mass', 453.59237),
  linear('[oz_av]', 'mass', 28.349523125),
  // length, base m
  linear('m', 'length', 1),
  linear('cm', 'length', 0.01),
  linear('mm', 'length', 0.001),
  linear('[in_i]', 'length', 0.0254),
  linear('[ft_i]', 'length', 0.3048),
  // temperature, base K
  { code: 'K', dimension: 'temperature', toBase: (value) => value, fromBase: (value) => value },
  { code: 'Cel', dimension: 'temperature', toBase: (value) => value + 273.15, fromBase: (value) => value - 273.15 },
  {
    code: '[degF]',
    dimension: 'temperature',
    toBase: (value) => ((value + 459.67) * 5) / 9,
    fromBase: (value) => (value * 9) / 5 - 459.67,
  },
  // rates: UCUM annotations ({beats}) are unity, so these are one unit
  linear('/min', 'rate', 1),
  linear('{beats}/min', 'rate', 1),
  linear('{breaths}/min', 'rate', 1),
  linear('{beat}/min', 'rate', 1),
  linear('{breath}/min', 'rate', 1),
  // others with one unit in practice
  linear('mm[Hg]', 'pressure', 1),
  linear('%', 'fraction', 1),
  linear('kg/m2', 'bmi', 1),
];

const FAST_PATHS = new Map(FAST_PATH_UNITS.map((unit) => [unit.code, unit]));

/** True when `code` is converted by the fast paths (no UCUM load needed). */
export function isFastPathUnit(code: string): boolean {
  return FAST_PATHS.has(code);
}

/** Identity and the verified fast paths; never loads UCUM. */
export const basicUnitConverter: UnitConverter = {
  complete: false,
  convert(value, from, to) {
    if (!Number.isFinite(value)) return undefined;
    if (from === to) return value;
    const source = FAST_PATHS.get(from);
    const target = FAST_PATHS.get(to);
    if (!source || !target || source.dimension !== target.dimension) return undefined;
    return target.fromBase(source.toBase(value));
  },
};

// Unit text people and feeds write instead of a UCUM code, per dimension (lower-cased,
// spaces collapsed). Read only when `Quantity.code` is missing or not UCUM.
const UNIT_TEXT: Record<UnitDimension, Record<string, string>> = {
  mass: {
    kg: 'kg', kgs: 'kg', kilogram: 'kg', kilograms: 'kg', kilo: 'kg', kilos: 'kg',
    g: 'g', gm: 'g', gms: 'g', gram: 'g', grams: 'g', gr: 'g',
    mg: 'mg',
    lb: '[lb_av]', lbs: '[lb_av]', 'lb_av': '[lb_av]', '[lb_av]': '[lb_av]', pound: '[lb_av]', pounds: '[lb_av]',
    oz: '[oz_av]', '[oz_av]': '[oz_av]', ounce: '[oz_av]', ounces: '[oz_av]',
  },
  length: {
    cm: 'cm', cms: 'cm', centimeter: 'cm', centimeters: 'cm', centimetre: 'cm', centimetres: 'cm',
    mm: 'mm', m: 'm', meter: 'm', meters: 'm', metre: 'm', metres: 'm',
    in: '[in_i]', '[in_i]': '[in_i]', '[in_us]': '[in_i]', inch: '[in_i]', inches: '[in_i]', '"': '[in_i]', ins: '[in_i]',
    ft: '[ft_i]', '[ft_i]': '[ft_i]', foot: '[ft_i]', feet: '[ft_i]',
  },
  temperature: {
    cel: 'Cel', c: 'Cel', '°c': 'Cel', 'º c': 'Cel', 'ºc': 'Cel', '° c': 'Cel', degc: 'Cel', 'deg c': 'Cel', celsius: 'Cel',
    'degrees celsius': 'Cel', 'degree celsius': 'Cel', 'deg celsius': 'Cel', centigrade: 'Cel', 'grad celsius': 'Cel',
    '[degf]': '[degF]', f: '[degF]', '°f': '[degF]', 'ºf': '[degF]', '° f': '[degF]', degf: '[degF]', 'deg f': '[degF]', fahrenheit: '[degF]',
    'degrees fahrenheit': '[degF]', 'degree fahrenheit': '[degF]', 'deg fahrenheit': '[degF]',
    k: 'K', kelvin: 'K',
  },
  rate: {
    '/min': '/min', 'per min': '/min', 'per minute': '/min', '/minute': '/min', 'min-1': '/min', '1/min': '/min',
    bpm: '/min', 'beats/min': '/min', 'beats/minute': '/min', 'beats per minute': '/min', 'beat/min': '/min', '{beats}/min': '/min',
    'breaths/min': '/min', 'breaths/minute': '/min', 'breaths per minute': '/min', 'breath/min': '/min', '{breaths}/min': '/min',
    'resp/min': '/min', rpm: '/min',
  },
  pressure: { mmhg: 'mm[Hg]', 'mm hg': 'mm[Hg]', 'mm[hg]': 'mm[Hg]', 'millimeter of mercury': 'mm[Hg]', 'millimeters of mercury': 'mm[Hg]' },
  fraction: { '%': '%', percent: '%', '%o2': '%', '% o2': '%', 'percent o2': '%', '%{o2}': '%' },
  bmi: { 'kg/m2': 'kg/m2', 'kg/m^2': 'kg/m2', 'kg/m²': 'kg/m2', 'kg/(m2)': 'kg/m2', 'kg/m.m': 'kg/m2' },
};

/**
 * The UCUM code for unit text written by people or a feed ("lbs", "°F", "beats/minute"),
 * read as a unit of `dimension`. Undefined when the text is not a known way to write a
 * unit of that dimension (the caller may still try it as a UCUM code).
 */
export function unitCodeFromText(unit: unknown, dimension: UnitDimension): string | undefined {
  if (typeof unit !== 'string') return undefined;
  const key = unit.replace(/\s+/g, ' ').trim().toLowerCase();
  return key === '' ? undefined : UNIT_TEXT[dimension][key];
}

// --------------------------------------------------------------------------- UCUM

interface UcumUtils {
  convertUnitTo(from: string, value: number, to: string): { status: string; toVal: number | null };
}

/** How @lhncbc/ucum-lhc is loaded. A bundler (Vite, Rollup, webpack, esbuild) splits it into its own chunk. */
const defaultLoader = (): Promise<unknown> => import('@lhncbc/ucum-lhc');

let loader: () => Promise<unknown> = defaultLoader;
let loading: Promise<UnitConverter> | undefined;

/**
 * Replaces how @lhncbc/ucum-lhc is loaded, for pages without a bundler (an import map, a
 * self-hosted copy of `browser-dist/ucum-lhc.min.js`): `loader` resolves to the module, or
 * to an object holding `UcumLhcUtils`. `undefined` restores the default dynamic import.
 */
export function setUcumLoader(next: (() => Promise<unknown>) | undefined): void {
  loader = next ?? defaultLoader;
  loading = undefined;
}

/**
 * A converter that knows every UCUM unit: loads @lhncbc/ucum-lhc once (later calls share
 * the same promise). Rejects when the library cannot be loaded (offline, a blocked
 * chunk); a later call tries again.
 */
export function loadUnitConverter(): Promise<UnitConverter> {
  loading ??= loader()
    .then((module) => {
      const utils = ucumUtilsOf(module);
      if (!utils) throw new Error('The UCUM library loaded without UcumLhcUtils.');
      return ucumConverter(utils);
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/**
 * `value` converted from `from` to `to` (UCUM codes): on the fast paths at once, otherwise
 * after loading UCUM. Undefined when the units are unknown or not commensurable.
 */
export async function convertUnit(value: number, from: string, to: string): Promise<number | undefined> {
  const fast = basicUnitConverter.convert(value, from, to);
  if (fast !== undefined) return fast;
  return (await loadUnitConverter()).convert(value, from, to);
}

function ucumUtilsOf(module: unknown): UcumUtils | undefined {
  // An ES namespace (named exports), a CommonJS module through a bundler's interop
  // (`default`), or the browser build's global object: all hold UcumLhcUtils.
  const candidates = [module, (module as { default?: unknown } | undefined)?.default];
  for (const candidate of candidates) {
    const factory = (candidate as { UcumLhcUtils?: { getInstance?: () => UcumUtils } } | undefined)?.UcumLhcUtils;
    if (typeof factory?.getInstance === 'function') return factory.getInstance();
  }
  return undefined;
}

function ucumConverter(utils: UcumUtils): UnitConverter {
  const ask = (value: number, from: string, to: string): number | undefined => {
    try {
      const result = utils.convertUnitTo(from, value, to);
      return result.status === 'succeeded' && typeof result.toVal === 'number' && Number.isFinite(result.toVal) ? result.toVal : undefined;
    } catch {
      return undefined; // the library throws on some malformed unit strings
    }
  };
  // One compiled conversion per unit pair. UCUM conversions of ordinary units are
  // affine (a scale, plus an offset for Cel and [degF]); that is checked with three
  // probes, and a pair that is not (a logarithmic unit) is asked value by value.
  const compiled = new Map<string, (value: number) => number | undefined>();
  const compile = (from: string, to: string): ((value: number) => number | undefined) => {
    const zero = ask(0, from, to);
    const one = ask(1, from, to);
    const thousand = ask(1000, from, to);
    if (zero === undefined && one === undefined && thousand === undefined) return () => undefined;
    if (zero !== undefined && one !== undefined && thousand !== undefined) {
      const slope = one - zero;
      const predicted = zero + 1000 * slope;
      if (Math.abs(predicted - thousand) <= 1e-9 * Math.max(1, Math.abs(thousand))) return (value) => zero + slope * value;
    }
    return (value) => ask(value, from, to);
  };
  return {
    complete: true,
    convert(value, from, to) {
      if (!Number.isFinite(value)) return undefined;
      const fast = basicUnitConverter.convert(value, from, to);
      if (fast !== undefined) return fast;
      const key = `${from}\u0000${to}`;
      let conversion = compiled.get(key);
      if (!conversion) {
        conversion = compile(from, to);
        compiled.set(key, conversion);
      }
      return conversion(value);
    },
  };
}

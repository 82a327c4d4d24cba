import { expect } from '@open-wc/testing';
import {
  basicUnitConverter,
  convertUnit,
  FAST_PATH_UNITS,
  loadUnitConverter,
  setUcumLoader,
  unitCodeFromText,
  type UnitConverter,
} from '../../../packages/core/src/model/index.js';

// web-test-runner serves ES modules only and @lhncbc/ucum-lhc's package entry is CommonJS
// (bundlers convert it; Vite splits it into its own chunk). The tests load NLM's own browser
// build of the same library with a classic script, through the public loader seam.
const UCUM_BROWSER_BUILD = '/node_modules/@lhncbc/ucum-lhc/browser-dist/ucum-lhc.min.js';
function loadUcumBrowserBuild(): Promise<unknown> {
  const existing = (window as { ucumPkg?: unknown }).ucumPkg;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = UCUM_BROWSER_BUILD;
    script.onload = () => resolve((window as { ucumPkg?: unknown }).ucumPkg);
    script.onerror = () => reject(new Error('ucum-lhc did not load'));
    document.head.append(script);
  });
}

/** A loader that counts its calls. */
function countingLoader(load: () => Promise<unknown> = loadUcumBrowserBuild) {
  const calls = { count: 0 };
  const loader = () => {
    calls.count += 1;
    return load();
  };
  return { calls, loader };
}

const round = (value: number | undefined, digits: number) => (value === undefined ? undefined : Number(value.toFixed(digits)));

describe('units: known conversions', () => {
  let ucum: UnitConverter;
  before(async () => {
    setUcumLoader(loadUcumBrowserBuild);
    ucum = await loadUnitConverter();
  });
  after(() => setUcumLoader(undefined));

  const known: [number, string, string, number, number][] = [
    [70, 'kg', '[lb_av]', 154.32, 2],
    [100, '[degF]', 'Cel', 37.78, 2],
    [12, '[in_i]', 'cm', 30.48, 2],
    [3500, 'g', 'kg', 3.5, 3],
    [98.6, '[degF]', 'Cel', 37, 2],
    [0, 'Cel', '[degF]', 32, 6],
  ];
  for (const [value, from, to, expected, digits] of known) {
    it(`${value} ${from} = ${expected} ${to}, on the fast path and through UCUM`, async () => {
      expect(round(basicUnitConverter.convert(value, from, to), digits)).to.equal(expected);
      expect(round(ucum.convert(value, from, to), digits)).to.equal(expected);
      expect(round(await convertUnit(value, from, to), digits)).to.equal(expected);
    });
  }

  it('every fast-path pair agrees with @lhncbc/ucum-lhc itself', () => {
    // Ask the library directly (not through the converter, which prefers the fast paths).
    const utils = (window as unknown as { ucumPkg: { UcumLhcUtils: { getInstance(): { convertUnitTo(f: string, v: number, t: string): { status: string; toVal: number } } } } }).ucumPkg.UcumLhcUtils.getInstance();
    let pairs = 0;
    for (const from of FAST_PATH_UNITS) {
      for (const to of FAST_PATH_UNITS) {
        if (from.dimension !== to.dimension) continue;
        for (const value of [0, 1, 36.6, 70, 1234.5]) {
          const reference = utils.convertUnitTo(from.code, value, to.code);
          expect(reference.status, `${from.code} -> ${to.code}`).to.equal('succeeded');
          const fast = basicUnitConverter.convert(value, from.code, to.code)!;
          expect(Math.abs(fast - reference.toVal), `${value} ${from.code} -> ${to.code}: ${fast} vs ${reference.toVal}`).to.be.below(
            1e-9 * Math.max(1, Math.abs(reference.toVal)),
          );
        }
        pairs += 1;
      }
    }
    expect(pairs).to.be.greaterThan(30);
  });

  it('converts units off the fast paths through UCUM (kPa to mmHg, % to a fraction)', () => {
    expect(round(ucum.convert(10, 'kPa', 'mm[Hg]'), 3)).to.equal(75.006);
    expect(round(ucum.convert(98, '%', '1'), 4)).to.equal(0.98);
    // The compiled pair gives the same answer value after value.
    expect(round(ucum.convert(20, 'kPa', 'mm[Hg]'), 3)).to.equal(150.013);
  });

  it('says undefined, never a number, for incommensurable or unknown units', () => {
    expect(ucum.convert(70, 'kg', 'Cel')).to.equal(undefined);
    expect(ucum.convert(70, 'mmHg', 'mm[Hg]')).to.equal(undefined); // "mmHg" is not a UCUM code
    expect(ucum.convert(Number.NaN, 'kg', 'kg')).to.equal(undefined);
    expect(basicUnitConverter.convert(70, 'kg', 'cm')).to.equal(undefined);
  });
});

describe('units: loading UCUM on demand', () => {
  afterEach(() => setUcumLoader(undefined));

  it('does not load UCUM for the identity or the fast paths', async () => {
    const { calls, loader } = countingLoader();
    setUcumLoader(loader);
    expect(await convertUnit(72, '/min', '/min')).to.equal(72);
    expect(round(await convertUnit(150, '[lb_av]', 'kg'), 3)).to.equal(68.039);
    expect(round(await convertUnit(38, 'Cel', '[degF]'), 1)).to.equal(100.4);
    expect(calls.count).to.equal(0);
  });

  it('loads UCUM once, when a unit is off the fast paths', async () => {
    const { calls, loader } = countingLoader();
    setUcumLoader(loader);
    expect(round(await convertUnit(10, 'kPa', 'mm[Hg]'), 3)).to.equal(75.006);
    expect(round(await convertUnit(12, 'kPa', 'mm[Hg]'), 3)).to.equal(90.008);
    expect(calls.count).to.equal(1);
  });

  it('rejects when the library cannot be loaded (server fault faked), and tries again on the next call', async () => {
    let fail = true;
    const { calls, loader } = countingLoader(() => (fail ? Promise.reject(new Error('chunk failed')) : loadUcumBrowserBuild()));
    setUcumLoader(loader);
    let error: unknown;
    try {
      await loadUnitConverter();
    } catch (caught) {
      error = caught;
    }
    expect((error as Error | undefined)?.message).to.equal('chunk failed');
    fail = false;
    const converter = await loadUnitConverter();
    expect(converter.complete).to.equal(true);
    expect(calls.count).to.equal(2);
  });
});

describe('unitCodeFromText', () => {
  it('reads unit text in the context of a dimension', () => {
    expect(unitCodeFromText('lbs', 'mass')).to.equal('[lb_av]');
    expect(unitCodeFromText(' Kg ', 'mass')).to.equal('kg');
    expect(unitCodeFromText('°F', 'temperature')).to.equal('[degF]');
    expect(unitCodeFromText('C', 'temperature')).to.equal('Cel');
    expect(unitCodeFromText('beats/minute', 'rate')).to.equal('/min');
    expect(unitCodeFromText('mmHg', 'pressure')).to.equal('mm[Hg]');
    expect(unitCodeFromText('in', 'length')).to.equal('[in_i]');
  });

  it('knows nothing outside the dimension, and ignores non-strings', () => {
    expect(unitCodeFromText('C', 'mass')).to.equal(undefined);
    expect(unitCodeFromText('lbs', 'length')).to.equal(undefined);
    expect(unitCodeFromText(42, 'mass')).to.equal(undefined);
    expect(unitCodeFromText('', 'mass')).to.equal(undefined);
  });
});

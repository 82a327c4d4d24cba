import { expect } from '@open-wc/testing';
import { calculateAge, formatAge } from '../../../packages/core/src/format/index.js';

// Local calendar days: ages count the viewer's "today", whatever the zone.
const on = (year: number, month: number, day: number) => new Date(year, month - 1, day, 12);
const age = (birthDate: unknown, now: Date, extra: { deceasedDate?: unknown; style?: 'short' | 'long'; locale?: string } = {}) =>
  formatAge(birthDate, { now, locale: 'en-US', ...extra });

describe('formatAge: the clinical convention', () => {
  it('counts days under one month', () => {
    expect(age('2025-06-01', on(2025, 6, 1))).to.equal('0 days');
    expect(age('2025-06-01', on(2025, 6, 2))).to.equal('1 day');
    expect(age('2025-06-01', on(2025, 6, 13))).to.equal('12 days');
    expect(age('2025-06-01', on(2025, 6, 30))).to.equal('29 days');
  });

  it('switches to months on the one-month anniversary', () => {
    expect(age('2025-06-01', on(2025, 7, 1))).to.equal('1 mo');
    expect(age('2025-01-31', on(2025, 2, 27))).to.equal('27 days');
    // No 31 February: the anniversary is the month's last day.
    expect(age('2025-01-31', on(2025, 2, 28))).to.equal('1 mo');
  });

  it('counts months under two years', () => {
    expect(age('2024-04-15', on(2025, 6, 20))).to.equal('14 mo');
    expect(age('2023-06-02', on(2025, 6, 1))).to.equal('23 mo');
  });

  it('switches to years on the second birthday', () => {
    expect(age('2023-06-01', on(2025, 6, 1))).to.equal('2 y');
    expect(age('1973-05-03', on(2025, 5, 2))).to.equal('51 y');
    expect(age('1973-05-03', on(2025, 5, 3))).to.equal('52 y');
  });

  it('spells units out in the long style', () => {
    expect(age('1973-05-03', on(2025, 5, 3), { style: 'long' })).to.equal('52 years');
    expect(age('2024-04-15', on(2025, 6, 20), { style: 'long' })).to.equal('14 months');
    expect(age('2025-06-01', on(2025, 6, 2), { style: 'long' })).to.equal('1 day');
  });

  it('uses Intl units outside English', () => {
    // Intl puts a no-break space between number and unit in French.
    expect(age('1973-05-03', on(2025, 5, 3), { locale: 'fr' })?.replace(/\s/g, ' ')).to.equal('52 ans');
    expect(age('1973-05-03', on(2025, 5, 3), { locale: 'de', style: 'long' })).to.equal('52 Jahre');
  });

  it('treats a person born on 29 February as a year older on 28 February', () => {
    expect(age('2000-02-29', on(2025, 2, 27))).to.equal('24 y');
    expect(age('2000-02-29', on(2025, 2, 28))).to.equal('25 y');
  });

  it('ignores the time of day and the time zone of a dateTime birthDate', () => {
    expect(age('2025-06-01T23:59:00-10:00', on(2025, 6, 13))).to.equal('12 days');
  });
});

describe('formatAge: partial birth dates', () => {
  it('shows a range when a birth year leaves the age uncertain', () => {
    expect(age('1961', on(2025, 6, 1))).to.equal('63–64 y');
    expect(age('1961', on(2025, 6, 1), { style: 'long' })).to.equal('63–64 years');
    const exact = calculateAge('1961', { now: on(2025, 6, 1) })!;
    expect(exact.exact).to.equal(false);
    expect(exact.youngest).to.deep.equal({ value: 63, unit: 'year' });
    expect(exact.oldest).to.deep.equal({ value: 64, unit: 'year' });
  });

  it('shows one age when a birth month settles it', () => {
    expect(age('1961-04', on(2025, 6, 1))).to.equal('64 y');
    expect(calculateAge('1961-04', { now: on(2025, 6, 1) })!.exact).to.equal(true);
    expect(age('1961-06', on(2025, 6, 10))).to.equal('63–64 y');
  });

  it('says each unit when the two ends differ (an infant with a month of birth)', () => {
    expect(age('2025-05', on(2025, 6, 10))).to.equal('10 days–1 mo');
  });

  it('never counts a birth later than today (born this year)', () => {
    expect(age('2025', on(2025, 1, 10))).to.equal('0–9 days');
  });
});

describe('formatAge: deceased patients and bad data', () => {
  it('gives the age at death', () => {
    expect(age('1940-01-15', on(2025, 6, 1), { deceasedDate: '2018-07-20T10:00:00Z' })).to.equal('78 y');
    expect(calculateAge('1940-01-15', { now: on(2025, 6, 1), deceasedDate: '2018-07-20' })!.atDeath).to.equal(true);
  });

  it('gives a range for a partial date of death', () => {
    expect(age('1940-01-15', on(2025, 6, 1), { deceasedDate: '2018' })).to.equal('77–78 y');
  });

  it('has no age when the date of death is malformed: the current age would be wrong', () => {
    expect(age('1940-01-15', on(2025, 6, 1), { deceasedDate: 'yes' })).to.equal(undefined);
  });

  it('has no age for a missing, malformed or future birthDate', () => {
    for (const value of [undefined, null, 42, '', 'unknown', '1961-02-30', { year: 1961 }]) {
      expect(age(value, on(2025, 6, 1)), String(value)).to.equal(undefined);
    }
    expect(age('2030-01-01', on(2025, 6, 1))).to.equal(undefined);
    expect(age('1960-01-01', on(2025, 6, 1), { deceasedDate: '1950-01-01' })).to.equal(undefined);
  });

  it('uses today when no date is given', () => {
    const year = new Date().getFullYear();
    expect(formatAge(`${year - 40}-01-01`, { locale: 'en-US' })).to.equal('40 y');
  });
});

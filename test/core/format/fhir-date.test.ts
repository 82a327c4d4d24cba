import { expect } from '@open-wc/testing';
import { fhirDateBounds, fhirDateInstant, formatFhirDate, parseFhirDate } from '../../../packages/core/src/format/index.js';

describe('parseFhirDate', () => {
  it('keeps the precision of partial dates', () => {
    expect(parseFhirDate('1961')).to.deep.equal({ precision: 'year', year: 1961 });
    expect(parseFhirDate('1961-04')).to.deep.equal({ precision: 'month', year: 1961, month: 4 });
    expect(parseFhirDate('1961-04-12')).to.deep.equal({ precision: 'day', year: 1961, month: 4, day: 12 });
  });

  it('reads a dateTime with its zone offset', () => {
    expect(parseFhirDate('2020-03-04T02:30:15.250-05:00')).to.deep.equal({
      precision: 'time',
      year: 2020,
      month: 3,
      day: 4,
      hour: 2,
      minute: 30,
      second: 15,
      millisecond: 250,
      offsetMinutes: -300,
    });
    expect(parseFhirDate('2020-03-04T02:30:15Z')?.offsetMinutes).to.equal(0);
  });

  it('tolerates a time without seconds or without a zone, as some servers send', () => {
    expect(parseFhirDate('2020-03-04T10:30Z')).to.include({ precision: 'time', hour: 10, minute: 30, second: 0 });
    expect(parseFhirDate('2020-03-04T10:30:00')?.offsetMinutes).to.equal(undefined);
  });

  it('returns undefined for malformed values and wrong types, without throwing', () => {
    const malformed: unknown[] = [
      undefined,
      null,
      42,
      19610412,
      {},
      [],
      '',
      'April 1961',
      '61-04-12',
      '1961-4-12',
      '1961-13',
      '1961-00',
      '0000',
      '2023-02-29', // not a leap year
      '2023-04-31',
      '1961-04-12T25:00:00Z',
      '1961-04-12T10:61:00Z',
      '1961-04-12T10:00:00+15:00',
      '1961-04-12 10:00:00',
      '1961-04-12T',
      '<script>alert(1)</script>',
    ];
    for (const value of malformed) expect(parseFhirDate(value), String(value)).to.equal(undefined);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseFhirDate('2024-02-29')).to.include({ day: 29 });
  });
});

describe('fhirDateBounds and fhirDateInstant', () => {
  it('gives the first and last day a partial date stands for', () => {
    expect(fhirDateBounds(parseFhirDate('1961')!)).to.deep.equal({
      first: { year: 1961, month: 1, day: 1 },
      last: { year: 1961, month: 12, day: 31 },
    });
    expect(fhirDateBounds(parseFhirDate('2024-02')!).last).to.deep.equal({ year: 2024, month: 2, day: 29 });
  });

  it('gives a moment only for a dateTime with a zone', () => {
    expect(fhirDateInstant(parseFhirDate('2020-03-04T02:00:00-05:00')!)?.toISOString()).to.equal('2020-03-04T07:00:00.000Z');
    expect(fhirDateInstant(parseFhirDate('2020-03-04')!)).to.equal(undefined);
    expect(fhirDateInstant(parseFhirDate('2020-03-04T02:00:00')!)).to.equal(undefined);
  });
});

describe('formatFhirDate', () => {
  it('shows a month-precision date as month and year, and a year as a year', () => {
    expect(formatFhirDate('1961-04', { locale: 'en-US' })).to.equal('Apr 1961');
    expect(formatFhirDate('1961', { locale: 'en-US' })).to.equal('1961');
    expect(formatFhirDate('1961-04', { locale: 'en-US', style: 'long' })).to.equal('April 1961');
    expect(formatFhirDate('1961-04', { locale: 'en-US', style: 'short' })).to.equal('04/1961');
  });

  it('shows a full date in the requested style and locale', () => {
    expect(formatFhirDate('2001-05-03', { locale: 'en-US' })).to.equal('May 3, 2001');
    expect(formatFhirDate('2001-05-03', { locale: 'en-US', style: 'short' })).to.equal('5/3/2001');
    expect(formatFhirDate('2001-05-03', { locale: 'en-GB' })).to.equal('3 May 2001');
    expect(formatFhirDate('2001-05-03', { locale: 'de-DE', style: 'long' })).to.equal('3. Mai 2001');
  });

  it('never shifts a date-only value by a time zone (a birthDate stays on its day)', () => {
    for (const timeZone of ['America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Kiritimati', 'Asia/Tokyo', 'UTC']) {
      expect(formatFhirDate('2001-05-03', { locale: 'en-US', timeZone }), timeZone).to.equal('May 3, 2001');
      expect(formatFhirDate('2001-05', { locale: 'en-US', timeZone }), timeZone).to.equal('May 2001');
      expect(formatFhirDate('2001', { locale: 'en-US', timeZone }), timeZone).to.equal('2001');
    }
    // 1 January is where a shift would change the year too.
    expect(formatFhirDate('2000-01-01', { locale: 'en-US', timeZone: 'America/Los_Angeles' })).to.equal('Jan 1, 2000');
  });

  it('shows a dateTime moment in the requested zone, with the time when asked', () => {
    const value = '2020-03-04T02:00:00Z';
    expect(formatFhirDate(value, { locale: 'en-US', timeZone: 'America/Los_Angeles' })).to.equal('Mar 3, 2020');
    expect(formatFhirDate(value, { locale: 'en-US', timeZone: 'UTC' })).to.equal('Mar 4, 2020');
    const withTime = formatFhirDate(value, { locale: 'en-US', timeZone: 'America/Los_Angeles', time: true })!;
    expect(withTime.replace(/\s/g, ' ')).to.equal('Mar 3, 2020, 6:00 PM');
  });

  it('shows a time without a zone as written', () => {
    const text = formatFhirDate('2020-03-04T09:15:00', { locale: 'en-US', time: true, timeZone: 'Asia/Tokyo' })!;
    expect(text.replace(/\s/g, ' ')).to.equal('Mar 4, 2020, 9:15 AM');
  });

  it('accepts an already parsed date', () => {
    expect(formatFhirDate(parseFhirDate('1961-04'), { locale: 'en-US' })).to.equal('Apr 1961');
  });

  it('returns undefined for malformed values and survives bad options', () => {
    expect(formatFhirDate('not a date')).to.equal(undefined);
    expect(formatFhirDate(42)).to.equal(undefined);
    expect(formatFhirDate(undefined)).to.equal(undefined);
    expect(formatFhirDate('2001-05-03', { locale: 'en_US!!' })).to.equal('May 3, 2001');
    expect(formatFhirDate('2020-03-04T02:00:00Z', { locale: 'en-US', timeZone: 'Not/A_Zone' })).to.be.a('string');
  });

  it('keeps years before 100 as written', () => {
    expect(formatFhirDate('0042', { locale: 'en-US' })).to.equal('42');
  });
});

import { expect } from '@open-wc/testing';
import type { Patient } from '@medplum/fhirtypes';
import { maskSsn, toPatientView, UNNAMED_PATIENT } from '../../../packages/core/src/model/index.js';

const now = new Date(2025, 5, 1, 12); // 1 June 2025, local
const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const view = (patient: Partial<Patient> | Record<string, unknown>, options: { serverOrigin?: string } = {}) =>
  toPatientView({ resourceType: 'Patient', ...patient } as Patient, { now, locale: 'en-US', ...options });
const typed = (code: string, value: string, extra: Record<string, unknown> = {}) => ({ type: { coding: [{ system: V2, code }] }, value, ...extra });

// A 1x1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('toPatientView: name', () => {
  it('prefers the official name, formatted prefix given family suffix', () => {
    const result = view({
      name: [
        { use: 'usual', given: ['Bob'], family: 'Smith' },
        { use: 'official', prefix: ['Dr.'], given: ['Robert', 'James'], family: 'Smith', suffix: ['Jr.'] },
      ],
    });
    expect(result.name).to.equal('Dr. Robert James Smith Jr.');
    expect(result.named).to.equal(true);
    expect(result.nameParts).to.deep.equal({ prefix: ['Dr.'], given: ['Robert', 'James'], family: 'Smith', suffix: ['Jr.'] });
    expect(result.initials).to.equal('RS');
  });

  it('ranks usual over a name without use, and that over other uses', () => {
    expect(view({ name: [{ given: ['Plain'] }, { use: 'usual', given: ['Usual'] }] }).name).to.equal('Usual');
    expect(view({ name: [{ use: 'maiden', given: ['Maiden'] }, { given: ['Plain'] }] }).name).to.equal('Plain');
    expect(view({ name: [{ use: 'temp', given: ['Temporary'] }] }).name).to.equal('Temporary');
  });

  it('never shows an old or anonymous name, nor one whose period has ended', () => {
    const result = view({
      name: [
        { use: 'old', given: ['Old'], family: 'Name' },
        { use: 'anonymous', text: 'Anon' },
        { use: 'official', given: ['Ended'], family: 'Official', period: { end: '2020-01-01' } },
        { use: 'official', given: ['Future'], family: 'Official', period: { start: '2030-01-01' } },
        { use: 'maiden', given: ['Jane'], family: 'Doe' },
      ],
    });
    expect(result.name).to.equal('Jane Doe');
  });

  it('keeps a name whose period is current or malformed', () => {
    expect(view({ name: [{ use: 'official', given: ['Ann'], period: { start: '2000', end: '2099-12-31' } }] }).name).to.equal('Ann');
    expect(view({ name: [{ use: 'official', given: ['Ann'], period: { end: 'someday' } }] }).name).to.equal('Ann');
  });

  it('falls back to HumanName.text when there are no parts', () => {
    const result = view({ name: [{ use: 'official', text: '  María   José  García ' }] });
    expect(result.name).to.equal('María José García');
    expect(result.initials).to.equal('MG');
    expect(result.nameParts).to.equal(undefined);
  });

  it('says "Unnamed patient" when nothing can be shown', () => {
    for (const name of [undefined, [], [{}], [{ use: 'old', given: ['X'] }], [{ given: ['  '], family: '' }]]) {
      const result = view({ name } as Partial<Patient>);
      expect(result.name, JSON.stringify(name)).to.equal(UNNAMED_PATIENT);
      expect(result.named).to.equal(false);
      expect(result.initials).to.equal('');
    }
  });

  it('shows a nickname separately when it differs', () => {
    const official = { use: 'official', given: ['Robert'], family: 'Smith' };
    expect(view({ name: [official, { use: 'nickname', given: ['Bob'] }] }).preferredName).to.equal('Bob');
    expect(view({ name: [official, { use: 'usual', given: ['Bobby'], family: 'Smith' }] }).preferredName).to.equal('Bobby');
    expect(view({ name: [official, { use: 'usual', given: ['Bobby'], family: 'Jones' }] }).preferredName).to.equal('Bobby Jones');
    expect(view({ name: [official, { use: 'nickname', text: 'Robbie' }] }).preferredName).to.equal('Robbie');
  });

  it('has no preferred name when it reads the same as the display name', () => {
    expect(view({ name: [{ use: 'official', given: ['Robert'], family: 'Smith' }, { use: 'usual', given: ['Robert'] }] }).preferredName).to.equal(
      undefined,
    );
    expect(view({ name: [{ use: 'usual', given: ['Robert'], family: 'Smith' }] }).preferredName).to.equal(undefined);
  });

  it('makes initials from letters only, in any script', () => {
    expect(view({ name: [{ given: ['<script>'], family: '"Zoë"' }] }).initials).to.equal('SZ');
    expect(view({ name: [{ given: ['ёлка'], family: 'Ωmega' }] }).initials).to.equal('ЁΩ');
    expect(view({ name: [{ family: 'Prince' }] }).initials).to.equal('P');
  });
});

describe('toPatientView: birth date, age, gender, deceased', () => {
  it('formats the birthDate and the age', () => {
    const result = view({ birthDate: '1973-05-03', gender: 'female' });
    expect(result.birthDate).to.deep.equal({ value: '1973-05-03', precision: 'day', display: 'May 3, 1973' });
    expect(result.age).to.deep.equal({ short: '52 y', long: '52 years', exact: true, atDeath: false });
    expect(result.gender).to.deep.equal({ code: 'female', label: 'Female' });
  });

  it('keeps a partial birthDate partial', () => {
    const result = view({ birthDate: '1961-04' });
    expect(result.birthDate).to.deep.equal({ value: '1961-04', precision: 'month', display: 'Apr 1961' });
    expect(result.age?.short).to.equal('64 y');
    const year = view({ birthDate: '1961' });
    expect(year.birthDate?.display).to.equal('1961');
    expect(year.age).to.deep.include({ short: '63–64 y', exact: false });
  });

  it('gives infants their age in days or months', () => {
    expect(view({ birthDate: '2025-05-20' }).age?.short).to.equal('12 days');
    expect(view({ birthDate: '2024-03-10' }).age?.short).to.equal('14 mo');
  });

  it('labels each administrative gender and ignores anything else', () => {
    expect(view({ gender: 'male' }).gender?.label).to.equal('Male');
    expect(view({ gender: 'other' }).gender?.label).to.equal('Other');
    expect(view({ gender: 'unknown' }).gender?.label).to.equal('Unknown');
    expect(view({ gender: 'M' } as unknown as Patient).gender).to.equal(undefined);
    expect(view({ gender: 'toString' } as unknown as Patient).gender).to.equal(undefined);
  });

  it('shows deceasedDateTime with its date and the age at death', () => {
    const result = view({ birthDate: '1940-01-15', deceasedDateTime: '2018-07-20' });
    expect(result.deceased).to.deep.equal({ date: { value: '2018-07-20', precision: 'day', display: 'Jul 20, 2018' } });
    expect(result.age).to.deep.include({ short: '78 y', atDeath: true });
  });

  it('shows deceasedBoolean without a date and without an age', () => {
    const result = view({ birthDate: '1940-01-15', deceasedBoolean: true });
    expect(result.deceased).to.deep.equal({});
    expect(result.age).to.equal(undefined);
    expect(view({ deceasedBoolean: false }).deceased).to.equal(undefined);
  });

  it('treats a malformed deceasedDateTime as deceased with no date', () => {
    const result = view({ birthDate: '1940-01-15', deceasedDateTime: 'last spring' });
    expect(result.deceased).to.deep.equal({});
    expect(result.age).to.equal(undefined);
  });

  it('marks a record that is not active', () => {
    expect(view({ active: false }).active).to.equal(false);
    expect(view({}).active).to.equal(true);
  });
});

describe('toPatientView: identifiers', () => {
  it('labels v2-0203 types and puts the MRN first', () => {
    const result = view({
      identifier: [
        typed('DL', 'S99988801'),
        typed('PPN', 'X12345678'),
        typed('MB', 'MB-555'),
        typed('PI', 'internal-1'),
        typed('MR', '12345', { assigner: { display: 'Good Health Clinic' } }),
      ],
    });
    expect(result.identifiers.map((identifier) => [identifier.label, identifier.value])).to.deep.equal([
      ['MRN', '12345'],
      ["Driver's license", 'S99988801'],
      ['Passport', 'X12345678'],
      ['Member ID', 'MB-555'],
      ['Patient internal ID', 'internal-1'],
    ]);
    expect(result.mrn).to.deep.include({ label: 'MRN', value: '12345', kind: 'mrn', assigner: 'Good Health Clinic' });
  });

  it('accepts the older v2-0203 system URI', () => {
    const result = view({ identifier: [{ type: { coding: [{ system: 'http://hl7.org/fhir/v2/0203', code: 'MR' }] }, value: '777' }] });
    expect(result.mrn?.value).to.equal('777');
  });

  it('prefers an official MRN over others', () => {
    const result = view({ identifier: [typed('MR', 'secondary', { use: 'secondary' }), typed('MR', 'primary', { use: 'official' })] });
    expect(result.mrn?.value).to.equal('primary');
  });

  it('masks an SSN to its last four digits, however it is identified', () => {
    const bySystem = view({ identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' }] });
    expect(bySystem.identifiers[0]).to.deep.include({ label: 'SSN', value: '***-**-6789', kind: 'ssn', masked: true });
    expect(view({ identifier: [typed('SS', '123456789')] }).identifiers[0]?.value).to.equal('***-**-6789');
    expect(view({ identifier: [{ system: 'urn:oid:2.16.840.1.113883.4.1', value: '987654321' }] }).identifiers[0]?.value).to.equal(
      '***-**-4321',
    );
    expect(view({ identifier: [{ type: { text: 'Social Security Number' }, value: '111-22-3333' }] }).identifiers[0]?.value).to.equal(
      '***-**-3333',
    );
    const serialized = JSON.stringify(bySystem);
    expect(serialized).not.to.contain('123-45');
    expect(serialized).not.to.contain('12345');
  });

  it('hides short SSN values entirely', () => {
    expect(maskSsn('12')).to.equal('***-**-****');
  });

  it('falls back to type.text, then a known system, then the system URI', () => {
    const result = view({
      identifier: [
        { type: { text: 'Insurance card' }, value: 'A1' },
        { type: { coding: [{ system: V2, code: 'ZZZ', display: 'Something rare' }] }, value: 'A2' },
        { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' },
        { system: 'urn:oid:2.16.840.1.113883.4.3.25', value: 'S123' },
        { system: 'https://hospital.example/ids', value: 'A3' },
        { value: 'A4' },
      ],
    });
    expect(result.identifiers.map((identifier) => identifier.label)).to.deep.equal([
      'Insurance card',
      'Something rare',
      'NPI',
      "Driver's license",
      'https://hospital.example/ids',
      'Identifier',
    ]);
  });

  it('skips identifiers without a value, with use old, or whose period ended, and duplicates', () => {
    const result = view({
      identifier: [
        typed('MR', ''),
        typed('MR', 'old-1', { use: 'old' }),
        typed('MR', 'ended-1', { period: { end: '2019-12-31' } }),
        typed('MR', 'kept'),
        typed('MR', 'kept'),
      ],
    });
    expect(result.identifiers.map((identifier) => identifier.value)).to.deep.equal(['kept']);
  });
});

describe('toPatientView: contact details and language', () => {
  it('prefers a home or mobile phone and skips old and ended ones', () => {
    const result = view({
      telecom: [
        { system: 'phone', value: '555-0100', use: 'work' },
        { system: 'phone', value: '555-0199', use: 'home', period: { end: '2020-01-01' } },
        { system: 'phone', value: '555-0198', use: 'old' },
        { system: 'phone', value: '(555) 010-2000', use: 'mobile' },
        { system: 'email', value: 'work@example.org', use: 'work' },
        { system: 'email', value: 'amy@example.org' },
      ],
    });
    expect(result.phone).to.deep.equal({ value: '(555) 010-2000', use: 'mobile', useLabel: 'Mobile', href: 'tel:5550102000' });
    expect(result.email).to.deep.equal({ value: 'amy@example.org', href: 'mailto:amy@example.org' });
  });

  it('orders by rank within a use', () => {
    const result = view({
      telecom: [
        { system: 'phone', value: '555-0001', use: 'home', rank: 2 },
        { system: 'phone', value: '555-0002', use: 'home', rank: 1 },
      ],
    });
    expect(result.phone?.value).to.equal('555-0002');
  });

  it('links only plain phone numbers and email addresses', () => {
    const result = view({
      telecom: [
        { system: 'phone', value: 'javascript:alert(1)' },
        { system: 'email', value: 'javascript:alert(1)//@x' },
      ],
    });
    expect(result.phone).to.deep.equal({ value: 'javascript:alert(1)' });
    expect(result.email).to.deep.equal({ value: 'javascript:alert(1)//@x' });
  });

  it('puts the home address on one line, falling back to its text', () => {
    const result = view({
      address: [
        { use: 'work', line: ['1 Office Park'], city: 'Boston' },
        { use: 'home', line: ['123 Main St', 'Apt 4'], city: 'Springfield', state: 'MA', postalCode: '01101', country: 'US' },
      ],
    });
    expect(result.address).to.equal('123 Main St, Apt 4, Springfield, MA 01101, US');
    expect(view({ address: [{ text: '9 Elm Road, Leeds' }] }).address).to.equal('9 Elm Road, Leeds');
    expect(view({ address: [{ use: 'old', city: 'Gone' }] }).address).to.equal(undefined);
  });

  it('names the preferred language from text, a coding display, or its code', () => {
    const byText = view({
      communication: [
        { language: { text: 'English' } },
        { language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es' }], text: 'Spanish' }, preferred: true },
      ],
    });
    expect(byText.language).to.equal('Spanish');
    expect(view({ communication: [{ language: { coding: [{ code: 'fr', display: 'French' }] } }] }).language).to.equal('French');
    expect(view({ communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'vi' }] } }] }).language).to.equal(
      'Vietnamese',
    );
    expect(view({ communication: [{ language: { coding: [{ code: 'not a tag!' }] } }] }).language).to.equal('not a tag!');
  });

  it('reads the interpreter-required extension', () => {
    const extension = [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired', valueBoolean: true }];
    expect(view({ extension }).interpreterRequired).to.equal(true);
    expect(view({}).interpreterRequired).to.equal(false);
  });
});

describe('toPatientView: photo', () => {
  const origin = 'https://fhir.example.org';

  it('keeps inline image data as a data: URL, with alternative text', () => {
    const result = view({ name: [{ given: ['Amy'], family: 'Shaw' }], photo: [{ contentType: 'image/png', data: PNG }] });
    expect(result.photo).to.deep.equal({ src: `data:image/png;base64,${PNG}`, alt: 'Photo of Amy Shaw' });
  });

  it('keeps a URL on the FHIR server origin only', () => {
    const onServer = view({ photo: [{ contentType: 'image/jpeg', url: 'https://fhir.example.org/fhir/Binary/photo-1' }] }, { serverOrigin: `${origin}/fhir` });
    expect(onServer.photo?.src).to.equal('https://fhir.example.org/fhir/Binary/photo-1');
    expect(onServer.photo?.alt).to.equal('Photo of the patient');
  });

  it('drops a remote tracker URL, relative URLs, and any URL without a server origin', () => {
    const tracker = { photo: [{ contentType: 'image/gif', url: 'https://tracker.example.net/pixel.gif?patient=123' }] };
    expect(view(tracker, { serverOrigin: origin }).photo).to.equal(undefined);
    expect(view({ photo: [{ url: 'https://fhir.example.org.evil.example/x.png' }] }, { serverOrigin: origin }).photo).to.equal(undefined);
    expect(view({ photo: [{ url: 'http://fhir.example.org/x.png' }] }, { serverOrigin: origin }).photo).to.equal(undefined);
    expect(view({ photo: [{ url: 'Binary/1' }] }, { serverOrigin: origin }).photo).to.equal(undefined);
    expect(view({ photo: [{ url: 'https://fhir.example.org/x.png' }] }).photo).to.equal(undefined);
  });

  it('drops inline data that is not an image, or not base64', () => {
    expect(view({ photo: [{ contentType: 'text/html', data: PNG }] }).photo).to.equal(undefined);
    expect(view({ photo: [{ data: PNG }] }).photo).to.equal(undefined);
    expect(view({ photo: [{ contentType: 'image/png', data: 'x" onerror="alert(1)' }] }).photo).to.equal(undefined);
    expect(view({ photo: [{ contentType: 'image/png;x=<b>', data: PNG }] }).photo?.src).to.equal(`data:image/png;base64,${PNG}`);
  });

  it('takes the first safe photo', () => {
    const result = view({ photo: [{ url: 'https://tracker.example.net/a.png' }, { contentType: 'image/png', data: PNG }] }, { serverOrigin: origin });
    expect(result.photo?.src).to.equal(`data:image/png;base64,${PNG}`);
  });
});

describe('toPatientView: malformed input', () => {
  it('never throws on elements of the wrong type', () => {
    const malformed: unknown[] = [
      null,
      undefined,
      'Patient',
      42,
      [],
      { name: 'x' },
      { name: [null, 42, 'x', { given: 'Amy', family: ['Shaw'] }] },
      { birthDate: 42 },
      { birthDate: { year: 1961 } },
      { gender: 1 },
      { identifier: 'x' },
      { identifier: [null, { value: 42 }, { type: 'MR', value: '1' }, { type: { coding: 'MR' }, value: '2' }] },
      { telecom: [{ system: 'phone', value: 5550100 }, 'x'] },
      { address: [{ line: 'one line', city: 7 }] },
      { communication: [{ language: 'en' }, null] },
      { photo: [{ data: 42, contentType: 'image/png' }, { url: {} }] },
      { deceasedDateTime: 20200101, deceasedBoolean: 'yes' },
      { extension: 'x', active: 'no', id: 7 },
      { name: [{ period: 'always', given: ['A'] }], identifier: [{ period: { end: 12 }, value: 'v' }] },
    ];
    for (const value of malformed) {
      const result = toPatientView(value as Patient, { now });
      expect(result.name, JSON.stringify(value)).to.be.a('string');
      expect(result.identifiers).to.be.an('array');
    }
  });

  it('reads what it can from a half-valid record', () => {
    const result = toPatientView({ name: [{ given: 'Amy', family: ['Shaw'] }], birthDate: 42, identifier: [{ type: 'MR', value: '1' }] } as unknown as Patient, {
      now,
    });
    expect(result.name).to.equal('Amy'); // a lone string given counts; a family array does not
    expect(result.birthDate).to.equal(undefined);
    expect(result.identifiers).to.deep.equal([{ label: 'Identifier', value: '1', kind: 'other', masked: false }]);
  });

  it('keeps an id only when it is a string', () => {
    expect(view({ id: 'abc' }).id).to.equal('abc');
    expect(view({ id: 7 } as unknown as Patient).id).to.equal(undefined);
  });
});

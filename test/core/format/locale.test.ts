import { expect } from '@open-wc/testing';
import { formatFhirDate, resolveLocale } from '../../../packages/core/src/format/index.js';

describe('resolveLocale', () => {
  let lang: string;
  beforeEach(() => {
    lang = document.documentElement.lang;
  });
  afterEach(() => {
    document.documentElement.lang = lang;
  });

  it('uses a valid locale as given, canonicalised', () => {
    expect(resolveLocale('en-gb')).to.equal('en-GB');
  });

  it('falls back to the document language, then en-US', () => {
    document.documentElement.lang = 'fr-CA';
    expect(resolveLocale()).to.equal('fr-CA');
    expect(resolveLocale('not_a locale')).to.equal('fr-CA');
    document.documentElement.lang = '';
    expect(resolveLocale()).to.equal('en-US');
    expect(resolveLocale(42)).to.equal('en-US');
  });

  it('is what formatting uses when no locale is given', () => {
    document.documentElement.lang = 'en-GB';
    expect(formatFhirDate('2001-05-03')).to.equal('3 May 2001');
  });
});

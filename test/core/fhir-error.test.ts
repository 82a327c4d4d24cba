import { expect } from '@open-wc/testing';
import { FhirError, isBundle } from '../../packages/core/src/source/fhir-source.js';

describe('FhirError', () => {
  it('keeps the kind, status and URL a message is built from', () => {
    const error = new FhirError('unauthorized', 'The session has expired', { status: 401, url: 'https://x.example/fhir/Patient/1' });
    expect(error).to.be.instanceOf(Error);
    expect(error.kind).to.equal('unauthorized');
    expect(error.status).to.equal(401);
    expect(error.message).to.equal('The session has expired');
  });

  it('tells a Bundle from other values', () => {
    expect(isBundle({ resourceType: 'Bundle', type: 'searchset' })).to.equal(true);
    expect(isBundle({ resourceType: 'Patient' })).to.equal(false);
    expect(isBundle(null)).to.equal(false);
  });
});

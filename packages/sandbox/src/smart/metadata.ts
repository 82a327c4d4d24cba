/**
 * Discovery documents of the sandbox authorization server: SMART's
 * `.well-known/smart-configuration`, the OpenID Connect discovery document its
 * `issuer` points to, and the SMART style document behind smart_style_url.
 */
import { SUPPORTED_SCOPE_EXAMPLES } from './scopes.js';

/** Absolute URLs of every endpoint, derived once from authBaseUrl. */
export interface SmartEndpoints {
  issuer: string;
  authorization: string;
  select: string;
  token: string;
  introspection: string;
  revocation: string;
  jwks: string;
  style: string;
}

/** The endpoint URLs under an auth base URL (trailing slashes ignored). */
export function smartEndpoints(authBaseUrl: string): SmartEndpoints {
  const base = trimTrailingSlashes(authBaseUrl);
  return {
    issuer: base,
    authorization: `${base}/authorize`,
    select: `${base}/authorize/select`,
    token: `${base}/token`,
    introspection: `${base}/introspect`,
    revocation: `${base}/revoke`,
    jwks: `${base}/jwks`,
    style: `${base}/smart-style.json`,
  };
}

/** Remove trailing slashes, so `http://h/fhir/` and `http://h/fhir` compare equal. */
export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * SMART App Launch 2.2.0 "Conformance" > "Capability Sets": only what this
 * server implements. Note the banner and style capabilities are spelled
 * `context-passthrough-banner` / `context-passthrough-style` in the
 * smart-capabilities code system.
 */
export const CAPABILITIES: readonly string[] = [
  'launch-ehr',
  'launch-standalone',
  'authorize-post',
  'client-public',
  'sso-openid-connect',
  'context-passthrough-banner',
  'context-passthrough-style',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
];

/** The `.well-known/smart-configuration` document (SMART App Launch 2.2.0 "Conformance" > "Metadata"). */
export function smartConfiguration(endpoints: SmartEndpoints): Record<string, unknown> {
  return {
    // issuer and jwks_uri are REQUIRED when sso-openid-connect is advertised.
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwks,
    authorization_endpoint: endpoints.authorization,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint: endpoints.token,
    // Public clients only: no client authentication ("none", RFC 7591 §2).
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: SUPPORTED_SCOPE_EXAMPLES,
    response_types_supported: ['code'],
    introspection_endpoint: endpoints.introspection,
    revocation_endpoint: endpoints.revocation,
    capabilities: CAPABILITIES,
    // "code_challenge_methods_supported: REQUIRED ... SHALL include S256 ... SHALL NOT include plain."
    code_challenge_methods_supported: ['S256'],
  };
}

/** OpenID Connect Discovery 1.0 §3 metadata at `<issuer>/.well-known/openid-configuration`. */
export function openidConfiguration(endpoints: SmartEndpoints): Record<string, unknown> {
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    introspection_endpoint: endpoints.introspection,
    revocation_endpoint: endpoints.revocation,
    scopes_supported: SUPPORTED_SCOPE_EXAMPLES,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['none'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'fhirUser'],
    code_challenge_methods_supported: ['S256'],
  };
}

/**
 * The sandbox's SMART style document (SMART App Launch 2.2.0 "Scopes and
 * Launch Context" > "Styling"): the ehr-elements neutral palette.
 */
export const SMART_STYLE: Readonly<Record<string, string>> = {
  color_background: '#f3f4f6',
  color_error: '#a4262c',
  color_highlight: '#0b5cad',
  color_modal_backdrop: 'rgba(17, 24, 39, 0.5)',
  color_success: '#1e7b34',
  color_text: '#111827',
  dim_border_radius: '6px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

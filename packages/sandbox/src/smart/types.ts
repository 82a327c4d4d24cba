/** Public types of the sandbox SMART authorization server; re-exported by index.ts. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A patient the standalone-launch picker offers. */
export interface SmartPatientChoice {
  /** Patient resource id (not a reference). */
  id: string;
  /** Display name. */
  name: string;
  birthDate?: string;
  gender?: string;
}

/** Configuration of the sandbox authorization server. */
export interface SmartAuthOptions {
  /** Absolute URL of the auth endpoints' base, e.g. http://127.0.0.1:8080/auth */
  authBaseUrl: string;
  /** Absolute URL of the protected FHIR base (the `iss`, the `aud` an app must send), e.g. http://127.0.0.1:8080/fhir */
  fhirBaseUrl: string;
  /** Patients for the standalone-launch picker. */
  patients: () => SmartPatientChoice[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (default 86400, 24 h); each rotation starts a new lifetime. */
  refreshTokenTtl?: number;
  /** Lifetime of a `launch` value from createLaunch, in seconds (default 3600). */
  launchTtl?: number;
  /** The simulated signed-in user, a FHIR reference for fhirUser, default 'Practitioner/sandbox-practitioner'. */
  fhirUser?: string;
  /** Millisecond clock, for tests (default Date.now). */
  now?: () => number;
}

/** What a valid access token allows; returned by verifyRequest for the FHIR server to enforce. */
export interface AccessGrant {
  clientId: string;
  /** Granted scopes of this access token (possibly narrowed at refresh). */
  scopes: string[];
  /** Patient id in context; `patient/` scopes only apply inside this patient's compartment. */
  patient?: string;
  /** Encounter id in context. */
  encounter?: string;
  /** The signed-in user as a relative FHIR reference, e.g. 'Practitioner/sandbox-practitioner'. */
  fhirUser?: string;
  /** Expiry, milliseconds since the epoch on the server's clock. */
  expiresAt: number;
}

/** Launch context bound to an opaque `launch` value (SMART 2.2.0 "EHR Launch"). */
export interface SmartLaunchContext {
  /** Patient id in context. */
  patient: string;
  /** Encounter id in context. */
  encounter?: string;
  /** need_patient_banner for this launch (default false: the EHR shows its own banner). */
  needPatientBanner?: boolean;
  /** smart_style_url for this launch (default: this server's /smart-style.json). */
  smartStyleUrl?: string;
}

/** The sandbox SMART App Launch authorization server. */
export interface SmartAuthServer {
  /** Handle a request under authBaseUrl; path is what follows it ('/authorize?...', '/token', ...). */
  handle(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): Promise<void>;
  /** Serve GET <fhirBase>/.well-known/smart-configuration (the lead routes it to you). */
  handleSmartConfiguration(req: IncomingMessage, res: ServerResponse): void;
  /** Create an EHR launch context and return the opaque `launch` value bound to it. */
  createLaunch(context: SmartLaunchContext): string;
  /** Verify an `Authorization: Bearer` header from a FHIR request; null when missing, unknown, expired or revoked. */
  verifyRequest(req: IncomingMessage): AccessGrant | null;
  /**
   * Expire every token now (for tests of expiry): access tokens, refresh
   * tokens and unredeemed codes. With `accessTokensOnly`, refresh tokens stay
   * valid so an app's refresh path can be exercised.
   */
  expireAllTokens(options?: { accessTokensOnly?: boolean }): void;
}

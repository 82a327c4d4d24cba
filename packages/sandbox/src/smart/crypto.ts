/**
 * Cryptographic helpers for the sandbox authorization server: opaque random
 * values, PKCE S256 verification (RFC 7636) and the RS256 key that signs
 * OpenID Connect id_tokens (SMART App Launch 2.2.0 "Scopes for requesting
 * identity data").
 */
import { createHash, generateKeyPairSync, randomBytes, sign, timingSafeEqual } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

/** An opaque, unguessable value (256 bits, base64url) for codes, tokens, launch and transaction ids. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

// RFC 7636 §4.1: code_verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// RFC 7636 §4.2: S256 challenge = BASE64URL(SHA256(verifier)) without padding: always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether a code_verifier has the syntax RFC 7636 §4.1 requires. */
export function isValidCodeVerifier(verifier: string): boolean {
  return CODE_VERIFIER.test(verifier);
}

/** Whether a code_challenge can be an S256 challenge (RFC 7636 §4.2). */
export function isValidS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

/** The S256 code_challenge for a verifier: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether a verifier matches the challenge stored with the code (RFC 7636 §4.6), compared in constant time. */
export function verifyS256(verifier: string, challenge: string): boolean {
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(s256Challenge(verifier), 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A JWK as published in the JWKS document. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  use: 'sig';
  alg: 'RS256';
}

/** The server's id_token signing key: generated at startup, never persisted. */
export interface SigningKey {
  readonly publicJwk: PublicJwk;
  /** Sign claims as a compact JWS with RS256 (RFC 7515, RFC 7518 §3.3). */
  signJwt(claims: Record<string, unknown>): string;
}

/** Generate a fresh RSA-2048 key pair and expose the public half as a JWK with an RFC 7638 thumbprint kid. */
export function createSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  const publicJwk: PublicJwk = { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, use: 'sig', alg: 'RS256' };
  return {
    publicJwk,
    signJwt: (claims) => signJwt(claims, kid, privateKey),
  };
}

function signJwt(claims: Record<string, unknown>, kid: string, privateKey: KeyObject): string {
  const header = base64urlJson({ alg: 'RS256', typ: 'JWT', kid });
  const payload = base64urlJson(claims);
  const signingInput = `${header}.${payload}`;
  // RS256 is RSASSA-PKCS1-v1_5 with SHA-256, node's default padding for RSA keys.
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

// RFC 7638 §3.2: the thumbprint hashes the required members in lexicographic order, no whitespace.
function jwkThumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * A stand-in for a Cognito user pool's signing keys: an RSA key pair made here, its public half as the JWKS the
 * verifier is given, and ID tokens signed with node:crypto as Cognito signs them (RS256, `kid` in the header).
 * The verifier under test is the real one (aws-jwt-verify, as the workbench builds it); only the keys are local.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { CognitoSettings } from '#shared/web/cognito-tokens.ts';

export const TEST_COGNITO: CognitoSettings = {
  userPoolId: 'eu-west-2_TestPool1',
  clientId: 'testclient1234567890abcdef',
  domainUrl: 'https://living-review-test.auth.eu-west-2.amazoncognito.com',
  callbackUrl: 'https://workbench.example.org/signin/callback',
};

export const TEST_ISSUER = `https://cognito-idp.eu-west-2.amazonaws.com/${TEST_COGNITO.userPoolId}`;

export interface TestKeys {
  jwks: Jwks;
  /** A signed ID token: Cognito's claims for Ana, a reviewer, valid for an hour, with `claims` on top. */
  idToken(claims?: Record<string, unknown>, options?: { kid?: string; key?: KeyObject }): string;
  privateKey: KeyObject;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function rsaKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

export function testKeys(kid = 'test-key-1'): TestKeys {
  const { publicKey, privateKey } = rsaKeyPair();
  const jwk = publicKey.export({ format: 'jwk' });
  const jwks = { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } as unknown as Jwks;
  return {
    jwks,
    privateKey,
    idToken(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        sub: '7d1f3c52-1111-4222-8333-944455556666',
        'cognito:username': 'ana',
        'cognito:groups': ['reviewer'],
        email: 'ana@example.org',
        email_verified: true,
        iss: TEST_ISSUER,
        aud: TEST_COGNITO.clientId,
        token_use: 'id',
        auth_time: now,
        iat: now,
        exp: now + 3600,
        ...claims,
      };
      const signingInput = `${b64({ kid: options.kid ?? kid, alg: 'RS256' })}.${b64(payload)}`;
      const signature = sign('sha256', Buffer.from(signingInput), options.key ?? privateKey);
      return `${signingInput}.${signature.toString('base64url')}`;
    },
  };
}

/** The token with its payload changed and the original signature kept. */
export function tampered(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(String(payload), 'base64url').toString('utf8'));
  return `${header}.${b64({ ...claims, ...change })}.${signature}`;
}

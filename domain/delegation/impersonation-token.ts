import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { optionalEnv } from '../shared/config.ts';

/** Impersonation tokens are ours alone: this issuer tells them apart from the user pool's tokens. */
export const impersonationIssuer = 'partner-portal-impersonation';
const audience = 'partner-portal';

export interface ImpersonationClaims {
  impersonationId: string;
  impersonatorId: string;
  customerId: string;
  endsAt: string;
}

/** Cached for the container; a rotated secret is picked up at the next cold start or within the hour. */
let key: { value: Uint8Array; loadedAt: number } | undefined;
const maxAgeMs = 60 * 60 * 1000;

/**
 * The HMAC key that signs impersonation tokens: IMPERSONATION_TOKEN_KEY
 * locally and in tests, else the stack's secret (IMPERSONATION_KEY_SECRET_ARN)
 * fetched once per container and refreshed hourly.
 */
const signingKey = async (): Promise<Uint8Array> => {
  if (key && Date.now() - key.loadedAt < maxAgeMs) return key.value;
  const local = optionalEnv('IMPERSONATION_TOKEN_KEY');
  const secretArn = optionalEnv('IMPERSONATION_KEY_SECRET_ARN');
  const value = local ?? (secretArn ? await getSecret(secretArn, { maxAge: maxAgeMs / 1000 }) : undefined);
  if (typeof value !== 'string' || value.length < 32) throw new Error('The impersonation token key is missing or too short');
  key = { value: new TextEncoder().encode(value), loadedAt: Date.now() };
  return key.value;
};

/** A token that acts as the session until it ends; the session item decides on every call whether it still holds. */
export const signImpersonationToken = async (claims: ImpersonationClaims): Promise<string> =>
  new SignJWT({ imp: claims.impersonatorId, org: claims.customerId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(impersonationIssuer)
    .setAudience(audience)
    .setSubject(claims.impersonationId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.parse(claims.endsAt) / 1000))
    .sign(await signingKey());

/** Whether a bearer token claims to be one of ours (read without verifying, only to pick the verifier). */
export const looksLikeImpersonationToken = (token: string): boolean => {
  try {
    return decodeJwt(token).iss === impersonationIssuer;
  } catch {
    return false;
  }
};

/** Verifies signature, issuer, audience and expiry; throws on anything else. */
export const verifyImpersonationToken = async (token: string): Promise<Omit<ImpersonationClaims, 'endsAt'>> => {
  const { payload } = await jwtVerify(token, await signingKey(), { issuer: impersonationIssuer, audience, algorithms: ['HS256'] });
  if (typeof payload.sub !== 'string' || typeof payload.imp !== 'string' || typeof payload.org !== 'string') {
    throw new Error('The impersonation token is missing its claims');
  }
  return { impersonationId: payload.sub, impersonatorId: payload.imp, customerId: payload.org };
};

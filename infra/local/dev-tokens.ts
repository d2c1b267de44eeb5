import type { APIGatewayProxyResult } from 'aws-lambda';
import { importJWK, type JWK, SignJWT } from 'jose';
import { z } from 'zod';
import { localAudience, localIssuer } from '#functions/authorizer/verify-token';
import { gatewayProblem } from './gateway-responses.ts';

/** Long enough for a working day of curl calls; the key never leaves the machine. */
const tokenLifetime = '12h';

const tokenRequest = z.strictObject({ email: z.email().max(254) });

export class InvalidEmailError extends Error {
  override readonly name = 'InvalidEmailError';
}

export type MintToken = (email: string) => Promise<string>;

/**
 * Signs tokens the way the user pool would, with the dev key whose public half
 * the authorizer trusts in local mode only. Any email gets a token: whether
 * that person may do anything is decided by their memberships, as in AWS.
 */
export const createTokenMinter = async (signingJwk: JWK): Promise<MintToken> => {
  const key = await importJWK(signingJwk, 'ES256');
  return async (email) => {
    const parsed = tokenRequest.shape.email.safeParse(email.trim());
    if (!parsed.success) throw new InvalidEmailError(`Not an email address: ${email}`);
    const normalised = parsed.data.toLowerCase();
    return new SignJWT({ email: normalised, email_verified: true })
      .setProtectedHeader({ alg: 'ES256', ...(signingJwk.kid ? { kid: signingJwk.kid } : {}) })
      .setSubject(normalised)
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setIssuedAt()
      .setExpirationTime(tokenLifetime)
      .sign(key);
  };
};

const parseJson = (body: string | null): unknown => {
  try {
    return body ? (JSON.parse(body) as unknown) : undefined;
  } catch {
    return undefined;
  }
};

/** `POST /local/token` `{ "email" }` → `{ "token" }`. Only the local runtime serves it. */
export const tokenEndpoint =
  (mintToken: MintToken) =>
  async (body: string | null): Promise<APIGatewayProxyResult> => {
    const parsed = tokenRequest.safeParse(parseJson(body));
    if (!parsed.success) return gatewayProblem.badRequest('Send a JSON body { "email": "someone@example.com" }.');
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ token: await mintToken(parsed.data.email) }),
    };
  };

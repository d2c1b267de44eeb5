import { randomBytes } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { decodeJwt, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Impersonation tokens: HS256 under the stack's key, our own issuer and
 * audience, expiring with the session. Whatever else is presented with the
 * shape of one is refused, by the verifier and so by the authorizer.
 */

const key = randomBytes(32).toString('base64url');
const claims = {
  impersonationId: 'imp_0session',
  impersonatorId: 'usr_0tech',
  customerId: 'org_0customer',
  endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
};

type TokenModule = typeof import('#domain/delegation/impersonation-token');
let tokens: TokenModule;
let authorize: typeof import('#functions/authorizer/handler').handler;

beforeAll(async () => {
  // Read once, lazily, on the first signature: set before anything signs.
  process.env.IMPERSONATION_TOKEN_KEY = key;
  tokens = await import('#domain/delegation/impersonation-token');
  ({ handler: authorize } = await import('#functions/authorizer/handler'));
});

/** A token like ours in every claim, with one thing changed. */
const craft = (edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt, signingKey: string = key, alg = 'HS256') =>
  edit(
    new SignJWT({ imp: claims.impersonatorId, org: claims.customerId })
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setIssuer('partner-portal-impersonation')
      .setAudience('partner-portal')
      .setSubject(claims.impersonationId)
      .setIssuedAt()
      .setExpirationTime('10m'),
  ).sign(new TextEncoder().encode(signingKey));

const eventWith = (authorization: string): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:api/prod/GET/v1/me',
    headers: { authorization },
  }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('impersonation tokens', () => {
  it('round-trips: what is signed verifies to the same session, impersonator and customer, and expires with the session', async () => {
    // Act
    const token = await tokens.signImpersonationToken(claims);

    // Assess
    expect(tokens.looksLikeImpersonationToken(token)).toBe(true);
    await expect(tokens.verifyImpersonationToken(token)).resolves.toEqual({
      impersonationId: claims.impersonationId,
      impersonatorId: claims.impersonatorId,
      customerId: claims.customerId,
    });
    expect(decodeJwt(token).exp).toBe(Math.floor(Date.parse(claims.endsAt) / 1000));
  });

  it('tells our tokens from others without trusting them, and never throws on garbage', async () => {
    expect(tokens.looksLikeImpersonationToken(await craft((jwt) => jwt.setIssuer('https://cognito.example')))).toBe(false);
    for (const garbage of ['', 'a.b.c', 'not-a-jwt', '...']) expect(tokens.looksLikeImpersonationToken(garbage)).toBe(false);
  });

  it.each([
    [
      'its payload edited (another customer)',
      async () => {
        const [header, payload, signature] = (await tokens.signImpersonationToken(claims)).split('.');
        const edited = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')), org: 'org_0other' };
        return `${header}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
      },
    ],
    ['its signature cut', async () => (await tokens.signImpersonationToken(claims)).slice(0, -4)],
    ['signed with another key', () => craft(undefined, randomBytes(32).toString('base64url'))],
    ['expired', () => tokens.signImpersonationToken({ ...claims, endsAt: new Date(Date.now() - 60_000).toISOString() })],
    ['from another issuer', () => craft((jwt) => jwt.setIssuer('partner-portal-impersonation-x'))],
    ['for another audience', () => craft((jwt) => jwt.setAudience('someone-else'))],
    ['HS512 instead of HS256', () => craft(undefined, key, 'HS512')],
    [
      'without its impersonator',
      () =>
        new SignJWT({ org: claims.customerId })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('partner-portal-impersonation')
          .setAudience('partner-portal')
          .setSubject(claims.impersonationId)
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(key)),
    ],
    [
      'alg none',
      async () => {
        const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const payload = {
          iss: 'partner-portal-impersonation',
          aud: 'partner-portal',
          sub: claims.impersonationId,
          imp: 'usr_0tech',
          org: 'org_0customer',
          exp: Math.floor(Date.now() / 1000) + 600,
        };
        return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
      },
    ],
  ])('refuses a token %s, and so does the authorizer (401)', async (_, make) => {
    // Prepare
    const token = await make();

    // Act + Assess
    await expect(tokens.verifyImpersonationToken(token)).rejects.toThrow();
    await expect(authorize(eventWith(`Bearer ${token}`))).rejects.toThrow('Unauthorized');
  });

  it('lets the authorizer resolve a good token to the session, naming its impersonator, from the token alone (the handler reads the session)', async () => {
    // Prepare
    const token = await tokens.signImpersonationToken(claims);

    // Act
    const result = await authorize(eventWith(`Bearer ${token}`));

    // Assess
    expect(result).toMatchObject({
      principalId: claims.impersonationId,
      context: { principalType: 'impersonation', impersonationId: claims.impersonationId, impersonatorId: claims.impersonatorId },
      policyDocument: { Statement: [{ Effect: 'Allow' }] },
    });
  });
});

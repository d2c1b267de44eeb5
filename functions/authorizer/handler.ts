import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { findUserIdByEmail } from '#domain/access/users';
import { verifyApiKey } from '#domain/delegation/api-key-secret';
import { looksLikeImpersonationToken, verifyImpersonationToken } from '#domain/delegation/impersonation-token';
import { optionalEnv } from '#domain/shared/config';
import { logger } from '../shared/logger.ts';
import { verifyToken } from './verify-token.ts';

const headerOf = (event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined => {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? undefined;
};

const allow = (
  methodArn: string,
  principalId: string,
  context: Record<string, string>,
  usageIdentifierKey?: string | null,
): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
  },
  context,
  ...(usageIdentifierKey ? { usageIdentifierKey } : {}),
});

const unauthorized = (reason: string): never => {
  logger.info('credentials rejected', { reason });
  throw new Error('Unauthorized');
};

/** A partner integration: the key's item is read on every call, so a revoked key fails on the next one. */
const authorizeApiKey = async (methodArn: string, presented: string) => {
  const key = await verifyApiKey(presented);
  if (!key) return unauthorized('unknown, revoked or expired API key');
  // The usage plan throttles by this identifier (the API's key source is AUTHORIZER).
  return allow(
    methodArn,
    key.keyId,
    { principalType: 'api-key', apiKeyId: key.keyId, keyOrgId: key.orgId, keyRole: key.role },
    key.usageKeyValue,
  );
};

/**
 * The usage-plan key of people's calls (bearer tokens): every caller route
 * requires a key, so API Gateway needs one for them too. Unset locally.
 */
const interactiveUsageKey = (): string | null => optionalEnv('INTERACTIVE_USAGE_KEY') ?? null;

/** A "Login As" session: the token names it; the handler reads the session beside the other authorization reads. */
const authorizeImpersonation = async (methodArn: string, token: string) => {
  let claims: Awaited<ReturnType<typeof verifyImpersonationToken>>;
  try {
    claims = await verifyImpersonationToken(token);
  } catch (error) {
    return unauthorized(`impersonation token: ${(error as Error).message}`);
  }
  return allow(
    methodArn,
    claims.impersonationId,
    { principalType: 'impersonation', impersonationId: claims.impersonationId, impersonatorId: claims.impersonatorId },
    interactiveUsageKey(),
  );
};

const authorizeUser = async (methodArn: string, token: string) => {
  let email: string;
  try {
    ({ email } = await verifyToken(token));
  } catch (error) {
    return unauthorized((error as Error).message);
  }
  const userId = (await findUserIdByEmail(email)) ?? '';
  // A verified person nobody has invited yet is still authenticated: they see themselves and nothing else.
  return allow(
    methodArn,
    userId || `email:${email.toLowerCase()}`,
    { principalType: 'user', userId, email: email.toLowerCase() },
    interactiveUsageKey(),
  );
};

/**
 * REQUEST authorizer. It resolves who the caller is and nothing more: a web
 * user's bearer token (the user pool's, or the local dev key's), an
 * impersonation session's token, or a partner's `x-api-key`. Roles and grants
 * are read by the handlers on every call, so a revocation never waits for a
 * cached policy to expire. Throwing `Unauthorized` makes API Gateway answer
 * 401; so does a request carrying both kinds of credentials, which would
 * otherwise leave it unclear who acts.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const authorization = headerOf(event, 'authorization');
  const apiKey = headerOf(event, 'x-api-key');
  if (apiKey !== undefined && authorization !== undefined) return unauthorized('both a bearer token and an API key');
  if (apiKey !== undefined) return authorizeApiKey(event.methodArn, apiKey);
  const match = authorization ? /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization.trim()) : null;
  const token = match?.[1];
  if (!token) return unauthorized('no credentials');
  return looksLikeImpersonationToken(token) ? authorizeImpersonation(event.methodArn, token) : authorizeUser(event.methodArn, token);
};

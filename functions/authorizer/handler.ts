import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { findUserIdByEmail } from '#domain/access/users';
import { logger } from '../shared/logger.ts';
import { verifyToken } from './verify-token.ts';

const headerOf = (event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined => {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? undefined;
};

const allow = (methodArn: string, principalId: string, context: Record<string, string>): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
  },
  context,
});

/**
 * REQUEST authorizer. It resolves who the caller is and nothing more: roles and
 * grants are read by the handlers on every call, so a revocation never waits
 * for a cached policy to expire. Throwing `Unauthorized` makes API Gateway
 * answer 401. API keys (`x-api-key`) join here in the delegated-access work.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const authorization = headerOf(event, 'authorization');
  const match = authorization ? /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization.trim()) : null;
  if (!match?.[1]) throw new Error('Unauthorized');
  let email: string;
  try {
    ({ email } = await verifyToken(match[1]));
  } catch (error) {
    logger.info('token rejected', { reason: (error as Error).message });
    throw new Error('Unauthorized');
  }
  const userId = (await findUserIdByEmail(email)) ?? '';
  // A verified person nobody has invited yet is still authenticated: they see themselves and nothing else.
  return allow(event.methodArn, userId || `email:${email.toLowerCase()}`, { principalType: 'user', userId, email: email.toLowerCase() });
};

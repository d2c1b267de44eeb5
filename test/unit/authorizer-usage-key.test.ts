import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeyEntity } from '#domain/delegation/api-key.entity';
import { newApiKeySecret } from '#domain/delegation/api-key-secret';
import { signImpersonationToken } from '#domain/delegation/impersonation-token';
import { handler } from '#functions/authorizer/handler';
import { localAudience, localIssuer } from '#functions/authorizer/verify-token';

/**
 * Every caller route requires a usage-plan key, which the authorizer names
 * (the API's key source is AUTHORIZER): a partner key's own, or the one key
 * of people's calls. DynamoDB is mocked; tokens are real.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const interactiveKey = 'f'.repeat(40);
const partnerUsageKey = 'a'.repeat(40);
let userToken: string;

const authorize = (headers: Record<string, string>) =>
  handler({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:1:api/prod/GET/v1/me',
    headers,
  } as unknown as APIGatewayRequestAuthorizerEvent);

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  process.env.AUTH_MODE = 'local';
  process.env.LOCAL_JWT_PUBLIC_JWK = JSON.stringify(await exportJWK(publicKey));
  process.env.IMPERSONATION_TOKEN_KEY = 'k'.repeat(40);
  userToken = await new SignJWT({ email: 'someone@partner.test', email_verified: true })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
});

describe('the usage-plan key the authorizer names', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(GetCommand).resolves({});
    process.env.INTERACTIVE_USAGE_KEY = interactiveKey;
  });
  afterEach(() => {
    delete process.env.INTERACTIVE_USAGE_KEY;
  });

  it('names a partner key’s own usage-plan key, never the secret', async () => {
    // Prepare
    const { secret, secretHash } = newApiKeySecret('key_k1');
    const item = ApiKeyEntity.create({
      keyId: 'key_k1',
      orgId: 'org_p1',
      name: 'RMM',
      role: 'read-only',
      secretHash,
      usageKeyId: 'gw1',
      usageKeyValue: partnerUsageKey,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
      writtenBy: { requestId: 'seed', at: '2026-01-01T00:00:00.000Z' },
    }).params().Item;
    ddb.on(GetCommand, { Key: ApiKeyEntity.get({ keyId: 'key_k1' }).params().Key }).resolves({ Item: item });

    // Act
    const result = await authorize({ 'x-api-key': secret });

    // Assess
    expect(result.usageIdentifierKey).toBe(partnerUsageKey);
    expect(result.context).toMatchObject({ principalType: 'api-key', apiKeyId: 'key_k1' });
  });

  it('names the interactive key for a web user’s bearer token', async () => {
    // Act
    const result = await authorize({ authorization: `Bearer ${userToken}` });

    // Assess
    expect(result.usageIdentifierKey).toBe(interactiveKey);
    expect(result.context).toMatchObject({ principalType: 'user' });
  });

  it('names the interactive key for an impersonation session', async () => {
    // Prepare
    const token = await signImpersonationToken({
      impersonationId: 'imp_1',
      impersonatorId: 'usr_1',
      customerId: 'org_c1',
      endsAt: new Date(Date.now() + 600_000).toISOString(),
    });

    // Act
    const result = await authorize({ authorization: `Bearer ${token}` });

    // Assess
    expect(result.usageIdentifierKey).toBe(interactiveKey);
  });

  it('names none where no usage plan exists (the local runtime)', async () => {
    // Prepare
    delete process.env.INTERACTIVE_USAGE_KEY;

    // Act
    const result = await authorize({ authorization: `Bearer ${userToken}` });

    // Assess
    expect(result).not.toHaveProperty('usageIdentifierKey');
  });
});

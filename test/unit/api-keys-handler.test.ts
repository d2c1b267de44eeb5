import { createHash } from 'node:crypto';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { ApiKeyEntity, type ApiKeyItem } from '#domain/delegation/api-key.entity';
import { OrgEntity, type OrgItem } from '#domain/orgs/org.entity';
import { handler } from '#functions/http/groups/api-keys';
import { apiEvent, lambdaContext } from './support/api-event.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const apiGateway = mockClient(APIGatewayClient);

const by = { requestId: 'seed', at: '2026-01-01T00:00:00.000Z' };
const partner: OrgItem = {
  orgId: 'org_p1',
  kind: 'partner',
  name: 'Acme',
  nameKey: 'acme',
  status: 'active',
  parentId: 'org_ch',
  path: '/org_root/org_ch/org_p1',
  pathKey: '/org_root/org_ch/org_p1/',
  treeId: 'org_ch',
  depth: 3,
  partnerAccess: true,
  childCount: 0,
  createdAt: by.at,
  updatedAt: by.at,
  version: 4,
  writtenBy: by,
};
const key: ApiKeyItem = {
  keyId: 'key_k1',
  orgId: 'org_p1',
  name: 'RMM',
  role: 'read-only',
  secretHash: 'ab'.repeat(32),
  usageKeyId: 'gwkey1',
  usageKeyValue: 'c0ffee'.repeat(5),
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
};
const partnerAdmin = MembershipEntity.create({
  userId: 'usr_u1',
  orgId: 'org_p1',
  email: 'u1@test',
  role: 'partner-admin',
  builtIn: false,
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
}).params().Item;

const canceled = (codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
    $metadata: {},
  });

/** The event a partner's integration's call arrives as: the authorizer resolved an API key. */
const asApiKey = (event: APIGatewayProxyEvent): APIGatewayProxyEvent => ({
  ...event,
  requestContext: {
    ...event.requestContext,
    authorizer: { principalId: 'key_k9', principalType: 'api-key', apiKeyId: 'key_k9', keyOrgId: 'org_p1', keyRole: 'partner-admin' },
  },
});

const create = (body: unknown, principal: 'user' | 'api-key' = 'user', headers: Record<string, string> = {}) => {
  const event = apiEvent({
    method: 'POST',
    resource: '/v1/orgs/{orgId}/api-keys',
    pathParameters: { orgId: 'org_p1' },
    body: JSON.stringify(body),
    headers,
    principalId: 'usr_u1',
  });
  return handler(principal === 'api-key' ? asApiKey(event) : event, lambdaContext);
};

const revoke = (keyId = 'key_k1') =>
  handler(
    apiEvent({
      method: 'DELETE',
      resource: '/v1/orgs/{orgId}/api-keys/{keyId}',
      pathParameters: { orgId: 'org_p1', keyId },
      principalId: 'usr_u1',
    }),
    lambdaContext,
  );

/** The items of the one transaction the handler wrote. */
const writtenItems = (): Record<string, unknown>[] => {
  const [call] = ddb.commandCalls(TransactWriteCommand);
  return (call?.args[0].input.TransactItems ?? []).map((item) => ({
    ...(item.Put?.Item ?? {}),
    ...(item.Delete ? { deleted: item.Delete.Key } : {}),
  }));
};

describe('api-keys handler (DynamoDB and API Gateway mocked)', () => {
  beforeEach(() => {
    ddb.reset();
    apiGateway.reset();
    process.env.USAGE_PLAN_ID = 'plan1';
    ddb
      .on(GetCommand, { Key: OrgEntity.get({ orgId: 'org_p1' }).params().Key })
      .resolves({ Item: OrgEntity.create(partner).params().Item });
    ddb
      .on(GetCommand, { Key: ApiKeyEntity.get({ keyId: 'key_k1' }).params().Key })
      .resolves({ Item: ApiKeyEntity.create(key).params().Item });
    ddb.on(QueryCommand).resolves({ Items: [partnerAdmin] });
    ddb.on(TransactWriteCommand).resolves({});
    apiGateway.on(CreateApiKeyCommand).resolves({ id: 'gwkey2' });
    apiGateway.on(CreateUsagePlanKeyCommand).resolves({});
    apiGateway.on(DeleteApiKeyCommand).resolves({});
  });
  afterEach(() => {
    delete process.env.USAGE_PLAN_ID;
  });

  it('creates a usage-plan key whose value is not the secret, attaches it to the plan, and stores it beside the hash', async () => {
    // Act
    const result = await create({ name: 'RMM', role: 'read-only' });

    // Assess
    expect(result.statusCode).toBe(201);
    const body = JSON.parse(result.body) as { id: string; secret: string };
    expect(body.secret.startsWith(`${body.id}.`)).toBe(true);
    const [createKey] = apiGateway.commandCalls(CreateApiKeyCommand);
    const value = createKey?.args[0].input.value ?? '';
    expect(createKey?.args[0].input).toMatchObject({ name: body.id, enabled: true });
    expect(value).toMatch(/^[0-9a-f]{40}$/);
    expect(body.secret).not.toContain(value);
    expect(apiGateway.commandCalls(CreateUsagePlanKeyCommand).map((call) => call.args[0].input)).toEqual([
      { usagePlanId: 'plan1', keyId: 'gwkey2', keyType: 'API_KEY' },
    ]);
    const [stored] = writtenItems();
    expect(stored).toMatchObject({
      keyId: body.id,
      usageKeyId: 'gwkey2',
      usageKeyValue: value,
      secretHash: createHash('sha256').update(body.secret).digest('hex'),
    });
    expect(JSON.stringify(writtenItems())).not.toContain(body.secret.split('.')[1]);
  });

  it('registers nothing with API Gateway without a usage plan (the local runtime)', async () => {
    // Prepare
    delete process.env.USAGE_PLAN_ID;

    // Act
    const result = await create({ name: 'RMM', role: 'read-only' });

    // Assess
    expect(result.statusCode).toBe(201);
    expect(apiGateway.calls()).toHaveLength(0);
    expect(writtenItems()[0]).not.toHaveProperty('usageKeyId');
  });

  it('deletes the usage-plan key again when the key item cannot be written', async () => {
    // Prepare: the org was deleted meanwhile.
    ddb.on(TransactWriteCommand).rejects(canceled(['None', 'ConditionalCheckFailed']));

    // Act
    const result = await create({ name: 'RMM', role: 'read-only' });

    // Assess
    expect(result.statusCode).toBe(404);
    expect(apiGateway.commandCalls(DeleteApiKeyCommand).map((call) => call.args[0].input)).toEqual([{ apiKey: 'gwkey2' }]);
  });

  it('deletes the API Gateway key and writes nothing when it cannot join the usage plan', async () => {
    // Prepare
    apiGateway.on(CreateUsagePlanKeyCommand).rejects(new Error('throttled'));

    // Act
    const result = await create({ name: 'RMM', role: 'read-only' });

    // Assess
    expect(result.statusCode).toBe(500);
    expect(apiGateway.commandCalls(DeleteApiKeyCommand)).toHaveLength(1);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses an API key creating a key: 403 users-only, with no call to API Gateway and nothing written', async () => {
    // Act
    const result = await create({ name: 'RMM', role: 'read-only' }, 'api-key');

    // Assess
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body)).toMatchObject({ rule: 'users-only' });
    expect(apiGateway.calls()).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers a repeat under the same Idempotency-Key without the secret, which is never stored in clear', async () => {
    // Prepare: the first attempt takes the key's lock, then completes.
    ddb.on(GetCommand).resolves({ Item: OrgEntity.create(partner).params().Item });
    const { UpdateCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});

    // Act
    const first = await create({ name: 'RMM', role: 'read-only' }, 'user', { 'Idempotency-Key': 'k1' });

    // Assess
    expect(first.statusCode).toBe(201);
    const secret = (JSON.parse(first.body) as { secret: string }).secret;
    const [stored] = ddb.commandCalls(UpdateCommand);
    const kept = JSON.stringify(stored?.args[0].input);
    expect(kept).toContain('"secret":null');
    expect(kept).not.toContain(secret.split('.')[1]);
  });

  it('revokes: deletes the item with a tombstone, then its usage-plan key', async () => {
    // Act
    const result = await revoke();

    // Assess
    expect(result.statusCode).toBe(204);
    const items = writtenItems();
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ entity: 'apiKey', orgId: 'org_p1', writtenBy: { userId: 'usr_u1' } });
    expect(apiGateway.commandCalls(DeleteApiKeyCommand).map((call) => call.args[0].input)).toEqual([{ apiKey: 'gwkey1' }]);
  });

  it('still revokes when the usage-plan key is already gone or cannot be deleted', async () => {
    // Prepare
    apiGateway
      .on(DeleteApiKeyCommand)
      .rejectsOnce(new NotFoundException({ message: 'gone', $metadata: {} }))
      .rejects(new Error('throttled'));

    // Act / Assess
    expect((await revoke()).statusCode).toBe(204);
    expect((await revoke()).statusCode).toBe(204);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers 404 for a key of another org, writing nothing', async () => {
    // Prepare
    ddb
      .on(GetCommand, { Key: ApiKeyEntity.get({ keyId: 'key_k2' }).params().Key })
      .resolves({ Item: ApiKeyEntity.create({ ...key, keyId: 'key_k2', orgId: 'org_p2' }).params().Item });

    // Act
    const result = await revoke('key_k2');

    // Assess
    expect(result.statusCode).toBe(404);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(apiGateway.calls()).toHaveLength(0);
  });
});

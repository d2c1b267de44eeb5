import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { OrgEntity, type OrgItem } from '#domain/orgs/org.entity';
import { handler } from '#functions/http/groups/orgs';
import { apiEvent, lambdaContext } from './support/api-event.ts';

const ddb = mockClient(DynamoDBDocumentClient);

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
/** Items exactly as ElectroDB writes them, keys and identifiers included. */
const stored = (item: OrgItem) => OrgEntity.create(item).params().Item;
const membership = (orgId: string, role: 'partner-admin' | 'partner-technician') =>
  MembershipEntity.create({
    userId: 'usr_u1',
    orgId,
    email: 'u1@test',
    role,
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

const createChild = (body: string) =>
  handler(
    apiEvent({ method: 'POST', resource: '/v1/orgs/{orgId}/children', pathParameters: { orgId: 'org_p1' }, body, principalId: 'usr_u1' }),
    lambdaContext,
  );

describe('orgs handler (DynamoDB mocked)', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: stored(partner) });
    ddb.on(QueryCommand).resolves({ Items: [membership('org_ch', 'partner-admin')] });
  });

  it('reads an org in one round trip of two parallel calls and sends its ETag', async () => {
    // Act
    const result = await handler(
      apiEvent({ method: 'GET', resource: '/v1/orgs/{orgId}', pathParameters: { orgId: 'org_p1' }, principalId: 'usr_u1' }),
      lambdaContext,
    );
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.etag).toBe('"4"');
    expect(JSON.parse(result.body)).toMatchObject({ id: 'org_p1', kind: 'partner', parentId: 'org_ch', version: 4 });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('answers 404 when the caller holds no grant above the org', async () => {
    ddb.on(QueryCommand).resolves({ Items: [membership('org_p2', 'partner-admin')] });
    const result = await handler(
      apiEvent({ method: 'GET', resource: '/v1/orgs/{orgId}', pathParameters: { orgId: 'org_p1' }, principalId: 'usr_u1' }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
  });

  it('refuses malformed JSON with a 400 naming the body, before touching DynamoDB', async () => {
    const result = await createChild('{"kind": "customer",');
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors[0].path).toBe('body');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('retries a transaction that lost a TransactionConflict, then succeeds', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['None', 'TransactionConflict', 'None']))
      .resolves({});
    const result = await createChild(JSON.stringify({ kind: 'customer', name: 'Globex' }));
    expect(result.statusCode).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers 409 when conflicts persist', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled(['TransactionConflict', 'None', 'None']));
    const result = await createChild(JSON.stringify({ kind: 'customer', name: 'Globex' }));
    expect(result.statusCode).toBe(409);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('names the sibling-name rule when the name item already exists', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled(['None', 'ConditionalCheckFailed', 'None']));
    const result = await createChild(JSON.stringify({ kind: 'customer', name: 'Globex' }));
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body).rule).toBe('unique-name');
  });

  it('answers 403 to a technician creating a customer', async () => {
    ddb.on(QueryCommand).resolves({ Items: [membership('org_p1', 'partner-technician')] });
    const result = await createChild(JSON.stringify({ kind: 'customer', name: 'Globex' }));
    expect(result.statusCode).toBe(403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 500 with a fixed message when DynamoDB fails unexpectedly', async () => {
    ddb.on(GetCommand).rejects(new Error('socket hang up'));
    const result = await handler(
      apiEvent({ method: 'GET', resource: '/v1/orgs/{orgId}', pathParameters: { orgId: 'org_p1' }, principalId: 'usr_u1' }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('socket');
  });
});

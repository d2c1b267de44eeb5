import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { OrgEntity, type OrgItem } from '#domain/orgs/org.entity';
import { handler } from '#functions/audit/handler';
import { lambdaContext } from './support/api-event.ts';
import { streamRecord } from './support/stream-record.ts';

const ddb = mockClient(DynamoDBDocumentClient);

const by = { userId: 'usr_u1', requestId: 'r1', at: '2026-01-01T00:00:00.000Z' };
const org: OrgItem = {
  orgId: 'org_c1',
  kind: 'customer',
  name: 'Acme',
  nameKey: 'acme',
  status: 'active',
  parentId: 'org_p1',
  path: '/org_root/org_p1/org_c1',
  pathKey: '/org_root/org_p1/org_c1/',
  treeId: 'org_p1',
  depth: 3,
  partnerAccess: true,
  childCount: 0,
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
};
const member = (userId: string) =>
  MembershipEntity.create({
    userId,
    orgId: 'org_c1',
    email: `${userId}@test.example`,
    role: 'customer-user',
    builtIn: false,
    createdAt: by.at,
    updatedAt: by.at,
    version: 1,
    writtenBy: by,
  }).params().Item as Record<string, unknown>;

describe('audit consumer (DynamoDB mocked)', () => {
  beforeEach(() => {
    ddb.reset();
    ddb
      .on(GetCommand)
      .callsFake((input: { Key: { pk: string } }) =>
        input.Key.pk.startsWith('$pp#orgid_') ? { Item: OrgEntity.create(org).params().Item } : {},
      );
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(TransactWriteCommand).resolves({});
  });

  it('reports only the record it cannot audit as a batch item failure; the others are written', async () => {
    // Prepare: two good records around one written by hand, without an actor.
    const good = [
      streamRecord({ eventName: 'INSERT', after: member('usr_a') }),
      streamRecord({ eventName: 'INSERT', after: member('usr_b') }),
    ];
    const { writtenBy: _, ...unstamped } = member('usr_c');
    const poison = streamRecord({ eventName: 'INSERT', after: unstamped });
    const event = { Records: [good[0], poison, good[1]].filter((record) => record !== undefined) };

    // Act
    const response = await handler(event, lambdaContext);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb?.SequenceNumber }]);
    const writes = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
    expect(writes).toHaveLength(2);
    // Each write: the org's own entry, its chain head, and a copy for each of its two ancestors.
    for (const items of writes) expect(items.map((item) => Object.keys(item)[0])).toEqual(['Put', 'Put', 'Put', 'Put']);
  });

  it('refuses a deletion nobody signed (no tombstone) and records nothing for it', async () => {
    const removed = streamRecord({ eventName: 'REMOVE', before: member('usr_d') });

    const response = await handler({ Records: [removed] }, lambdaContext);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: removed.dynamodb?.SequenceNumber }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('records an expiry by the TTL sweeper as the system, without a tombstone', async () => {
    const expired = streamRecord({ eventName: 'REMOVE', before: member('usr_e'), ttl: true });

    const response = await handler({ Records: [expired] }, lambdaContext);

    expect(response.batchItemFailures).toEqual([]);
    const [entry] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(entry?.Put?.Item).toMatchObject({ actor: 'system:ttl', action: 'member.removed', orgId: 'org_c1' });
  });
});

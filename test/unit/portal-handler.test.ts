import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { OrgEntity, type OrgItem } from '#domain/orgs/org.entity';
import { RequesterEntity } from '#domain/portal/requester.entity';
import { TicketEntity, type TicketItem } from '#domain/portal/ticket.entity';
import { handler } from '#functions/http/groups/portal';
import { apiEvent, lambdaContext } from './support/api-event.ts';

const ddb = mockClient(DynamoDBDocumentClient);

const by = { requestId: 'seed', at: '2026-01-01T00:00:00.000Z' };
const customer: OrgItem = {
  orgId: 'org_cu',
  kind: 'customer',
  name: 'Client',
  nameKey: 'client',
  status: 'active',
  parentId: 'org_pa',
  path: '/org_root/org_ch/org_pa/org_cu',
  pathKey: '/org_root/org_ch/org_pa/org_cu/',
  treeId: 'org_ch',
  depth: 4,
  partnerAccess: true,
  childCount: 0,
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
};
const ticket: TicketItem = {
  ticketId: 'tkt_1',
  customerId: 'org_cu',
  title: 'Printer',
  description: 'Jammed',
  priority: 'normal',
  category: 'hardware',
  status: 'open',
  openedBy: 'usr_u1',
  side: 'client',
  createdAt: by.at,
  updatedAt: by.at,
  version: 3,
  writtenBy: by,
};
const requesterItem = (portalRole: string, permissions: string[]) =>
  RequesterEntity.create({
    userId: 'usr_u1',
    customerId: 'org_cu',
    email: 'u1@client.test',
    portalRole,
    permissions,
    linkId: 'l1',
    createdAt: by.at,
    updatedAt: by.at,
    version: 1,
    writtenBy: by,
  }).params().Item;
const technician = MembershipEntity.create({
  userId: 'usr_u1',
  orgId: 'org_pa',
  email: 'u1@msp.test',
  role: 'partner-technician',
  builtIn: false,
  createdAt: by.at,
  updatedAt: by.at,
  version: 1,
  writtenBy: by,
}).params().Item;

const keyOf = (params: { Key?: Record<string, unknown> }) => params.Key as Record<string, unknown>;
const getTicket = (ticketId = 'tkt_1') =>
  handler(
    apiEvent({ method: 'GET', resource: '/v1/tickets/{ticketId}', pathParameters: { ticketId }, principalId: 'usr_u1' }),
    lambdaContext,
  );

describe('portal handler (DynamoDB mocked)', () => {
  beforeEach(() => {
    ddb.reset();
    ddb
      .on(GetCommand, { Key: keyOf(TicketEntity.get({ ticketId: 'tkt_1' }).params()) })
      .resolves({ Item: TicketEntity.create(ticket).params().Item });
    ddb
      .on(GetCommand, { Key: keyOf(OrgEntity.get({ orgId: 'org_cu' }).params()) })
      .resolves({ Item: OrgEntity.create(customer).params().Item });
  });

  it('lets a requester read its own ticket in one round: the ticket and its grants, no org read', async () => {
    ddb.on(QueryCommand).resolves({ Items: [requesterItem('requester', ['view-own-tickets', 'create-tickets'])] });

    const result = await getTicket();

    expect(result.statusCode).toBe(200);
    expect(result.headers?.etag).toBe('"3"');
    expect(JSON.parse(result.body)).toMatchObject({ id: 'tkt_1', customerId: 'org_cu', side: 'client', openedBy: 'usr_u1' });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('reads the customer’s org as well for the MSP side', async () => {
    ddb.on(QueryCommand).resolves({ Items: [technician] });

    const result = await getTicket();

    expect(result.statusCode).toBe(200);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
  });

  it('answers a ticket out of sight exactly as a missing one', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand, { Key: keyOf(TicketEntity.get({ ticketId: 'tkt_2' }).params()) }).resolves({});

    const hidden = await getTicket('tkt_1');
    const missing = await getTicket('tkt_2');

    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(hidden.body.replace('tkt_1', '{id}')).toBe(missing.body.replace('tkt_2', '{id}'));
  });

  it('refuses a client’s status change with 403 and writes nothing', async () => {
    ddb.on(QueryCommand).resolves({ Items: [requesterItem('requester', ['view-own-tickets', 'create-tickets'])] });

    const result = await handler(
      apiEvent({
        method: 'PATCH',
        resource: '/v1/tickets/{ticketId}',
        pathParameters: { ticketId: 'tkt_1' },
        body: JSON.stringify({ status: 'closed' }),
        principalId: 'usr_u1',
      }),
      lambdaContext,
    );

    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body)).toMatchObject({ rule: 'status-by-msp' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

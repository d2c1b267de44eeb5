import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#domain/access/caller';
import { AuditEntryEntity } from '#domain/audit/audit-entry.entity';
import { addExternalAdmin, removeExternalAdmin } from '#domain/delegation/external-admins';
import { deleteOrg } from '#domain/orgs/orgs';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';
import { as, createOrg, member, smallHierarchy } from './support/fixture.ts';

/**
 * Every grant of an external admin and its end is an audit entry in the
 * customer's log, with the person who made the change (the real consumer
 * behind the local stream poller, as `npm start` runs it); deleting the
 * customer takes its external admins with it, tombstoned, so nothing is
 * dead-lettered.
 */

const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
const tableName = process.env.TABLE_NAME ?? '';
let poller: StreamPoller;
const logLines: string[] = [];

beforeAll(async () => {
  const { streamArn } = await createTable({ endpoint, tableName });
  poller = await startStreamPoller({
    endpoint,
    tableName,
    streamArn,
    lambda: createLambdaRuntime(),
    log: (line) => logLines.push(line),
    retryDelayMs: 5,
  });
});
afterAll(async () => {
  await poller?.stop();
});

const actorFor = (userId: string, requestId: string): Actor => ({
  userId,
  apiKeyId: null,
  impersonatorId: null,
  requestId,
  sourceIp: null,
});

describe('external admins in the audit log', () => {
  it('records each grant, its removal, and its end with the deleted customer in the customer’s log, each with its actor', async () => {
    // Prepare
    const world = await smallHierarchy();
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const customerAdmin = await member(world.admin, customer.id, 'customer-admin', true);
    const write = as(customerAdmin, 'external-admin:write');
    const by = (requestId: string) => actorFor(customerAdmin.principalId, requestId);

    // Act
    await addExternalAdmin(write, customer.id, { email: 'ext-audit-1@elsewhere.test', role: 'customer-user' }, by('add-1'));
    const grant = await addExternalAdmin(write, customer.id, { email: 'ext-audit-2@elsewhere.test', role: 'customer-admin' }, by('add-2'));
    await removeExternalAdmin(write, customer.id, grant.userId, { ifMatch: null }, by('remove'));
    await deleteOrg(as(world.admin, 'org:delete'), customer.id, null, actorFor(world.admin.principalId, 'delete-req'));
    await poller.drained();

    // Assess
    const { data } = await AuditEntryEntity.query.byLog({ auditLog: customer.id }).go({ pages: 'all' });
    const external = data.filter((entry) => entry.targetType === 'external-admin');
    expect(external.map((entry) => [entry.action, entry.requestId, entry.actor]).sort()).toEqual(
      [
        ['external_admin.added', 'add-1', customerAdmin.principalId],
        ['external_admin.added', 'add-2', customerAdmin.principalId],
        ['external_admin.removed', 'remove', customerAdmin.principalId],
        ['external_admin.removed', 'delete-req', world.admin.principalId],
      ].sort(),
    );
    expect(logLines.filter((line) => line.includes('gave up') || line.includes('dead'))).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryEntity, type AuditEntryItem } from '#domain/audit/audit-entry.entity';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { rootOrgId } from '#domain/shared/ids';
import { handler as auditHandler } from '#functions/audit/handler';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';
import { type InProcessApi, startInProcessApi } from '../property/support/api.ts';
import { scanTable } from '../property/support/table.ts';
import { recordedAuditEvents, recordingAuditFunction } from '../support/fixtures/recording-audit-handler.ts';
import { lambdaContext } from '../unit/support/api-event.ts';

/**
 * Every mutating route of the spine, called over the in-process API Gateway,
 * through the table's real stream into the real audit consumer: each produces
 * exactly one entry per changed item (bookkeeping such as a parent's child
 * count records nothing), with the caller as actor, the request's id, and the
 * change; delivering the same stream batches again adds nothing.
 */

let api: InProcessApi;
let poller: StreamPoller;
let token: string;
let adminUserId: string;
const gaveUp: string[] = [];

beforeAll(async () => {
  api = await startInProcessApi();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
  const tableName = process.env.TABLE_NAME ?? '';
  const { streamArn } = await createTable({ endpoint, tableName });
  poller = await startStreamPoller({
    endpoint,
    tableName,
    streamArn,
    lambda: createLambdaRuntime(),
    function: recordingAuditFunction,
    log: (line) => {
      if (line.includes('gave up')) gaveUp.push(line);
    },
    pollIntervalMs: 50,
    retryDelayMs: 5,
  });
  ({ adminUserId } = await bootstrapPlatform({ adminEmail: 'admin@platform.test' }, systemActor('audit-log-test')));
  token = await api.mintToken('admin@platform.test');
});
afterAll(async () => {
  await poller?.stop();
});

const call = async (method: string, path: string, body?: unknown) => {
  const response = await api.call({
    method,
    path,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  expect(response.status, response.text).toBeLessThan(300);
  return { json: response.json as Record<string, unknown>, requestId: response.headers['x-amzn-requestid'] ?? '' };
};

/** The root's audit (every entry is fanned out to it), by request. */
const entriesOf = async (requestId: string): Promise<AuditEntryItem[]> => {
  await poller.drained();
  const { data } = await AuditEntryEntity.query.byLog({ auditLog: rootOrgId }).go({ pages: 'all' });
  return data.filter((entry) => entry.requestId === requestId);
};

const summary = (entries: AuditEntryItem[]) => entries.map((entry) => `${entry.action} ${entry.targetType}:${entry.targetId}`).sort();

describe('one audit entry per changed item, for every mutating route of the spine', () => {
  let channelId = '';
  let partnerId = '';
  let otherPartnerId = '';
  let customerId = '';
  let memberId = '';

  it('POST …/children: the new org (its parent’s child count is bookkeeping)', async () => {
    const channel = await call('POST', `/v1/orgs/${rootOrgId}/children`, { kind: 'channel', name: 'Channel' });
    channelId = String(channel.json.id);
    const entries = await entriesOf(channel.requestId);
    expect(summary(entries)).toEqual([`org.created org:${channelId}`]);
    expect(entries[0]).toMatchObject({
      actor: adminUserId,
      orgId: channelId,
      sourceIp: '198.51.100.7',
      changes: { name: { before: null, after: 'Channel' } },
    });
    partnerId = String((await call('POST', `/v1/orgs/${channelId}/children`, { kind: 'partner', name: 'Partner' })).json.id);
    otherPartnerId = String((await call('POST', `/v1/orgs/${channelId}/children`, { kind: 'partner', name: 'Partner 2' })).json.id);
    customerId = String((await call('POST', `/v1/orgs/${partnerId}/children`, { kind: 'customer', name: 'Customer' })).json.id);
  });

  it('PATCH /v1/orgs/{id}: a rename, a status change and a subscription change', async () => {
    const renamed = await call('PATCH', `/v1/orgs/${customerId}`, { name: 'Customer One' });
    expect(summary(await entriesOf(renamed.requestId))).toEqual([`org.renamed org:${customerId}`]);
    const suspended = await call('PATCH', `/v1/orgs/${customerId}`, { status: 'suspended' });
    const [status] = await entriesOf(suspended.requestId);
    expect(status).toMatchObject({ action: 'org.status_changed', changes: { status: { before: 'active', after: 'suspended' } } });
    const billed = await call('PATCH', `/v1/orgs/${customerId}`, { subscriptionState: 'active' });
    const [subscription] = await entriesOf(billed.requestId);
    expect(subscription?.action).toBe('org.subscription_changed');
    expect(subscription?.changes).toMatchObject({ subscriptionState: { before: 'trial', after: 'active' } });
  });

  it('members: added, role changed, removed (with the remover as actor, from its tombstone)', async () => {
    const added = await call('POST', `/v1/orgs/${customerId}/members`, {
      email: 'someone@customer.test',
      role: 'customer-user',
      builtIn: true,
    });
    memberId = String(added.json.userId);
    expect(summary(await entriesOf(added.requestId))).toEqual([`member.added member:${memberId}`]);
    const changed = await call('PATCH', `/v1/orgs/${customerId}/members/${memberId}`, { role: 'customer-admin' });
    const [role] = await entriesOf(changed.requestId);
    expect(role).toMatchObject({
      action: 'member.role_changed',
      actor: adminUserId,
      changes: { role: { before: 'customer-user', after: 'customer-admin' } },
    });
    const removed = await call('DELETE', `/v1/orgs/${customerId}/members/${memberId}`);
    const [gone] = await entriesOf(removed.requestId);
    expect(gone).toMatchObject({
      action: 'member.removed',
      actor: adminUserId,
      orgId: customerId,
      changes: { role: { before: 'customer-admin', after: null } },
    });
  });

  it('POST …/move: every org whose path changed (the moved one and its subtree)', async () => {
    const moved = await call('POST', `/v1/orgs/${partnerId}/move`, { newParentId: channelId });
    expect(summary(await entriesOf(moved.requestId))).toEqual([]);
    const sub = String((await call('POST', `/v1/orgs/${partnerId}/children`, { kind: 'partner', name: 'Sub' })).json.id);
    const under = String((await call('POST', `/v1/orgs/${sub}/children`, { kind: 'customer', name: 'Under' })).json.id);
    const move = await call('POST', `/v1/orgs/${sub}/move`, { newParentId: otherPartnerId });
    const entries = await entriesOf(move.requestId);
    expect(summary(entries)).toEqual([`org.moved org:${sub}`, `org.moved org:${under}`].sort());
    expect(entries.find((entry) => entry.targetId === under)?.orgPath).toBe(`/${rootOrgId}/${channelId}/${otherPartnerId}/${sub}/${under}`);
  });

  it('DELETE /v1/orgs/{id}: the org and each membership that goes with it', async () => {
    const doomed = String((await call('POST', `/v1/orgs/${partnerId}/children`, { kind: 'customer', name: 'Doomed' })).json.id);
    const member = await call('POST', `/v1/orgs/${doomed}/members`, { email: 'doomed@customer.test', role: 'customer-user' });
    const deleted = await call('DELETE', `/v1/orgs/${doomed}`);
    const entries = await entriesOf(deleted.requestId);
    expect(summary(entries)).toEqual([`member.removed member:${String(member.json.userId)}`, `org.deleted org:${doomed}`].sort());
    expect(entries.every((entry) => entry.actor === adminUserId && entry.orgPath.endsWith(`/${doomed}`))).toBe(true);
  });

  it('gave up on nothing, and the chains verify', async () => {
    await poller.drained();
    expect(gaveUp).toEqual([]);
    for (const orgId of [rootOrgId, channelId, partnerId, customerId]) {
      const response = await api.call({
        method: 'GET',
        path: `/v1/orgs/${orgId}/audit/verify`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.json, orgId).toMatchObject({ verified: true, firstBreak: null });
    }
  });

  it('adds nothing when every stream batch is delivered a second time', async () => {
    // Prepare
    await poller.drained();
    const auditItems = async () =>
      (await scanTable())
        .filter((item) => item.__edb_e__ === 'auditEntry' || item.__edb_e__ === 'auditHead')
        .map((item) => JSON.stringify(item))
        .sort();
    const before = await auditItems();
    const events = recordedAuditEvents();
    expect(events.length).toBeGreaterThan(0);

    // Act: at-least-once delivery, the same records again.
    for (const event of events) {
      const response = await auditHandler(event, lambdaContext);
      expect(response.batchItemFailures).toEqual([]);
    }

    // Assess
    expect(await auditItems()).toEqual(before);
  });
});

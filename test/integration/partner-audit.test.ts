import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveApplication, rejectApplication, submitApplication } from '#domain/applications/applications';
import { AuditEntryEntity } from '#domain/audit/audit-entry.entity';
import { anonymousActor } from '#domain/db/written-by';
import { createChildOrg, deleteOrg } from '#domain/orgs/orgs';
import { putConfig } from '#domain/partners/configs';
import { putProfile } from '#domain/partners/profiles';
import { rootOrgId } from '#domain/shared/ids';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';
import { actor, as, createOrg, platformAdmin, unique } from './support/fixture.ts';

/**
 * The partner-business changes as the real audit consumer records them,
 * behind the local stream poller: who did what to a profile, a configuration
 * and an application, the public form's submitter included (by source IP).
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
    deadLetterDir: await mkdtemp(join(tmpdir(), 'partner-audit-test-')),
    retryDelayMs: 5,
  });
});
afterAll(async () => {
  await poller?.stop();
});

const entriesOf = async (orgId: string) => (await AuditEntryEntity.query.byLog({ auditLog: orgId }).go({ limit: 200 })).data;

describe('audit of partner details and applications', () => {
  it('records profile and configuration changes, a customer’s inherited configuration, and their deletion', async () => {
    // Prepare
    const admin = await platformAdmin();
    const by = { ...actor, userId: admin.principalId };
    const channel = await createOrg(admin, rootOrgId, 'channel');
    const partner = await createOrg(admin, channel.id, 'partner');

    // Act
    await putProfile(as(admin, 'profile:write'), partner.id, { website: 'https://p.example' }, null, by);
    await putProfile(as(admin, 'profile:write'), partner.id, { website: 'https://q.example' }, null, by);
    await putConfig(as(admin, 'config:write'), partner.id, { outboundIps: ['8.8.8.8'] }, null, by);
    const customer = await createChildOrg(as(admin, 'org:create'), partner.id, { kind: 'customer', name: unique('Cu') }, by);
    await deleteOrg(as(admin, 'org:delete'), customer.id, null, by);
    await poller.drained();

    // Assess
    const partnerActions = (await entriesOf(partner.id)).filter((entry) => entry.orgId === partner.id).map((entry) => entry.action);
    expect(partnerActions.sort()).toEqual(['config.created', 'org.created', 'profile.created', 'profile.updated'].sort());
    const customerEntries = await entriesOf(customer.id);
    expect(customerEntries.map((entry) => entry.action).sort()).toEqual(
      ['config.deleted', 'config.inherited', 'org.created', 'org.deleted'].sort(),
    );
    expect(customerEntries.every((entry) => entry.actor === admin.principalId)).toBe(true);
    expect(logLines.filter((line) => line.includes('gave up'))).toEqual([]);
  });

  it('records a submission as anonymous with its source IP, and the decision with who made it, in the channel’s log', async () => {
    // Prepare
    const admin = await platformAdmin();
    const by = { ...actor, userId: admin.principalId };
    const channel = await createOrg(admin, rootOrgId, 'channel');
    await putProfile(as(admin, 'profile:write'), channel.id, { programme: { partnerStatuses: [], acceptsApplications: true } }, null, by);
    const form = () => ({
      channelId: channel.id,
      company: unique('Co '),
      contactName: 'Ada',
      contactEmail: `${unique('ada')}@applicant.example`,
      country: 'IT',
    });

    // Act
    const approved = await submitApplication(form(), anonymousActor({ requestId: 'req-form-1', sourceIp: '198.51.100.23' }));
    const rejected = await submitApplication(form(), anonymousActor({ requestId: 'req-form-2', sourceIp: '2001:db8::23' }));
    await approveApplication(as(admin, 'application:write'), approved.id, by);
    await rejectApplication(as(admin, 'application:write'), rejected.id, { reason: 'No' }, by);
    await poller.drained();

    // Assess
    const entries = (await entriesOf(channel.id)).filter((entry) => entry.targetType === 'application');
    const of = (appId: string) =>
      entries
        .filter((entry) => entry.targetId === appId)
        .map((entry) => ({ action: entry.action, actor: entry.actor, sourceIp: entry.sourceIp ?? null, requestId: entry.requestId }))
        .sort((a, b) => a.action.localeCompare(b.action));
    expect(of(approved.id)).toEqual([
      { action: 'application.approved', actor: admin.principalId, sourceIp: null, requestId: actor.requestId },
      { action: 'application.submitted', actor: 'anonymous', sourceIp: '198.51.100.23', requestId: 'req-form-1' },
    ]);
    expect(of(rejected.id)).toEqual([
      { action: 'application.rejected', actor: admin.principalId, sourceIp: null, requestId: actor.requestId },
      { action: 'application.submitted', actor: 'anonymous', sourceIp: '2001:db8::23', requestId: 'req-form-2' },
    ]);
    expect(logLines.filter((line) => line.includes('gave up'))).toEqual([]);
  });
});

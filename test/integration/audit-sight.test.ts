import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access/caller';
import type { AuditEntryView } from '#domain/audit/entry-view';
import { listAudit } from '#domain/audit/list-audit';
import { countCalls } from '#domain/db/call-counter';
import { grantServiceAccess } from '#domain/delegation/service-assignments';
import { createService } from '#domain/delegation/services';
import { moveOrg } from '#domain/orgs/move';
import { updateOrg } from '#domain/orgs/orgs';
import { rootOrgId } from '#domain/shared/ids';
import { type AuditStream, startAuditStream } from './support/audit-stream.ts';
import { actor, as, createOrg, member, platformAdmin, unique } from './support/fixture.ts';

/**
 * Whose entries the audit of an org shows below it: those of orgs the caller
 * could read the audit of where they stood when the entry was written. A
 * grant that reaches the org alone shows nothing of its subtree, and an org
 * moved away leaves its history with the ancestors it had.
 */
let stream: AuditStream;
beforeAll(async () => {
  stream = await startAuditStream();
});
afterAll(async () => {
  await stream?.poller.stop();
});

const auditOf = async (caller: Caller, orgId: string): Promise<AuditEntryView[]> => {
  await stream.poller.drained();
  const items: AuditEntryView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAudit(as(caller, 'audit:read'), orgId, { limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};
const orgsIn = (entries: readonly AuditEntryView[]) => new Set(entries.map((entry) => entry.orgId));

describe('the audit of an org, below it', () => {
  it('shows a service assignee on a channel the channel’s own entries, nothing of its partners and customers', async () => {
    // Prepare
    const admin = await platformAdmin();
    const channel = await createOrg(admin, rootOrgId, 'channel');
    const partner = await createOrg(admin, channel.id, 'partner');
    const customer = await createOrg(admin, partner.id, 'customer');
    const provider = await createOrg(admin, await createOrg(admin, rootOrgId, 'channel').then((other) => other.id), 'partner');
    const engineer = await member(admin, provider.id, 'read-only');
    const service = await createService(
      as(admin, 'service:write'),
      rootOrgId,
      { providerOrgId: provider.id, name: unique('svc'), role: 'read-only', accountIds: [channel.id] },
      actor,
    );
    await grantServiceAccess(admin, service.id, { userIds: [engineer.principalId], accountIds: [channel.id] }, actor);

    // Act
    const seenByEngineer = await auditOf(engineer, channel.id);
    const seenByAdmin = await auditOf(admin, channel.id);

    // Assess
    expect([...orgsIn(seenByEngineer)]).toEqual([channel.id]);
    expect(orgsIn(seenByAdmin)).toEqual(new Set([channel.id, partner.id, customer.id]));
  });

  it('keeps a moved partner’s history with its old channel and starts its new channel’s from the move', async () => {
    // Prepare
    const admin = await platformAdmin();
    const [oldChannel, newChannel] = [await createOrg(admin, rootOrgId, 'channel'), await createOrg(admin, rootOrgId, 'channel')];
    const [oldAdmin, newAdmin] = [await member(admin, oldChannel.id, 'channel-admin'), await member(admin, newChannel.id, 'channel-admin')];
    const partner = await createOrg(admin, oldChannel.id, 'partner');
    const customer = await createOrg(admin, partner.id, 'customer');
    await stream.poller.drained();

    // Act
    await moveOrg(as(admin, 'org:move'), partner.id, newChannel.id, null, actor);
    await updateOrg(as(admin, 'org:update'), customer.id, { name: unique('Renamed') }, null, actor);

    // Assess
    const actionsOf = (entries: readonly AuditEntryView[], orgId: string) =>
      entries.filter((entry) => entry.orgId === orgId).map((entry) => entry.action);
    const oldView = await auditOf(oldAdmin, oldChannel.id);
    expect(actionsOf(oldView, partner.id)).toEqual(['org.created']);
    expect(actionsOf(oldView, customer.id)).toEqual(['org.created']);
    const newView = await auditOf(newAdmin, newChannel.id);
    expect(actionsOf(newView, partner.id)).toEqual(['org.moved']);
    expect(actionsOf(newView, customer.id)).toEqual(['org.renamed', 'org.moved']);
    // The old channel's people no longer reach the partner: its history stays theirs, its present does not.
    expect(oldView.every((entry) => !entry.orgPath.includes(newChannel.id))).toBe(true);
  });

  it('reads the orgs of a page’s entries in one BatchGet, and none when the page holds only the org’s own', async () => {
    const admin = await platformAdmin();
    const channel = await createOrg(admin, rootOrgId, 'channel');
    await createOrg(admin, channel.id, 'partner');
    await stream.poller.drained();
    const mixed = await countCalls(() => listAudit(as(admin, 'audit:read'), channel.id, { limit: 10 }));
    const own = await countCalls(() => listAudit(as(admin, 'audit:read'), channel.id, { limit: 10, action: 'member.added' }));
    expect(mixed.calls.byCommand.BatchGetItemCommand).toBe(1);
    expect(own.calls.byCommand.BatchGetItemCommand ?? 0).toBe(0);
  });
});

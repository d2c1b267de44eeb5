import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf, type Caller } from '#domain/access/caller';
import { addMember } from '#domain/access/members';
import { exportInvoices } from '#domain/billing/invoice-export';
import { listInvoices } from '#domain/billing/invoice-lists';
import { listImpersonations } from '#domain/delegation/list-impersonations';
import { grantServiceAccess } from '#domain/delegation/service-assignments';
import { createService } from '#domain/delegation/services';
import { startImpersonation } from '#domain/delegation/start-impersonation';
import { listChildOrgs, listDescendantOrgs } from '#domain/orgs/org-lists';
import { rootOrgId } from '#domain/shared/ids';
import { makeInvoice, setPriceBook } from './support/billing-fixture.ts';
import { actor, as, createOrg, member, platformAdmin, unique, userCaller } from './support/fixture.ts';

/**
 * A grant that reaches one org alone (a service assignment) shows that org,
 * not what lies below it: the children, the descendants and the partner's
 * subtree invoices list only what the caller's grants reach, while a
 * membership at the same org shows the whole subtree.
 */
const w = {} as {
  admin: Caller;
  partner: { id: string };
  subPartner: { id: string };
  ownCustomer: { id: string };
  subCustomer: { id: string };
  assignee: Caller;
  subAdmin: Caller;
  partnerAdmin: Caller;
  provider: { id: string };
  serviceId: string;
  channelId: string;
};

beforeAll(async () => {
  // Sessions are signed with it; the stack sets it from a secret.
  process.env.IMPERSONATION_TOKEN_KEY ??= randomBytes(32).toString('base64url');
  const admin = await platformAdmin();
  const channel = await createOrg(admin, rootOrgId, 'channel');
  const partner = await createOrg(admin, channel.id, 'partner');
  const subPartner = await createOrg(admin, partner.id, 'partner');
  const ownCustomer = await createOrg(admin, partner.id, 'customer');
  const subCustomer = await createOrg(admin, subPartner.id, 'customer');
  const provider = await createOrg(admin, channel.id, 'partner');
  const assignee = await member(admin, provider.id, 'read-only');
  const service = await createService(
    as(admin, 'service:write'),
    channel.id,
    { providerOrgId: provider.id, name: unique('svc'), role: 'billing-admin', accountIds: [partner.id] },
    actor,
  );
  await grantServiceAccess(admin, service.id, { userIds: [assignee.principalId], accountIds: [partner.id] }, actor);
  for (const issuer of [partner.id, subPartner.id]) await setPriceBook(admin, issuer);
  await makeInvoice(admin, ownCustomer.id);
  await makeInvoice(admin, subCustomer.id);
  Object.assign(w, {
    admin,
    partner,
    subPartner,
    ownCustomer,
    subCustomer,
    assignee,
    subAdmin: await member(admin, subPartner.id, 'partner-admin'),
    partnerAdmin: await member(admin, partner.id, 'partner-admin'),
    provider,
    serviceId: service.id,
    channelId: channel.id,
  });
});

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();

describe('what a grant reaching one org alone shows below it', () => {
  it('lists no children or descendants of the account it is assigned to; a member of the account sees them all', async () => {
    const children = await listChildOrgs(as(w.assignee, 'org:read'), w.partner.id, {});
    const descendants = await listDescendantOrgs(as(w.assignee, 'org:read'), w.partner.id, {});
    const membersView = await listDescendantOrgs(as(w.partnerAdmin, 'org:read'), w.partner.id, {});

    expect(children.items).toEqual([]);
    expect(descendants.items).toEqual([]);
    expect(ids(membersView.items)).toEqual(ids([w.subPartner, w.ownCustomer, w.subCustomer]));
  });

  it('still lists below the account what its other grants reach', async () => {
    // Prepare: one person assigned to the partner through the service and a member of the sub-partner.
    const email = `${unique('both')}@test.example`;
    const { userId } = await addMember(as(w.admin, 'member:write'), w.provider.id, { email, role: 'read-only' }, actor);
    await addMember(as(w.admin, 'member:write'), w.subPartner.id, { email, role: 'read-only' }, actor);
    await grantServiceAccess(w.admin, w.serviceId, { userIds: [userId], accountIds: [w.partner.id] }, actor);

    // Act
    const descendants = await listDescendantOrgs(as(userCaller(userId), 'org:read'), w.partner.id, {});

    // Assess
    expect(ids(descendants.items)).toEqual(ids([w.subPartner, w.subCustomer]));
  });

  it('shows the invoices the account issued itself, not those of the partners below it; the export agrees', async () => {
    const assigneeList = await listInvoices(as(w.assignee, 'billing:read'), w.partner.id, {});
    const adminList = await listInvoices(as(w.partnerAdmin, 'billing:read'), w.partner.id, {});
    const exported = await exportInvoices(as(w.assignee, 'billing:read'), w.partner.id, {});

    expect(assigneeList.items.map((invoice) => invoice.customerId)).toEqual([w.ownCustomer.id]);
    expect(adminList.items.map((invoice) => invoice.customerId).sort()).toEqual([w.ownCustomer.id, w.subCustomer.id].sort());
    expect(exported.rows).toBe(1);
    expect(exported.csv).toContain(w.ownCustomer.id);
    expect(exported.csv).not.toContain(w.subCustomer.id);
  });

  it('lists no sessions held below the account, where a member of the account sees them', async () => {
    // Prepare: a reader assigned to the partner through a read-only service; a session in the sub-partner's customer.
    const reader = await member(w.admin, w.provider.id, 'read-only');
    const readOnly = await createService(
      as(w.admin, 'service:write'),
      w.channelId,
      { providerOrgId: w.provider.id, name: unique('svc'), role: 'read-only', accountIds: [w.partner.id] },
      actor,
    );
    await grantServiceAccess(w.admin, readOnly.id, { userIds: [reader.principalId], accountIds: [w.partner.id] }, actor);
    const session = await startImpersonation(
      as(w.admin, 'impersonate'),
      w.subCustomer.id,
      { reason: 'Checking the mailbox rules', minutes: 15 },
      actorOf(w.admin, { requestId: unique('req'), sourceIp: '198.51.100.7' }),
    );

    // Act
    const readerView = await listImpersonations(as(reader, 'access:read'), w.partner.id, {});
    const memberView = await listImpersonations(as(w.partnerAdmin, 'access:read'), w.partner.id, {});

    // Assess
    expect(readerView.items).toEqual([]);
    expect(memberView.items.map((item) => item.id)).toContain(session.id);
  });
});

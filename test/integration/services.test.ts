import { beforeAll, describe, expect, it } from 'vitest';
import { authorizeOn } from '#domain/access/authorize';
import type { Caller } from '#domain/access/caller';
import { addMember, removeMember } from '#domain/access/members';
import { MembershipEntity } from '#domain/access/membership.entity';
import { countCalls } from '#domain/db/call-counter';
import { writtenBy } from '#domain/db/written-by';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { ServiceAccountEntity } from '#domain/delegation/service-account.entity';
import { ServiceAssignmentEntity } from '#domain/delegation/service-assignment.entity';
import { grantServiceAccess, listServiceCandidates, revokeServiceAccess } from '#domain/delegation/service-assignments';
import { updateService } from '#domain/delegation/service-changes';
import { deleteUnlinkedAccounts, unlinkAccounts } from '#domain/delegation/service-removal';
import { readService, readServiceAccounts } from '#domain/delegation/service-store';
import type { ServiceView } from '#domain/delegation/service-view';
import { createService, getService, listServices } from '#domain/delegation/services';
import { moveOrg } from '#domain/orgs/move';
import { OrgEntity } from '#domain/orgs/org.entity';
import { readOrgs } from '#domain/orgs/org-store';
import { getOrg } from '#domain/orgs/orgs';
import { rootOrgId } from '#domain/shared/ids';
import { actor, as, createOrg, member, platformAdmin, unique, userCaller } from './support/fixture.ts';

/**
 * Service relationships on DynamoDB Local: an owner partner shares five
 * customers with a provider partner, whose admin assigns its users to some of
 * them. What a provider user reaches, and how removal, re-adding, ending and
 * leaving the provider take it away, checked through the same authorization
 * every route uses.
 */

interface World {
  admin: Caller;
  owner: { id: string; path: string };
  provider: { id: string };
  accounts: string[];
  ownerAdmin: Caller;
  providerAdmin: Caller;
  engineer: Caller;
  engineerId: string;
}

let world: World;

const newWorld = async (): Promise<World> => {
  const admin = await platformAdmin();
  const channel = await createOrg(admin, rootOrgId, 'channel');
  const owner = await createOrg(admin, channel.id, 'partner');
  const provider = await createOrg(admin, channel.id, 'partner');
  const accounts: string[] = [];
  for (let i = 0; i < 5; i++) accounts.push((await createOrg(admin, owner.id, 'customer')).id);
  const engineer = await member(admin, provider.id, 'partner-technician');
  return {
    admin,
    owner,
    provider,
    accounts,
    ownerAdmin: await member(admin, owner.id, 'partner-admin'),
    providerAdmin: await member(admin, provider.id, 'partner-admin'),
    engineer,
    engineerId: engineer.principalId,
  };
};

const shareAll = async (w: World, role: 'customer-admin' | 'read-only' = 'customer-admin'): Promise<ServiceView> =>
  createService(
    as(w.ownerAdmin, 'service:write'),
    w.owner.id,
    { providerOrgId: w.provider.id, name: unique('svc'), role, accountIds: w.accounts },
    actor,
  );

const at = (list: readonly string[], index: number): string => {
  const value = list[index];
  if (value === undefined) throw new Error(`no item ${index}`);
  return value;
};

/** What the caller gets for `permission` on `orgId`: allowed, or the status of the refusal. */
const reach = async (caller: Caller, orgId: string, permission: Parameters<typeof as>[1] = 'org:read') => {
  try {
    await authorizeOn(as(caller, permission), orgId);
    return 'allowed';
  } catch (error) {
    return (error as { statusCode?: number }).statusCode ?? 'error';
  }
};

beforeAll(async () => {
  world = await newWorld();
});

describe('a provider user assigned to two of five accounts', () => {
  let service: ServiceView;

  beforeAll(async () => {
    service = await shareAll(world);
    await grantServiceAccess(
      world.providerAdmin,
      service.id,
      { userIds: [world.engineerId], accountIds: world.accounts.slice(0, 2) },
      actor,
    );
  });

  it('reaches exactly those two, with the service’s role', async () => {
    for (const account of world.accounts.slice(0, 2)) {
      expect(await reach(world.engineer, account, 'org:read')).toBe('allowed');
      expect(await reach(world.engineer, account, 'member:write')).toBe('allowed');
      // customer-admin does not carry org:delete: inside its sight, without the permission.
      expect(await reach(world.engineer, account, 'org:delete')).toBe(403);
    }
  });

  it('reaches nothing else: not the other three accounts, not the owner, not its parent', async () => {
    for (const account of world.accounts.slice(2)) expect(await reach(world.engineer, account)).toBe(404);
    expect(await reach(world.engineer, world.owner.id)).toBe(404);
    const ownerOrg = (await readOrgs([world.owner.id])).get(world.owner.id);
    expect(await reach(world.engineer, ownerOrg?.parentId ?? '')).toBe(404);
  });

  it('authorizes in one round: the account (GetItem) and the user’s grants (one Query, assignments included)', async () => {
    const { calls } = await countCalls(() => getOrg(as(world.engineer, 'org:read'), at(world.accounts, 0)));

    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
  });

  it('reads a service in two rounds: the service, the grants, its accounts and assignments; then the orgs and the provider memberships', async () => {
    const { calls } = await countCalls(() => getService(world.providerAdmin, service.id));

    // Round one: GetItem (service) ‖ Query (grants) ‖ Query (accounts) ‖ Query (assignments).
    // Round two: BatchGet (owner, provider) ‖ BatchGet (accounts' orgs) ‖ BatchGet (provider memberships).
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 3, BatchGetItemCommand: 3 });
  });

  it('lists an org’s services with one page Query beside the authorization reads', async () => {
    const { calls } = await countCalls(() => listServices(as(world.providerAdmin, 'service:read'), world.provider.id, { limit: 1 }));

    // The provider owns nothing: the owned page comes back empty and the received page follows.
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 3 });
  });

  it('shows both sides the service with the assignment, and lists it on both orgs', async () => {
    const fromOwner = await getService(world.ownerAdmin, service.id);
    const fromProvider = await getService(world.providerAdmin, service.id);

    expect(fromProvider).toEqual(fromOwner);
    expect(fromOwner.accounts.map((account) => account.accountId)).toEqual([...world.accounts].sort());
    const assigned = fromOwner.accounts.filter((account) => account.users.length > 0).map((account) => account.accountId);
    expect(assigned.sort()).toEqual(world.accounts.slice(0, 2).sort());
    const owned = await listServices(as(world.ownerAdmin, 'service:read'), world.owner.id, {});
    const received = await listServices(as(world.providerAdmin, 'service:read'), world.provider.id, {});
    expect(owned.items.find((item) => item.id === service.id)?.side).toBe('owner');
    expect(received.items.find((item) => item.id === service.id)?.side).toBe('provider');
  });

  it('counts current access for the candidates of each mode', async () => {
    const selected = world.accounts.slice(0, 3);
    const grant = await listServiceCandidates(world.providerAdmin, service.id, { mode: 'grant', accountIds: selected });
    const revoke = await listServiceCandidates(world.providerAdmin, service.id, { mode: 'revoke', accountIds: selected });
    const full = await listServiceCandidates(world.providerAdmin, service.id, { mode: 'grant', accountIds: world.accounts.slice(0, 2) });

    expect(grant.items.find((c) => c.userId === world.engineerId)?.currentAccess).toBe(2);
    expect(revoke.items.map((c) => c.userId)).toEqual([world.engineerId]);
    expect(full.items.map((c) => c.userId)).not.toContain(world.engineerId);
  });

  it('refuses to assign users of other orgs and accounts outside the service, naming them', async () => {
    const outsider = await member(world.admin, world.owner.id, 'read-only');
    const stranger = await createOrg(world.admin, world.owner.id, 'customer');

    await expect(
      grantServiceAccess(world.providerAdmin, service.id, { userIds: [outsider.principalId], accountIds: [at(world.accounts, 0)] }, actor),
    ).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'not-provider-members', userIds: [outsider.principalId] } });
    await expect(
      grantServiceAccess(world.providerAdmin, service.id, { userIds: [world.engineerId], accountIds: [stranger.id] }, actor),
    ).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'not-service-accounts', accountIds: [stranger.id] } });
  });

  it('lets only the provider’s admins assign: the owner side gets a 403, strangers a 404', async () => {
    const pairs = { userIds: [world.engineerId], accountIds: [at(world.accounts, 4)] };
    const stranger = await member(world.admin, (await createOrg(world.admin, rootOrgId, 'channel')).id, 'channel-admin');

    await expect(grantServiceAccess(world.ownerAdmin, service.id, pairs, actor)).rejects.toMatchObject({ statusCode: 403 });
    await expect(grantServiceAccess(world.engineer, service.id, pairs, actor)).rejects.toMatchObject({ statusCode: 403 });
    await expect(grantServiceAccess(stranger, service.id, pairs, actor)).rejects.toMatchObject({ statusCode: 404 });
    await expect(getService(stranger, service.id)).rejects.toMatchObject({ statusCode: 404, message: 'The service was not found' });
  });
});

describe('removing an account', () => {
  it('cuts access on the next call even when only the first step ran, and a repeat finishes the job', async () => {
    const w = await newWorld();
    const service = await shareAll(w);
    const [first] = w.accounts;
    if (!first) throw new Error('no account');
    await grantServiceAccess(w.providerAdmin, service.id, { userIds: [w.engineerId], accountIds: [first] }, actor);
    expect(await reach(w.engineer, first)).toBe('allowed');

    // An interrupted removal: the link left the org, nothing else happened.
    const item = await readService(service.id);
    const links = (await readServiceAccounts(service.id)).filter((link) => link.accountId === first);
    if (!item) throw new Error('no service');
    await unlinkAccounts(item, links, await readOrgs([first]), writtenBy(actor, new Date().toISOString()));

    expect(await reach(w.engineer, first)).toBe(404);
    const leftover = await ServiceAssignmentEntity.get({ userId: w.engineerId, serviceId: service.id, accountId: first }).go();
    expect(leftover.data).not.toBeNull();
    const halfway = await getService(w.ownerAdmin, service.id);
    expect(halfway.accounts.find((account) => account.accountId === first)).toMatchObject({ status: 'removing', users: [] });

    const finished = await updateService(w.ownerAdmin, service.id, { removeAccountIds: [first] }, { ifMatch: null }, actor);

    expect('accounts' in finished && finished.accounts.map((account) => account.accountId)).not.toContain(first);
    expect((await ServiceAssignmentEntity.get({ userId: w.engineerId, serviceId: service.id, accountId: first }).go()).data).toBeNull();
    expect((await ServiceAccountEntity.get({ serviceId: service.id, accountId: first }).go()).data).toBeNull();
    expect((await OrgEntity.get({ orgId: first }).go()).data?.serviceLinks ?? []).toEqual([]);
  });

  it('never brings old assignments back when the account is added again', async () => {
    const w = await newWorld();
    const service = await shareAll(w);
    const [first] = w.accounts;
    if (!first) throw new Error('no account');
    await grantServiceAccess(w.providerAdmin, service.id, { userIds: [w.engineerId], accountIds: [first] }, actor);
    // Leftovers: the link and its item are gone, the assignment item stayed behind (a removal that lost a race).
    const item = await readService(service.id);
    const links = (await readServiceAccounts(service.id)).filter((link) => link.accountId === first);
    if (!item) throw new Error('no service');
    const by = writtenBy(actor, new Date().toISOString());
    await unlinkAccounts(item, links, await readOrgs([first]), by);
    await deleteUnlinkedAccounts(item, links, (id) => `${w.owner.path}/${id}`, by);

    const readded = await updateService(w.ownerAdmin, service.id, { addAccountIds: [first] }, { ifMatch: null }, actor);

    expect(await reach(w.engineer, first)).toBe(404);
    expect('accounts' in readded && readded.accounts.find((account) => account.accountId === first)).toMatchObject({
      status: 'active',
      users: [],
    });
    const candidates = await listServiceCandidates(w.providerAdmin, service.id, { mode: 'grant', accountIds: [first] });
    expect(candidates.items.find((c) => c.userId === w.engineerId)?.currentAccess).toBe(0);
    // Granting again replaces the dead item, and counts it as granted.
    const again = await grantServiceAccess(w.providerAdmin, service.id, { userIds: [w.engineerId], accountIds: [first] }, actor);
    expect(again).toMatchObject({ granted: 1, unchanged: 0 });
    expect(await reach(w.engineer, first)).toBe('allowed');
  });

  it('refuses to add an account whose removal was interrupted until the removal is repeated', async () => {
    const w = await newWorld();
    const service = await shareAll(w);
    const [first] = w.accounts;
    if (!first) throw new Error('no account');
    const item = await readService(service.id);
    if (!item) throw new Error('no service');
    const links = (await readServiceAccounts(service.id)).filter((link) => link.accountId === first);
    await unlinkAccounts(item, links, await readOrgs([first]), writtenBy(actor, new Date().toISOString()));

    await expect(updateService(w.ownerAdmin, service.id, { addAccountIds: [first] }, { ifMatch: null }, actor)).rejects.toMatchObject({
      statusCode: 409,
      extensions: { rule: 'account-being-removed' },
    });
  });
});

describe('what else ends an assignment', () => {
  it('the user leaving the provider: access ends, and being invited again does not bring it back', async () => {
    const w = await newWorld();
    const service = await shareAll(w);
    const [first] = w.accounts;
    if (!first) throw new Error('no account');
    const email = `${unique('eng')}@provider.test`;
    const joined = await addMember(as(w.admin, 'member:write'), w.provider.id, { email, role: 'read-only' }, actor);
    const engineer = userCaller(joined.userId);
    await grantServiceAccess(w.providerAdmin, service.id, { userIds: [joined.userId], accountIds: [first] }, actor);
    expect(await reach(engineer, first)).toBe('allowed');

    await removeMember(as(w.admin, 'member:write'), w.provider.id, joined.userId, { ifMatch: null }, actor);
    expect(await reach(engineer, first)).toBe(404);
    await addMember(as(w.admin, 'member:write'), w.provider.id, { email, role: 'read-only' }, actor);

    expect(await reach(engineer, first)).toBe(404);
    const view = await getService(w.ownerAdmin, service.id);
    expect(view.accounts.find((account) => account.accountId === first)?.users).toEqual([]);
  });

  it('the account moving away from the owner: access ends, and the account shows as detached', async () => {
    const w = await newWorld();
    const service = await shareAll(w);
    const [first] = w.accounts;
    if (!first) throw new Error('no account');
    await grantServiceAccess(w.providerAdmin, service.id, { userIds: [w.engineerId], accountIds: [first] }, actor);
    const elsewhere = await createOrg(w.admin, w.owner.id, 'partner');

    await moveOrg(as(w.admin, 'org:move'), first, elsewhere.id, null, actor);

    expect(await reach(w.engineer, first)).toBe(404);
    const view = await getService(w.providerAdmin, service.id);
    expect(view.accounts.find((account) => account.accountId === first)).toMatchObject({ status: 'detached', users: [] });
  });
});

describe('ending a service', () => {
  it('reports what it would do, then removes every account and assignment and stays ended', async () => {
    const w = await newWorld();
    const service = await shareAll(w);
    await grantServiceAccess(w.providerAdmin, service.id, { userIds: [w.engineerId], accountIds: w.accounts.slice(0, 2) }, actor);

    const report = await updateService(w.ownerAdmin, service.id, { status: 'ended' }, { ifMatch: null, dryRun: true }, actor);
    expect(report).toMatchObject({
      dryRun: true,
      wouldSucceed: true,
      accountsAffected: [...w.accounts].sort(),
      usersLosingAccess: w.accounts
        .slice(0, 2)
        .sort()
        .map((orgId) => ({ userId: w.engineerId, orgId, via: 'service' })),
    });
    expect(await reach(w.engineer, at(w.accounts, 0))).toBe('allowed');

    const ended = await updateService(w.ownerAdmin, service.id, { status: 'ended' }, { ifMatch: service.version }, actor);

    expect(ended).toMatchObject({ status: 'ended', accounts: [], version: service.version + 1 });
    for (const account of w.accounts) expect(await reach(w.engineer, account)).toBe(404);
    const orgs = await readOrgs(w.accounts);
    expect([...orgs.values()].flatMap((org) => org.serviceLinks ?? [])).toEqual([]);
    const left = await ServiceAssignmentEntity.query.assignmentsOfService({ serviceId: service.id }).go();
    expect(left.data).toEqual([]);
    // Repeating it changes nothing; adding to it is refused.
    expect(await updateService(w.ownerAdmin, service.id, { status: 'ended' }, { ifMatch: null }, actor)).toMatchObject({
      status: 'ended',
      version: service.version + 1,
    });
    await expect(
      updateService(w.ownerAdmin, service.id, { addAccountIds: [at(w.accounts, 0)] }, { ifMatch: null }, actor),
    ).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'service-not-active' } });
  });
});

describe('bulk grants and revocations', () => {
  it('grants 1,000 pairs in ten atomic chunks, and a repeat changes nothing and says so', { timeout: 120_000 }, async () => {
    const w = await newWorld();
    const service = await shareAll(w, 'read-only');
    // 200 provider users, written straight to the table (200 invitations through the API would take longer than the test).
    const now = new Date().toISOString();
    const joined = Array.from({ length: 200 }, (_, i) => ({
      userId: `usr_bulk${i}${unique('x')}`,
      orgId: w.provider.id,
      email: `bulk${i}.${unique('x')}@provider.test`,
      role: 'read-only' as const,
      builtIn: false,
      createdAt: now,
      updatedAt: now,
      version: 1,
      writtenBy: writtenBy(actor, now),
    }));
    await MembershipEntity.put(joined).go();
    const userIds = joined.map((m) => m.userId);

    const first = await grantServiceAccess(w.providerAdmin, service.id, { userIds, accountIds: w.accounts }, actor);
    const again = await grantServiceAccess(w.providerAdmin, service.id, { userIds, accountIds: w.accounts }, actor);

    expect(first).toEqual({ granted: 1000, unchanged: 0, pairs: 1000, transactions: 10 });
    expect(again).toEqual({ granted: 0, unchanged: 1000, pairs: 1000, transactions: 0 });
    const view = await getService(w.providerAdmin, service.id);
    expect(view.accounts.map((account) => account.users.length)).toEqual([200, 200, 200, 200, 200]);

    const dryRun = await revokeServiceAccess(
      w.providerAdmin,
      service.id,
      { userIds: userIds.slice(0, 2), accountIds: w.accounts.slice(0, 1) },
      { dryRun: true },
      actor,
    );
    expect(dryRun).toMatchObject({ dryRun: true, accountsAffected: w.accounts.slice(0, 1) });
    expect('usersLosingAccess' in dryRun && dryRun.usersLosingAccess).toHaveLength(2);

    const revoked = await revokeServiceAccess(w.providerAdmin, service.id, { userIds, accountIds: w.accounts }, {}, actor);
    const revokedAgain = await revokeServiceAccess(w.providerAdmin, service.id, { userIds, accountIds: w.accounts }, {}, actor);
    expect(revoked).toEqual({ revoked: 1000, unchanged: 0, pairs: 1000, transactions: 20 });
    expect(revokedAgain).toEqual({ revoked: 0, unchanged: 1000, pairs: 1000, transactions: 0 });
  });
});

describe('creating a service', () => {
  it('refuses what the owner cannot share: more than it holds, orgs that are not its children, a provider that is no partner', async () => {
    const w = world;
    const technician = await member(w.admin, w.owner.id, 'partner-technician');
    const elsewhere = await createOrg(w.admin, w.provider.id, 'customer');
    const locked = await createOrg(w.admin, w.owner.id, 'customer');
    const lockedAdmin = await member(w.admin, locked.id, 'customer-admin', true);
    await setPartnerAccess(as(lockedAdmin, 'partner-access:write'), locked.id, { enabled: false }, { ifMatch: null }, actor);
    const create = (caller: Caller, body: Partial<Parameters<typeof createService>[2]>) =>
      createService(as(caller, 'service:write'), w.owner.id, { providerOrgId: w.provider.id, name: 'S', accountIds: [], ...body }, actor);

    await expect(create(technician, {})).rejects.toMatchObject({ statusCode: 403 });
    // A customer that switched partner access off admits nothing from above: its partner cannot share it.
    await expect(create(w.ownerAdmin, { accountIds: [locked.id] })).rejects.toMatchObject({
      statusCode: 403,
      extensions: { rule: 'no-escalation' },
    });
    // A service reaches each account alone: no role that creates, moves or deletes orgs.
    await expect(create(w.ownerAdmin, { role: 'partner-admin' })).rejects.toMatchObject({
      statusCode: 400,
      errors: [{ path: 'body.role' }],
    });
    await expect(create(w.ownerAdmin, { role: 'partner-technician', accountIds: [at(w.accounts, 0)] })).rejects.toMatchObject({
      statusCode: 400,
      errors: [{ path: 'body.accountIds' }],
    });
    await expect(create(w.ownerAdmin, { accountIds: [elsewhere.id] })).rejects.toMatchObject({
      statusCode: 409,
      extensions: { rule: 'not-owner-children', accountIds: [elsewhere.id] },
    });
    for (const providerOrgId of [w.owner.id, at(w.accounts, 0), 'org_doesnotexist']) {
      await expect(create(w.ownerAdmin, { providerOrgId })).rejects.toMatchObject({
        statusCode: 400,
        errors: [{ path: 'body.providerOrgId', message: 'must name a partner org other than the owner' }],
      });
    }
  });
});

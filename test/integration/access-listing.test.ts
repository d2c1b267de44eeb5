import { beforeAll, describe, expect, it } from 'vitest';
import { type AccessItem, listAccess } from '#domain/access/access-list';
import type { Caller } from '#domain/access/caller';
import { explainAccess } from '#domain/access/explain';
import { addMember, type MemberView, removeMember } from '#domain/access/members';
import type { RoleName } from '#domain/access/roles';
import { countCalls } from '#domain/db/call-counter';
import { addExternalAdmin } from '#domain/delegation/external-admins';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import type { OrgView } from '#domain/orgs/org-view';
import { apiKeyAt, externalAdminItem, serviceOn, sessionIn } from './support/delegated.ts';
import { actor, as, createOrg, smallHierarchy, unique, userCaller } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
let customer: OrgView;
const people: Record<string, MemberView> = {};
const ids: Record<string, string> = {};
let ownAdmin: Caller;
let partnerAdmin: Caller;

const invite = async (label: string, orgId: string, role: RoleName, builtIn = false) => {
  people[label] = await addMember(as(world.admin, 'member:write'), orgId, { email: `${unique(label)}@test.example`, role, builtIn }, actor);
  return people[label];
};
const person = (label: string): MemberView => {
  const found = people[label];
  if (!found) throw new Error(`no ${label}`);
  return found;
};
const id = (label: string): string => ids[label] ?? '';
const byUserId = (...labels: string[]) => labels.map(person).sort((a, b) => (a.userId < b.userId ? -1 : 1));
const membershipItem = (member: MemberView, effective = true): Partial<AccessItem> => ({
  principalType: 'user',
  principalId: member.userId,
  email: member.email,
  role: member.role,
  via: { kind: 'membership', orgId: member.orgId, builtIn: member.builtIn },
  effective,
  ...(effective ? {} : { blockedBy: 'partner-access-off' }),
});
const walk = async (caller: Caller, orgId: string, limit: number) => {
  const items: AccessItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAccess(as(caller, 'access:read'), orgId, { limit, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

/**
 * One customer reached by every kind of grant: memberships at each level of
 * its path, API keys above it, an external admin, a service assignment and a
 * running impersonation session; plus grants that do not reach it (expired,
 * ended, of an earlier service link, of the sibling) and must never show.
 */
beforeAll(async () => {
  world = await smallHierarchy();
  customer = await createOrg(world.admin, world.partnerA.id, 'customer');
  await invite('channelReader', world.channel.id, 'read-only');
  partnerAdmin = userCaller((await invite('partnerAdmin', world.partnerA.id, 'partner-admin')).userId);
  await invite('technician', world.partnerA.id, 'partner-technician');
  ownAdmin = userCaller((await invite('ownAdmin', customer.id, 'customer-admin', true)).userId);
  await invite('ownUser', customer.id, 'customer-user');
  await invite('external', world.partnerB.id, 'read-only');
  await invite('expired', world.partnerB.id, 'read-only');
  await invite('provider', world.partnerB.id, 'partner-technician');
  await invite('leaver', world.partnerB.id, 'partner-technician');
  await invite('sibling', world.customerA.id, 'customer-user');

  await addExternalAdmin(
    as(ownAdmin, 'external-admin:write'),
    customer.id,
    { email: person('external').email, role: 'customer-admin' },
    actor,
  );
  await externalAdminItem(
    person('expired').userId,
    person('expired').email,
    customer.id,
    'customer-admin',
    Math.floor(Date.now() / 1000) - 60,
  );
  ids.channelKey = await apiKeyAt(world.channel.id, 'read-only');
  ids.partnerKey = await apiKeyAt(world.partnerA.id, 'partner-admin');
  await apiKeyAt(world.partnerA.id, 'partner-admin', new Date(Date.now() - 60_000).toISOString());
  const service = await serviceOn(customer.id, world.partnerB.id, world.partnerA.id, 'read-only');
  ids.serviceId = service.serviceId;
  await service.assign(person('provider').userId, person('provider').email);
  await service.assign(person('expired').userId, person('expired').email, 'lnkold');
  // Assigned, then gone from the provider: the assignment stays in the table but holds nothing.
  await service.assign(person('leaver').userId, person('leaver').email);
  await removeMember(as(world.admin, 'member:write'), world.partnerB.id, person('leaver').userId, { ifMatch: null }, actor);
  ids.session = await sessionIn(customer.id, person('technician').userId, person('technician').email);
  ids.endedSession = await sessionIn(customer.id, person('technician').userId, person('technician').email, { ended: true });
});

describe('GET /v1/orgs/{orgId}/access', () => {
  it('lists every grant that reaches the org, each with its via, in path order', async () => {
    const { result, calls } = await countCalls(() => listAccess(as(world.admin, 'access:read'), customer.id, { limit: 100 }));

    expect(result.items).toEqual([
      expect.objectContaining({ principalId: world.admin.principalId, via: { kind: 'membership', orgId: 'org_root', builtIn: true } }),
      expect.objectContaining(membershipItem(person('channelReader'))),
      expect.objectContaining({
        principalType: 'api-key',
        principalId: id('channelKey'),
        email: null,
        role: 'read-only',
        via: { kind: 'api-key', orgId: world.channel.id, keyId: id('channelKey') },
        effective: true,
      }),
      ...byUserId('partnerAdmin', 'technician').map((member) => expect.objectContaining(membershipItem(member))),
      expect.objectContaining({
        principalType: 'api-key',
        principalId: id('partnerKey'),
        via: expect.objectContaining({ orgId: world.partnerA.id }),
      }),
      ...byUserId('ownAdmin', 'ownUser').map((member) => expect.objectContaining(membershipItem(member))),
      expect.objectContaining({
        principalType: 'user',
        principalId: person('external').userId,
        email: person('external').email,
        role: 'customer-admin',
        via: { kind: 'external-admin', orgId: customer.id, expiresAt: expect.any(String) },
        effective: true,
      }),
      expect.objectContaining({
        principalId: person('provider').userId,
        role: 'read-only',
        via: { kind: 'service', orgId: customer.id, serviceId: id('serviceId') },
        effective: true,
      }),
      expect.objectContaining({
        principalType: 'impersonation',
        principalId: id('session'),
        email: person('technician').email,
        role: 'customer-admin',
        via: {
          kind: 'impersonation',
          orgId: customer.id,
          impersonationId: id('session'),
          impersonatorId: person('technician').userId,
          expiresAt: expect.any(String),
        },
        effective: true,
      }),
    ]);
    expect(result.heldAboveScope).toBeNull();
    expect(result.nextCursor).toBeNull();
    expect(JSON.stringify(result)).not.toContain(person('sibling').userId);
    expect(JSON.stringify(result)).not.toContain(person('expired').userId);
    expect(JSON.stringify(result)).not.toContain(person('leaver').userId);
    // Authorization (org, grants); one Query per source: members and keys of 4 orgs, external admins, 1 service link,
    // sessions; then the running session's impersonator's grants, and the assigned users' memberships of the provider.
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1 + 8 + 3 + 1, BatchGetItemCommand: 1 });
  });

  it('pages through the same list, limit 2 at a time, nothing twice and nothing left out', async () => {
    const whole = (await listAccess(as(world.admin, 'access:read'), customer.id, { limit: 100 })).items;

    const paged = await walk(world.admin, customer.id, 2);

    expect(paged).toEqual(whole);
  });

  it('does not name grants held above the asker’s scope: it counts them', async () => {
    const { result, calls } = await countCalls(() => listAccess(as(partnerAdmin, 'access:read'), customer.id, {}));

    expect(result.items[0]).toMatchObject({ via: { orgId: world.partnerA.id } });
    expect(result.items.map((item) => item.principalId)).not.toContain(world.admin.principalId);
    expect(result.heldAboveScope).toEqual({ grants: 3, effective: true });
    for (const hidden of ['org_root', world.channel.id, person('channelReader').userId, id('channelKey')]) {
      expect(JSON.stringify(result)).not.toContain(hidden);
    }
    // Sources of partnerA and the customer (4 + 3), a COUNT per source above sight (4), the impersonator's grants,
    // the assigned users' memberships of the provider.
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1 + 7 + 4 + 1, BatchGetItemCommand: 1 });
  });

  it('an external admin sees the customer alone: everything above it is counted', async () => {
    const result = await listAccess(as(userCaller(person('external').userId), 'access:read'), customer.id, { limit: 100 });

    expect(result.items.every((item) => item.via.orgId === customer.id)).toBe(true);
    expect(result.heldAboveScope).toEqual({ grants: 6, effective: true });
  });
});

describe('GET /v1/orgs/{orgId}/access/explain', () => {
  const explain = (principal: { userId?: string; principalId?: string }, permission: Parameters<typeof explainAccess>[2]['permission']) =>
    explainAccess(as(world.admin, 'access:read'), customer.id, { ...principal, permission });

  it('names the allowing grant of every kind, with its id', async () => {
    expect(await explain({ userId: person('partnerAdmin').userId }, 'member:write')).toMatchObject({
      allowed: true,
      grant: { kind: 'membership', orgId: world.partnerA.id, role: 'partner-admin' },
    });
    expect(await explain({ userId: person('external').userId }, 'member:write')).toMatchObject({
      allowed: true,
      grant: { kind: 'external-admin', orgId: customer.id, role: 'customer-admin', expiresAt: expect.any(String) },
    });
    expect(await explain({ principalId: person('provider').userId }, 'org:read')).toMatchObject({
      allowed: true,
      grant: { kind: 'service', orgId: customer.id, role: 'read-only', serviceId: id('serviceId') },
    });
    expect(await explain({ principalId: id('session') }, 'member:write')).toMatchObject({
      allowed: true,
      grant: { kind: 'impersonation', orgId: customer.id, role: 'customer-admin', impersonationId: id('session') },
    });
    expect(await explain({ principalId: id('partnerKey') }, 'org:update')).toMatchObject({
      allowed: true,
      grant: { kind: 'api-key', orgId: world.partnerA.id, role: 'partner-admin', keyId: id('partnerKey') },
    });
  });

  it('names the rule that denies: missing permission, out of scope, an ended session', async () => {
    expect(await explain({ principalId: person('provider').userId }, 'org:update')).toMatchObject({
      allowed: false,
      rule: 'missing-permission',
    });
    expect(await explain({ userId: person('sibling').userId }, 'org:read')).toMatchObject({ allowed: false, rule: 'out-of-scope' });
    expect(await explain({ principalId: id('endedSession') }, 'org:read')).toMatchObject({ allowed: false, rule: 'session-ended' });
    expect(await explain({ principalId: 'key_nosuchkey' }, 'org:read')).toMatchObject({ allowed: false, rule: 'out-of-scope' });
  });

  it('costs one round for a user, one more read for a session’s impersonator', async () => {
    const user = await countCalls(() => explain({ userId: person('external').userId }, 'org:read'));
    const key = await countCalls(() => explain({ principalId: id('partnerKey') }, 'org:read'));
    const session = await countCalls(() => explain({ principalId: id('session') }, 'org:read'));

    expect(user.calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
    expect(key.calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1 });
    expect(session.calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 2 });
  });
});

describe('switching partner access off', () => {
  it('dry run: names who would lose access in the asker’s sight, counts the rest, and writes nothing', async () => {
    const { result, calls } = await countCalls(() =>
      setPartnerAccess(as(ownAdmin, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null, dryRun: true }, actor),
    );

    expect(result).toEqual({
      dryRun: true,
      wouldSucceed: true,
      usersLosingAccess: [
        { userId: person('external').userId, email: person('external').email, orgId: customer.id, via: 'external-admin' },
        { userId: person('provider').userId, email: person('provider').email, orgId: customer.id, via: 'service' },
        { userId: person('technician').userId, email: person('technician').email, orgId: customer.id, via: 'impersonation' },
      ],
      losingAccessAboveScope: 5,
      accountsAffected: [],
      sessionsEnding: [id('session')],
      violations: [],
    });
    expect(calls.byCommand).not.toHaveProperty('TransactWriteItemsCommand');
  });

  it('the listing shows who is locked out, and explain names the restriction', async () => {
    await setPartnerAccess(as(ownAdmin, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor);

    const result = await listAccess(as(ownAdmin, 'access:read'), customer.id, { limit: 100 });
    const explanation = await explainAccess(as(ownAdmin, 'access:read'), customer.id, {
      userId: person('external').userId,
      permission: 'member:read',
    });

    expect(result.items).toEqual([
      ...byUserId('ownAdmin', 'ownUser').map((member) => expect.objectContaining(membershipItem(member))),
      expect.objectContaining({ principalId: person('external').userId, effective: false, blockedBy: 'partner-access-off' }),
      expect.objectContaining({ principalId: person('provider').userId, effective: false, blockedBy: 'partner-access-off' }),
    ]);
    expect(result.heldAboveScope).toEqual({ grants: 6, effective: false, blockedBy: 'partner-access-off' });
    expect(explanation).toMatchObject({ allowed: false, rule: 'partner-access-off', grant: null });
    expect(explanation.reason).toContain(`partner access is off at ${customer.id}`);
  });

  it('explaining a partner member’s access to the locked-out customer names the restriction, not the partner', async () => {
    const result = await listAccess(as(ownAdmin, 'access:read'), customer.id, { limit: 100 });
    const partnerView = await explainAccess(as(ownAdmin, 'access:read'), customer.id, {
      userId: person('partnerAdmin').userId,
      permission: 'member:read',
    });

    expect(result.items.filter((item) => !item.effective)).toHaveLength(2);
    expect(partnerView).toMatchObject({ allowed: false, rule: 'partner-access-off' });
    expect(partnerView.reason).toContain('a grant held above your scope');
    expect(partnerView.reason).not.toContain(world.partnerA.id);
  });
});

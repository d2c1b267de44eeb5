import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access/caller';
import { addMember, listMembers } from '#domain/access/members';
import { findUserIdByEmail } from '#domain/access/users';
import { countCalls } from '#domain/db/call-counter';
import { addExternalAdmin, listExternalAdmins, removeExternalAdmin } from '#domain/delegation/external-admins';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { getOrg } from '#domain/orgs/orgs';
import { ConflictError, ForbiddenError, NotFoundError, PartnerAccessOffError, ValidationError } from '#domain/shared/errors';
import { externalAdminItem } from './support/delegated.ts';
import { actor, as, createOrg, smallHierarchy, unique, userCaller } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
let customerAdmin: Caller;

const day = 86_400_000;
const newEmail = () => `${unique('ext')}@elsewhere.test`;
const invite = async (orgId: string, email: string, role: Parameters<typeof addMember>[2]['role'], builtIn = false) =>
  addMember(as(world.admin, 'member:write'), orgId, { email, role, builtIn }, actor);

beforeAll(async () => {
  world = await smallHierarchy();
  customerAdmin = userCaller((await invite(world.customerA.id, newEmail(), 'customer-admin', true)).userId);
});

describe('external administrators', () => {
  it('reach their customer alone, not its sibling, and stop on the next call after removal', async () => {
    const email = newEmail();
    const outsider = await invite(world.partnerB.id, email, 'partner-technician');
    const externalAdmin = userCaller(outsider.userId);

    const added = await addExternalAdmin(
      as(customerAdmin, 'external-admin:write'),
      world.customerA.id,
      { email, role: 'customer-admin' },
      actor,
    );

    expect(added).toMatchObject({ userId: outsider.userId, email, orgId: world.customerA.id, role: 'customer-admin', version: 1 });
    expect((await getOrg(as(externalAdmin, 'org:read'), world.customerA.id)).id).toBe(world.customerA.id);
    const newcomer = await addMember(
      as(externalAdmin, 'member:write'),
      world.customerA.id,
      { email: newEmail(), role: 'customer-user' },
      actor,
    );
    expect(newcomer.orgId).toBe(world.customerA.id);
    await expect(getOrg(as(externalAdmin, 'org:read'), world.partnerA.id)).rejects.toThrow(NotFoundError);
    await expect(getOrg(as(externalAdmin, 'org:read'), world.customerSubA.id)).rejects.toThrow(NotFoundError);

    await removeExternalAdmin(as(customerAdmin, 'external-admin:write'), world.customerA.id, outsider.userId, { ifMatch: 1 }, actor);

    await expect(listMembers(as(externalAdmin, 'member:read'), world.customerA.id, {})).rejects.toThrow(NotFoundError);
  });

  it('stop at expiry although the item is still in the table, and an expired grant can be given again', async () => {
    const email = newEmail();
    const user = await invite(world.partnerB.id, email, 'read-only');
    await externalAdminItem(user.userId, email, world.customerA.id, 'customer-admin', Math.floor(Date.now() / 1000) - 1);

    await expect(getOrg(as(userCaller(user.userId), 'org:read'), world.customerA.id)).rejects.toThrow(NotFoundError);
    const listed = await listExternalAdmins(as(customerAdmin, 'external-admin:read'), world.customerA.id, { limit: 100 });
    expect(listed.items.map((item) => item.userId)).not.toContain(user.userId);
    await expect(
      removeExternalAdmin(as(customerAdmin, 'external-admin:write'), world.customerA.id, user.userId, { ifMatch: null }, actor),
    ).rejects.toThrow(NotFoundError);

    const again = await addExternalAdmin(
      as(customerAdmin, 'external-admin:write'),
      world.customerA.id,
      { email, role: 'customer-user' },
      actor,
    );
    expect(again.role).toBe('customer-user');
    expect((await getOrg(as(userCaller(user.userId), 'org:read'), world.customerA.id)).id).toBe(world.customerA.id);
  });

  it('expire a year from now by default, and at most two years ahead', async () => {
    const before = Date.now();
    const byDefault = await addExternalAdmin(
      as(world.admin, 'external-admin:write'),
      world.customerB.id,
      { email: newEmail(), role: 'read-only' },
      actor,
    );
    const expires = Date.parse(byDefault.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 365 * day - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 365 * day);

    const at = new Date(Date.now() + 730 * day - 60_000).toISOString();
    const longest = await addExternalAdmin(
      as(world.admin, 'external-admin:write'),
      world.customerB.id,
      { email: newEmail(), role: 'read-only', expiresAt: at },
      actor,
    );
    expect(longest.expiresAt).toBe(`${at.slice(0, 19)}.000Z`);

    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() + 731 * day).toISOString()]) {
      const refused = addExternalAdmin(
        as(world.admin, 'external-admin:write'),
        world.customerB.id,
        { email: newEmail(), role: 'read-only', expiresAt },
        actor,
      );
      await expect(refused).rejects.toThrow(ValidationError);
      await expect(refused).rejects.toMatchObject({ errors: [{ path: 'body.expiresAt' }] });
    }
  });

  it('refuse the customer’s own members, a second live grant, other kinds of org, roles a customer cannot hold, and escalation', async () => {
    const own = await invite(world.customerA.id, newEmail(), 'customer-user');
    const write = as(customerAdmin, 'external-admin:write');
    const email = newEmail();
    await addExternalAdmin(write, world.customerA.id, { email, role: 'customer-user' }, actor);

    await expect(addExternalAdmin(write, world.customerA.id, { email: own.email, role: 'customer-user' }, actor)).rejects.toMatchObject({
      extensions: { rule: 'own-member' },
    });
    await expect(addExternalAdmin(write, world.customerA.id, { email, role: 'customer-admin' }, actor)).rejects.toMatchObject({
      extensions: { rule: 'already-external-admin' },
    });
    await expect(
      addExternalAdmin(as(world.admin, 'external-admin:write'), world.partnerA.id, { email: newEmail(), role: 'read-only' }, actor),
    ).rejects.toMatchObject({ extensions: { rule: 'customers-only' } });
    await expect(addExternalAdmin(write, world.customerA.id, { email: newEmail(), role: 'partner-admin' }, actor)).rejects.toThrow(
      ValidationError,
    );
    // billing-admin carries billing:write, which a customer admin does not hold.
    await expect(addExternalAdmin(write, world.customerA.id, { email: newEmail(), role: 'billing-admin' }, actor)).rejects.toMatchObject({
      extensions: { rule: 'no-escalation' },
    });
    await expect(addExternalAdmin(write, world.customerA.id, { email: newEmail(), role: 'billing-admin' }, actor)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('make an invited user of an email nobody knows, as adding a member does', async () => {
    const email = newEmail();

    const created = await addExternalAdmin(
      as(customerAdmin, 'external-admin:write'),
      world.customerA.id,
      { email, role: 'customer-user' },
      actor,
    );

    expect(created.userId).toMatch(/^usr_[0-9a-z]+$/);
    expect(await findUserIdByEmail(email)).toBe(created.userId);
  });

  it('are stopped by the partner-access restriction (403 partner-access-off), and come back when it is switched on', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const ownAdmin = userCaller((await invite(customer.id, newEmail(), 'customer-admin', true)).userId);
    const email = newEmail();
    const user = await invite(world.partnerB.id, email, 'read-only');
    await addExternalAdmin(as(ownAdmin, 'external-admin:write'), customer.id, { email, role: 'customer-admin' }, actor);

    await setPartnerAccess(as(ownAdmin, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor);
    await expect(listMembers(as(userCaller(user.userId), 'member:read'), customer.id, {})).rejects.toThrow(PartnerAccessOffError);
    await setPartnerAccess(as(ownAdmin, 'partner-access:write'), customer.id, { enabled: true }, { ifMatch: null }, actor);

    expect((await listMembers(as(userCaller(user.userId), 'member:read'), customer.id, {})).items.length).toBeGreaterThan(0);
  });

  it('removal dry run: says who loses access, unless another grant still gets them in, and writes nothing', async () => {
    const write = as(customerAdmin, 'external-admin:write');
    const loner = await invite(world.partnerB.id, newEmail(), 'read-only');
    const technician = await invite(world.partnerA.id, newEmail(), 'partner-technician');
    await addExternalAdmin(write, world.customerA.id, { email: loner.email, role: 'customer-admin' }, actor);
    await addExternalAdmin(write, world.customerA.id, { email: technician.email, role: 'customer-admin' }, actor);

    const { result, calls } = await countCalls(() =>
      removeExternalAdmin(write, world.customerA.id, loner.userId, { ifMatch: null, dryRun: true }, actor),
    );
    const kept = await removeExternalAdmin(write, world.customerA.id, technician.userId, { ifMatch: null, dryRun: true }, actor);

    expect(result).toMatchObject({
      dryRun: true,
      wouldSucceed: true,
      usersLosingAccess: [{ userId: loner.userId, email: loner.email, orgId: world.customerA.id, via: 'external-admin' }],
    });
    expect(kept).toMatchObject({ usersLosingAccess: [] });
    expect(calls.byCommand).not.toHaveProperty('TransactWriteItemsCommand');
    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 2 });
    const listed = await listExternalAdmins(as(customerAdmin, 'external-admin:read'), world.customerA.id, { limit: 100 });
    expect(listed.items.map((item) => item.userId)).toEqual(expect.arrayContaining([loner.userId, technician.userId]));
  });

  it('a stale If-Match is a 412, someone else’s grant out of scope a 404, and a missing one a 404 after authorization', async () => {
    const write = as(customerAdmin, 'external-admin:write');
    const user = await invite(world.partnerB.id, newEmail(), 'read-only');
    await addExternalAdmin(write, world.customerA.id, { email: user.email, role: 'customer-user' }, actor);
    const otherPartnerAdmin = userCaller((await invite(world.partnerB.id, newEmail(), 'partner-admin')).userId);

    await expect(removeExternalAdmin(write, world.customerA.id, user.userId, { ifMatch: 7 }, actor)).rejects.toMatchObject({
      statusCode: 412,
    });
    await expect(
      removeExternalAdmin(as(otherPartnerAdmin, 'external-admin:write'), world.customerA.id, user.userId, { ifMatch: null }, actor),
    ).rejects.toThrow(`Org ${world.customerA.id} was not found`);
    await expect(removeExternalAdmin(write, world.customerA.id, 'usr_nobody', { ifMatch: null }, actor)).rejects.toThrow(
      'is not an external admin here',
    );
    await expect(
      addExternalAdmin(as(otherPartnerAdmin, 'external-admin:write'), world.customerA.id, { email: newEmail(), role: 'read-only' }, actor),
    ).rejects.toThrow(NotFoundError);
    await expect(addExternalAdmin(write, world.customerA.id, { email: user.email, role: 'customer-user' }, actor)).rejects.toThrow(
      ConflictError,
    );
  });

  it('list page: one Query alongside the authorization reads; pages walk the live grants by user id', async () => {
    const { calls, result } = await countCalls(() =>
      listExternalAdmins(as(customerAdmin, 'external-admin:read'), world.customerA.id, { limit: 2 }),
    );
    const ids = result.items.map((item) => item.userId);
    let cursor = result.nextCursor;
    while (cursor) {
      const page = await listExternalAdmins(as(customerAdmin, 'external-admin:read'), world.customerA.id, { limit: 2, cursor });
      ids.push(...page.items.map((item) => item.userId));
      cursor = page.nextCursor;
    }

    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(4);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access/caller';
import { addMember, listMembers, removeMember, updateMember } from '#domain/access/members';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { getOrg } from '#domain/orgs/orgs';
import { ConflictError, NotFoundError } from '#domain/shared/errors';
import { actor, as, createOrg, smallHierarchy, unique, userCaller } from './support/fixture.ts';

/**
 * A customer with partner access off must always keep a built-in
 * administrator. Two admins racing — one removing (or demoting) the last
 * built-in administrator, the other switching partner access off, or two
 * removing the last two — can never both win: each write is conditioned on
 * the org item's count, in the same transaction as the membership change.
 */

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

const builtInAdminsOf = async (admin: Caller, orgId: string) =>
  (await listMembers(as(admin, 'member:read'), orgId, { limit: 100 })).items.filter((m) => m.builtIn && m.role === 'customer-admin');

/** A fresh customer with one built-in admin and one plain admin (who does the removing). */
const customerWithAdmins = async (builtIns: number) => {
  const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
  const admins: Caller[] = [];
  for (let i = 0; i < builtIns; i++) {
    const added = await addMember(
      as(world.admin, 'member:write'),
      customer.id,
      { email: `${unique('b')}@c.test`, role: 'customer-admin', builtIn: true },
      actor,
    );
    admins.push(userCaller(added.userId));
  }
  const plain = await addMember(
    as(world.admin, 'member:write'),
    customer.id,
    { email: `${unique('p')}@c.test`, role: 'customer-admin' },
    actor,
  );
  return { customer, admins, plain: userCaller(plain.userId) };
};

/** 'ok', or the rule that refused it; a removed admin who then tries to switch is simply no longer there (404). */
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    () => 'ok' as const,
    (error: unknown) => {
      if (error instanceof ConflictError) return (error.extensions?.rule as string | undefined) ?? 'conflict';
      if (error instanceof NotFoundError) return 'gone';
      throw error;
    },
  );

describe('the last built-in administrator under a race', () => {
  it('never lets "remove the last built-in admin" and "switch partner access off" both succeed', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      // Prepare
      const { customer, admins, plain } = await customerWithAdmins(1);
      const [lastAdmin] = admins;
      if (!lastAdmin) throw new Error('no admin');

      // Act: both at once.
      const [removal, switchOff] = await Promise.all([
        settle(removeMember(as(plain, 'member:write'), customer.id, lastAdmin.principalId, { ifMatch: null }, actor)),
        settle(setPartnerAccess(as(lastAdmin, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor)),
      ]);
      outcomes.push(`${removal}/${switchOff}`);

      // Assess: never off without a built-in admin.
      const org = await getOrg(as(plain, 'org:read'), customer.id);
      const remaining = await builtInAdminsOf(plain, customer.id);
      expect(org.partnerAccess === false && remaining.length === 0, `round ${round}: ${removal}/${switchOff}`).toBe(false);
      expect([removal, switchOff].filter((outcome) => outcome === 'ok').length, `round ${round}`).toBeGreaterThanOrEqual(1);
    }
    // Either order may win; what never happens is both.
    expect(outcomes.every((outcome) => outcome !== 'ok/ok')).toBe(true);
  });

  it('lets only one of two racing removals of the last two built-in admins through while partner access is off', async () => {
    for (let round = 0; round < 5; round++) {
      // Prepare
      const { customer, admins, plain } = await customerWithAdmins(2);
      const [first, second] = admins;
      if (!first || !second) throw new Error('no admins');
      await setPartnerAccess(as(first, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor);

      // Act: remove one and demote the other, at once.
      const outcomes = await Promise.all([
        settle(removeMember(as(plain, 'member:write'), customer.id, first.principalId, { ifMatch: null }, actor)),
        settle(updateMember(as(plain, 'member:write'), customer.id, second.principalId, { role: 'customer-user' }, null, actor)),
      ]);

      // Assess
      expect(
        outcomes.filter((outcome) => outcome === 'ok'),
        `round ${round}: ${outcomes.join('/')}`,
      ).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([expect.stringMatching(/last-built-in-admin|conflict/)]);
      expect(await builtInAdminsOf(plain, customer.id)).toHaveLength(1);
    }
  });

  it('refuses to switch partner access off without a built-in administrator, and says so in a dry run first', async () => {
    const { customer, plain } = await customerWithAdmins(0);
    const report = await setPartnerAccess(
      as(plain, 'partner-access:write'),
      customer.id,
      { enabled: false },
      { ifMatch: null, dryRun: true },
      actor,
    );
    expect(report).toMatchObject({ dryRun: true, wouldSucceed: false, violations: [{ rule: 'no-built-in-admin' }] });
    await expect(
      setPartnerAccess(as(plain, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor),
    ).rejects.toMatchObject({
      statusCode: 409,
      extensions: { rule: 'no-built-in-admin' },
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { countCalls } from '#domain/db/call-counter';
import { maxAtomicMove, moveOrg } from '#domain/orgs/move';
import { listDescendantOrgs } from '#domain/orgs/org-lists';
import type { OrgView } from '#domain/orgs/org-view';
import { getOrg as getAnyOrg } from '#domain/orgs/orgs';

/** These orgs never switch partner access off: always the full view. */
const getOrg = async (...args: Parameters<typeof getAnyOrg>) => (await getAnyOrg(...args)) as OrgView;

import { NotFoundError } from '#domain/shared/errors';
import { rootOrgId } from '#domain/shared/ids';
import { actor, as, createOrg, member, smallHierarchy } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

const allDescendants = async (orgId: string) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDescendantOrgs(as(world.admin, 'org:read'), orgId, { limit: 100, cursor });
    ids.push(...page.items.map((o) => o.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
};

describe('moving orgs', () => {
  it('moves a sub-reseller with its customers to another partner, rewriting every path', async () => {
    const partner = await createOrg(world.admin, world.channel.id, 'partner');
    const sub = await createOrg(world.admin, partner.id, 'partner');
    const customer = await createOrg(world.admin, sub.id, 'customer');
    const result = await moveOrg(as(world.admin, 'org:move'), sub.id, world.partnerB.id, null, actor);
    expect(result).toMatchObject({
      movedOrgs: 2,
      moveId: null,
      org: { parentId: world.partnerB.id, path: `${world.partnerB.path}/${sub.id}` },
    });
    const moved = await getOrg(as(world.admin, 'org:read'), customer.id);
    expect(moved.path).toBe(`${world.partnerB.path}/${sub.id}/${customer.id}`);
    expect(await allDescendants(world.partnerB.id)).toEqual(expect.arrayContaining([sub.id, customer.id]));
    expect(await allDescendants(partner.id)).toEqual([]);
  });

  it('refuses cycles, kind breaches and the root', async () => {
    await expect(moveOrg(as(world.admin, 'org:move'), world.partnerA.id, world.customerSubA.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'cycle' },
    });
    await expect(moveOrg(as(world.admin, 'org:move'), world.partnerA.id, world.subA.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'cycle' },
    });
    await expect(moveOrg(as(world.admin, 'org:move'), world.customerA.id, world.channel.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'kind' },
    });
    await expect(moveOrg(as(world.admin, 'org:move'), rootOrgId, world.channel.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'root' },
    });
  });

  it('needs the caller’s scope at both ends', async () => {
    const partnerAdmin = await member(world.admin, world.partnerA.id, 'partner-admin');
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    await expect(moveOrg(as(partnerAdmin, 'org:move'), customer.id, world.partnerB.id, null, actor)).rejects.toThrow(NotFoundError);
    const result = await moveOrg(as(partnerAdmin, 'org:move'), customer.id, world.subA.id, null, actor);
    expect(result.org.parentId).toBe(world.subA.id);
  });

  it('refuses a name already taken under the new parent', async () => {
    const name = `Clash ${Date.now()}`;
    const here = await createOrg(world.admin, world.partnerA.id, 'customer', name);
    await createOrg(world.admin, world.partnerB.id, 'customer', name);
    await expect(moveOrg(as(world.admin, 'org:move'), here.id, world.partnerB.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'unique-name' },
    });
    expect((await getOrg(as(world.admin, 'org:read'), here.id)).parentId).toBe(world.partnerA.id);
  });

  it(`moves a subtree larger than one transaction (${maxAtomicMove}+ orgs) in resumable steps, all of it`, async () => {
    const otherChannel = await createOrg(world.admin, rootOrgId, 'channel');
    const target = await createOrg(world.admin, otherChannel.id, 'partner');
    const big = await createOrg(world.admin, world.channel.id, 'partner');
    const sub = await createOrg(world.admin, big.id, 'partner');
    for (let i = 0; i < maxAtomicMove + 10; i++) await createOrg(world.admin, i % 2 ? big.id : sub.id, 'customer', `Bulk ${i}`);
    const { result, calls } = await countCalls(() => moveOrg(as(world.admin, 'org:move'), big.id, target.id, null, actor));
    expect(result.moveId).toMatch(/^mov_/);
    expect(result.movedOrgs).toBe(maxAtomicMove + 12);
    expect(calls.byCommand.TransactWriteItemsCommand).toBeGreaterThan(2);
    const below = await allDescendants(target.id);
    expect(below).toHaveLength(maxAtomicMove + 12);
    expect(await allDescendants(big.id)).toHaveLength(maxAtomicMove + 11);
    const deep = await getOrg(as(world.admin, 'org:read'), sub.id);
    expect(deep.path).toBe(`${target.path}/${big.id}/${sub.id}`);
    // The old channel's subtree no longer holds any of it.
    const channelIds = await allDescendants(world.channel.id);
    expect(channelIds).not.toContain(sub.id);
  });
});

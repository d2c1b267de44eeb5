import { beforeAll, describe, expect, it } from 'vitest';
import { explainAccess } from '#domain/access/explain';
import { listMembers } from '#domain/access/members';
import { countCalls } from '#domain/db/call-counter';
import { listAncestorOrgs, listChildOrgs, listDescendantOrgs } from '#domain/orgs/org-lists';
import { getOrg } from '#domain/orgs/orgs';
import { as, member, smallHierarchy } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

/**
 * The design's access patterns, each asserted as the DynamoDB calls it costs:
 * authorization is one GetItem (the org) and one Query (the caller's grants)
 * sent in parallel, and the page itself is one more Query.
 */
describe('DynamoDB calls per request', () => {
  it('org by id: one GetItem and one grants Query', async () => {
    const { calls } = await countCalls(() => getOrg(as(world.admin, 'org:read'), world.customerA.id));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
  });

  it('children page: the page Query alongside the authorization reads', async () => {
    const { calls } = await countCalls(() => listChildOrgs(as(world.admin, 'org:read'), world.partnerA.id, { limit: 10 }));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
  });

  it('children filtered by kind and name prefix: still one page Query', async () => {
    const { calls, result } = await countCalls(() =>
      listChildOrgs(as(world.admin, 'org:read'), world.partnerA.id, { kind: 'customer', q: world.customerA.name.slice(0, 5) }),
    );
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
    expect(result.items.map((o) => o.id)).toContain(world.customerA.id);
    expect(result.items.every((o) => o.kind === 'customer')).toBe(true);
  });

  it('subtree page: one Query on the channel partition after authorization', async () => {
    const { calls, result } = await countCalls(() => listDescendantOrgs(as(world.admin, 'org:read'), world.partnerA.id, {}));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
    expect(result.items.map((o) => o.id).sort()).toEqual([world.subA.id, world.customerA.id, world.customerSubA.id].sort());
  });

  it('breadcrumb: the path, then one BatchGet for names', async () => {
    const { calls, result } = await countCalls(() => listAncestorOrgs(as(world.admin, 'org:read'), world.customerSubA.id));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1, BatchGetItemCommand: 1 });
    expect(result.map((o) => o.id)).toEqual(['org_root', world.channel.id, world.partnerA.id, world.subA.id, world.customerSubA.id]);
  });

  it('breadcrumb starts at the highest org the caller can see', async () => {
    const partnerAdmin = await member(world.admin, world.partnerA.id, 'partner-admin');
    const result = await listAncestorOrgs(as(partnerAdmin, 'org:read'), world.customerSubA.id);
    expect(result.map((o) => o.id)).toEqual([world.partnerA.id, world.subA.id, world.customerSubA.id]);
  });

  it('members page: one Query alongside the authorization reads', async () => {
    const { calls } = await countCalls(() => listMembers(as(world.admin, 'member:read'), world.partnerA.id, {}));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
  });

  it('explain: the org, the caller’s grants and the subject’s grants in one parallel round', async () => {
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const { calls, result } = await countCalls(() =>
      explainAccess(as(world.admin, 'access:read'), world.customerA.id, { userId: technician.principalId, permission: 'org:update' }),
    );
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
    expect(result).toMatchObject({ allowed: false, rule: 'missing-permission' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { removeMember, updateMember } from '#domain/access/members';
import { listChildOrgs, listDescendantOrgs } from '#domain/orgs/org-lists';
import { getOrg } from '#domain/orgs/orgs';
import { ForbiddenError, NotFoundError, ValidationError } from '#domain/shared/errors';
import { rootOrgId } from '#domain/shared/ids';
import { actor, as, createOrg, member, platformAdmin, unique } from './support/fixture.ts';

describe('ids that are prefixes of each other', () => {
  let ids: { a1: string; a10: string; c1: string; c10: string };
  beforeAll(async () => {
    const admin = await platformAdmin();
    const suffix = unique('').replace(/[^0-9a-z]/g, '');
    const channel = await createOrg(admin, rootOrgId, 'channel', undefined, `org_pc${suffix}`);
    const a1 = await createOrg(admin, channel.id, 'partner', undefined, `org_a1${suffix}`);
    const a10 = await createOrg(admin, channel.id, 'partner', undefined, `org_a1${suffix}0`);
    const c1 = await createOrg(admin, a1.id, 'customer', undefined, `org_c1${suffix}`);
    const c10 = await createOrg(admin, a10.id, 'customer', undefined, `org_c1${suffix}0`);
    ids = { a1: a1.id, a10: a10.id, c1: c1.id, c10: c10.id };
  });

  it('a grant on org_a1… never reaches org_a1…0 or its subtree', async () => {
    const admin = await platformAdmin();
    const a1Admin = await member(admin, ids.a1, 'partner-admin');
    await expect(getOrg(as(a1Admin, 'org:read'), ids.c1)).resolves.toBeTruthy();
    await expect(getOrg(as(a1Admin, 'org:read'), ids.a10)).rejects.toThrow(NotFoundError);
    await expect(getOrg(as(a1Admin, 'org:read'), ids.c10)).rejects.toThrow(NotFoundError);
  });

  it('the subtree of org_a1… does not list org_a1…0’s customers', async () => {
    const admin = await platformAdmin();
    const page = await listDescendantOrgs(as(admin, 'org:read'), ids.a1, { limit: 100 });
    expect(page.items.map((o) => o.id)).toEqual([ids.c1]);
  });
});

describe('paging', () => {
  let admin: Awaited<ReturnType<typeof platformAdmin>>;
  let partnerId: string;
  let otherPartnerId: string;
  beforeAll(async () => {
    admin = await platformAdmin();
    const channel = await createOrg(admin, rootOrgId, 'channel');
    const partner = await createOrg(admin, channel.id, 'partner');
    const other = await createOrg(admin, channel.id, 'partner');
    partnerId = partner.id;
    otherPartnerId = other.id;
    for (let i = 0; i < 7; i++) await createOrg(admin, partner.id, 'customer', `Customer ${i}`);
    await createOrg(admin, other.id, 'customer');
  });

  it('walks every child exactly once, in name order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listChildOrgs(as(admin, 'org:read'), partnerId, { limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((o) => o.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Customer ${i}`));
  });

  it('refuses a cursor taken to another org’s list, or to other filters', async () => {
    const page = await listChildOrgs(as(admin, 'org:read'), partnerId, { limit: 2 });
    const cursor = page.nextCursor ?? '';
    await expect(listChildOrgs(as(admin, 'org:read'), otherPartnerId, { limit: 2, cursor })).rejects.toThrow(ValidationError);
    await expect(listChildOrgs(as(admin, 'org:read'), partnerId, { limit: 2, cursor, kind: 'partner' })).rejects.toThrow(ValidationError);
  });

  it('walks the root’s subtree across channel partitions', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listDescendantOrgs(as(admin, 'org:read'), rootOrgId, { limit: 5, cursor });
      for (const org of page.items) {
        expect(seen.has(org.id)).toBe(false);
        seen.add(org.id);
      }
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 500);
    expect(seen.has(partnerId)).toBe(true);
    expect(seen.has(otherPartnerId)).toBe(true);
    expect(seen.has(rootOrgId)).toBe(false);
  });
});

describe('fresh checks', () => {
  it('a removed membership stops working on the next call; a demotion too', async () => {
    const admin = await platformAdmin();
    const channel = await createOrg(admin, rootOrgId, 'channel');
    const partner = await createOrg(admin, channel.id, 'partner');
    const user = await member(admin, partner.id, 'partner-admin');
    await expect(getOrg(as(user, 'org:update'), partner.id)).resolves.toBeTruthy();
    await updateMember(as(admin, 'member:write'), partner.id, user.principalId, { role: 'read-only' }, null, actor);
    await expect(getOrg(as(user, 'org:update'), partner.id)).rejects.toThrow(ForbiddenError);
    await removeMember(as(admin, 'member:write'), partner.id, user.principalId, { ifMatch: null }, actor);
    await expect(getOrg(as(user, 'org:read'), partner.id)).rejects.toThrow(NotFoundError);
  });
});

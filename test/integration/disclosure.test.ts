import { beforeAll, describe, expect, it } from 'vitest';
import { explainAccess } from '#domain/access/explain';
import { removeMember, updateMember } from '#domain/access/members';
import { getOrg, updateOrg } from '#domain/orgs/orgs';
import { ForbiddenError, NotFoundError } from '#domain/shared/errors';
import { actor, as, member, smallHierarchy, unique } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

/** Regressions found by the isolation property test (test/property/regressions.json). */
describe('what a caller may learn', () => {
  it('a member route answers the caller’s own 404 or 403 before saying whether the user is a member', async () => {
    const outsider = await member(world.admin, world.partnerB.id, 'partner-admin');
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const nobody = 'usr_nobody';
    await expect(removeMember(as(outsider, 'member:write'), world.partnerA.id, nobody, { ifMatch: null }, actor)).rejects.toThrow(
      `Org ${world.partnerA.id} was not found`,
    );
    await expect(
      updateMember(as(technician, 'member:write'), world.partnerA.id, nobody, { role: 'read-only' }, null, actor),
    ).rejects.toThrow(ForbiddenError);
    await expect(removeMember(as(world.admin, 'member:write'), world.partnerA.id, nobody, { ifMatch: null }, actor)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('explain names no grant held above the asker’s scope', async () => {
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const explanation = await explainAccess(as(technician, 'access:read'), world.customerA.id, {
      userId: world.admin.principalId,
      permission: 'org:update',
    });
    expect(explanation).toMatchObject({ allowed: true, grant: null });
    expect(JSON.stringify(explanation)).not.toContain('org_root');
    expect(JSON.stringify(explanation)).not.toContain('platform-admin');
    const channelReader = await member(world.admin, world.channel.id, 'read-only');
    const denied = await explainAccess(as(technician, 'access:read'), world.customerA.id, {
      userId: channelReader.principalId,
      permission: 'org:update',
    });
    expect(denied).toMatchObject({ allowed: false, rule: 'missing-permission' });
    expect(denied.reason).not.toContain(world.channel.id);
  });

  it('the platform root can be renamed', async () => {
    const name = unique('Platform ');
    await updateOrg(as(world.admin, 'org:update'), 'org_root', { name }, null, actor);
    expect((await getOrg(as(world.admin, 'org:read'), 'org_root')).name).toBe(name);
  });
});

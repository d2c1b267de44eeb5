import type { AccessRequest } from '#domain/access/authorize';
import type { Caller } from '#domain/access/caller';
import { addMember } from '#domain/access/members';
import type { Permission } from '#domain/access/permissions';
import type { RoleName } from '#domain/access/roles';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import type { CreatableKind } from '#domain/orgs/kinds';
import { createChildOrg } from '#domain/orgs/orgs';
import { rootOrgId } from '#domain/shared/ids';

export const actor = systemActor('integration');

let counter = 0;
/** Unique per call, so tests sharing a table never collide on names or emails. */
export const unique = (label: string) => `${label}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const userCaller = (userId: string): Caller => ({ principalId: userId, principalType: 'user' });
export const as = (caller: Caller, permission: Permission): AccessRequest => ({ caller, permission });

export const platformAdmin = async (): Promise<Caller> => {
  const { adminUserId } = await bootstrapPlatform({ adminEmail: 'admin@platform.test' }, actor);
  return userCaller(adminUserId);
};

export const createOrg = async (admin: Caller, parentId: string, kind: CreatableKind, name = unique(kind), orgId?: string) =>
  createChildOrg(as(admin, 'org:create'), parentId, { kind, name }, actor, orgId ? { orgId } : {});

export const member = async (admin: Caller, orgId: string, role: RoleName, builtIn = false) => {
  const created = await addMember(as(admin, 'member:write'), orgId, { email: `${unique('u')}@test.example`, role, builtIn }, actor);
  return userCaller(created.userId);
};

/** A channel with two partners, a sub-reseller and a customer under each partner. */
export const smallHierarchy = async () => {
  const admin = await platformAdmin();
  const channel = await createOrg(admin, rootOrgId, 'channel');
  const partnerA = await createOrg(admin, channel.id, 'partner');
  const partnerB = await createOrg(admin, channel.id, 'partner');
  const subA = await createOrg(admin, partnerA.id, 'partner');
  const customerA = await createOrg(admin, partnerA.id, 'customer');
  const customerSubA = await createOrg(admin, subA.id, 'customer');
  const customerB = await createOrg(admin, partnerB.id, 'customer');
  return { admin, channel, partnerA, partnerB, subA, customerA, customerSubA, customerB };
};

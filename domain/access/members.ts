import { tombstoneFor } from '../db/deletion.ts';
import { db, orgStillExists } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import type { Page } from '../orgs/org-lists.ts';
import { defaultLimit } from '../orgs/org-lists.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, changedMeanwhile, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { type AccessRequest, authorizeOn } from './authorize.ts';
import { builtInAdminDelta, countBuiltInAdmins, isBuiltInAdmin, lastBuiltInAdmin } from './built-in-admins.ts';
import type { Actor } from './caller.ts';
import { admittedGrants, decide } from './decide.ts';
import { type DryRunReport, dryRunReport, violationOf } from './dry-run.ts';
import { type Grant, loadGrants } from './grants.ts';
import { MembershipEntity, type MembershipItem } from './membership.entity.ts';
import type { Permission } from './permissions.ts';
import { type RoleName, roleOf } from './roles.ts';
import { UserEmailEntity } from './user.entity.ts';
import { invitedMeanwhile, newUserWrites } from './users.ts';

export interface MemberView {
  userId: string;
  email: string;
  orgId: string;
  role: RoleName;
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const toMemberView = (item: MembershipItem): MemberView => ({
  userId: item.userId,
  email: item.email,
  orgId: item.orgId,
  role: item.role,
  builtIn: item.builtIn,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

const memberNotFound = (userId: string) => new NotFoundError(`User ${userId} is not a member here`);

/** What the caller may do at an org: the union of the roles of every grant that gets in (a restriction keeps outsiders' out). */
const permissionsAt = (grants: readonly Grant[], org: OrgItem): Set<Permission> =>
  new Set(admittedGrants(grants, org).flatMap((grant) => roleOf(grant.role).permissions));

/**
 * A role must fit the org's kind (400 on `body.role`), and nobody may hand
 * out (or take away) a role carrying a permission they do not hold there
 * themselves (403 `no-escalation`). Shared by every grant a caller hands out
 * at an org: memberships, external admins, API keys.
 */
export const assertMayAssign = (grants: readonly Grant[], org: OrgItem, role: RoleName, verb: 'assign' | 'change'): void => {
  const definition = roleOf(role);
  if (verb === 'assign' && !definition.assignableAt.includes(org.kind)) {
    throw new ValidationError(`The role ${role} cannot be held at a ${org.kind}`, {
      errors: [{ path: 'body.role', message: `not assignable at a ${org.kind}` }],
    });
  }
  const held = permissionsAt(grants, org);
  const missing = definition.permissions.filter((permission) => !held.has(permission));
  if (missing.length > 0) {
    throw new ForbiddenError(`You cannot ${verb} the role ${role}: it carries ${missing.join(', ')}, which you do not hold here`, {
      extensions: { rule: 'no-escalation' },
    });
  }
};

/** Members of an org: one Query per page alongside the authorization reads. */
export const listMembers = async (
  access: AccessRequest,
  orgId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<MemberView>> => {
  const binding = JSON.stringify(['members', orgId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [, page] = await Promise.all([
    authorizeOn(access, orgId),
    MembershipEntity.query.membersOfOrg({ orgId }).go({ cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  return { items: page.data.map(toMemberView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewMember {
  email: string;
  role: RoleName;
  builtIn?: boolean | undefined;
}

/**
 * Gives a user, by email, a role at an org. A user nobody has invited yet is
 * created in the same transaction, keyed by a unique email item.
 */
export const addMember = async (access: AccessRequest, orgId: string, input: NewMember, actor: Actor): Promise<MemberView> => {
  const email = input.email.trim().toLowerCase();
  const [{ org, grants }, existing] = await Promise.all([authorizeOn(access, orgId), UserEmailEntity.get({ email }).go()]);
  assertMayAssign(grants, org, input.role, 'assign');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const userId = existing.data?.userId ?? newId('usr');
  const membership: MembershipItem = {
    userId,
    orgId,
    email,
    role: input.role,
    builtIn: input.builtIn ?? false,
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write(({ membership: memberships, user, userEmail, org: orgs }) => [
          memberships.create(membership).commit(),
          isBuiltInAdmin(membership) ? countBuiltInAdmins(orgs, orgId, 1, by) : orgStillExists(orgs, orgId),
          ...newUserWrites({ user, userEmail }, { userId, email }, Boolean(existing.data), by),
        ])
        .go(),
    (index) =>
      index === 0
        ? new ConflictError(`${email} is already a member here`, { extensions: { rule: 'already-member' } })
        : index === 1
          ? new NotFoundError(`Org ${orgId} was not found`)
          : invitedMeanwhile(),
  );
  return toMemberView(membership);
};

/**
 * The membership is read alongside the authorization but judged after it, so
 * a caller without scope or permission learns nothing about who is a member.
 */
const authorizeOnMember = async (access: AccessRequest, orgId: string, userId: string) => {
  const [authorized, membership] = await Promise.all([authorizeOn(access, orgId), MembershipEntity.get({ userId, orgId }).go()]);
  if (!membership.data) throw memberNotFound(userId);
  return { ...authorized, current: membership.data };
};

/** Changes a member's role, under the same no-escalation rule as adding one. */
export const updateMember = async (
  access: AccessRequest,
  orgId: string,
  userId: string,
  change: { role: RoleName },
  ifMatch: number | null,
  actor: Actor,
): Promise<MemberView> => {
  const { org, grants, current } = await authorizeOnMember(access, orgId, userId);
  const expected = assertVersion(current.version, ifMatch);
  assertMayAssign(grants, org, current.role, 'change');
  assertMayAssign(grants, org, change.role, 'assign');
  const now = new Date().toISOString();
  const next: MembershipItem = { ...current, role: change.role, updatedAt: now, version: expected + 1, writtenBy: writtenBy(actor, now) };
  const delta = builtInAdminDelta(current, next);
  await transact(
    () =>
      db.transaction
        .write(({ membership, org: orgs }) => [
          membership
            .patch({ userId, orgId })
            .set({ role: next.role, updatedAt: now, version: next.version, writtenBy: next.writtenBy })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          ...(delta !== 0 ? [countBuiltInAdmins(orgs, orgId, delta, next.writtenBy)] : []),
        ])
        .go(),
    (index) => (index === 1 ? lastBuiltInAdmin() : changedMeanwhile('membership', ifMatch)),
  );
  return toMemberView(next);
};

/** Whether the member would still reach the org through another grant once this membership is gone. */
const losesAccess = async (member: MembershipItem, org: OrgItem): Promise<boolean> => {
  const grants = await loadGrants({ principalId: member.userId, principalType: 'user' });
  const rest = grants.filter((grant) => !(grant.kind === 'membership' && grant.orgId === member.orgId));
  return !decide(rest, org, 'org:read').allowed;
};

/**
 * Removes a membership; its grant is gone on the caller's next request. A
 * tombstone records who removed it. The last built-in administrator of a
 * customer with partner access off cannot go. With `dryRun`, says what would
 * happen and writes nothing.
 */
export const removeMember = async (
  access: AccessRequest,
  orgId: string,
  userId: string,
  options: { ifMatch: number | null; dryRun?: boolean | undefined },
  actor: Actor,
): Promise<DryRunReport | null> => {
  const { org, grants, current } = await authorizeOnMember(access, orgId, userId);
  const expected = assertVersion(current.version, options.ifMatch);
  assertMayAssign(grants, org, current.role, 'change');
  const delta = builtInAdminDelta(current, null);
  if (options.dryRun) {
    const lastAdmin = delta < 0 && org.partnerAccess === false && (org.builtInAdmins ?? 0) <= 1;
    return dryRunReport({
      usersLosingAccess: (await losesAccess(current, org)) ? [{ userId, email: current.email, orgId, via: 'membership' }] : [],
      violations: lastAdmin ? [violationOf(lastBuiltInAdmin())] : [],
    });
  }
  const by = writtenBy(actor, new Date().toISOString());
  await transact(
    () =>
      db.transaction
        .write(({ membership, tombstone, org: orgs }) => [
          membership
            .delete({ userId, orgId })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          tombstone.put(tombstoneFor(MembershipEntity.delete({ userId, orgId }), current, 'membership', org, by)).commit(),
          ...(delta !== 0 ? [countBuiltInAdmins(orgs, orgId, delta, by)] : []),
        ])
        .go(),
    (index) => (index === 2 ? lastBuiltInAdmin() : changedMeanwhile('membership', options.ifMatch)),
  );
  return null;
};

import type { db } from '../db/service.ts';
import type { WrittenBy } from '../db/written-by.ts';
import { ConflictError } from '../shared/errors.ts';
import type { RoleName } from './roles.ts';

type OrgWrites = Parameters<Parameters<typeof db.transaction.write>[0]>[0]['org'];

/** The roles that administer an org of their kind. */
const adminRoles: readonly RoleName[] = ['platform-admin', 'channel-admin', 'partner-admin', 'customer-admin'];

/** A local administrator: a built-in member with an administrator's role, the one kind of person a restricted customer cannot lose. */
export const isBuiltInAdmin = (member: { role: RoleName; builtIn: boolean }): boolean => member.builtIn && adminRoles.includes(member.role);

/** How a membership change moves the org's count of built-in administrators. */
export const builtInAdminDelta = (
  before: { role: RoleName; builtIn: boolean } | null,
  after: { role: RoleName; builtIn: boolean } | null,
): number => (after && isBuiltInAdmin(after) ? 1 : 0) - (before && isBuiltInAdmin(before) ? 1 : 0);

export const lastBuiltInAdmin = () =>
  new ConflictError(
    'Partner access is off here and this is the last built-in administrator: add another before removing or demoting this one',
    {
      extensions: { rule: 'last-built-in-admin' },
    },
  );

/**
 * The org write that keeps the count in step, in the membership change's own
 * transaction. Losing an administrator is conditioned on partner access
 * being on or another one remaining; switching partner access off is
 * conditioned on one existing (partner-access.ts). Both write the org item,
 * so two admins racing can never leave a restricted org without one.
 */
export const countBuiltInAdmins = (orgs: OrgWrites, orgId: string, delta: number, by: WrittenBy) => {
  const update = orgs.update({ orgId }).add({ builtInAdmins: delta }).set({ writtenBy: by });
  return delta < 0
    ? update
        .where((attr, { eq, gt, exists }) => `${exists(attr.orgId)} AND (${eq(attr.partnerAccess, true)} OR ${gt(attr.builtInAdmins, 1)})`)
        .commit()
    : update.where((attr, { exists }) => exists(attr.orgId)).commit();
};

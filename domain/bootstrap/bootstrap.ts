import type { Actor } from '../access/caller.ts';
import { MembershipEntity } from '../access/membership.entity.ts';
import { UserEmailEntity } from '../access/user.entity.ts';
import { newUserWrites } from '../access/users.ts';
import { db } from '../db/service.ts';
import { writtenBy } from '../db/written-by.ts';
import { newOrgItem } from '../orgs/new-org-item.ts';
import { OrgEntity } from '../orgs/org.entity.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { newId, rootOrgId } from '../shared/ids.ts';

export interface BootstrapResult {
  rootOrgId: string;
  adminUserId: string;
  created: boolean;
}

/**
 * Creates the platform root and its first platform administrator, once. Safe
 * to run on every start (locally) and once per stack (in AWS): an existing
 * root is left as it is, and an existing admin email is reused.
 */
export const bootstrapPlatform = async (input: { adminEmail: string; platformName?: string }, actor: Actor): Promise<BootstrapResult> => {
  const email = input.adminEmail.trim().toLowerCase();
  const [root, existingEmail] = await Promise.all([OrgEntity.get({ orgId: rootOrgId }).go(), UserEmailEntity.get({ email }).go()]);
  if (root.data && existingEmail.data) {
    const membership = await MembershipEntity.get({ userId: existingEmail.data.userId, orgId: rootOrgId }).go();
    if (membership.data) return { rootOrgId, adminUserId: existingEmail.data.userId, created: false };
  }
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const userId = existingEmail.data?.userId ?? newId('usr');
  const path = OrgPath.of([rootOrgId]);
  const name = input.platformName ?? 'Platform';
  await db.transaction
    .write(({ org, user, userEmail, membership }) => [
      ...(root.data ? [] : [org.create(newOrgItem({ orgId: rootOrgId, kind: 'platform', name, parentId: '', path, by })).commit()]),
      ...newUserWrites({ user, userEmail }, { userId, email }, Boolean(existingEmail.data), by),
      membership
        .put({
          userId,
          orgId: rootOrgId,
          email,
          role: 'platform-admin',
          builtIn: true,
          createdAt: now,
          updatedAt: now,
          version: 1,
          writtenBy: by,
        })
        .commit(),
    ])
    .go();
  return { rootOrgId, adminUserId: userId, created: true };
};

import type { Caller } from './caller.ts';
import { MembershipEntity } from './membership.entity.ts';
import type { RoleName } from './roles.ts';

/**
 * A grant the caller holds. Only memberships exist so far; the delegated-access
 * kinds (external admin, service assignment, impersonation, API key) join the
 * same principal partition and this union.
 */
export interface MembershipGrant {
  kind: 'membership';
  orgId: string;
  role: RoleName;
  builtIn: boolean;
}

export type Grant = MembershipGrant;

/** Users hold a handful of grants; a page this large means one Query in practice. */
const grantsPageSize = 200;

/** All grants of a principal: one Query on its partition (paged only for unusual principals). */
export const loadGrants = async (caller: Caller): Promise<Grant[]> => {
  if (caller.principalType !== 'user' || !caller.principalId) return [];
  const grants: Grant[] = [];
  let cursor: string | null = null;
  do {
    const page: {
      data: { orgId: string; role: RoleName; builtIn: boolean }[];
      cursor: string | null;
    } = await MembershipEntity.query.byPrincipal({ userId: caller.principalId }).go({ cursor, limit: grantsPageSize });
    for (const item of page.data)
      grants.push({
        kind: 'membership',
        orgId: item.orgId,
        role: item.role,
        builtIn: item.builtIn,
      });
    cursor = page.cursor;
  } while (cursor);
  return grants;
};

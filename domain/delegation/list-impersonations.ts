import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import { decide } from '../access/decide.ts';
import type { Grant } from '../access/grants.ts';
import type { Permission } from '../access/permissions.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ImpersonationEntity, type ImpersonationItem } from './impersonation.entity.ts';
import { ImpersonationListingEntity, type ImpersonationListingItem } from './impersonation-listing.entity.ts';
import { type ImpersonationView, type SessionStatus, toImpersonationView } from './impersonation-view.ts';
import { maxSessionMinutes } from './partner-access.ts';

export interface ImpersonationQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  status?: SessionStatus | undefined;
}

/** The sessions of a page's entries: one BatchGetItem (a page holds at most 100). */
const readSessions = async (entries: readonly ImpersonationListingItem[]): Promise<Map<string, ImpersonationItem>> => {
  if (entries.length === 0) return new Map();
  const { data } = await ImpersonationEntity.get(entries.map((entry) => ({ impersonationId: entry.impersonationId }))).go();
  return new Map(data.map((item) => [item.impersonationId, item]));
};

/**
 * Which customers of the page the caller may see sessions of from `orgId`:
 * those still below it (a customer that moved away leaves its old
 * ancestors' lists; a deleted one leaves every list) where the caller could
 * list them itself: so none that switched partner access off from above,
 * and none below an org the caller reaches alone (a service assignment on a
 * partner). Its own list needs no check: the authorization already read it.
 */
const customersShown = async (
  entries: readonly ImpersonationListingItem[],
  listed: OrgItem,
  grants: readonly Grant[],
  permission: Permission,
): Promise<(customerId: string) => boolean> => {
  const others = [...new Set(entries.map((entry) => entry.customerId))].filter((id) => id !== listed.orgId);
  const orgs = await readOrgs(others);
  const shown = new Set(
    [...orgs.values()]
      .filter((org) => OrgPath.isAncestorOrSelf(listed.orgId, org.path))
      .filter((org) => decide(grants, org, permission).allowed)
      .map((org) => org.orgId),
  );
  return (customerId) => customerId === listed.orgId || shown.has(customerId);
};

/**
 * The sessions held in an org's subtree, newest first: one Query per page on
 * the org's list entries (impersonation-listing.entity.ts), read alongside the
 * authorization round trip, then one parallel round reading the page's
 * sessions (their current state) and, above a customer, the page's customers
 * (who may still be shown). `status=active` narrows the Query to the last
 * hour, as no session runs longer; both filters apply to the page, so a page
 * may hold fewer than `limit` items while `nextCursor` goes on. A session
 * whose impersonator has since lost `impersonate` is refused on its next
 * call (401) but listed as active until it expires or is ended: telling would
 * take every impersonator's grants per page.
 */
export const listImpersonations = async (
  access: AccessRequest,
  orgId: string,
  query: ImpersonationQuery,
): Promise<Page<ImpersonationView>> => {
  const binding = JSON.stringify(['impersonations', orgId, query.status ?? null]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const now = Date.now();
  const entries = ImpersonationListingEntity.query.byListedAt({ listedAt: orgId });
  const ranged = query.status === 'active' ? entries.gte({ startedAt: new Date(now - maxSessionMinutes * 60_000).toISOString() }) : entries;
  const [{ org, grants }, page] = await Promise.all([
    authorizeOn(access, orgId),
    ranged.go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const [sessions, shown] = await Promise.all([readSessions(page.data), customersShown(page.data, org, grants, access.permission)]);
  const items = page.data
    .filter((entry) => shown(entry.customerId))
    .flatMap((entry) => {
      const session = sessions.get(entry.impersonationId);
      return session ? [toImpersonationView(session, now)] : [];
    })
    .filter((view) => query.status === undefined || view.status === query.status);
  return { items, nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

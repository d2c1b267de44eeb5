import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import { decide } from '../access/decide.ts';
import type { Grant } from '../access/grants.ts';
import type { Permission } from '../access/permissions.ts';
import type { Page } from '../orgs/org-lists.ts';
import { defaultLimit } from '../orgs/org-lists.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import type { AuditAction } from './actions.ts';
import { AuditEntryEntity, type AuditEntryItem } from './audit-entry.entity.ts';
import { type AuditEntryView, toAuditEntryView } from './entry-view.ts';

export interface AuditQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  /** Inclusive bounds, ISO 8601. */
  from?: string | undefined;
  to?: string | undefined;
  /** A user, impersonation session or API key: matches the actor, the impersonator or the key. */
  actor?: string | undefined;
  action?: AuditAction | undefined;
}

const earliest = '0000-01-01T00:00:00.000Z';
const latest = '9999-12-31T23:59:59.999Z';

/** One millisecond after `at`: the sort key `at#entryId` of every entry at `at` sorts below it. */
const justAfter = (at: string): string => {
  const time = Date.parse(at);
  return time >= Date.parse(latest) ? `${latest}~` : new Date(time + 1).toISOString();
};

/**
 * The audit of an org's subtree, newest first: one Query on the org's audit
 * partition (every entry is fanned out to the partitions of its org's
 * ancestors), bounded by time in the key condition and filtered by actor or
 * action on the page, read alongside the authorization round trip.
 */
export const listAudit = async (access: AccessRequest, orgId: string, query: AuditQuery): Promise<Page<AuditEntryView>> => {
  const binding = JSON.stringify(['audit', orgId, query.from ?? null, query.to ?? null, query.actor ?? null, query.action ?? null]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const from = query.from ? new Date(query.from).toISOString() : earliest;
  const to = query.to ? justAfter(query.to) : latest;
  const ranged = AuditEntryEntity.query.byLog({ auditLog: orgId }).between({ at: from }, { at: to });
  const { actor, action } = query;
  const filtered =
    actor || action
      ? ranged.where((attr, { eq }) =>
          [
            actor ? `(${eq(attr.actor, actor)} OR ${eq(attr.impersonator, actor)} OR ${eq(attr.apiKeyId, actor)})` : '',
            action ? eq(attr.action, action) : '',
          ]
            .filter(Boolean)
            .join(' AND '),
        )
      : ranged;
  const [{ org, grants }, page] = await Promise.all([
    authorizeOn(access, orgId),
    filtered.go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const shown = await readableEntries(page.data, org.orgId, grants, access.permission);
  return { items: shown.map(toAuditEntryView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

/**
 * The entries of orgs below the target are shown where the caller could read
 * that org's audit as it stood when the entry was written (at the path the
 * entry records, under the org's restriction and service links of today).
 * So a grant that reaches the target alone (a service assignment, an
 * external admin) shows nothing of the subtree below it; an org moved away
 * leaves its history with the ancestors it had then, and brings none to its
 * new ones; a customer that switched partner access off drops out of every
 * view from above, its past entries too. One BatchGet per page, and none
 * when the page holds only the target's own entries.
 */
const readableEntries = async (entries: AuditEntryItem[], orgId: string, grants: readonly Grant[], permission: Permission) => {
  const others = [...new Set(entries.map((entry) => entry.orgId))].filter((id) => id !== orgId);
  if (others.length === 0) return entries;
  const orgs = await readOrgs(others);
  return entries.filter((entry) => {
    if (entry.orgId === orgId) return true;
    const today = orgs.get(entry.orgId);
    const asRecorded = { orgId: entry.orgId, path: entry.orgPath, partnerAccess: today?.partnerAccess, serviceLinks: today?.serviceLinks };
    return decide(grants, asRecorded, permission).allowed;
  });
};

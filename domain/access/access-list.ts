import { isoOfSeconds } from '../delegation/external-admin-expiry.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { type AccessHolder, type AccessSource, accessSourcesOf, reachingHolders, withImpersonators } from './access-sources.ts';
import { type AccessRequest, authorizeOn } from './authorize.ts';
import type { PrincipalType } from './caller.ts';
import { admittedGrants, visibleFrom } from './decide.ts';
import type { Grant, GrantKind } from './grants.ts';
import type { RoleName } from './roles.ts';

/** Through which grant someone reaches the org: its kind, where it is held, and the id that names it. */
export interface AccessVia {
  kind: GrantKind;
  orgId: string;
  builtIn?: boolean;
  serviceId?: string;
  impersonationId?: string;
  impersonatorId?: string;
  keyId?: string;
  /** External admins: when the grant ends; sessions: when the session does. */
  expiresAt?: string;
}

export interface AccessItem {
  principalType: PrincipalType;
  principalId: string;
  email: string | null;
  role: RoleName;
  via: AccessVia;
  /** False when the grant reaches the org but the customer's partner-access restriction stops it. */
  effective: boolean;
  blockedBy?: 'partner-access-off';
}

/** Grants held at orgs above what the asker can see: counted, never named. */
export interface HeldAboveScope {
  grants: number;
  effective: boolean;
  blockedBy?: 'partner-access-off';
}

export interface AccessPage extends Page<AccessItem> {
  heldAboveScope: HeldAboveScope | null;
}

/** Where a walk over the sources stands: the sources finished, and the one being read with its own cursor. */
interface AccessWalk {
  d: string[];
  s?: string;
  k?: string | null;
}

export const viaOf = (grant: Grant): AccessVia => {
  switch (grant.kind) {
    case 'membership':
      return { kind: grant.kind, orgId: grant.orgId, builtIn: grant.builtIn };
    case 'external-admin':
      return { kind: grant.kind, orgId: grant.orgId, expiresAt: isoOfSeconds(grant.expiresAt) };
    case 'service':
      return { kind: grant.kind, orgId: grant.orgId, serviceId: grant.serviceId };
    case 'impersonation':
      return {
        kind: grant.kind,
        orgId: grant.orgId,
        impersonationId: grant.impersonationId,
        impersonatorId: grant.impersonatorId,
        expiresAt: grant.endsAt,
      };
    case 'api-key':
      return { kind: grant.kind, orgId: grant.orgId, keyId: grant.keyId };
  }
};

/** Whether the grant gets in, or only reaches the org to be stopped by its partner-access restriction. */
export const isEffective = (grant: Grant, org: OrgItem, now: number = Date.now()): boolean => admittedGrants([grant], org, now).length > 0;

const present = (holder: AccessHolder, org: OrgItem, now: number): AccessItem => {
  const effective = isEffective(holder.grant, org, now);
  return {
    principalType: holder.principalType,
    principalId: holder.principalId,
    email: holder.email,
    role: holder.grant.role,
    via: viaOf(holder.grant),
    effective,
    ...(effective ? {} : { blockedBy: 'partner-access-off' as const }),
  };
};

const aboveScope = async (sources: readonly AccessSource[], org: OrgItem): Promise<HeldAboveScope | null> => {
  const counts = await Promise.all(sources.map((source) => source.count?.() ?? Promise.resolve(0)));
  const grants = counts.reduce((sum, count) => sum + count, 0);
  if (grants === 0) return null;
  // Grants held above an org are memberships and API keys of its ancestors: a restriction stops them all.
  return org.partnerAccess === false ? { grants, effective: false, blockedBy: 'partner-access-off' } : { grants, effective: true };
};

/**
 * Everyone who can reach an org and through which grant: memberships at the
 * org and each ancestor, API keys of them, external administrators, service
 * assignments and running impersonation sessions. Grants the customer's
 * partner-access restriction stops are listed with `effective: false`, so the
 * customer sees who is locked out. As in `explainAccess`, grants held at orgs
 * above the asker's sight are not named: `heldAboveScope` counts them.
 *
 * Costs: the authorization round (org and the asker's grants), then one round
 * of parallel Queries, one per source still to list (plus a COUNT per source
 * above the asker's sight), and one more round only while impersonation
 * sessions are running. The list is a walk over the sources in a fixed order;
 * the cursor names the sources finished and where the current one stands, so
 * a page never repeats or skips a grant, and may hold fewer than `limit`
 * where a source's Query filtered items out.
 */
export const listAccess = async (
  access: AccessRequest,
  orgId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<AccessPage> => {
  const binding = JSON.stringify(['access', orgId]);
  const walk = query.cursor ? decodeCursor<AccessWalk>(query.cursor, binding) : null;
  const limit = query.limit ?? defaultLimit;
  const now = Date.now();
  const { org, grants } = await authorizeOn(access, orgId);
  const visible = new Set(visibleFrom(grants, org, now));
  const sources = accessSourcesOf(org, now);
  const done = new Set(walk?.d ?? []);
  const listed = sources.filter((source) => visible.has(source.heldAt) && !done.has(source.key));
  // Everything held at the org itself is in sight of whoever may list it: what is not is held above.
  const hidden = sources.filter((source) => !visible.has(source.heldAt));
  const startOf = (source: AccessSource) => (source.key === walk?.s ? (walk.k ?? null) : null);

  const [pages, heldAboveScope] = await Promise.all([
    Promise.all(listed.map((source) => source.read(startOf(source), limit))),
    aboveScope(hidden, org),
  ]);
  await withImpersonators(pages.flatMap((page) => page.holders));

  const items: AccessItem[] = [];
  const finished = [...done];
  for (const [index, source] of listed.entries()) {
    const page = pages[index] ?? { holders: [], cursor: null };
    let last: string | null = startOf(source);
    for (const holder of reachingHolders(page.holders, org, now)) {
      if (items.length === limit)
        return { items, nextCursor: encodeCursor({ d: finished, s: source.key, k: last }, binding), heldAboveScope };
      items.push(present(holder, org, now));
      last = holder.after;
    }
    if (page.cursor) return { items, nextCursor: encodeCursor({ d: finished, s: source.key, k: page.cursor }, binding), heldAboveScope };
    finished.push(source.key);
  }
  return { items, nextCursor: null, heldAboveScope };
};

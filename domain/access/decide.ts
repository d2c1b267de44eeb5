import { OrgPath } from '../orgs/org-path.ts';
import type { Grant } from './grants.ts';
import type { Permission } from './permissions.ts';
import { roleGrants } from './roles.ts';

export interface OrgRef {
  orgId: string;
  path: string;
}

export type Decision =
  | { allowed: true; grant: Grant; reason: string }
  | { allowed: false; visible: false; rule: 'out-of-scope'; reason: string }
  | { allowed: false; visible: true; rule: 'missing-permission'; reason: string; covering: Grant[] };

export const grantLabel = (grant: Grant): string => `${grant.role} at ${grant.orgId} (${grant.kind})`;

/**
 * The authorization rule, pure: a grant covers an org when it is held at the
 * org or one of its ancestors. No covering grant → out of scope (404); a
 * covering grant without the permission → 403. Among allowing grants the one
 * nearest the root is named, so explanations are stable.
 */
export const decide = (grants: readonly Grant[], org: OrgRef, permission: Permission): Decision => {
  const ids = OrgPath.ids(org.path);
  const covering = grants.filter((grant) => ids.includes(grant.orgId)).sort((a, b) => ids.indexOf(a.orgId) - ids.indexOf(b.orgId));
  if (covering.length === 0) {
    return {
      allowed: false,
      visible: false,
      rule: 'out-of-scope',
      reason: `no grant at ${org.orgId} or above it`,
    };
  }
  const allowing = covering.find((grant) => roleGrants(grant.role, permission));
  if (allowing)
    return {
      allowed: true,
      grant: allowing,
      reason: `allowed by ${grantLabel(allowing)}`,
    };
  return {
    allowed: false,
    visible: true,
    rule: 'missing-permission',
    reason: `${covering.map(grantLabel).join(', ')} does not carry ${permission}`,
    covering,
  };
};

/** The ids of the path the caller can see: from its highest covering grant down. */
export const visibleFrom = (grants: readonly Grant[], path: string): string[] => {
  const ids = OrgPath.ids(path);
  const granted = new Set(grants.map((grant) => grant.orgId));
  const first = ids.findIndex((id) => granted.has(id));
  return first < 0 ? [] : ids.slice(first);
};

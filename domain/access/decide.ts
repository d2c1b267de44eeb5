import { OrgPath } from '../orgs/org-path.ts';
import type { Grant } from './grants.ts';
import type { Permission } from './permissions.ts';
import { roleGrants } from './roles.ts';

/** What the rule needs to know of the target org. */
export interface OrgRef {
  orgId: string;
  path: string;
  /** False when the customer has switched partner access off. */
  partnerAccess?: boolean | undefined;
  /** `<serviceId>:<linkId>` of each service this org is currently an account of. */
  serviceLinks?: readonly string[] | undefined;
}

export type Decision =
  /** `summaryOnly`: reading a customer that switched partner access off, from above: its restricted summary only. */
  | { allowed: true; grant: Grant; reason: string; summaryOnly: boolean }
  | { allowed: false; visible: false; rule: 'out-of-scope'; reason: string }
  | { allowed: false; visible: true; rule: 'missing-permission'; reason: string; covering: Grant[] }
  | { allowed: false; visible: true; rule: 'partner-access-off'; reason: string; covering: Grant[] };

const describeKind: Record<Grant['kind'], string> = {
  membership: 'membership',
  'external-admin': 'external admin',
  service: 'service assignment',
  impersonation: 'impersonation',
  'api-key': 'API key',
};

export const grantLabel = (grant: Grant): string => {
  switch (grant.kind) {
    case 'membership':
      return `${grant.role} at ${grant.orgId} (membership)`;
    case 'service':
      return `${grant.role} on account ${grant.orgId} (service ${grant.serviceId})`;
    case 'impersonation':
      return `${grant.role} at ${grant.orgId} (impersonation ${grant.impersonationId} by ${grant.impersonatorId})`;
    case 'api-key':
      return `${grant.role} at ${grant.orgId} (API key ${grant.keyId})`;
    default:
      return `${grant.role} at ${grant.orgId} (${describeKind[grant.kind]})`;
  }
};

/**
 * Which orgs a grant applies to. Memberships and API keys reach the org they
 * are held at and its whole subtree; external administrators, service
 * assignments and impersonation sessions reach exactly one org: the
 * customer, the account (while the account's link to the service lives and
 * it is still a direct child of the service's owner: an account moved
 * elsewhere leaves the service's reach with its old parent), the
 * session's customer (while the session runs and its impersonator still
 * carries `impersonate` there).
 */
export const reaches = (grant: Grant, org: OrgRef, now: number = Date.now()): boolean => {
  switch (grant.kind) {
    case 'membership':
    case 'api-key':
      return OrgPath.ids(org.path).includes(grant.orgId);
    case 'external-admin':
      return grant.orgId === org.orgId && grant.expiresAt * 1000 > now;
    case 'service':
      return (
        grant.orgId === org.orgId &&
        (org.serviceLinks ?? []).includes(`${grant.serviceId}:${grant.linkId}`) &&
        OrgPath.ids(org.path).at(-2) === grant.ownerOrgId
      );
    case 'impersonation':
      return (
        grant.orgId === org.orgId &&
        !grant.ended &&
        Date.parse(grant.endsAt) > now &&
        grant.impersonatorGrants.some((held) => reaches(held, org, now) && roleGrants(held.role, 'impersonate'))
      );
  }
};

/** While partner access is off, only the customer's own members get in: memberships held at the org itself. */
const isOwnMember = (grant: Grant, org: OrgRef): boolean => grant.kind === 'membership' && grant.orgId === org.orgId;

/**
 * What still crosses a customer's partner-access restriction from above: the
 * commercial relationship. The partner keeps billing it (invoices and
 * subscription state) and sees that it exists (its restricted summary).
 */
const crossingPermissions: readonly Permission[] = ['org:read', 'billing:read', 'billing:write'];
const crosses = (grant: Grant, org: OrgRef, permission: Permission): boolean =>
  (grant.kind === 'membership' || grant.kind === 'api-key') &&
  grant.orgId !== org.orgId &&
  crossingPermissions.includes(permission) &&
  roleGrants(grant.role, permission);

/**
 * The grants that get into an org: those that reach it, less those stopped
 * by a partner-access restriction (only the org's own members get in then).
 * What a caller may hand out there is bounded by these.
 */
export const admittedGrants = (grants: readonly Grant[], org: OrgRef, now: number = Date.now()): Grant[] => {
  const covering = grants.filter((grant) => reaches(grant, org, now));
  return org.partnerAccess === false ? covering.filter((grant) => isOwnMember(grant, org)) : covering;
};

/**
 * The authorization rule, pure. A grant covers an org when it reaches it (see
 * `reaches`). No covering grant → out of scope (404). A customer with partner
 * access off admits only its own members; anyone else who reaches it is
 * refused with `partner-access-off` (403), except for what crosses the
 * restriction (`crossingPermissions`). Otherwise a covering grant without the
 * permission → 403. Among allowing grants the one nearest the root is named,
 * so explanations are stable.
 */
export const decide = (grants: readonly Grant[], org: OrgRef, permission: Permission, now: number = Date.now()): Decision => {
  const ids = OrgPath.ids(org.path);
  const depth = (grant: Grant) => ids.indexOf(grant.orgId);
  const covering = grants.filter((grant) => reaches(grant, org, now)).sort((a, b) => depth(a) - depth(b));
  if (covering.length === 0) {
    return { allowed: false, visible: false, rule: 'out-of-scope', reason: `no grant at ${org.orgId} or above it` };
  }
  const restricted = org.partnerAccess === false;
  const admitted = restricted ? covering.filter((grant) => isOwnMember(grant, org)) : covering;
  const allowing = admitted.find((grant) => roleGrants(grant.role, permission));
  if (allowing) return { allowed: true, grant: allowing, reason: `allowed by ${grantLabel(allowing)}`, summaryOnly: false };
  if (restricted) {
    const crossing = covering.find((grant) => crosses(grant, org, permission));
    if (crossing) {
      const summaryOnly = permission === 'org:read';
      const reason = `allowed by ${grantLabel(crossing)} across the partner-access restriction${summaryOnly ? ' (restricted summary)' : ''}`;
      return { allowed: true, grant: crossing, reason, summaryOnly };
    }
    if (admitted.length === 0) {
      return {
        allowed: false,
        visible: true,
        rule: 'partner-access-off',
        reason: `partner access is off at ${org.orgId}: only its own members may ${permission} there`,
        covering,
      };
    }
  }
  return {
    allowed: false,
    visible: true,
    rule: 'missing-permission',
    reason: `${admitted.map(grantLabel).join(', ')} does not carry ${permission}`,
    covering: admitted,
  };
};

/**
 * Whether what the caller holds at an org extends below it: an admitted
 * membership or API key carrying the permission reaches the org's whole
 * subtree. Grants that reach one org alone (a service assignment, an
 * external admin, a session) do not, so a view of the subtree shows such a
 * caller only what its other grants reach.
 */
export const reachesSubtree = (grants: readonly Grant[], org: OrgRef, permission: Permission, now: number = Date.now()): boolean =>
  admittedGrants(grants, org, now).some(
    (grant) => (grant.kind === 'membership' || grant.kind === 'api-key') && roleGrants(grant.role, permission),
  );

/**
 * The ids of the path the caller can see: from its highest covering grant
 * down. Grants that reach one org only (external admin, service,
 * impersonation) show that org alone.
 */
export const visibleFrom = (grants: readonly Grant[], org: OrgRef, now: number = Date.now()): string[] => {
  const ids = OrgPath.ids(org.path);
  const reaching = grants.filter((grant) => reaches(grant, org, now));
  const first = Math.min(
    ...reaching.map((grant) => (grant.kind === 'membership' || grant.kind === 'api-key' ? ids.indexOf(grant.orgId) : ids.length - 1)),
  );
  return Number.isFinite(first) && first >= 0 ? ids.slice(first) : [];
};

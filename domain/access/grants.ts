import { db } from '../db/service.ts';
import { ImpersonationEntity } from '../delegation/impersonation.entity.ts';
import type { ServiceAssignmentItem } from '../delegation/service-assignment.entity.ts';
import { UnauthorizedError } from '../shared/errors.ts';
import { type Caller, impersonationRole } from './caller.ts';
import type { RoleName } from './roles.ts';

/**
 * The five ways to hold a role somewhere (DESIGN.md, "Authorization"). Each
 * names the org it is held at and the role it carries; `reach` (decide.ts)
 * says which orgs it applies to.
 */
export interface MembershipGrant {
  kind: 'membership';
  orgId: string;
  role: RoleName;
  builtIn: boolean;
}

export interface ExternalAdminGrant {
  kind: 'external-admin';
  orgId: string;
  role: RoleName;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface ServiceGrant {
  kind: 'service';
  /** The account the user is assigned to. */
  orgId: string;
  role: RoleName;
  serviceId: string;
  linkId: string;
  /** The service's owner: the account must still be one of its direct children. */
  ownerOrgId: string;
}

export interface ImpersonationGrant {
  kind: 'impersonation';
  /** The customer the session acts in. */
  orgId: string;
  role: RoleName;
  impersonationId: string;
  impersonatorId: string;
  endsAt: string;
  ended: boolean;
  /** The impersonator's own grants: the session holds only while they still carry `impersonate` on the customer. */
  impersonatorGrants: Grant[];
}

export interface ApiKeyGrant {
  kind: 'api-key';
  orgId: string;
  role: RoleName;
  keyId: string;
}

export type Grant = MembershipGrant | ExternalAdminGrant | ServiceGrant | ImpersonationGrant | ApiKeyGrant;
export type GrantKind = Grant['kind'];

/**
 * A customer's own person in the client portal (domain/portal): a portal
 * role at one customer and the client permissions it carried when assigned.
 * Read by the same Query as the grants above but deliberately not one of
 * them: it is no platform role, reaches no org, and `decide` cannot be
 * handed one. Portal authorization reads it beside the platform grants.
 */
export interface RequesterGrant {
  kind: 'requester';
  /** The customer. */
  orgId: string;
  portalRole: string;
  permissions: readonly string[];
  /** Names this very grant: asset mappings made for it end with it. */
  linkId: string;
}

/** Everything a caller holds: platform grants, and requester grants in the client portal. */
export interface CallerGrants {
  grants: Grant[];
  requesters: RequesterGrant[];
}

/** Users hold a handful of grants; a page this large means one Query in practice. */
const grantsPageSize = 200;

/**
 * Every item of a user's partition in the `grants` collection (memberships,
 * external-admin grants, service assignments, requester grants): one Query, paged only for
 * unusual principals. Expired external-admin grants are dropped here, so
 * expiry ends them on the next call although TTL removes them later; so are
 * service assignments whose user has left the provider org since.
 */
const loadUserGrants = async (userId: string, nowSeconds: number): Promise<CallerGrants> => {
  const grants: Grant[] = [];
  const requesters: RequesterGrant[] = [];
  const memberships: { orgId: string; createdAt: string }[] = [];
  const assignments: ServiceAssignmentItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<ReturnType<typeof db.collections.grants>['go']>> = await db.collections
      .grants({ userId })
      .go({ cursor, limit: grantsPageSize });
    for (const item of page.data.membership) {
      grants.push({ kind: 'membership', orgId: item.orgId, role: item.role, builtIn: item.builtIn });
      memberships.push(item);
    }
    for (const item of page.data.externalAdmin) {
      if (item.expiresAt > nowSeconds)
        grants.push({ kind: 'external-admin', orgId: item.orgId, role: item.role, expiresAt: item.expiresAt });
    }
    assignments.push(...page.data.serviceAssignment);
    for (const item of page.data.requester) {
      requesters.push({
        kind: 'requester',
        orgId: item.customerId,
        portalRole: item.portalRole,
        permissions: item.permissions,
        linkId: item.linkId,
      });
    }
    cursor = page.cursor;
  } while (cursor);
  // An assignment holds only while its user is still the member of the provider it was made for (the same partition: no extra read).
  const memberSince = new Map(memberships.map((item) => [item.orgId, item.createdAt]));
  for (const item of assignments) {
    if (memberSince.get(item.providerOrgId) !== item.memberSince) continue;
    grants.push({
      kind: 'service',
      orgId: item.accountId,
      role: item.role,
      serviceId: item.serviceId,
      linkId: item.linkId,
      ownerOrgId: item.ownerOrgId,
    });
  }
  return { grants, requesters };
};

/** An impersonation session's one grant, with its impersonator's grants to check it against. */
const loadImpersonationGrants = async (caller: Caller): Promise<Grant[]> => {
  const [session, impersonatorGrants] = await Promise.all([
    ImpersonationEntity.get({ impersonationId: caller.principalId }).go(),
    caller.impersonatorId
      ? loadUserGrants(caller.impersonatorId, Math.floor(Date.now() / 1000)).then((held) => held.grants)
      : Promise.resolve([]),
  ]);
  const item = session.data;
  if (!item || item.impersonatorId !== caller.impersonatorId || item.endedAt !== undefined || Date.parse(item.endsAt) <= Date.now()) {
    throw new UnauthorizedError('The impersonation session has ended', { extensions: { rule: 'session-ended' } });
  }
  return [
    {
      kind: 'impersonation',
      orgId: item.customerId,
      role: impersonationRole,
      impersonationId: item.impersonationId,
      impersonatorId: item.impersonatorId,
      endsAt: item.endsAt,
      ended: item.endedAt !== undefined,
      impersonatorGrants,
    },
  ];
};

/**
 * All grants of the caller, read in one parallel round (alongside the target
 * org's read in `authorizeOn`). Users: one Query on their partition. API
 * keys: the org and role the authorizer read from the key's item on this very
 * request. Impersonation sessions: the session's item and the impersonator's grants.
 */
export const loadGrants = async (caller: Caller): Promise<Grant[]> => (await loadCallerGrants(caller)).grants;

/**
 * The caller's platform grants and, for a user, its requester grants in the
 * client portal: the same one round as `loadGrants` (a user's are one Query
 * on their partition). API keys and impersonation sessions are never requesters.
 */
export const loadCallerGrants = async (caller: Caller): Promise<CallerGrants> => {
  if (!caller.principalId) return { grants: [], requesters: [] };
  if (caller.principalType === 'user') return loadUserGrants(caller.principalId, Math.floor(Date.now() / 1000));
  if (caller.principalType === 'api-key') {
    return {
      grants:
        caller.keyOrgId && caller.keyRole
          ? [{ kind: 'api-key', orgId: caller.keyOrgId, role: caller.keyRole, keyId: caller.principalId }]
          : [],
      requesters: [],
    };
  }
  return { grants: await loadImpersonationGrants(caller), requesters: [] };
};

import type { OrgItem } from '../orgs/org.entity.ts';
import { readOrg } from '../orgs/org-store.ts';
import { ForbiddenError, NotFoundError, PartnerAccessOffError, UnauthorizedError } from '../shared/errors.ts';
import type { Caller } from './caller.ts';
import { type Decision, decide } from './decide.ts';
import { type Grant, loadGrants } from './grants.ts';
import type { Permission } from './permissions.ts';

/** What a use case is asked to do on behalf of whom: the route's permission and the caller. */
export interface AccessRequest {
  caller: Caller;
  permission: Permission;
}

export const orgNotFound = (orgId: string) => new NotFoundError(`Org ${orgId} was not found`);

/** Turns a denial into the answer the API promises: 404 outside scope, 403 inside it. */
export const enforce = (decision: Decision, orgId: string): void => {
  if (decision.allowed) return;
  if (!decision.visible) throw orgNotFound(orgId);
  if (decision.rule === 'partner-access-off') throw new PartnerAccessOffError(decision.reason, { extensions: { rule: decision.rule } });
  throw new ForbiddenError(decision.reason, {
    extensions: { rule: decision.rule },
  });
};

export interface Authorized {
  org: OrgItem;
  grants: Grant[];
  decision: Decision;
}

/**
 * An impersonation session whose own customer is out of its reach has lost
 * its footing (the impersonator no longer carries `impersonate` there): the
 * token is no longer good for anything, which is a 401, not a 404.
 */
export const assertSessionHolds = (access: AccessRequest, grants: readonly Grant[], orgId: string): void => {
  const [session] = grants;
  if (access.caller.principalType === 'impersonation' && session?.kind === 'impersonation' && session.orgId === orgId) {
    throw new UnauthorizedError('The impersonation session no longer holds: its impersonator may no longer impersonate here', {
      extensions: { rule: 'session-ended' },
    });
  }
};

/**
 * Loads the target org and the caller's grants in parallel (one round trip)
 * and enforces the permission on it. A missing org and an org out of scope
 * answer the same 404.
 */
export const authorizeOn = async (access: AccessRequest, orgId: string): Promise<Authorized> => {
  const [org, grants] = await Promise.all([readOrg(orgId), loadGrants(access.caller)]);
  return authorizeLoaded(access, grants, org, orgId);
};

/** `authorizeOn` once the org and the caller's grants are read (by a use case that had to read something else first). */
export const authorizeLoaded = (access: AccessRequest, grants: Grant[], org: OrgItem | null, orgId: string): Authorized => {
  if (!org) throw orgNotFound(orgId);
  const decision = decide(grants, org, access.permission);
  if (!decision.allowed && decision.rule === 'out-of-scope') assertSessionHolds(access, grants, orgId);
  enforce(decision, orgId);
  return { org, grants, decision };
};

/** Checks a second org with grants already loaded (move's destination, for example). */
export const assertAllowedOn = (grants: readonly Grant[], org: OrgItem | null, orgId: string, permission: Permission): OrgItem => {
  if (!org) throw orgNotFound(orgId);
  enforce(decide(grants, org, permission), orgId);
  return org;
};

import { enforce } from '../access/authorize.ts';
import type { Caller } from '../access/caller.ts';
import { decide, reaches } from '../access/decide.ts';
import { type Grant, loadGrants } from '../access/grants.ts';
import type { Permission } from '../access/permissions.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import type { ServiceRelationshipItem } from './service.entity.ts';
import { readService } from './service-store.ts';

export type ServiceSide = 'owner' | 'provider';

/** One body for a missing service and for one out of the caller's sight, so a 404 says nothing about which. */
export const serviceNotFound = () => new NotFoundError('The service was not found');

/** The permission each side needs to act on a service; a side left out cannot act (seeing the service still makes it a 403). */
export type ServiceRule = Partial<Record<ServiceSide, Permission>>;

export interface AuthorizedService<T> {
  service: ServiceRelationshipItem;
  grants: Grant[];
  /** The side the caller acts for (the owner's when both allow). */
  side: ServiceSide;
  owner: OrgItem | null;
  provider: OrgItem | null;
  /** What `alongside` read. */
  extra: T;
}

const sides: readonly ServiceSide[] = ['owner', 'provider'];

/**
 * Authorizes a call on `/v1/services/{serviceId}…`. A service belongs to two
 * orgs: the service item and the caller's grants are read in parallel, then
 * its owner and provider orgs (a second round: their ids are on the service)
 * alongside whatever `alongside` reads for the use case, returned only once
 * allowed. The caller acts for the first side whose org it holds the rule's
 * permission on. Refused: a 403 when it can see the service (any grant
 * reaching the owner or the provider), else the same 404 as a missing service.
 */
export const authorizeOnService = async <T = undefined>(
  caller: Caller,
  serviceId: string,
  rule: ServiceRule,
  alongside?: (service: ServiceRelationshipItem) => Promise<T>,
): Promise<AuthorizedService<T>> => {
  const [service, grants] = await Promise.all([readService(serviceId), loadGrants(caller)]);
  if (!service) throw serviceNotFound();
  const [orgs, extra] = await Promise.all([
    readOrgs([service.ownerOrgId, service.providerOrgId]),
    alongside ? alongside(service) : Promise.resolve(undefined as T),
  ]);
  const orgOf: Record<ServiceSide, OrgItem | null> = {
    owner: orgs.get(service.ownerOrgId) ?? null,
    provider: orgs.get(service.providerOrgId) ?? null,
  };
  const authorized = (side: ServiceSide) => ({ service, grants, side, owner: orgOf.owner, provider: orgOf.provider, extra });
  for (const side of sides) {
    const org = orgOf[side];
    const permission = rule[side];
    if (org && permission && decide(grants, org, permission).allowed) return authorized(side);
  }
  for (const side of sides) {
    const org = orgOf[side];
    const permission = rule[side];
    if (org && permission) {
      const decision = decide(grants, org, permission);
      if (!decision.allowed && decision.visible) enforce(decision, org.orgId);
    }
  }
  if (sides.some((side) => orgOf[side] !== null && grants.some((grant) => reaches(grant, orgOf[side] as OrgItem)))) {
    const acting = sides.filter((side) => rule[side] !== undefined);
    throw new ForbiddenError(`Only the service’s ${acting.join(' or ')} side may do this`, {
      extensions: { rule: `${acting.join('-or-')}-side-only` },
    });
  }
  throw serviceNotFound();
};

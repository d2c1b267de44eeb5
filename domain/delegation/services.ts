import { randomBytes } from 'node:crypto';
import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import type { Actor, Caller } from '../access/caller.ts';
import type { RoleName } from '../access/roles.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { ServiceRelationshipEntity, type ServiceRelationshipItem } from './service.entity.ts';
import { authorizeOnService } from './service-access.ts';
import type { ServiceAccountItem } from './service-account.entity.ts';
import { serviceLinkOf } from './service-assignment.entity.ts';
import { assertMayShare, assertServiceRole, serviceRule } from './service-rules.ts';
import { readAssignments, readMembershipsAt, readServiceAccounts } from './service-store.ts';
import { type ServiceListItem, type ServiceView, toServiceSummary, toServiceView } from './service-view.ts';

/** A link names one time an account joined a service: random, so a re-added account never matches its old assignments. */
export const newLinkId = (): string => randomBytes(8).toString('hex');

/** The role a service carries when its creator names none: the least that lets a provider look. */
export const defaultServiceRole: RoleName = 'read-only';

export interface NewService {
  providerOrgId: string;
  name: string;
  role?: RoleName | undefined;
  accountIds: readonly string[];
}

/**
 * The reads of the whole service as its readers see it, in two rounds: its
 * accounts and assignments start at once (they need only the id, so they go
 * beside the authorization reads); the account orgs and the provider
 * memberships that decide which assignments live follow once the service is known.
 */
export const startServiceView = (serviceId: string): ((service: ServiceRelationshipItem) => Promise<ServiceView>) => {
  const first = Promise.all([readServiceAccounts(serviceId), readAssignments(serviceId)]);
  // Awaited only once the caller is allowed; a refusal must not leave it rejected unobserved.
  first.catch(() => undefined);
  return async (service) => {
    const [links, assignments] = await first;
    const [orgs, members] = await Promise.all([
      readOrgs(links.map((link) => link.accountId)),
      readMembershipsAt(
        service.providerOrgId,
        assignments.map((item) => item.userId),
      ),
    ]);
    return toServiceView(service, links, orgs, assignments, members);
  };
};

/** The service as it stands now (after a change). */
export const loadServiceView = (service: ServiceRelationshipItem): Promise<ServiceView> => startServiceView(service.serviceId)(service);

/**
 * An owner org shares some of its accounts (direct children) with a provider
 * org (`service:write` at the owner). The provider is named by id: any
 * partner other than the owner, whether or not the caller can see it (it
 * usually cannot: a provider is often a sibling partner); an id that names no
 * partner is one 400, the same whether the org is missing, hidden or another
 * kind. The service, each account's link item and each account's new link in
 * its `serviceLinks` are one transaction.
 */
export const createService = async (
  access: AccessRequest,
  ownerOrgId: string,
  input: NewService,
  actor: Actor,
  options: { serviceId?: string } = {},
): Promise<ServiceView> => {
  const [{ org: owner, grants }, orgs] = await Promise.all([
    authorizeOn(access, ownerOrgId),
    readOrgs([input.providerOrgId, ...input.accountIds]),
  ]);
  const provider = orgs.get(input.providerOrgId);
  if (provider?.kind !== 'partner' || provider.orgId === ownerOrgId) {
    throw new ValidationError('The provider must be a partner org other than the owner', {
      errors: [{ path: 'body.providerOrgId', message: 'must name a partner org other than the owner' }],
    });
  }
  const role = input.role ?? defaultServiceRole;
  assertServiceRole(role);
  assertMayShare({ grants, owner, providerOrgId: provider.orgId, role, accountIds: input.accountIds, orgs, field: 'body.accountIds' });
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const service: ServiceRelationshipItem = {
    serviceId: options.serviceId ?? newId('svc'),
    ownerOrgId,
    providerOrgId: provider.orgId,
    name: input.name,
    role,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  const links: ServiceAccountItem[] = input.accountIds.map((accountId) => ({
    serviceId: service.serviceId,
    accountId,
    linkId: newLinkId(),
    ownerOrgId,
    providerOrgId: provider.orgId,
    status: 'linked',
    addedAt: now,
    version: 1,
    writtenBy: by,
  }));
  await transact(
    () =>
      db.transaction
        .write(({ serviceRelationship, serviceAccount, org }) => [
          serviceRelationship.create(service).commit(),
          ...links.flatMap((link) => [
            serviceAccount.create(link).commit(),
            org
              .patch({ orgId: link.accountId })
              .add({ serviceLinks: [serviceLinkOf(service.serviceId, link.linkId)] })
              .set({ writtenBy: by })
              .where((attr, { eq }) => eq(attr.parentId, ownerOrgId))
              .commit(),
          ]),
        ])
        .go(),
    (index) =>
      index === 0
        ? serviceRule(`A service ${service.serviceId} already exists`, 'exists')
        : serviceRule('An account moved or was deleted while the service was created; try again', 'changed'),
  );
  return {
    ...toServiceSummary(service),
    accounts: [...links]
      .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
      .map((link) => ({
        accountId: link.accountId,
        name: orgs.get(link.accountId)?.name ?? null,
        status: 'active' as const,
        addedAt: link.addedAt,
        users: [],
      })),
  };
};

export interface ServiceListQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Where a walk of an org's services stands: the owned ones first, then the received ones. */
interface ServiceWalk {
  side: 'owner' | 'provider';
  k: string | null;
}

const servicePage = (side: ServiceWalk['side'], orgId: string, cursor: string | null, limit: number) =>
  (side === 'owner'
    ? ServiceRelationshipEntity.query.servicesOwned({ ownerOrgId: orgId })
    : ServiceRelationshipEntity.query.servicesReceived({ providerOrgId: orgId })
  ).go({ cursor, limit });

/**
 * The services an org owns, then those it receives, each in id (creation)
 * order. One Query per page, read alongside the authorization; only the page
 * where the owned services run out also reads the first received ones.
 */
export const listServices = async (access: AccessRequest, orgId: string, query: ServiceListQuery): Promise<Page<ServiceListItem>> => {
  const binding = JSON.stringify(['services', orgId]);
  const walk = query.cursor ? decodeCursor<ServiceWalk>(query.cursor, binding) : { side: 'owner' as const, k: null };
  const side = walk.side === 'provider' ? 'provider' : 'owner';
  const limit = query.limit ?? defaultLimit;
  const [, first] = await Promise.all([authorizeOn(access, orgId), servicePage(side, orgId, walk.k, limit)]);
  const items: ServiceListItem[] = first.data.map((item) => ({ ...toServiceSummary(item), side }));
  if (first.cursor) return { items, nextCursor: encodeCursor({ side, k: first.cursor }, binding) };
  if (side === 'provider') return { items, nextCursor: null };
  if (items.length >= limit) return { items, nextCursor: encodeCursor({ side: 'provider', k: null }, binding) };
  const received = await servicePage('provider', orgId, null, limit - items.length);
  items.push(...received.data.map((item) => ({ ...toServiceSummary(item), side: 'provider' as const })));
  return { items, nextCursor: received.cursor ? encodeCursor({ side: 'provider', k: received.cursor }, binding) : null };
};

/**
 * One service with its accounts and the users assigned to each, for the
 * owner's side (`service:read` at the owner) and the provider's
 * (`service:read` at the provider). Dead assignments (account removed,
 * detached, or user no longer a member of the provider) are left out.
 */
export const getService = async (caller: Caller, serviceId: string): Promise<ServiceView> => {
  const { extra } = await authorizeOnService(
    caller,
    serviceId,
    { owner: 'service:read', provider: 'service:read' },
    startServiceView(serviceId),
  );
  return extra;
};

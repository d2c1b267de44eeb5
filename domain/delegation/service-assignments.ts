import type { Actor, Caller } from '../access/caller.ts';
import { type DryRunReport, dryRunReport } from '../access/dry-run.ts';
import { MembershipEntity, type MembershipItem } from '../access/membership.entity.ts';
import type { RoleName } from '../access/roles.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import type { ServiceRelationshipItem } from './service.entity.ts';
import { authorizeOnService, type ServiceRule } from './service-access.ts';
import type { ServiceAccountItem } from './service-account.entity.ts';
import type { ServiceAssignmentItem } from './service-assignment.entity.ts';
import { deleteAssignments } from './service-removal.ts';
import { serviceRule } from './service-rules.ts';
import { chunksOf, pairKey, readAssignments, readAssignmentsOf, readMembershipsAt, readServiceAccountsOf } from './service-store.ts';
import { accountStateOf, byAccountThenUser, isLive } from './service-view.ts';

/** Only the provider's admins hand out (and take back) the service's accounts to their own users. */
const providerAdmins: ServiceRule = { provider: 'service:write' };

export interface AssignmentPairs {
  userIds: readonly string[];
  accountIds: readonly string[];
}

export interface GrantOutcome {
  /** Pairs that now hold an assignment and did not before. */
  granted: number;
  /** Pairs that already held one. */
  unchanged: number;
  pairs: number;
  /** Atomic transactions the change took (each of at most 100 writes). */
  transactions: number;
}

export interface RevokeOutcome {
  /** Pairs whose assignment was taken away. */
  revoked: number;
  /** Pairs that held none. */
  unchanged: number;
  pairs: number;
  transactions: number;
}

interface Loaded {
  links: Map<string, ServiceAccountItem>;
  existing: Map<string, ServiceAssignmentItem>;
  orgs: Map<string, OrgItem>;
  members: Map<string, MembershipItem>;
}

const pairsOf = ({ userIds, accountIds }: AssignmentPairs) =>
  accountIds.flatMap((accountId) => userIds.map((userId) => ({ userId, accountId })));

/** The service and everything a bulk change needs, in two rounds, returned once the caller is one of the provider's admins. */
const loadForPairs = (caller: Caller, serviceId: string, request: AssignmentPairs) => {
  const first = Promise.all([readServiceAccountsOf(serviceId, request.accountIds), readAssignmentsOf(serviceId, pairsOf(request))]);
  first.catch(() => undefined);
  return authorizeOnService(caller, serviceId, providerAdmins, async (service): Promise<Loaded> => {
    const [links, existing] = await first;
    const [orgs, members] = await Promise.all([readOrgs(request.accountIds), readMembershipsAt(service.providerOrgId, request.userIds)]);
    return { links, existing, orgs, members };
  });
};

/**
 * The pairs must name accounts of the service (for a grant, active ones of
 * an active service) and members of the provider org; otherwise a 409 names
 * the ones that are not.
 */
const assertPairs = (service: ServiceRelationshipItem, loaded: Loaded, request: AssignmentPairs, granting: boolean): void => {
  if (granting && service.status !== 'active')
    throw serviceRule(`The service is ${service.status}: nothing can be granted`, 'service-not-active');
  const absent = request.accountIds.filter((accountId) => {
    const link = loaded.links.get(accountId);
    return !link || (granting && accountStateOf(service, link, loaded.orgs.get(accountId)) !== 'active');
  });
  if (absent.length > 0) {
    throw serviceRule(`Not ${granting ? 'active ' : ''}accounts of this service: ${absent.join(', ')}`, 'not-service-accounts', {
      accountIds: absent,
    });
  }
  const strangers = request.userIds.filter((userId) => !loaded.members.has(userId));
  if (strangers.length > 0) {
    throw serviceRule(`Not members of the provider org ${service.providerOrgId}: ${strangers.join(', ')}`, 'not-provider-members', {
      userIds: strangers,
    });
  }
};

const liveAssignment = (service: ServiceRelationshipItem, loaded: Loaded, userId: string, accountId: string) => {
  const item = loaded.existing.get(pairKey(userId, accountId));
  const link = loaded.links.get(accountId);
  if (!item || !link) return undefined;
  return isLive(item, link, accountStateOf(service, link, loaded.orgs.get(accountId)), loaded.members.get(userId)) ? item : undefined;
};

/**
 * Assigns provider users to accounts of the service, every user to every
 * account named (up to 1,000 pairs). Pairs already assigned are left alone;
 * the rest are written in transactions of 100, each atomic and audited (every
 * assignment is an audited item), so an interrupted request is finished by
 * repeating it, and a repeat reports everything unchanged. A dead assignment
 * (of an earlier link or membership) is replaced.
 */
export const grantServiceAccess = async (
  caller: Caller,
  serviceId: string,
  request: AssignmentPairs,
  actor: Actor,
): Promise<GrantOutcome> => {
  const { service, extra: loaded } = await loadForPairs(caller, serviceId, request);
  assertPairs(service, loaded, request, true);
  const pairs = pairsOf(request);
  const missing = pairs.filter(({ userId, accountId }) => !liveAssignment(service, loaded, userId, accountId));
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const items = missing.flatMap(({ userId, accountId }) => {
    const link = loaded.links.get(accountId);
    const member = loaded.members.get(userId);
    if (!link || !member) return [];
    const item: ServiceAssignmentItem = {
      userId,
      serviceId,
      accountId,
      linkId: link.linkId,
      providerOrgId: service.providerOrgId,
      ownerOrgId: service.ownerOrgId,
      role: service.role,
      email: member.email,
      memberSince: member.createdAt,
      createdAt: now,
      writtenBy: by,
    };
    return [item];
  });
  const chunks = chunksOf(items, maxTransactionItems);
  for (const chunk of chunks) {
    await transact(
      () => db.transaction.write(({ serviceAssignment }) => chunk.map((item) => serviceAssignment.put(item).commit())).go(),
      () => serviceRule('An assignment changed while granting; repeat the request to finish', 'changed'),
    );
  }
  return { granted: items.length, unchanged: pairs.length - items.length, pairs: pairs.length, transactions: chunks.length };
};

/**
 * Takes accounts of the service away from provider users (every user from
 * every account named, up to 1,000 pairs), in transactions of 50 deletes and
 * their tombstones, each atomic and audited; repeating the request finishes
 * an interrupted one and then reports everything unchanged. Dead leftovers of
 * the pairs are deleted too, without counting. With `dryRun`: who would lose
 * which account, and nothing written.
 */
export const revokeServiceAccess = async (
  caller: Caller,
  serviceId: string,
  request: AssignmentPairs,
  options: { dryRun?: boolean | undefined },
  actor: Actor,
): Promise<RevokeOutcome | DryRunReport> => {
  const { service, owner, extra: loaded } = await loadForPairs(caller, serviceId, request);
  assertPairs(service, loaded, request, false);
  const pairs = pairsOf(request);
  const live = pairs.flatMap(({ userId, accountId }) => liveAssignment(service, loaded, userId, accountId) ?? []);
  if (options.dryRun) {
    return dryRunReport({
      usersLosingAccess: live
        .map((item) => ({ userId: item.userId, email: item.email, orgId: item.accountId, via: 'service' as const }))
        .sort(byAccountThenUser),
      accountsAffected: [...new Set(live.map((item) => item.accountId))].sort(),
    });
  }
  const existing = pairs.flatMap(({ userId, accountId }) => loaded.existing.get(pairKey(userId, accountId)) ?? []);
  const by = writtenBy(actor, new Date().toISOString());
  const pathOf = (accountId: string) => loaded.orgs.get(accountId)?.path ?? `${owner?.path ?? ''}/${accountId}`;
  const transactions = await deleteAssignments(existing, pathOf, by);
  return { revoked: live.length, unchanged: pairs.length - live.length, pairs: pairs.length, transactions };
};

export type CandidateMode = 'grant' | 'revoke';

export interface CandidateQuery {
  mode: CandidateMode;
  accountIds: readonly string[];
  /** Email prefix. */
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface CandidateView {
  userId: string;
  email: string;
  /** The user's role at the provider org. */
  role: RoleName;
  /** How many of the selected accounts the user is assigned to now. */
  currentAccess: number;
}

/**
 * The provider's members (its own users: memberships held at the provider
 * org) as candidates for the selected accounts, each with `currentAccess`.
 * Grant mode leaves out those who hold every selected account, revoke mode
 * those who hold none. One Query of the provider's members per page (so a
 * page may hold fewer than `limit`), beside one Query per selected account
 * for its assignments.
 */
export const listServiceCandidates = async (caller: Caller, serviceId: string, query: CandidateQuery): Promise<Page<CandidateView>> => {
  const accountIds = [...new Set(query.accountIds)].sort();
  const prefix = query.q?.trim().toLowerCase();
  const binding = JSON.stringify(['service-candidates', serviceId, query.mode, accountIds, prefix ?? null]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const first = Promise.all([
    readServiceAccountsOf(serviceId, accountIds),
    Promise.all(accountIds.map((accountId) => readAssignments(serviceId, accountId))),
  ]);
  first.catch(() => undefined);
  const { service, extra } = await authorizeOnService(caller, serviceId, providerAdmins, async (service) => {
    const [links, assignments] = await first;
    const members = MembershipEntity.query.membersOfOrg({ orgId: service.providerOrgId });
    const [orgs, page] = await Promise.all([
      readOrgs(accountIds),
      (prefix ? members.where((attr, { begins }) => begins(attr.email, prefix)) : members).go({
        cursor: state?.k ?? null,
        limit: query.limit ?? defaultLimit,
      }),
    ]);
    return { links, assignments: assignments.flat(), orgs, page };
  });
  const absent = accountIds.filter((accountId) => {
    const link = extra.links.get(accountId);
    return !link || accountStateOf(service, link, extra.orgs.get(accountId)) !== 'active';
  });
  if (absent.length > 0) {
    throw serviceRule(`Not active accounts of this service: ${absent.join(', ')}`, 'not-service-accounts', { accountIds: absent });
  }
  const held = new Map<string, number>();
  for (const item of extra.assignments) {
    if (extra.links.get(item.accountId)?.linkId === item.linkId) {
      held.set(`${item.userId} ${item.memberSince}`, (held.get(`${item.userId} ${item.memberSince}`) ?? 0) + 1);
    }
  }
  const items = extra.page.data
    .map((member) => ({
      userId: member.userId,
      email: member.email,
      role: member.role,
      currentAccess: held.get(`${member.userId} ${member.createdAt}`) ?? 0,
    }))
    .filter((candidate) => (query.mode === 'grant' ? candidate.currentAccess < accountIds.length : candidate.currentAccess > 0));
  return { items, nextCursor: extra.page.cursor ? encodeCursor({ k: extra.page.cursor }, binding) : null };
};

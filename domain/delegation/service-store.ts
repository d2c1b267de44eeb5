import { MembershipEntity, type MembershipItem } from '../access/membership.entity.ts';
import { ServiceRelationshipEntity, type ServiceRelationshipItem } from './service.entity.ts';
import { ServiceAccountEntity, type ServiceAccountItem } from './service-account.entity.ts';
import { ServiceAssignmentEntity, type ServiceAssignmentItem } from './service-assignment.entity.ts';

/** One GetItem. */
export const readService = async (serviceId: string): Promise<ServiceRelationshipItem | null> =>
  (await ServiceRelationshipEntity.get({ serviceId }).go({ consistent: true })).data;

/** Every account item of a service, in account id order: one Query (paged only for very large services). */
export const readServiceAccounts = async (serviceId: string): Promise<ServiceAccountItem[]> =>
  (await ServiceAccountEntity.query.byService({ serviceId }).go({ pages: 'all', consistent: true })).data;

/** The account items of these accounts: one BatchGetItem per 100. */
export const readServiceAccountsOf = async (serviceId: string, accountIds: readonly string[]): Promise<Map<string, ServiceAccountItem>> => {
  if (accountIds.length === 0) return new Map();
  const { data } = await ServiceAccountEntity.get(accountIds.map((accountId) => ({ serviceId, accountId }))).go({ consistent: true });
  return new Map(data.map((item) => [item.accountId, item]));
};

/**
 * The assignment items of a service, or of one of its accounts, in (account,
 * user) order. The sort key ends each account id at a delimiter, so `org_a1`
 * never picks up `org_a10`'s assignments.
 */
export const readAssignments = async (serviceId: string, accountId?: string): Promise<ServiceAssignmentItem[]> =>
  (await ServiceAssignmentEntity.query.assignmentsOfService(accountId ? { serviceId, accountId } : { serviceId }).go({ pages: 'all' }))
    .data;

/** The assignment items for these (user, account) pairs: BatchGetItem, 100 keys at a time. */
export const readAssignmentsOf = async (
  serviceId: string,
  pairs: readonly { userId: string; accountId: string }[],
): Promise<Map<string, ServiceAssignmentItem>> => {
  if (pairs.length === 0) return new Map();
  const { data } = await ServiceAssignmentEntity.get(pairs.map(({ userId, accountId }) => ({ userId, serviceId, accountId }))).go({
    consistent: true,
  });
  return new Map(data.map((item) => [pairKey(item.userId, item.accountId), item]));
};

/** The memberships these users hold at one org (the provider): BatchGetItem, 100 keys at a time. */
export const readMembershipsAt = async (orgId: string, userIds: readonly string[]): Promise<Map<string, MembershipItem>> => {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const { data } = await MembershipEntity.get(unique.map((userId) => ({ userId, orgId }))).go({ consistent: true });
  return new Map(data.map((item) => [item.userId, item]));
};

export const pairKey = (userId: string, accountId: string): string => `${userId} ${accountId}`;

/** Splits work into transactions of at most `size` pieces. */
export const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

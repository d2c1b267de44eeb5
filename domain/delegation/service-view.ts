import type { MembershipItem } from '../access/membership.entity.ts';
import type { RoleName } from '../access/roles.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import type { ServiceRelationshipItem } from './service.entity.ts';
import type { ServiceSide } from './service-access.ts';
import type { ServiceAccountItem } from './service-account.entity.ts';
import { type ServiceAssignmentItem, serviceLinkOf } from './service-assignment.entity.ts';
import type { ServiceStatus } from './service-limits.ts';

/**
 * Where an account stands: `active` (its users reach it), `removing` (its link
 * is gone, its leftover assignments are being deleted: repeat the removal to
 * finish), `detached` (it is no longer a direct child of the owner, or no
 * longer exists: nobody reaches it through the service; remove it).
 */
export type AccountState = 'active' | 'removing' | 'detached';

export const accountStateOf = (service: ServiceRelationshipItem, link: ServiceAccountItem, org: OrgItem | undefined): AccountState => {
  if (link.status === 'removing') return 'removing';
  const linked = org !== undefined && (org.serviceLinks ?? []).includes(serviceLinkOf(service.serviceId, link.linkId));
  return linked && org.parentId === service.ownerOrgId ? 'active' : 'detached';
};

/**
 * Whether an assignment grants anything: its account is active under the
 * link it was made with, and its user is still the member of the provider it
 * was made for. Dead ones are never listed or counted.
 */
export const isLive = (
  assignment: ServiceAssignmentItem,
  link: ServiceAccountItem | undefined,
  state: AccountState,
  membership: MembershipItem | undefined,
): boolean => state === 'active' && link?.linkId === assignment.linkId && membership?.createdAt === assignment.memberSince;

export interface ServiceSummaryView {
  id: string;
  name: string;
  role: RoleName;
  status: ServiceStatus;
  ownerOrgId: string;
  providerOrgId: string;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  version: number;
}

export interface AssignedUserView {
  userId: string;
  email: string;
  assignedAt: string;
}

export interface ServiceAccountView {
  accountId: string;
  /** Null once the org no longer exists. */
  name: string | null;
  status: AccountState;
  addedAt: string;
  users: AssignedUserView[];
}

export interface ServiceView extends ServiceSummaryView {
  accounts: ServiceAccountView[];
}

export interface ServiceListItem extends ServiceSummaryView {
  /** How the listed org takes part: it owns the service or receives it. */
  side: ServiceSide;
}

export const toServiceSummary = (item: ServiceRelationshipItem): ServiceSummaryView => ({
  id: item.serviceId,
  name: item.name,
  role: item.role,
  status: item.status,
  ownerOrgId: item.ownerOrgId,
  providerOrgId: item.providerOrgId,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  endedAt: item.endedAt ?? null,
  version: item.version,
});

/** The whole service: its accounts in id order, each with its live assignments in user id order. */
export const toServiceView = (
  service: ServiceRelationshipItem,
  links: readonly ServiceAccountItem[],
  orgs: ReadonlyMap<string, OrgItem>,
  assignments: readonly ServiceAssignmentItem[],
  members: ReadonlyMap<string, MembershipItem>,
): ServiceView => {
  const byAccount = new Map<string, ServiceAssignmentItem[]>();
  for (const item of assignments) {
    const list = byAccount.get(item.accountId);
    if (list) list.push(item);
    else byAccount.set(item.accountId, [item]);
  }
  return {
    ...toServiceSummary(service),
    accounts: links.map((link) => {
      const org = orgs.get(link.accountId);
      const state = accountStateOf(service, link, org);
      return {
        accountId: link.accountId,
        name: org?.name ?? null,
        status: state,
        addedAt: link.addedAt,
        users: (byAccount.get(link.accountId) ?? [])
          .filter((item) => isLive(item, link, state, members.get(item.userId)))
          .map((item) => ({ userId: item.userId, email: item.email, assignedAt: item.createdAt })),
      };
    }),
  };
};

/** Dry runs list accounts, and who loses which, in id order. */
export const byAccountThenUser = (a: { orgId: string; userId: string }, b: { orgId: string; userId: string }): number =>
  a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;

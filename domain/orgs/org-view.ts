import type { CustomerType, OrgKind, OrgStatus, SubscriptionState } from './kinds.ts';
import type { OrgItem } from './org.entity.ts';

/** An org as the API shows it. */
export interface OrgView {
  id: string;
  kind: OrgKind;
  name: string;
  status: OrgStatus;
  path: string;
  parentId: string | null;
  depth: number;
  customerType: CustomerType | null;
  partnerAccess: boolean;
  subscription: { state: SubscriptionState; since: string } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const toOrgView = (item: OrgItem): OrgView => ({
  id: item.orgId,
  kind: item.kind,
  name: item.name,
  status: item.status,
  path: item.path,
  parentId: item.parentId || null,
  depth: item.depth,
  customerType: item.customerType ?? null,
  partnerAccess: item.partnerAccess,
  subscription: item.subscriptionState && item.subscriptionSince ? { state: item.subscriptionState, since: item.subscriptionSince } : null,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

/** Names compare case- and space-insensitively among siblings. */
export const nameKeyOf = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

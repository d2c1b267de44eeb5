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

/**
 * A customer that switched partner access off, as seen from above: enough to
 * know it exists and keep billing it (so nobody creates a duplicate), nothing
 * of what it keeps to itself.
 */
export interface RestrictedOrgView {
  id: string;
  kind: OrgKind;
  name: string;
  status: OrgStatus;
  partnerAccess: false;
  subscription: { state: SubscriptionState; since: string } | null;
  restricted: true;
}

export const toRestrictedOrgView = (item: OrgItem): RestrictedOrgView => ({
  id: item.orgId,
  kind: item.kind,
  name: item.name,
  status: item.status,
  partnerAccess: false,
  subscription: item.subscriptionState && item.subscriptionSince ? { state: item.subscriptionState, since: item.subscriptionSince } : null,
  restricted: true,
});

/** The view a decision allows: the whole org, or its restricted summary when read across partner access being off. */
export const viewAs = (
  item: OrgItem,
  decision: { allowed: true; summaryOnly: boolean } | { allowed: false },
): OrgView | RestrictedOrgView => (decision.allowed && decision.summaryOnly ? toRestrictedOrgView(item) : toOrgView(item));

/** Names compare case- and space-insensitively among siblings. */
export const nameKeyOf = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

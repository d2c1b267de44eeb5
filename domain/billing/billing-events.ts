import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import type { WrittenBy } from '../db/written-by.ts';
import type { SubscriptionState } from '../orgs/kinds.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { BillingEventEntity, type BillingEventItem, type billingEventTypes } from './billing-event.entity.ts';
import type { InvoiceItem } from './invoice.entity.ts';
import type { Currency } from './money.ts';

export type BillingEventType = (typeof billingEventTypes)[number];

/** A billing-history entry as the API shows it. */
export interface BillingEventView {
  id: string;
  at: string;
  type: BillingEventType;
  /** The user, impersonation session or API key that made the change; `system` for the platform's own. */
  actor: string;
  subscription: { from: SubscriptionState | null; to: SubscriptionState } | null;
  invoice: { id: string; number: number | null; total: number; currency: Currency } | null;
  /** Why an invoice was voided. */
  reason: string | null;
}

/**
 * The event of a customer's subscription moving, for updateOrg's own
 * transaction; null when the subscription does not change.
 */
export const subscriptionChangeEvent = (org: OrgItem, to: SubscriptionState | undefined, by: WrittenBy): BillingEventItem | null => {
  if (org.kind !== 'customer' || to === undefined || to === org.subscriptionState) return null;
  return {
    customerId: org.orgId,
    at: by.at,
    eventId: newId('evt'),
    type: 'subscription.changed',
    ...(org.subscriptionState ? { fromState: org.subscriptionState } : {}),
    toState: to,
    writtenBy: by,
  };
};

/** The event of an invoice being made, issued, paid or voided, written with the change itself. */
export const invoiceEvent = (
  type: Exclude<BillingEventType, 'subscription.changed'>,
  invoice: Pick<InvoiceItem, 'customerId' | 'invoiceId' | 'total' | 'currency' | 'number'>,
  by: WrittenBy,
  reason?: string,
): BillingEventItem => ({
  customerId: invoice.customerId,
  at: by.at,
  eventId: newId('evt'),
  type,
  invoiceId: invoice.invoiceId,
  ...(invoice.number !== undefined ? { invoiceNumber: invoice.number } : {}),
  amount: invoice.total,
  currency: invoice.currency,
  ...(reason ? { reason } : {}),
  writtenBy: by,
});

const toView = (item: BillingEventItem): BillingEventView => ({
  id: item.eventId,
  at: item.at,
  type: item.type,
  actor: item.writtenBy.userId ?? item.writtenBy.impersonationId ?? item.writtenBy.apiKeyId ?? 'system',
  subscription: item.toState ? { from: item.fromState ?? null, to: item.toState } : null,
  invoice:
    item.invoiceId && item.amount !== undefined && item.currency
      ? { id: item.invoiceId, number: item.invoiceNumber ?? null, total: item.amount, currency: item.currency }
      : null,
  reason: item.reason ?? null,
});

export const customersOnly = (orgId: string, what: string) =>
  new ConflictError(`Org ${orgId} is not a customer: ${what}`, { extensions: { rule: 'customers-only' } });

/**
 * A customer's billing history: its subscription changes and its invoices'
 * events, newest first. One Query on the customer's partition, read
 * alongside the authorization round trip and returned once allowed
 * (`billing:read`, which crosses a partner-access restriction from above).
 */
export const listBillingHistory = async (
  access: AccessRequest,
  orgId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<BillingEventView>> => {
  const binding = JSON.stringify(['billing-history', orgId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [{ org }, page] = await Promise.all([
    authorizeOn(access, orgId),
    BillingEventEntity.query
      .byCustomer({ customerId: orgId })
      .go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  if (org.kind !== 'customer') throw customersOnly(orgId, 'billing history is kept per customer');
  return { items: page.data.map(toView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

import { type AccessRequest, orgNotFound } from '../access/authorize.ts';
import { reachesSubtree } from '../access/decide.ts';
import type { Grant } from '../access/grants.ts';
import type { Permission } from '../access/permissions.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { authorizeInvoiceReading } from '../portal/invoice-source.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError } from '../shared/errors.ts';
import { nextDay, todayUtc } from './calendar-date.ts';
import { InvoiceListingEntity, type InvoiceListingItem } from './invoice.entity.ts';
import type { InvoiceStatus, StoredInvoiceStatus } from './invoice-state.ts';
import { type InvoiceSummaryView, toInvoiceSummary } from './invoice-view.ts';

export interface InvoiceFilters {
  status?: InvoiceStatus | undefined;
  /** Inclusive invoice dates, `YYYY-MM-DD`. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface InvoiceListQuery extends InvoiceFilters {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Only partners (their whole subtree) and customers have invoice lists. */
export const assertLedgerOrg = (org: OrgItem): void => {
  if (org.kind !== 'partner' && org.kind !== 'customer') {
    throw new ConflictError(`Org ${org.orgId} is a ${org.kind}: invoices are listed per partner (its whole subtree) or per customer`, {
      extensions: { rule: 'partners-and-customers-only' },
    });
  }
};

/**
 * Which of a ledger's invoices a reader is shown. A partner's ledger holds its
 * whole subtree's invoices, for whoever reaches that subtree (a membership or
 * API key at the partner or above, `reachesSubtree`); a caller who reaches
 * the partner alone (a service assignment) is shown what the partner issued
 * itself. A customer's ledger is its own.
 */
export const ledgerShows = (org: OrgItem, grants: readonly Grant[], permission: Permission): ((item: InvoiceListingItem) => boolean) =>
  org.kind === 'customer' || reachesSubtree(grants, org, permission) ? () => true : (item) => item.issuerId === org.orgId;

/** The cursor binding of a list: its route, org and filters. */
export const invoiceListBinding = (list: 'invoices' | 'invoice-export', orgId: string, filters: InvoiceFilters): string =>
  JSON.stringify([list, orgId, filters.status ?? null, filters.from ?? null, filters.to ?? null]);

/**
 * One page of an org's ledger partition, newest invoice date first: the
 * dates bound the key condition (`to` inclusive: up to the next day's
 * prefix), the status is a filter on the page. Overdue is derived from the
 * due date against `today`, so `issued` and `overdue` split the stored
 * `issued` state by date.
 */
export const ledgerPage = (orgId: string, filters: InvoiceFilters, today: string, cursor: string | null, limit: number) => {
  const key = { ledgerId: orgId };
  const byDate =
    filters.from && filters.to
      ? InvoiceListingEntity.query.byLedger(key).between({ invoiceDate: filters.from }, { invoiceDate: nextDay(filters.to) })
      : filters.from
        ? InvoiceListingEntity.query.byLedger(key).gte({ invoiceDate: filters.from })
        : filters.to
          ? InvoiceListingEntity.query.byLedger(key).lt({ invoiceDate: nextDay(filters.to) })
          : InvoiceListingEntity.query.byLedger(key);
  const { status } = filters;
  const filtered =
    status === 'overdue'
      ? byDate.where((attr, { eq, lt }) => `${eq(attr.status, 'issued')} AND ${lt(attr.dueDate, today)}`)
      : status === 'issued'
        ? byDate.where((attr, { eq, gte }) => `${eq(attr.status, 'issued')} AND ${gte(attr.dueDate, today)}`)
        : status
          ? byDate.where((attr, { eq }) => eq(attr.status, status as StoredInvoiceStatus))
          : byDate;
  return filtered.go({ order: 'desc', cursor, limit }) as Promise<{ data: InvoiceListingItem[]; cursor: string | null }>;
};

/**
 * The invoices of a customer, or of a partner's whole subtree (customers that
 * switched partner access off included: the commercial relationship stays),
 * newest first, filtered by status and invoice dates. One Query on the org's
 * ledger partition per page, alongside the authorization round trip
 * (`billing:read`, or a requester of the customer whose portal role carries
 * `view-quotes-invoices`: it sees all but drafts). Listings are written under the customer's partners when
 * the draft is made: after a customer moves, its earlier invoices stay in the
 * lists of the partners that issued them (and in the customer's own).
 */
export const listInvoices = async (access: AccessRequest, orgId: string, query: InvoiceListQuery): Promise<Page<InvoiceSummaryView>> => {
  const binding = invoiceListBinding('invoices', orgId, query);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const today = todayUtc();
  const [reader, page] = await Promise.all([
    authorizeInvoiceReading(access, orgId),
    ledgerPage(orgId, query, today, state?.k ?? null, query.limit ?? defaultLimit),
  ]);
  if (!reader.org) throw orgNotFound(orgId);
  assertLedgerOrg(reader.org);
  // A customer's own people see what was sent to them, never the MSP's drafts (a page may then hold fewer than `limit`).
  const items =
    reader.side === 'client'
      ? page.data.filter((item) => item.status !== 'draft')
      : page.data.filter(ledgerShows(reader.org, reader.held.grants, access.permission));
  return {
    items: items.map((item) => toInvoiceSummary(item, today)),
    nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null,
  };
};

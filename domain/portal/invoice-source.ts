import type { AccessRequest } from '../access/authorize.ts';
import type { WrittenBy } from '../db/written-by.ts';
import { authorizePortal, type PortalActor } from './authorize-portal.ts';
import { summaryWrites, type TransactionEntities } from './summary-counters.ts';

/**
 * Where the client portal meets billing, which owns invoices:
 *
 * 1. A client reads its invoices through billing's own
 *    `GET /v1/orgs/{customerId}/invoices` (invoice-lists.ts), authorized by
 *    `authorizeInvoiceReading` below: a requester whose portal role carries
 *    `view-quotes-invoices` gets the customer's invoices (drafts left out,
 *    and no one else's), and the MSP side keeps `billing:read` exactly as
 *    `decide` says (which crosses a partner-access restriction: the partner
 *    keeps billing).
 * 2. The summary's `unpaidInvoices` is a counter on the customer's portal
 *    summary item, moved by `unpaidInvoiceWrites` in the transactions that
 *    issue (+1), pay or void an issued invoice (-1) (invoice-transitions.ts),
 *    so the summary stays one read.
 */

/**
 * Authorizes reading a customer's invoices: the route's platform permission
 * (`billing:read`) through `decide`, or a requester of the customer whose
 * portal role carries `view-quotes-invoices`. One round trip.
 */
export const authorizeInvoiceReading = (access: AccessRequest, customerId: string): Promise<PortalActor> =>
  authorizePortal(access, customerId, ['view-quotes-invoices']);

/** The summary counter's write, for billing's own transactions. */
export const unpaidInvoiceWrites = (tx: TransactionEntities, customerId: string, delta: number, by: WrittenBy) =>
  summaryWrites(tx, customerId, { unpaidInvoices: delta }, by);

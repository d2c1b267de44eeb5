import type { AccessRequest } from '../access/authorize.ts';
import type { WrittenBy } from '../db/written-by.ts';
import { authorizePortal, type PortalActor } from './authorize-portal.ts';
import { summaryWrites, type TransactionEntities } from './summary-counters.ts';

/**
 * What the client portal needs of billing (issue 5), which is being built in
 * parallel and owns invoices. The portal creates no billing entity; billing
 * wires these two in when the branches meet:
 *
 * 1. A client reads its invoices through billing's own
 *    `GET /v1/orgs/{customerId}/invoices`: that route authorizes with
 *    `authorizeInvoiceReading` below instead of `authorizeOn`, so a
 *    requester whose portal role carries `view-quotes-invoices` gets the
 *    customer's invoices (and no one else's), and the MSP side keeps
 *    `billing:read` exactly as `decide` says (which crosses a partner-access
 *    restriction: the partner keeps billing).
 * 2. The summary's `unpaidInvoices` is a counter on the customer's portal
 *    summary item: billing adds `unpaidInvoiceWrites(tx, customerId, +1, by)`
 *    to the transaction that issues an invoice and `-1` to those that pay or
 *    void an issued one, so the summary stays one read.
 */

/**
 * Authorizes reading a customer's invoices: the route's platform permission
 * (`billing:read`) through `decide`, or a requester of the customer whose
 * portal role carries `view-quotes-invoices`. One round trip.
 */
export const authorizeInvoiceReading = (access: AccessRequest, customerId: string): Promise<PortalActor> =>
  authorizePortal(access, customerId, ['view-quotes-invoices']);

/** The summary counter's write, for billing's own transactions. */
export const unpaidInvoiceWrites = (tx: TransactionEntities, customerId: string, delta: 1 | -1, by: WrittenBy) =>
  summaryWrites(tx, customerId, { unpaidInvoices: delta }, by);

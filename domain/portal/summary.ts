import type { AccessRequest } from '../access/authorize.ts';
import type { RequesterGrant } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { authorizePortal } from './authorize-portal.ts';
import { type ClientPermission, holdsAny } from './client-permissions.ts';

export interface PortalSummaryView {
  customerId: string;
  /** Which side the counts are for: the MSP side sees everything, a client what its role shows. */
  viewer: 'msp' | 'client';
  /** Company-wide ticket counts by status; null for a client whose role shows only its own tickets. */
  tickets: { open: number; inProgress: number; waitingOnClient: number; resolved: number; closed: number } | null;
  /** Active projects (for a client, those flagged "show to client"); null when its role shows no projects. */
  activeProjects: number | null;
  /** All of the company's assets; null for a client whose role shows only assets mapped to it, or none. */
  assets: number | null;
  /** Documents shared with the company; null when the client's role shows none. */
  documents: number | null;
  openQuotes: number | null;
  /** Kept by billing (invoice-source.ts); null when the client's role shows no quotes and invoices. */
  unpaidInvoices: number | null;
}

const n = (value: number | undefined): number => Math.max(0, value ?? 0);

/**
 * A customer's portal at a glance, in one round trip: the org, the caller's
 * grants and the customer's counters (one Query on its summary partition:
 * the counter item and the per-partner document counts) read in parallel,
 * returned only once allowed. Counters are kept in the same transactions as
 * what they count. The counts follow the viewer: the MSP side (from above it
 * stops at a customer that switched partner access off, as every aggregate
 * does) sees everything; a requester sees the counts of what its role shows
 * company-wide and null for the rest. Documents count only while shared by a
 * partner the customer still sits under.
 */
export const getPortalSummary = async (access: AccessRequest, customerId: string): Promise<PortalSummaryView> => {
  const [portal, counters] = await Promise.all([
    authorizePortal(access, customerId, 'any'),
    db.collections.portalSummary({ customerId }).go(),
  ]);
  const summary = counters.data.portalSummary[0];
  const above = OrgPath.ids(portal.org?.path ?? '');
  const documents = counters.data.documentShareCount
    .filter((count) => above.includes(count.partnerId))
    .reduce((sum, count) => sum + n(count.shares), 0);
  const client: RequesterGrant | null = portal.side === 'client' ? portal.requester : null;
  const shows = (...wanted: ClientPermission[]) => client === null || holdsAny(client.permissions, wanted);
  return {
    customerId,
    viewer: portal.side,
    tickets: shows('view-company-tickets')
      ? {
          open: n(summary?.ticketsOpen),
          inProgress: n(summary?.ticketsInProgress),
          waitingOnClient: n(summary?.ticketsWaitingOnClient),
          resolved: n(summary?.ticketsResolved),
          closed: n(summary?.ticketsClosed),
        }
      : null,
    activeProjects: shows('view-projects') ? n(client ? summary?.projectsActiveVisible : summary?.projectsActive) : null,
    assets: shows('view-all-assets') ? n(summary?.assets) : null,
    documents: shows('view-documents') ? documents : null,
    openQuotes: shows('view-quotes-invoices') ? n(summary?.quotesOpen) : null,
    unpaidInvoices: shows('view-quotes-invoices') ? n(summary?.unpaidInvoices) : null,
  };
};

import type { AccessRequest } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { loadCallerGrants } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, changedMeanwhile, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { authorizeOnItem, authorizePortal } from './authorize-portal.ts';
import { createForCustomer } from './customer-item-create.ts';
import { summaryWrites, ticketDelta } from './summary-counters.ts';
import { TicketEntity, type TicketItem, type TicketStatus, type ticketCategories, type ticketPriorities } from './ticket.entity.ts';
import { clientSeesTicket, editTicketVerdict, readTicketVerdict, ticketClosed, ticketNotOpen } from './ticket-rules.ts';

export interface TicketView {
  id: string;
  customerId: string;
  title: string;
  description: string;
  priority: (typeof ticketPriorities)[number];
  category: (typeof ticketCategories)[number];
  status: TicketStatus;
  openedBy: string;
  side: 'client' | 'msp';
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const toTicketView = (item: TicketItem): TicketView => ({
  id: item.ticketId,
  customerId: item.customerId,
  title: item.title,
  description: item.description,
  priority: item.priority,
  category: item.category,
  status: item.status,
  openedBy: item.openedBy,
  side: item.side,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

export const ticketNotFound = (ticketId: string) => new NotFoundError(`Ticket ${ticketId} was not found`);

export const customersOnly = (what: string) =>
  new ConflictError(`${what} belong to customers: this org is not one`, { extensions: { rule: 'customers-only' } });

export interface TicketQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  status?: TicketStatus | undefined;
  /** Only the tickets the caller opened. */
  mine?: boolean | undefined;
}

/**
 * A customer's tickets, newest first: one Query per page (on the status
 * index when filtered by status) alongside the authorization round. The MSP
 * side and requesters with `view-company-tickets` see them all; a requester
 * with `view-own-tickets` only those it opened, filtered from the page (so a
 * page may hold fewer than `limit`).
 */
export const listTickets = async (access: AccessRequest, customerId: string, query: TicketQuery): Promise<Page<TicketView>> => {
  const binding = JSON.stringify(['tickets', customerId, query.status ?? null, query.mine === true]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const callerId = access.caller.principalId;
  const base = query.status
    ? TicketEntity.query.ticketsByStatus({ customerId, status: query.status })
    : TicketEntity.query.ticketsOfCustomer({ customerId });
  const filtered = query.mine ? base.where((attr, { eq }) => eq(attr.openedBy, callerId)) : base;
  const [actor, page] = await Promise.all([
    authorizePortal(access, customerId, ['view-company-tickets', 'view-own-tickets']),
    filtered.go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const visible = actor.side === 'msp' ? page.data : page.data.filter((item) => clientSeesTicket(actor.requester, item, callerId));
  return { items: visible.map(toTicketView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewTicket {
  title: string;
  description: string;
  priority: (typeof ticketPriorities)[number];
  category: (typeof ticketCategories)[number];
}

/**
 * Opens a ticket at a customer: a requester with `create-tickets`, or the MSP
 * side (a ticket taken by phone, say). It starts `open`; the customer's
 * counters move in the same transaction.
 */
export const createTicket = async (access: AccessRequest, customerId: string, input: NewTicket, actor: Actor): Promise<TicketView> => {
  const portal = await authorizePortal(access, customerId, ['create-tickets']);
  if (portal.org?.kind !== 'customer') throw customersOnly('Tickets');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const item: TicketItem = {
    ticketId: newId('tkt'),
    customerId,
    title: input.title,
    description: input.description,
    priority: input.priority,
    category: input.category,
    status: 'open',
    openedBy: access.caller.principalId,
    side: portal.side,
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await createForCustomer(
    customerId,
    (tx) => tx.ticket.create(item).commit(),
    ticketDelta(null, 'open'),
    by,
    'The ticket could not be opened; try again',
  );
  return toTicketView(item);
};

/** A ticket and the caller's grants in parallel: one round; a second only for the MSP side (the customer's org). */
const readTicket = async (ticketId: string, access: AccessRequest) => {
  const [ticket, held] = await Promise.all([TicketEntity.get({ ticketId }).go(), loadCallerGrants(access.caller)]);
  if (!ticket.data) throw ticketNotFound(ticketId);
  return { ticket: ticket.data, held };
};

/** One ticket, if the caller's side lets it see it (a missing ticket and one out of sight answer alike). */
export const getTicket = async (access: AccessRequest, ticketId: string): Promise<TicketView> => {
  const { ticket, held } = await readTicket(ticketId, access);
  const callerId = access.caller.principalId;
  await authorizeOnItem(
    access,
    ticket.customerId,
    held,
    (requester) => readTicketVerdict(requester, ticket, callerId),
    () => ticketNotFound(ticketId),
  );
  return toTicketView(ticket);
};

export interface TicketChanges {
  title?: string | undefined;
  description?: string | undefined;
  priority?: (typeof ticketPriorities)[number] | undefined;
  category?: (typeof ticketCategories)[number] | undefined;
  status?: TicketStatus | undefined;
}

/**
 * Changes a ticket. The MSP side changes anything, status included, until
 * the ticket is closed (closed is final); a client edits the tickets it
 * opened while they are still `open`, never the status. Counters move with a
 * status change in the same transaction.
 */
export const updateTicket = async (
  access: AccessRequest,
  ticketId: string,
  changes: TicketChanges,
  ifMatch: number | null,
  actor: Actor,
): Promise<TicketView> => {
  const { ticket, held } = await readTicket(ticketId, access);
  const callerId = access.caller.principalId;
  const portal = await authorizeOnItem(
    access,
    ticket.customerId,
    held,
    (requester) => editTicketVerdict(requester, ticket, callerId, changes),
    () => ticketNotFound(ticketId),
  );
  const expected = assertVersion(ticket.version, ifMatch);
  if (ticket.status === 'closed') throw ticketClosed();
  if (portal.side === 'client' && ticket.status !== 'open') throw ticketNotOpen();
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const next: TicketItem = {
    ...ticket,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    updatedAt: now,
    version: expected + 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write((tx) => [
          tx.ticket
            .patch({ ticketId })
            .set({
              title: next.title,
              description: next.description,
              priority: next.priority,
              category: next.category,
              status: next.status,
              updatedAt: now,
              version: next.version,
              writtenBy: by,
            })
            // The status index is keyed by the customer too, which never changes.
            .composite({ customerId: ticket.customerId })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          ...summaryWrites(tx, ticket.customerId, ticketDelta(ticket.status, next.status), by),
        ])
        .go(),
    () => changedMeanwhile('ticket', ifMatch),
  );
  return toTicketView(next);
};

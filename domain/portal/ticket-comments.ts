import type { AccessRequest } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { loadCallerGrants } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { newId } from '../shared/ids.ts';
import { authorizeOnItem } from './authorize-portal.ts';
import { TicketCommentEntity, type TicketCommentItem, TicketEntity } from './ticket.entity.ts';
import { commentVerdict, readTicketVerdict, ticketClosed } from './ticket-rules.ts';
import { ticketNotFound } from './tickets.ts';

export interface TicketCommentView {
  id: string;
  ticketId: string;
  text: string;
  authorId: string;
  /** Who wrote it: the MSP side or the client. */
  side: 'client' | 'msp';
  createdAt: string;
}

const toView = (item: TicketCommentItem): TicketCommentView => ({
  id: item.commentId,
  ticketId: item.ticketId,
  text: item.text,
  authorId: item.authorId,
  side: item.side,
  createdAt: item.createdAt,
});

/**
 * A ticket's conversation, oldest first: the ticket, the caller's grants and
 * the page are read in one parallel round (a second, the customer's org, only
 * for the MSP side), and the page is returned only once the ticket is in sight.
 */
export const listTicketComments = async (
  access: AccessRequest,
  ticketId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<TicketCommentView>> => {
  const binding = JSON.stringify(['comments', ticketId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [ticket, held, page] = await Promise.all([
    TicketEntity.get({ ticketId }).go(),
    loadCallerGrants(access.caller),
    TicketCommentEntity.query.byTicket({ ticketId }).go({ cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const found = ticket.data;
  if (!found) throw ticketNotFound(ticketId);
  const callerId = access.caller.principalId;
  await authorizeOnItem(
    access,
    found.customerId,
    held,
    (requester) => readTicketVerdict(requester, found, callerId),
    () => ticketNotFound(ticketId),
  );
  return { items: page.data.map(toView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

/**
 * Adds a message to a ticket's conversation, marked as the MSP side's or the
 * client's. Not on a closed ticket: the transaction checks the ticket is
 * still there and not closed.
 */
export const addTicketComment = async (
  access: AccessRequest,
  ticketId: string,
  input: { text: string },
  actor: Actor,
): Promise<TicketCommentView> => {
  const [ticket, held] = await Promise.all([TicketEntity.get({ ticketId }).go(), loadCallerGrants(access.caller)]);
  const found = ticket.data;
  if (!found) throw ticketNotFound(ticketId);
  const callerId = access.caller.principalId;
  const portal = await authorizeOnItem(
    access,
    found.customerId,
    held,
    (requester) => commentVerdict(requester, found, callerId),
    () => ticketNotFound(ticketId),
  );
  if (found.status === 'closed') throw ticketClosed();
  const now = new Date().toISOString();
  const item: TicketCommentItem = {
    ticketId,
    commentId: newId('cmt'),
    customerId: found.customerId,
    text: input.text,
    authorId: callerId,
    side: portal.side,
    createdAt: now,
    writtenBy: writtenBy(actor, now),
  };
  await transact(
    () =>
      db.transaction
        .write(({ ticketComment, ticket: tickets }) => [
          ticketComment.create(item).commit(),
          tickets
            .check({ ticketId })
            .where((attr, { exists, ne }) => `${exists(attr.ticketId)} AND ${ne(attr.status, 'closed')}`)
            .commit(),
        ])
        .go(),
    () => ticketClosed(),
  );
  return toView(item);
};

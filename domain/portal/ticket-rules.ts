import type { RequesterGrant } from '../access/grants.ts';
import { ConflictError } from '../shared/errors.ts';
import { type ClientVerdict, portalRoleRefusal } from './authorize-portal.ts';
import { holdsAny } from './client-permissions.ts';
import type { TicketStatus } from './ticket.entity.ts';

/** What the rules need of a ticket. */
export interface TicketRef {
  openedBy: string;
  status: TicketStatus;
}

/** A requester sees every ticket of its company, or only those it opened, as its role says. */
export const clientSeesTicket = (requester: RequesterGrant, ticket: TicketRef, callerId: string): boolean =>
  holdsAny(requester.permissions, ['view-company-tickets']) ||
  (holdsAny(requester.permissions, ['view-own-tickets']) && ticket.openedBy === callerId);

export const readTicketVerdict = (requester: RequesterGrant, ticket: TicketRef, callerId: string): ClientVerdict =>
  clientSeesTicket(requester, ticket, callerId) ? { verdict: 'allowed' } : { verdict: 'hidden' };

/**
 * The client may edit a ticket it opened (title, description, priority,
 * category) with `create-tickets`; status changes are the MSP side's. Whether
 * the ticket is still open is a rule checked after authorization (409).
 */
export const editTicketVerdict = (
  requester: RequesterGrant,
  ticket: TicketRef,
  callerId: string,
  changes: Readonly<{ status?: unknown; title?: unknown; description?: unknown; priority?: unknown; category?: unknown }>,
): ClientVerdict => {
  if (!clientSeesTicket(requester, ticket, callerId)) return { verdict: 'hidden' };
  if (changes.status !== undefined) {
    return { verdict: 'forbidden', error: portalRoleRefusal('Only the MSP side changes a ticket’s status', 'status-by-msp') };
  }
  if (ticket.openedBy !== callerId) {
    return { verdict: 'forbidden', error: portalRoleRefusal('A client may edit only the tickets it opened', 'own-tickets-only') };
  }
  if (!holdsAny(requester.permissions, ['create-tickets'])) {
    return { verdict: 'forbidden', error: portalRoleRefusal(`The portal role ${requester.portalRole} does not allow editing tickets`) };
  }
  return { verdict: 'allowed' };
};

/** Taking part in a ticket's conversation: a requester who sees the ticket, with `create-tickets`. */
export const commentVerdict = (requester: RequesterGrant, ticket: TicketRef, callerId: string): ClientVerdict => {
  if (!clientSeesTicket(requester, ticket, callerId)) return { verdict: 'hidden' };
  if (!holdsAny(requester.permissions, ['create-tickets'])) {
    return { verdict: 'forbidden', error: portalRoleRefusal(`The portal role ${requester.portalRole} does not allow commenting`) };
  }
  return { verdict: 'allowed' };
};

export const ticketClosed = () =>
  new ConflictError('The ticket is closed: it takes no more changes or comments', { extensions: { rule: 'ticket-closed' } });

export const ticketNotOpen = () =>
  new ConflictError('The MSP is already working on this ticket: add a comment instead of editing it', {
    extensions: { rule: 'ticket-not-open' },
  });

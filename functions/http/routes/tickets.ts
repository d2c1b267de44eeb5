import type { RouteDef } from '../route-table-types.ts';
import { page } from '../schemas/common.ts';
import { orgParams } from '../schemas/orgs.ts';
import {
  addCommentBody,
  createTicketBody,
  listCommentsQuery,
  listTicketsQuery,
  ticket,
  ticketComment,
  ticketParams,
  updateTicketBody,
} from '../schemas/portal-work.ts';
import { portalGroup, portalTags } from './portal.ts';
import { ok } from './responses.ts';

/**
 * Tickets and their conversation. Routes under `/v1/tickets/{ticketId}`
 * find the ticket's customer by reading the ticket, then authorize there.
 */
export const ticketRoutes = [
  {
    id: 'listTickets',
    method: 'GET',
    path: '/v1/orgs/{orgId}/tickets',
    group: portalGroup,
    auth: 'caller',
    permission: 'portal:read',
    clientPermissions: ['view-company-tickets', 'view-own-tickets'],
    summary: "A customer's tickets, newest first (a requester sees its company's or only its own, as its role says)",
    tags: portalTags,
    request: { params: orgParams, query: listTicketsQuery },
    responses: { 200: ok(page(ticket)) },
  },
  {
    id: 'createTicket',
    method: 'POST',
    path: '/v1/orgs/{orgId}/tickets',
    group: portalGroup,
    auth: 'caller',
    permission: 'portal:write',
    clientPermissions: ['create-tickets'],
    summary: 'Open a ticket at a customer',
    tags: portalTags,
    request: { params: orgParams, body: createTicketBody },
    idempotent: true,
    responses: { 201: ok(ticket, 'Created') },
  },
  {
    id: 'getTicket',
    method: 'GET',
    path: '/v1/tickets/{ticketId}',
    group: portalGroup,
    auth: 'caller',
    permission: 'portal:read',
    clientPermissions: ['view-company-tickets', 'view-own-tickets'],
    summary: 'One ticket (404 when it is not in the caller’s sight, as when it does not exist)',
    tags: portalTags,
    request: { params: ticketParams },
    responses: { 200: ok(ticket) },
  },
  {
    id: 'updateTicket',
    method: 'PATCH',
    path: '/v1/tickets/{ticketId}',
    group: portalGroup,
    auth: 'caller',
    permission: 'portal:write',
    clientPermissions: ['create-tickets'],
    summary: 'Change a ticket: its status by the MSP side only; a client edits its own ticket while it is open',
    tags: portalTags,
    request: { params: ticketParams, body: updateTicketBody },
    conditional: true,
    responses: { 200: ok(ticket) },
  },
  {
    id: 'listTicketComments',
    method: 'GET',
    path: '/v1/tickets/{ticketId}/comments',
    group: portalGroup,
    auth: 'caller',
    permission: 'portal:read',
    clientPermissions: ['view-company-tickets', 'view-own-tickets'],
    summary: 'The conversation on a ticket, oldest first, each message marked as the MSP side’s or the client’s',
    tags: portalTags,
    request: { params: ticketParams, query: listCommentsQuery },
    responses: { 200: ok(page(ticketComment)) },
  },
  {
    id: 'addTicketComment',
    method: 'POST',
    path: '/v1/tickets/{ticketId}/comments',
    group: portalGroup,
    auth: 'caller',
    permission: 'portal:write',
    clientPermissions: ['create-tickets'],
    summary: 'Add a message to a ticket’s conversation (not on a closed ticket)',
    tags: portalTags,
    request: { params: ticketParams, body: addCommentBody },
    idempotent: true,
    responses: { 201: ok(ticketComment, 'Created') },
  },
] as const satisfies readonly RouteDef[];

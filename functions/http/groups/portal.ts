import { createAsset, listAssets, setAssetRequesters } from '#domain/portal/assets';
import { listMyCompanies } from '#domain/portal/companies';
import { createDocument, getDocument, listDocuments, shareDocument, withdrawDocumentShare } from '#domain/portal/documents';
import { createPortalRole, listPortalRoles } from '#domain/portal/portal-roles';
import { createProject, listProjects, updateProject } from '#domain/portal/projects';
import { createQuote, decideQuote, listQuotes } from '#domain/portal/quotes';
import { addRequester, listRequesters, removeRequester, updateRequester } from '#domain/portal/requesters';
import { getPortalSummary } from '#domain/portal/summary';
import { addTicketComment, listTicketComments } from '#domain/portal/ticket-comments';
import { createTicket, getTicket, listTickets, updateTicket } from '#domain/portal/tickets';
import { logger } from '../../shared/logger.ts';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, noContent, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.portal, {
  listPortalRoles: async (request) => ok(await listPortalRoles(accessOf(request), request.params.orgId, request.query)),
  createPortalRole: async (request) =>
    created(await createPortalRole(accessOf(request), request.params.orgId, request.body, request.actor)),
  listRequesters: async (request) => ok(await listRequesters(accessOf(request), request.params.orgId, request.query)),
  addRequester: async (request) => {
    const added = await addRequester(accessOf(request), request.params.orgId, request.body, request.actor);
    // Locally nobody is emailed: the log says how the new requester signs in.
    if (added.invitation === 'local-token') logger.info('requester invited: sign in with POST /local/token', { email: added.email });
    if (added.invitation === 'failed') logger.warn('requester added, but the invitation failed', { userId: added.userId });
    return created(added, added.version);
  },
  updateRequester: async (request) => {
    const { orgId, userId } = request.params;
    const updated = await updateRequester(accessOf(request), orgId, userId, request.body, request.ifMatch, request.actor);
    return ok(updated, updated.version);
  },
  removeRequester: async (request) => {
    await removeRequester(accessOf(request), request.params.orgId, request.params.userId, request.ifMatch, request.actor);
    return noContent();
  },
  listMyCompanies: async ({ caller }) => ok(await listMyCompanies(caller)),
  listTickets: async (request) => ok(await listTickets(accessOf(request), request.params.orgId, request.query)),
  createTicket: async (request) => {
    const ticket = await createTicket(accessOf(request), request.params.orgId, request.body, request.actor);
    return { ...created(ticket, ticket.version), headers: { location: `/v1/tickets/${ticket.id}` } };
  },
  getTicket: async (request) => {
    const ticket = await getTicket(accessOf(request), request.params.ticketId);
    return ok(ticket, ticket.version);
  },
  updateTicket: async (request) => {
    const ticket = await updateTicket(accessOf(request), request.params.ticketId, request.body, request.ifMatch, request.actor);
    return ok(ticket, ticket.version);
  },
  listTicketComments: async (request) => ok(await listTicketComments(accessOf(request), request.params.ticketId, request.query)),
  addTicketComment: async (request) =>
    created(await addTicketComment(accessOf(request), request.params.ticketId, request.body, request.actor)),
  listProjects: async (request) => ok(await listProjects(accessOf(request), request.params.orgId, request.query)),
  createProject: async (request) => {
    const project = await createProject(accessOf(request), request.params.orgId, request.body, request.actor);
    return created(project, project.version);
  },
  updateProject: async (request) => {
    const project = await updateProject(accessOf(request), request.params.projectId, request.body, request.ifMatch, request.actor);
    return ok(project, project.version);
  },
  listAssets: async (request) => ok(await listAssets(accessOf(request), request.params.orgId, request.query)),
  createAsset: async (request) => {
    const asset = await createAsset(accessOf(request), request.params.orgId, request.body, request.actor);
    return created(asset, asset.version);
  },
  setAssetRequesters: async (request) => {
    const asset = await setAssetRequesters(accessOf(request), request.params.assetId, request.body, request.ifMatch, request.actor);
    return ok(asset, asset.version);
  },
  createDocument: async (request) => {
    const document = await createDocument(accessOf(request), request.params.orgId, request.body, request.actor);
    return { ...created(document, document.version), headers: { location: `/v1/documents/${document.id}` } };
  },
  listDocuments: async (request) => ok(await listDocuments(accessOf(request), request.params.orgId, request.query)),
  getDocument: async (request) => {
    const document = await getDocument(accessOf(request), request.params.docId);
    return ok(document, document.version);
  },
  shareDocument: async (request) => {
    const { docId, customerId } = request.params;
    const document = await shareDocument(accessOf(request), docId, customerId, request.ifMatch, request.actor);
    return ok(document, document.version);
  },
  withdrawDocumentShare: async (request) => {
    const { docId, customerId } = request.params;
    await withdrawDocumentShare(accessOf(request), docId, customerId, request.ifMatch, request.actor);
    return noContent();
  },
  listQuotes: async (request) => ok(await listQuotes(accessOf(request), request.params.orgId, request.query)),
  createQuote: async (request) => {
    const quote = await createQuote(accessOf(request), request.params.orgId, request.body, request.actor);
    return created(quote, quote.version);
  },
  acceptQuote: async (request) => {
    const quote = await decideQuote(accessOf(request), request.params.quoteId, 'accepted', request.actor);
    return ok(quote, quote.version);
  },
  declineQuote: async (request) => {
    const quote = await decideQuote(accessOf(request), request.params.quoteId, 'declined', request.actor);
    return ok(quote, quote.version);
  },
  getPortalSummary: async (request) => ok(await getPortalSummary(accessOf(request), request.params.orgId)),
});

import type { RouteSpecs } from '../spec.ts';
import { listAccess } from './access.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { approveApplication, listApplications, rejectApplication, submitApplication } from './applications.ts';
import { listAudit, verifyAudit } from './audit.ts';
import {
  createInvoice,
  exportInvoices,
  getBillingHistory,
  getInvoice,
  getPriceBook,
  issueInvoice,
  listInvoices,
  payInvoice,
  putPriceBook,
  voidInvoice,
} from './billing.ts';
import { addExternalAdmin, listExternalAdmins, removeExternalAdmin } from './external-admins.ts';
import { endImpersonation, listImpersonations, startImpersonation } from './impersonation.ts';
import { addMember, explainAccess, listMembers, removeMember, updateMember } from './members.ts';
import { createChildOrg, deleteOrg, getOrg, listAncestorOrgs, listChildOrgs, listDescendantOrgs, moveOrg, updateOrg } from './orgs.ts';
import { setPartnerAccess } from './partner-access.ts';
import { getConfig, getProfile, putConfig, putProfile } from './partners.ts';
import {
  acceptQuote,
  createDocument,
  createQuote,
  declineQuote,
  getDocument,
  getPortalSummary,
  listDocuments,
  listQuotes,
  shareDocument,
  withdrawDocumentShare,
} from './portal-documents.ts';
import {
  addRequester,
  createPortalRole,
  listMyCompanies,
  listPortalRoles,
  listRequesters,
  removeRequester,
  updateRequester,
} from './portal-people.ts';
import { createAsset, createProject, listAssets, listProjects, setAssetRequesters, updateProject } from './portal-work.ts';
import { getHealth, getMe, getOpenApi, listRoles } from './service.ts';
import {
  createService,
  getService,
  grantServiceAccess,
  listServiceCandidates,
  listServices,
  revokeServiceAccess,
  updateService,
} from './services.ts';
import { addTicketComment, createTicket, getTicket, listTicketComments, listTickets, updateTicket } from './tickets.ts';

/**
 * One entry per route of the route table (the type requires it): how to
 * build a random call, and what the model expects when the caller holds the
 * route's permission. Permission, scope, 404/403, 401, validation and
 * Idempotency-Key replays are the runner's business, the same for all.
 */
export const routeSpecs: RouteSpecs = {
  getHealth,
  getOpenApi,
  getMe,
  listRoles,
  getOrg,
  updateOrg,
  deleteOrg,
  createChildOrg,
  listChildOrgs,
  listDescendantOrgs,
  listAncestorOrgs,
  moveOrg,
  listMembers,
  addMember,
  updateMember,
  removeMember,
  explainAccess,
  listAccess,
  setPartnerAccess,
  listAudit,
  verifyAudit,
  listExternalAdmins,
  addExternalAdmin,
  removeExternalAdmin,
  listApiKeys,
  createApiKey,
  revokeApiKey,
  getProfile,
  putProfile,
  getConfig,
  putConfig,
  submitApplication,
  listApplications,
  approveApplication,
  rejectApplication,
  startImpersonation,
  listImpersonations,
  endImpersonation,
  listPortalRoles,
  createPortalRole,
  listRequesters,
  addRequester,
  updateRequester,
  removeRequester,
  listMyCompanies,
  listTickets,
  createTicket,
  getTicket,
  updateTicket,
  listTicketComments,
  addTicketComment,
  listProjects,
  createProject,
  updateProject,
  listAssets,
  createAsset,
  setAssetRequesters,
  createDocument,
  listDocuments,
  getDocument,
  shareDocument,
  withdrawDocumentShare,
  listQuotes,
  createQuote,
  acceptQuote,
  declineQuote,
  getPortalSummary,
  createService,
  listServices,
  getService,
  updateService,
  listServiceCandidates,
  grantServiceAccess,
  revokeServiceAccess,
  getPriceBook,
  putPriceBook,
  listInvoices,
  createInvoice,
  exportInvoices,
  getInvoice,
  issueInvoice,
  payInvoice,
  voidInvoice,
  getBillingHistory,
};

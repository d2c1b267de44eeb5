import type { RouteSpecs } from '../spec.ts';
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
import { addMember, explainAccess, listMembers, removeMember, updateMember } from './members.ts';
import { createChildOrg, deleteOrg, getOrg, listAncestorOrgs, listChildOrgs, listDescendantOrgs, moveOrg, updateOrg } from './orgs.ts';
import { setPartnerAccess } from './partner-access.ts';
import { getHealth, getMe, getOpenApi, listRoles } from './service.ts';

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
  setPartnerAccess,
  listAudit,
  verifyAudit,
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

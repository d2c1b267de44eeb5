import type { AccessRequest } from '../access/authorize.ts';
import { enforce } from '../access/authorize.ts';
import { type Decision, decide, type OrgRef } from '../access/decide.ts';
import { type CallerGrants, type Grant, loadCallerGrants } from '../access/grants.ts';
import type { Permission } from '../access/permissions.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { portalRoleRefusal, requesterAt } from '../portal/authorize-portal.ts';
import { holdsAny } from '../portal/client-permissions.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { InvoiceEntity, type InvoiceItem } from './invoice.entity.ts';

/** The same words whether the invoice does not exist or the caller may not know it does. */
export const invoiceNotFound = () => new NotFoundError('The invoice was not found');

export const issuerOnly = () =>
  new ForbiddenError('Invoices are made and changed by the issuing partner, or those above it', { extensions: { rule: 'issuer-only' } });

/**
 * Who may do what with an invoice. It concerns two parties: the issuing
 * partner (and those above it) and the customer (and those above it now,
 * which after a move may be another partner, and which include the
 * customer's own people). Either may read it (`billing:read`); only the
 * issuer's side changes it (`billing:write` on the issuer), so a customer's
 * own billing admin reads its invoices but never issues, pays or voids them.
 * The partner-access restriction lets billing cross (decide.ts): a partner
 * keeps billing a customer that locked it out. A caller who reaches neither
 * party gets the same 404 as for a missing invoice; one who sees a party but
 * lacks the permission gets that party's 403.
 */
export const decideOnInvoice = (
  grants: readonly Grant[],
  parties: { customer: OrgRef | null; issuer: OrgRef | null },
  permission: Permission,
  now: number = Date.now(),
): void => {
  const onIssuer: Decision | null = parties.issuer ? decide(grants, parties.issuer, permission, now) : null;
  if (onIssuer?.allowed) return;
  const onCustomer: Decision | null = parties.customer ? decide(grants, parties.customer, permission, now) : null;
  if (onCustomer?.allowed) {
    if (permission === 'billing:read') return;
    throw issuerOnly();
  }
  if (onCustomer && !onCustomer.allowed && onCustomer.visible && parties.customer) enforce(onCustomer, parties.customer.orgId);
  if (onIssuer && !onIssuer.allowed && onIssuer.visible && parties.issuer) enforce(onIssuer, parties.issuer.orgId);
  throw invoiceNotFound();
};

export interface AuthorizedInvoice {
  invoice: InvoiceItem;
  grants: Grant[];
  customer: OrgItem | null;
  issuer: OrgItem | null;
}

/**
 * Loads an invoice and the caller's grants (one parallel round), then its
 * customer and issuer (one BatchGet, alongside `also` when given: the
 * issuer's counter, say), and enforces `decideOnInvoice`. Two round trips:
 * the orgs to judge by are only known once the invoice is read.
 */
export const authorizeOnInvoice = async <T = undefined>(
  access: AccessRequest,
  invoiceId: string,
  also?: (invoice: InvoiceItem) => Promise<T>,
): Promise<AuthorizedInvoice & { also: T }> => {
  const [{ data: invoice }, held] = await Promise.all([
    InvoiceEntity.get({ invoiceId }).go({ consistent: true }),
    loadCallerGrants(access.caller),
  ]);
  const { grants } = held;
  if (!invoice) throw invoiceNotFound();
  const [orgs, extra] = await Promise.all([
    readOrgs([invoice.customerId, invoice.issuerId]),
    also ? also(invoice) : Promise.resolve(undefined as T),
  ]);
  const customer = orgs.get(invoice.customerId) ?? null;
  const issuer = orgs.get(invoice.issuerId) ?? null;
  try {
    decideOnInvoice(grants, { customer, issuer }, access.permission);
  } catch (refusal) {
    if (!readsAsClient(held, invoice, access.permission)) throw refusal;
  }
  return { invoice, grants, customer, issuer, also: extra };
};

/**
 * The customer's own people in the client portal read what was sent to them:
 * a requester of the invoice's customer whose portal role carries
 * `view-quotes-invoices` reads an issued, paid or void invoice (a draft stays
 * the MSP's: 404 as for any invoice out of reach); a requester whose role
 * shows no invoices gets the portal's 403. Never a change.
 */
const readsAsClient = (held: CallerGrants, invoice: InvoiceItem, permission: Permission): boolean => {
  const requester = requesterAt(held, invoice.customerId);
  if (!requester || permission !== 'billing:read' || invoice.status === 'draft') return false;
  if (!holdsAny(requester.permissions, ['view-quotes-invoices'])) {
    throw portalRoleRefusal(`The portal role ${requester.portalRole} does not show invoices`);
  }
  return true;
};

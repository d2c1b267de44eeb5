import { membershipAudit } from '../access/membership.audit.ts';
import { applicationAudit } from '../applications/application.audit.ts';
import { invoiceAudit, priceBookAudit } from '../billing/billing.audit.ts';
import { apiKeyAudit, externalAdminAudit, impersonationAudit, serviceAssignmentAudit } from '../delegation/delegation.audit.ts';
import { serviceAccountAudit, serviceRelationshipAudit } from '../delegation/service.audit.ts';
import { orgAudit } from '../orgs/org.audit.ts';
import { configAudit, profileAudit } from '../partners/partners.audit.ts';
import {
  assetAudit,
  documentAudit,
  documentShareAudit,
  portalRoleAudit,
  projectAudit,
  quoteAudit,
  requesterAudit,
  ticketAudit,
  ticketCommentAudit,
} from '../portal/portal.audit.ts';
import type { CatalogEntry } from './descriptor.ts';

/**
 * What the audit consumer does with each entity of the table, by ElectroDB
 * entity name. Every entity must appear (a unit test checks it against the
 * service), so a new entity is audited or deliberately left out, never forgotten.
 */
export const auditCatalog: Readonly<Record<string, CatalogEntry>> = {
  org: { audited: orgAudit },
  membership: { audited: membershipAudit },
  externalAdmin: { audited: externalAdminAudit },
  serviceAssignment: { audited: serviceAssignmentAudit },
  serviceRelationship: { audited: serviceRelationshipAudit },
  serviceAccount: { audited: serviceAccountAudit },
  impersonation: { audited: impersonationAudit },
  impersonationListing: {
    internal: 'where a session is listed (one pointer per org on its path); the session item records its start and end',
  },
  apiKey: { audited: apiKeyAudit },
  orgProfile: { audited: profileAudit },
  orgConfig: { audited: configAudit },
  application: { audited: applicationAudit },
  requester: { audited: requesterAudit },
  portalRole: { audited: portalRoleAudit },
  ticket: { audited: ticketAudit },
  ticketComment: { audited: ticketCommentAudit },
  project: { audited: projectAudit },
  asset: { audited: assetAudit },
  document: { audited: documentAudit },
  documentShare: { audited: documentShareAudit },
  quote: { audited: quoteAudit },
  portalSummary: { internal: 'portal counters, kept in the same transactions as the tickets, projects, assets and quotes they count' },
  documentShareCount: { internal: 'per-partner count of documents shared with a customer, kept with each share' },
  priceBook: { audited: priceBookAudit },
  invoice: { audited: invoiceAudit },
  invoiceListing: { internal: 'copies of an invoice in the lists of its customer and partners, written with it; invoice.* records it' },
  invoiceCounter: { internal: 'an issuer’s last invoice number, moved by each issue; invoice.issued records the number' },
  billingEvent: { internal: 'billing history, written with the change it records: org.subscription_changed and invoice.* record it' },
  orgName: { internal: 'sibling-name uniqueness marker, written with the org it names' },
  user: { internal: 'created with the first membership of an email, which member.added records' },
  userEmail: { internal: 'email → user id lookup, written with the user' },
  idempotency: { internal: 'stored replies of Idempotency-Key requests' },
  moveJob: { internal: 'progress of a multi-step move; the orgs it moves record org.moved' },
  tombstone: { internal: 'records who deleted an item; read back by the consumer' },
  auditEntry: { internal: 'the audit log itself' },
  auditHead: { internal: 'the audit log itself' },
};

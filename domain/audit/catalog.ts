import { membershipAudit } from '../access/membership.audit.ts';
import { apiKeyAudit, externalAdminAudit, impersonationAudit, serviceAssignmentAudit } from '../delegation/delegation.audit.ts';
import { serviceAccountAudit, serviceRelationshipAudit } from '../delegation/service.audit.ts';
import { orgAudit } from '../orgs/org.audit.ts';
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
  apiKey: { audited: apiKeyAudit },
  orgName: { internal: 'sibling-name uniqueness marker, written with the org it names' },
  user: { internal: 'created with the first membership of an email, which member.added records' },
  userEmail: { internal: 'email → user id lookup, written with the user' },
  idempotency: { internal: 'stored replies of Idempotency-Key requests' },
  moveJob: { internal: 'progress of a multi-step move; the orgs it moves record org.moved' },
  tombstone: { internal: 'records who deleted an item; read back by the consumer' },
  auditEntry: { internal: 'the audit log itself' },
  auditHead: { internal: 'the audit log itself' },
};

import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/** Derived from the path or kept in step by other writes: they change as side effects of the audited fields. */
const derived = [
  'nameKey',
  'pathKey',
  'treeId',
  'depth',
  'childCount',
  'moveId',
  'createdAt',
  'builtInAdmins',
  'serviceLinks',
  'invoiceCount',
];

const single: Record<string, 'org.renamed' | 'org.status_changed' | 'org.partner_access_changed'> = {
  name: 'org.renamed',
  status: 'org.status_changed',
  partnerAccess: 'org.partner_access_changed',
};

/** An org's own changes are recorded in its own chain (and fanned out to its ancestors). */
export const orgAudit: AuditDescriptor = {
  targetType: 'org',
  orgIdOf: (item) => text(item, 'orgId'),
  targetIdOf: (item) => text(item, 'orgId'),
  ignoredFields: derived,
  actionOf: ({ eventName, changed }) => {
    if (eventName === 'INSERT') return 'org.created';
    if (eventName === 'REMOVE') return 'org.deleted';
    if (changed.includes('path')) return 'org.moved';
    const fields = new Set(changed);
    if (fields.size > 0 && [...fields].every((field) => field === 'subscriptionState' || field === 'subscriptionSince'))
      return 'org.subscription_changed';
    const [only] = changed;
    if (changed.length === 1 && only && single[only]) return single[only];
    return 'org.updated';
  },
};

import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/**
 * Recorded in the owner's chain (and so its ancestors'). Only the decision to
 * end is an entry: the accounts it removes are entries of their own, and the
 * step to `ended` once the last one is gone is bookkeeping.
 */
export const serviceRelationshipAudit: AuditDescriptor = {
  targetType: 'service',
  orgIdOf: (item) => text(item, 'ownerOrgId'),
  targetIdOf: (item) => text(item, 'serviceId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, after, before }) => {
    if (eventName === 'INSERT') return 'service.created';
    if (eventName === 'REMOVE') return null;
    if (after?.status === 'ending' && before?.status === 'active') return 'service.ended';
    if (after?.status === 'ended') return null;
    return 'service.updated';
  },
};

/**
 * Recorded in the chain of the account, so its admins see whom it was
 * shared with. The account leaves the service when its link is dropped
 * (`removing`): that is when access ends, so that is the entry; deleting the
 * item once its assignments are gone is bookkeeping.
 */
export const serviceAccountAudit: AuditDescriptor = {
  targetType: 'service-account',
  orgIdOf: (item) => text(item, 'accountId'),
  targetIdOf: (item) => `${text(item, 'serviceId')}/${text(item, 'accountId')}`,
  ignoredFields: ['addedAt'],
  actionOf: ({ eventName, after, before }) => {
    if (eventName === 'INSERT') return 'service.account_added';
    if (eventName === 'REMOVE') return null;
    if (after?.status === 'removing' && before?.status !== 'removing') return 'service.account_removed';
    return null;
  },
};

import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/** Recorded in the chain of the customer it administers. */
export const externalAdminAudit: AuditDescriptor = {
  targetType: 'external-admin',
  orgIdOf: (item) => text(item, 'orgId'),
  targetIdOf: (item) => text(item, 'userId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, expired }) =>
    eventName === 'INSERT'
      ? 'external_admin.added'
      : eventName === 'MODIFY'
        ? 'external_admin.updated'
        : expired
          ? 'external_admin.expired'
          : 'external_admin.removed',
};

/** Recorded in the chain of the account it opens, so the account's admins see who was let in. */
export const serviceAssignmentAudit: AuditDescriptor = {
  targetType: 'service-assignment',
  orgIdOf: (item) => text(item, 'accountId'),
  targetIdOf: (item) => `${text(item, 'serviceId')}/${text(item, 'userId')}`,
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName }) => (eventName === 'REMOVE' ? 'service.assignment_revoked' : 'service.assignment_granted'),
};

/** Recorded in the chain of the customer the session acts in. */
export const impersonationAudit: AuditDescriptor = {
  targetType: 'impersonation',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'impersonationId'),
  actionOf: ({ eventName, expired }) => {
    if (eventName === 'INSERT') return 'impersonation.started';
    // A long-ended session's record leaving the table: its start and end are already recorded.
    if (eventName === 'REMOVE' && expired) return null;
    return 'impersonation.ended';
  },
};

/** Recorded in the chain of the org the key belongs to; its secret's hash and usage-plan key never are. */
export const apiKeyAudit: AuditDescriptor = {
  targetType: 'api-key',
  orgIdOf: (item) => text(item, 'orgId'),
  targetIdOf: (item) => text(item, 'keyId'),
  ignoredFields: ['createdAt', 'lastUsedAt'],
  secretFields: ['secretHash', 'usageKeyValue', 'usageKeyId'],
  actionOf: ({ eventName }) =>
    eventName === 'INSERT' ? 'api_key.created' : eventName === 'REMOVE' ? 'api_key.revoked' : 'api_key.updated',
};

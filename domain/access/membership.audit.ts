import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/** A membership is recorded in the chain of the org it is held at. */
export const membershipAudit: AuditDescriptor = {
  targetType: 'member',
  orgIdOf: (item) => text(item, 'orgId'),
  targetIdOf: (item) => text(item, 'userId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, changed }) => {
    if (eventName === 'INSERT') return 'member.added';
    if (eventName === 'REMOVE') return 'member.removed';
    return changed.includes('role') ? 'member.role_changed' : 'member.updated';
  },
};

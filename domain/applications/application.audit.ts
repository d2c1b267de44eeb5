import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/**
 * A programme application, recorded in the chain of the channel it is
 * addressed to. Its submission has no user behind it: the entry's actor is
 * `anonymous` and its `sourceIp` says where it came from (db/written-by.ts).
 */
export const applicationAudit: AuditDescriptor = {
  targetType: 'application',
  orgIdOf: (item) => text(item, 'channelId'),
  targetIdOf: (item) => text(item, 'appId'),
  actionOf: ({ eventName, after }) => {
    if (eventName === 'INSERT') return 'application.submitted';
    if (eventName === 'REMOVE') return 'application.deleted';
    if (after?.status === 'approved') return 'application.approved';
    if (after?.status === 'rejected') return 'application.rejected';
    return 'application.updated';
  },
};

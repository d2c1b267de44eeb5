import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/** A channel's or partner's business details, recorded in the chain of the org they describe. */
export const profileAudit: AuditDescriptor = {
  targetType: 'profile',
  orgIdOf: (item) => text(item, 'orgId'),
  targetIdOf: (item) => text(item, 'orgId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName }) =>
    eventName === 'INSERT' ? 'profile.created' : eventName === 'REMOVE' ? 'profile.deleted' : 'profile.updated',
};

/**
 * A partner's or customer's configuration, recorded in the chain of its org. A
 * customer's first item, copied from its partner's when it was created, says
 * so (`config.inherited`); the org's own later change is `config.updated`.
 */
export const configAudit: AuditDescriptor = {
  targetType: 'config',
  orgIdOf: (item) => text(item, 'orgId'),
  targetIdOf: (item) => text(item, 'orgId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, after }) => {
    if (eventName === 'INSERT') return typeof after?.inheritedFromOrgId === 'string' ? 'config.inherited' : 'config.created';
    return eventName === 'REMOVE' ? 'config.deleted' : 'config.updated';
  },
};

import type { AuditDescriptor } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/** Recorded in the chain of the partner that defined it. */
export const portalRoleAudit: AuditDescriptor = {
  targetType: 'portal-role',
  orgIdOf: (item) => text(item, 'partnerId'),
  targetIdOf: (item) => text(item, 'name'),
  ignoredFields: ['createdAt', 'nameKey'],
  actionOf: ({ eventName }) => (eventName === 'INSERT' ? 'portal_role.created' : null),
};

/** Recorded in the chain of the customer the requester belongs to. */
export const requesterAudit: AuditDescriptor = {
  targetType: 'requester',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'userId'),
  ignoredFields: ['createdAt', 'linkId'],
  actionOf: ({ eventName }) =>
    eventName === 'INSERT' ? 'requester.added' : eventName === 'REMOVE' ? 'requester.removed' : 'requester.role_changed',
};

/** Tickets and everything below are recorded in the customer's chain. */
export const ticketAudit: AuditDescriptor = {
  targetType: 'ticket',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'ticketId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, changed }) =>
    eventName === 'INSERT'
      ? 'ticket.created'
      : changed.length === 1 && changed[0] === 'status'
        ? 'ticket.status_changed'
        : 'ticket.updated',
};

export const ticketCommentAudit: AuditDescriptor = {
  targetType: 'ticket',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'ticketId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName }) => (eventName === 'INSERT' ? 'ticket.commented' : null),
};

export const projectAudit: AuditDescriptor = {
  targetType: 'project',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'projectId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName }) => (eventName === 'INSERT' ? 'project.created' : 'project.updated'),
};

export const assetAudit: AuditDescriptor = {
  targetType: 'asset',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'assetId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, changed }) =>
    eventName === 'INSERT'
      ? 'asset.created'
      : changed.length === 1 && changed[0] === 'requesterLinks'
        ? 'asset.requesters_changed'
        : 'asset.updated',
};

/** A document's own life is the partner's; whom it is shared with is its share's (below), so `sharedWith` records nothing here. */
export const documentAudit: AuditDescriptor = {
  targetType: 'document',
  orgIdOf: (item) => text(item, 'partnerId'),
  targetIdOf: (item) => text(item, 'docId'),
  ignoredFields: ['createdAt', 'sharedWith'],
  actionOf: ({ eventName }) => (eventName === 'INSERT' ? 'document.created' : null),
};

/** Recorded in the chain of the customer it is shared with, so the customer's own admins see what was shared with them. */
export const documentShareAudit: AuditDescriptor = {
  targetType: 'document',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'docId'),
  ignoredFields: ['sharedAt'],
  actionOf: ({ eventName }) => (eventName === 'INSERT' ? 'document.shared' : eventName === 'REMOVE' ? 'document.share_withdrawn' : null),
};

export const quoteAudit: AuditDescriptor = {
  targetType: 'quote',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'quoteId'),
  ignoredFields: ['createdAt'],
  actionOf: ({ eventName, after }) =>
    eventName === 'INSERT'
      ? 'quote.created'
      : after?.status === 'accepted'
        ? 'quote.accepted'
        : after?.status === 'declined'
          ? 'quote.declined'
          : null,
};

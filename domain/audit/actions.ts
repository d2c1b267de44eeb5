/**
 * Every audit action, by stable name. This list is the one place they are
 * named: the stream consumer may only record these, the audit route filters
 * by them, and the OpenAPI document lists them. Names are `<target>.<verb>`
 * in the past tense; a name, once shipped, is never reused for something else.
 */
export const auditActions = [
  'org.created',
  'org.renamed',
  'org.status_changed',
  'org.subscription_changed',
  'org.partner_access_changed',
  'org.moved',
  'org.updated',
  'org.deleted',
  'member.added',
  'member.role_changed',
  'member.updated',
  'member.removed',
  'external_admin.added',
  'external_admin.updated',
  'external_admin.removed',
  'external_admin.expired',
  'service.created',
  'service.updated',
  'service.ended',
  'service.account_added',
  'service.account_removed',
  'service.assignment_granted',
  'service.assignment_revoked',
  'impersonation.started',
  'impersonation.ended',
  'api_key.created',
  'api_key.updated',
  'api_key.revoked',
  'portal_role.created',
  'requester.added',
  'requester.role_changed',
  'requester.removed',
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.commented',
  'project.created',
  'project.updated',
  'asset.created',
  'asset.updated',
  'asset.requesters_changed',
  'document.created',
  'document.shared',
  'document.share_withdrawn',
  'quote.created',
  'quote.accepted',
  'quote.declined',
] as const;

export type AuditAction = (typeof auditActions)[number];

export const isAuditAction = (value: string): value is AuditAction => (auditActions as readonly string[]).includes(value);

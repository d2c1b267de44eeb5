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
  'price_book.created',
  'price_book.updated',
  'invoice.created',
  'invoice.issued',
  'invoice.paid',
  'invoice.voided',
  'invoice.updated',
] as const;

export type AuditAction = (typeof auditActions)[number];

export const isAuditAction = (value: string): value is AuditAction => (auditActions as readonly string[]).includes(value);

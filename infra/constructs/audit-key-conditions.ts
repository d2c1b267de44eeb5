import { auditKeyPrefix } from '#domain/audit/keys';

/**
 * IAM StringLike pattern for the partition key of every audit item. StringLike
 * is case-sensitive, which is safe because ElectroDB lowercases whole keys.
 * The prefix holds `$` but never `${`, so IAM reads no policy variable in it.
 */
export const auditKeyPattern = `${auditKeyPrefix}*`;

/**
 * Condition of every other function's Deny: the request writes at least one
 * audit item. ForAnyValue, so one audit key in a BatchWriteItem denies the
 * whole batch.
 */
export const writesAnyAuditItem = {
  'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [auditKeyPattern] },
};

/**
 * Condition of the audit consumer's Allow: every item the request writes is an
 * audit item. ForAllValues alone is true when the key is absent from the
 * request, so the Null check fails closed should a write ever arrive without it.
 */
export const writesOnlyAuditItems = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [auditKeyPattern] },
  Null: { 'dynamodb:LeadingKeys': 'false' },
};

import { service } from '../db/service-name.ts';

/**
 * Every audit item's partition key starts so (entries `$pp#auditlog_<orgId>`,
 * chain heads `$pp#audithead_<orgId>`); IAM conditions on dynamodb:LeadingKeys
 * name it, so only the audit consumer may write there, and only PutItem.
 *
 * ElectroDB builds a partition key as `$<service>#<first composite attribute,
 * lowercased>_<value>`, so the prefix reserves every attribute name that
 * starts with "audit": an entity keyed by, say, `auditorId` would fall under
 * the audit consumer's grant and every other function's Deny. The other keys
 * today are `$pp#orgid_…`, `$pp#userid_…`, `$pp#email_…`, `$pp#parentid_…`,
 * `$pp#scope_…`, `$pp#moveid_…` and `$pp#deletedpk_…`.
 *
 * Apart from the entities because those read TABLE_NAME at module load, and
 * the CDK app imports this at synth time.
 */
export const auditKeyPrefix = `$${service}#audit`;

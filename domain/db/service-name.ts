/**
 * The ElectroDB service name, the `$pp` that opens every key. Apart from
 * entity-config so that code which only needs key prefixes (the CDK app's IAM
 * conditions) can import it without TABLE_NAME being set.
 */
export const service = 'pp';

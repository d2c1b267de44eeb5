/**
 * The one table definition. The CDK stack and the local runtime both build the
 * table from this object, so the table the tests run on is the table that ships.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items carrying this attribute (epoch seconds) are removed by DynamoDB's TTL sweeper. */
  ttlAttribute: 'expiresAt',
  /** The audit consumer needs both images to record before/after of every change. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  globalIndexes: [
    /** Lists under a parent: children of an org, members of an org, … */
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Subtree: partitioned per channel (never the root), sorted by path. */
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Spare generic index for lookups by a secondary key (email, status, …). */
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;

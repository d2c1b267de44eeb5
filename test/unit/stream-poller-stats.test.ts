import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { countInvocation, emptyStats, snapshotOf, statsBetween } from '#infra/local/stream-poller-stats';

/** The poller's running totals, from which the bench reads records per second, per batch and calls per record. */
describe('stream poller stats', () => {
  const records = (count: number, pk: string): DynamoDBRecord[] =>
    Array.from({ length: count }, (_, i) => ({ eventID: `${pk}${i}`, dynamodb: { Keys: { pk: { S: pk }, sk: { S: String(i) } } } }));

  it('adds up records, audit items among them, batch sizes and DynamoDB calls per invocation, and subtracts snapshots', () => {
    // Prepare
    const stats = emptyStats();
    const calls = (getItems: number) => ({
      total: getItems + 100,
      byCommand: { GetItemCommand: getItems, TransactWriteItemsCommand: 100 },
    });
    countInvocation(stats, records(100, '$pp#orgid_org_a'), { kind: 'returned', value: undefined, calls: calls(150) }, 40);
    const earlier = snapshotOf(stats);

    // Act
    countInvocation(
      stats,
      [...records(60, '$pp#orgid_org_b'), ...records(30, '$pp#auditlog_org_b'), ...records(10, '$pp#audithead_org_b')],
      { kind: 'returned', value: undefined, calls: calls(140) },
      30,
    );
    countInvocation(stats, records(7, '$pp#userid_usr_c'), { kind: 'timed-out' }, 29_000);
    const between = statsBetween(earlier, stats);

    // Assess
    expect(earlier.records).toBe(100);
    expect(earlier.auditItemRecords).toBe(0);
    expect(between).toEqual({
      invocations: 2,
      records: 107,
      auditItemRecords: 40,
      recordsPerInvocation: { '100': 1, '7': 1 },
      dynamoCalls: { total: 240, byCommand: { GetItemCommand: 140, TransactWriteItemsCommand: 100 } },
      failedInvocations: 1,
      invokeMs: 29_030,
    });
  });
});

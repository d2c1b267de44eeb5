import { describe, expect, it } from 'vitest';
import { countInvocation, emptyStats, snapshotOf, statsBetween } from '#infra/local/stream-poller-stats';

/** The poller's running totals, from which the bench reads records per second, per batch and calls per record. */
describe('stream poller stats', () => {
  it('adds up records, batch sizes and DynamoDB calls per invocation, and subtracts snapshots', () => {
    // Prepare
    const stats = emptyStats();
    countInvocation(
      stats,
      100,
      { kind: 'returned', value: undefined, calls: { total: 250, byCommand: { GetItemCommand: 150, TransactWriteItemsCommand: 100 } } },
      40,
    );
    const earlier = snapshotOf(stats);

    // Act
    countInvocation(
      stats,
      100,
      { kind: 'returned', value: undefined, calls: { total: 240, byCommand: { GetItemCommand: 140, TransactWriteItemsCommand: 100 } } },
      30,
    );
    countInvocation(stats, 7, { kind: 'timed-out' }, 29_000);
    const between = statsBetween(earlier, stats);

    // Assess
    expect(earlier.records).toBe(100);
    expect(between).toEqual({
      invocations: 2,
      records: 107,
      recordsPerInvocation: { '100': 1, '7': 1 },
      dynamoCalls: { total: 240, byCommand: { GetItemCommand: 140, TransactWriteItemsCommand: 100 } },
      failedInvocations: 1,
      invokeMs: 29_030,
    });
  });
});

import type { DynamoDBRecord } from 'aws-lambda';
import { auditKeyPrefix } from '#domain/audit/keys';
import type { CallCount } from '#domain/db/call-counter';
import type { Invocation } from './lambda-runtime.ts';

/**
 * What the stream poller has handed the function since it started: the
 * figures the bench turns into the consumer's records per second, records per
 * batch and DynamoDB calls per record. Cumulative; a caller takes two
 * snapshots and subtracts (`statsBetween`).
 */
export interface StreamPollerStats {
  /** Invocations of the function, retries and bisected halves included. */
  invocations: number;
  /** Records handed over, counted once for every invocation that carried them. */
  records: number;
  /**
   * Of those, records of the audit log's own items (entries and chain heads,
   * keys under `$pp#audit`): the consumer's writes coming back through the
   * stream, which it skips. The rest are the changes it is there to record.
   */
  auditItemRecords: number;
  /** How many invocations carried how many records, e.g. `{ "100": 29, "37": 1 }`. */
  recordsPerInvocation: Record<string, number>;
  /** DynamoDB calls the function made, as the Lambda runtime counted them per invocation (ones that threw or timed out count none). */
  dynamoCalls: CallCount;
  /** Invocations that threw or timed out. */
  failedInvocations: number;
  /** Wall-clock time spent inside invocations. */
  invokeMs: number;
}

export const emptyStats = (): StreamPollerStats => ({
  invocations: 0,
  records: 0,
  auditItemRecords: 0,
  recordsPerInvocation: {},
  dynamoCalls: { total: 0, byCommand: {} },
  failedInvocations: 0,
  invokeMs: 0,
});

const isAuditItem = (record: DynamoDBRecord): boolean => record.dynamodb?.Keys?.pk?.S?.startsWith(auditKeyPrefix) ?? false;

/** Adds one invocation that carried `records` and took `ms` to the running totals. */
export const countInvocation = (stats: StreamPollerStats, records: readonly DynamoDBRecord[], invocation: Invocation, ms: number): void => {
  stats.invocations += 1;
  stats.records += records.length;
  stats.auditItemRecords += records.filter(isAuditItem).length;
  stats.recordsPerInvocation[records.length] = (stats.recordsPerInvocation[records.length] ?? 0) + 1;
  stats.invokeMs += ms;
  if (invocation.kind !== 'returned') {
    stats.failedInvocations += 1;
    return;
  }
  stats.dynamoCalls.total += invocation.calls.total;
  for (const [command, count] of Object.entries(invocation.calls.byCommand)) {
    stats.dynamoCalls.byCommand[command] = (stats.dynamoCalls.byCommand[command] ?? 0) + count;
  }
};

/** A copy that later invocations leave alone. */
export const snapshotOf = (stats: StreamPollerStats): StreamPollerStats => structuredClone(stats);

const subtractCounts = (later: Record<string, number>, earlier: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(later)
      .map(([key, count]): [string, number] => [key, count - (earlier[key] ?? 0)])
      .filter(([, count]) => count !== 0),
  );

/** What happened between two snapshots of the same poller. */
export const statsBetween = (earlier: StreamPollerStats, later: StreamPollerStats): StreamPollerStats => ({
  invocations: later.invocations - earlier.invocations,
  records: later.records - earlier.records,
  auditItemRecords: later.auditItemRecords - earlier.auditItemRecords,
  recordsPerInvocation: subtractCounts(later.recordsPerInvocation, earlier.recordsPerInvocation),
  dynamoCalls: {
    total: later.dynamoCalls.total - earlier.dynamoCalls.total,
    byCommand: subtractCounts(later.dynamoCalls.byCommand, earlier.dynamoCalls.byCommand),
  },
  failedInvocations: later.failedInvocations - earlier.failedInvocations,
  invokeMs: later.invokeMs - earlier.invokeMs,
});

import type { DynamoDBRecord } from 'aws-lambda';
import type { Invocation } from './lambda-runtime.ts';

/**
 * Where a stream batch stopped landing, read the way Lambda reads a function's
 * answer with ReportBatchItemFailures on: the index of the first record to
 * retry, or undefined when the whole batch landed.
 *
 * A throw or a timeout fails the whole batch. No answer, or an empty or null
 * `batchItemFailures`, is a success. An item identifier that is empty, not a
 * string, or not a sequence number of the batch fails the whole batch.
 * Otherwise the lowest failed sequence number is the checkpoint: that record
 * and every one after it are retried, the ones before it have landed.
 */
export const firstFailedIndex = (invocation: Invocation, records: readonly DynamoDBRecord[]): number | undefined => {
  if (invocation.kind !== 'returned') return 0;
  const answer = invocation.value as { batchItemFailures?: unknown } | null | undefined;
  const failures = typeof answer === 'object' && answer !== null ? answer.batchItemFailures : undefined;
  if (failures === undefined || failures === null) return undefined;
  if (!Array.isArray(failures)) return 0;
  if (failures.length === 0) return undefined;
  const positions = new Map(records.map((record, index) => [record.dynamodb?.SequenceNumber, index]));
  let first: number | undefined;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof identifier === 'string' && identifier !== '' ? positions.get(identifier) : undefined;
    if (index === undefined) return 0;
    first = first === undefined ? index : Math.min(first, index);
  }
  return first;
};

/** A line's worth on why an invocation failed, for the log and the failure record. */
export const invocationFailureOf = (invocation: Invocation): string | undefined => {
  if (invocation.kind === 'threw')
    return invocation.error instanceof Error ? `threw ${invocation.error.name}: ${invocation.error.message}` : 'threw';
  if (invocation.kind === 'timed-out') return 'timed out';
  return undefined;
};

import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Invocation } from './lambda-runtime.ts';
import { firstFailedIndex } from './stream-batch-response.ts';

/** How a record was finally given up on: what the failure destination is told. */
export interface GivenUp {
  /** Invocations that carried the records, the first one included. */
  invokeCount: number;
  /** The last invocation threw or timed out, rather than reporting the records as failed. */
  functionError: boolean;
}

export interface BatchDelivery {
  invoke: (records: readonly DynamoDBRecord[]) => Promise<Invocation>;
  /** Receives the records given up on (one at a time: bisecting narrows a failure down to its record). */
  giveUp: (records: readonly DynamoDBRecord[], how: GivenUp) => Promise<void>;
  /** Hears of every failed invocation, before it is retried. */
  onFailure?: (records: readonly DynamoDBRecord[], invocation: Invocation) => void;
  /** Retries of a single failing record before it is given up; the stack's event source mapping says 3. */
  maxRetries: number;
  /** Wait before the first retry of a record; doubled for each further one. */
  retryDelayMs: number;
  /** Checked before every invocation: the poller is stopping, so the batch is left unfinished (and not checkpointed). */
  cancelled: () => boolean;
}

export type DeliveryResult = 'delivered' | 'cancelled';

/**
 * Delivers one batch with the event source mapping's failure handling
 * (ReportBatchItemFailures, BisectBatchOnFunctionError, MaximumRetryAttempts):
 * the records before the first failed one have landed and are not sent again;
 * the rest is retried; a failure at its very first record splits it in two,
 * each half delivered in turn, so a poison record ends up alone; a record
 * that still fails after `maxRetries` retries is handed to `giveUp` and the
 * shard moves on. Here splitting uses up no retries (each lone record gets
 * its full `maxRetries`), and records after a failed one may be delivered
 * more than once: at least once, as in AWS.
 */
export const deliverBatch = async (records: readonly DynamoDBRecord[], delivery: BatchDelivery): Promise<DeliveryResult> => {
  const invokeCounts = new Map<DynamoDBRecord, number>();

  const attempt = async (part: readonly DynamoDBRecord[], retries: number): Promise<DeliveryResult> => {
    if (delivery.cancelled()) return 'cancelled';
    const invocation = await delivery.invoke(part);
    for (const record of part) invokeCounts.set(record, (invokeCounts.get(record) ?? 0) + 1);
    const failedAt = firstFailedIndex(invocation, part);
    if (failedAt === undefined) return 'delivered';
    delivery.onFailure?.(part, invocation);
    const rest = part.slice(failedAt);
    if (failedAt > 0) return attempt(rest, retries);
    if (rest.length > 1) {
      const half = Math.ceil(rest.length / 2);
      const first = await attempt(rest.slice(0, half), retries);
      return first === 'cancelled' ? first : attempt(rest.slice(half), retries);
    }
    if (retries >= delivery.maxRetries) {
      const invokeCount = Math.max(...rest.map((record) => invokeCounts.get(record) ?? 1));
      await delivery.giveUp(rest, { invokeCount, functionError: invocation.kind !== 'returned' });
      return 'delivered';
    }
    await sleep(delivery.retryDelayMs * 2 ** retries);
    return attempt(rest, retries + 1);
  };

  return records.length === 0 ? 'delivered' : attempt(records, 0);
};

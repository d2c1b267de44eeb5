import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Invocation } from '#infra/local/lambda-runtime';
import { firstFailedIndex } from '#infra/local/stream-batch-response';
import { type BatchDelivery, deliverBatch, type GivenUp } from '#infra/local/stream-retries';

/**
 * The event source mapping's failure handling as the local poller emulates
 * it, with the function replaced by a list of answers: which records each
 * attempt carries, and which are finally given up on.
 */

const records = (...sequenceNumbers: string[]): DynamoDBRecord[] =>
  sequenceNumbers.map((SequenceNumber) => ({ eventID: `e${SequenceNumber}`, dynamodb: { SequenceNumber } }));
const returned = (value: unknown): Invocation => ({ kind: 'returned', value, calls: { total: 0, byCommand: {} } });
const failing = (...identifiers: unknown[]) => returned({ batchItemFailures: identifiers.map((itemIdentifier) => ({ itemIdentifier })) });
const sequence = (batch: readonly DynamoDBRecord[]) => batch.map((record) => record.dynamodb?.SequenceNumber).join(',');

/** A delivery whose function answers with `answer(batch)`, recording every batch and every record given up on. */
const scripted = (answer: (batch: readonly DynamoDBRecord[]) => Invocation, overrides: Partial<BatchDelivery> = {}) => {
  const attempts: string[] = [];
  const givenUp: { records: string; how: GivenUp }[] = [];
  const delivery: BatchDelivery = {
    invoke: async (batch) => {
      attempts.push(sequence(batch));
      return answer(batch);
    },
    giveUp: async (batch, how) => {
      givenUp.push({ records: sequence(batch), how });
    },
    maxRetries: 3,
    retryDelayMs: 0,
    cancelled: () => false,
    ...overrides,
  };
  return { delivery, attempts, givenUp };
};

describe('reading a function answer', () => {
  it('takes no answer, or no failures, as success and a throw, a timeout or a foreign identifier as the whole batch failing', () => {
    const batch = records('1', '2', '3');

    expect(firstFailedIndex(returned(undefined), batch)).toBeUndefined();
    expect(firstFailedIndex(returned({ batchItemFailures: [] }), batch)).toBeUndefined();
    expect(firstFailedIndex(returned({ batchItemFailures: null }), batch)).toBeUndefined();
    expect(firstFailedIndex({ kind: 'threw', error: new Error('x') }, batch)).toBe(0);
    expect(firstFailedIndex({ kind: 'timed-out' }, batch)).toBe(0);
    expect(firstFailedIndex(failing('9'), batch)).toBe(0);
    expect(firstFailedIndex(failing(''), batch)).toBe(0);
    expect(firstFailedIndex(failing(null), batch)).toBe(0);
    expect(firstFailedIndex(failing('3', '2'), batch)).toBe(1);
  });
});

describe('delivering a batch', () => {
  it('retries from the first failed record, bisects down to it, gives it up after 3 retries and delivers the rest', async () => {
    // Prepare
    const { delivery, attempts, givenUp } = scripted((batch) =>
      batch.some((record) => record.eventID === 'e3') ? failing('3') : returned(undefined),
    );

    // Act
    const result = await deliverBatch(records('1', '2', '3', '4', '5'), delivery);

    // Assess
    expect(result).toBe('delivered');
    expect(attempts).toEqual(['1,2,3,4,5', '3,4,5', '3,4', '3', '3', '3', '3', '4', '5']);
    expect(givenUp).toEqual([{ records: '3', how: { invokeCount: 7, functionError: false } }]);
  });

  it('bisects a batch whose invocation threw, so one failure does not hold the others back', async () => {
    // Prepare
    let calls = 0;
    const { delivery, attempts, givenUp } = scripted(() =>
      ++calls === 1 ? { kind: 'threw', error: new Error('cold start') } : returned(undefined),
    );

    // Act
    await deliverBatch(records('1', '2', '3'), delivery);

    // Assess
    expect(attempts).toEqual(['1,2,3', '1,2', '3']);
    expect(givenUp).toEqual([]);
  });

  it('leaves the batch unfinished, giving nothing up, once the poller is stopping', async () => {
    // Prepare
    let stopping = false;
    const { delivery, attempts, givenUp } = scripted(
      () => {
        stopping = true;
        return { kind: 'timed-out' };
      },
      { cancelled: () => stopping },
    );

    // Act
    const result = await deliverBatch(records('1', '2'), delivery);

    // Assess
    expect(result).toBe('cancelled');
    expect(attempts).toEqual(['1,2']);
    expect(givenUp).toEqual([]);
  });
});

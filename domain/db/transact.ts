import { ConflictError } from '../shared/errors.ts';

export interface TransactionOutcome {
  canceled: boolean;
  data: readonly { rejected: boolean; code: string }[];
}

/** DynamoDB refuses a transaction of more items than this. */
export const maxTransactionItems = 100;

const conflictRetries = 3;

/** Full jitter: concurrent writers under one parent spread out instead of colliding again in step. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

/**
 * Runs a transaction and turns a cancellation into a domain error. A
 * condition that failed at item `i` is handed to `onConditionFailed(i)` so the
 * use case can say which rule broke; a TransactionConflict (another
 * transaction touched the same items, as concurrent creates under one parent
 * do) is retried with jittered backoff and then answered 409, since the
 * client can safely try again.
 */
export const transact = async (run: () => Promise<TransactionOutcome>, onConditionFailed: (index: number) => Error): Promise<void> => {
  for (let attempt = 0; ; attempt++) {
    const outcome = await run();
    if (!outcome.canceled) return;
    const failed = outcome.data.findIndex((item) => item.code === 'ConditionalCheckFailed');
    if (failed >= 0) throw onConditionFailed(failed);
    const conflicted = outcome.data.some((item) => item.code === 'TransactionConflict');
    if (!conflicted || attempt >= conflictRetries) {
      throw new ConflictError('A concurrent change touched the same items; try again', {
        extensions: { reasons: outcome.data.map((item) => item.code) },
      });
    }
    await backoff(attempt);
  }
};

export const isConditionalCheckFailure = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'ConditionalCheckFailedException' ||
    /conditional request failed/i.test(error.message) ||
    (error.cause instanceof Error && error.cause.name === 'ConditionalCheckFailedException'));

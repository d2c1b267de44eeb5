import { createHash } from 'node:crypto';
import { isConditionalCheckFailure } from '../db/transact.ts';
import { ConflictError, UnprocessableError } from '../shared/errors.ts';
import { stableJson } from '../shared/stable-json.ts';
import { IdempotencyEntity } from './idempotency.entity.ts';

/** Kept a little over the 24 hours the API promises. */
export const retentionSeconds = 25 * 60 * 60;
/** A first attempt that died mid-flight stops blocking retries after this. */
const lockSeconds = 60;

export interface IdempotentCall {
  /** The caller, so two callers never share a key. */
  scope: string;
  key: string;
  operation: string;
  /** What must match for a repeat to be the same request (path parameters and body). */
  fingerprint: unknown;
}

interface StoredReply {
  status: number;
  body?: unknown;
  /** Stored (and replayed) instead of `body` when set: a reply whose body holds a secret keeps a copy without it. */
  replayBody?: unknown;
  version?: number;
  headers?: Record<string, string>;
}

const fingerprintOf = (call: IdempotentCall): string =>
  createHash('sha256').update(call.operation).update('\n').update(stableJson(call.fingerprint)).digest('hex');

/**
 * Runs a create at most once per (caller, key). A repeat with the same request
 * returns the first reply; a different request under the same key is 422; a
 * repeat while the first is still running is 409. Only successful replies are
 * kept: a failed attempt releases the key so the client may retry it.
 */
export const withIdempotency = async <R extends StoredReply>(call: IdempotentCall, run: () => Promise<R>): Promise<R> => {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const fingerprint = fingerprintOf(call);
  const keys = { scope: call.scope, key: call.key };
  try {
    await IdempotencyEntity.put({
      ...keys,
      operation: call.operation,
      fingerprint,
      state: 'in_progress',
      lockedUntil: nowSeconds + lockSeconds,
      expiresAt: nowSeconds + retentionSeconds,
    })
      .where(
        (attr, { notExists, lt, eq }) =>
          `${notExists(attr.scope)} OR ${lt(attr.expiresAt, nowSeconds)} OR (${lt(attr.lockedUntil, nowSeconds)} AND ${eq(attr.state, 'in_progress')})`,
      )
      .go();
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    const existing = await IdempotencyEntity.get(keys).go({ consistent: true });
    const record = existing.data;
    if (!record) throw new ConflictError('The first request with this Idempotency-Key is still in progress');
    if (record.fingerprint !== fingerprint) {
      throw new UnprocessableError('This Idempotency-Key was used with a different request');
    }
    if (record.state === 'in_progress') {
      throw new ConflictError('The first request with this Idempotency-Key is still in progress');
    }
    return record.reply as R;
  }
  let reply: R;
  try {
    reply = await run();
  } catch (error) {
    await IdempotencyEntity.delete(keys).go();
    throw error;
  }
  const { status, body, replayBody, version, headers } = reply;
  await IdempotencyEntity.patch(keys)
    .set({
      state: 'completed',
      reply: {
        status,
        body: replayBody !== undefined ? replayBody : body,
        version,
        headers: { ...(headers ?? {}), 'idempotent-replayed': 'true' },
      },
    })
    .go();
  return reply;
};

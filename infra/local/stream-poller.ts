import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { deadLetterFolder } from './dead-letters.ts';
import { type FunctionRef, type LambdaRuntime, localFunctionArn } from './lambda-runtime.ts';
import { invocationFailureOf } from './stream-batch-response.ts';
import { loadCheckpoints, saveCheckpoints } from './stream-checkpoints.ts';
import { lambdaRecordOf, sequenceNumberOf, streamEventOf } from './stream-event.ts';
import { failureRecordOf } from './stream-failure-record.ts';
import { countInvocation, emptyStats, type StreamPollerStats, snapshotOf } from './stream-poller-stats.ts';
import { deliverBatch } from './stream-retries.ts';
import { advance, describeShards, mergeShards, readableShards, readPage, type ShardCursor } from './stream-shards.ts';

/** The table's stream consumer, as the stack wires it. */
export const auditFunction: FunctionRef = { name: 'audit', entry: 'functions/audit/handler.ts' };

/**
 * The seam for the table's stream. In AWS an event source mapping reads the
 * stream and invokes the audit function; locally a poller started by the
 * runtime does that job (DescribeStream / GetShardIterator / GetRecords),
 * invoking the function through `lambda` so it runs as every other function does.
 */
export interface StreamPollerContext {
  endpoint: string;
  tableName: string;
  streamArn: string;
  lambda: LambdaRuntime;
  log: (line: string) => void;
  /** Where records given up on are written; a fresh temp folder (made on the first failure) when undefined. */
  deadLetterDir?: string;
  /**
   * Where each shard's position is kept across restarts (the runtime's DATA_DIR). Without it every start
   * reads the stream from its trim horizon again: harmless to the idempotent audit consumer, but records
   * that failed before fail, and are dead-lettered, once more.
   */
  checkpointFile?: string;
  /** The function the records go to; the audit consumer unless a test scripts another. */
  function?: FunctionRef;
  /** Wait between polls once every shard is caught up. Default 250 ms, as Lambda polls a shard 4 times a second. */
  pollIntervalMs?: number;
  /** Wait before the first retry of a failing record, doubled for each further one. Default 100 ms. */
  retryDelayMs?: number;
}

export interface StreamPoller {
  /** Stops polling and resolves once no batch is in flight (a batch still being retried is left unfinished). */
  stop(): Promise<void>;
  /**
   * Resolves once everything written to the table before the call has been
   * handed to the function (or given up on): after a whole pass, begun after
   * the call, in which every shard answered an empty page, no shard was found
   * or finished, and no batch was delivered. While the poller is paused no
   * pass runs, so it waits for `resume()` and resolves only once the backlog
   * is through. Rejects if the poller stops first.
   */
  drained(): Promise<void>;
  /**
   * Stops handing records on, as a disabled event source mapping would, and
   * resolves once no batch is in flight (the one under way, retries included,
   * finishes first). Records written meanwhile wait in the stream, in order,
   * until `resume()`. Pausing a paused poller does nothing more.
   */
  pause(): Promise<void>;
  /** Polls again at once, from where it stopped. */
  resume(): void;
  /**
   * While paused: moves past everything the stream holds now without handing
   * it on (as an operator would start a new mapping at LATEST), and answers
   * how many records it passed over. For data loaded around the API, never for
   * its own writes: nothing passed over is audited.
   */
  skip(): Promise<number>;
  /** What it has handed the function since it started (see StreamPollerStats); a copy. */
  stats(): StreamPollerStats;
}

export type StartStreamPoller = (context: StreamPollerContext) => Promise<StreamPoller>;

/** The event source mapping's batch size and MaximumRetryAttempts (infra/constructs/audit-consumer.ts). */
const batchSize = 100;
const maxRetries = 3;
/** Shards change only when one closes, which a read to its end shows; this catches anything else. */
const describeEveryMs = 10_000;
const errorBackoffMs = 1000;

interface DrainWaiter {
  /** The pass under way when drained() was called: only a later one counts. */
  afterPass: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A sleep that stop() can cut short. */
const wakeableSleep = () => {
  let wake = () => {};
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return { sleep, wake: () => wake() };
};

/**
 * Starts polling the table's stream from the trim horizon of every shard (or
 * from its checkpoint, after a restart with `checkpointFile`) and hands the
 * records to the audit function in batches of up to 100, shard by
 * shard, in stream order, with the stack's failure handling: partial batch
 * responses, bisecting, 3 retries, then a failure record in the dead-letter
 * folder (logged with its path) while the shard moves on. Resolves once the
 * stream has been described, so a wrong stream ARN fails the start.
 */
export const startStreamPoller: StartStreamPoller = async (context) => {
  const { streamArn, lambda, log } = context;
  const fn = context.function ?? auditFunction;
  const pollIntervalMs = context.pollIntervalMs ?? 250;
  const retryDelayMs = context.retryDelayMs ?? 100;
  const client = new DynamoDBStreamsClient({
    endpoint: context.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadLetters = deadLetterFolder(context.deadLetterDir);
  const cursors = new Map<string, ShardCursor>();
  const waiters: DrainWaiter[] = [];
  const idle = wakeableSleep();
  let stopping = false;
  let pass = 0;
  let describeDue = false;
  let lastDescribed = Date.now();
  let lastError: string | undefined;
  let paused = false;
  /** pause() calls waiting for the loop to reach its pause point. */
  const pauseAcks: (() => void)[] = [];
  /** Releases the loop from its pause point: resume() or stop(). */
  let release: (() => void) | undefined;
  const stats = emptyStats();

  const saved = context.checkpointFile ? await loadCheckpoints(context.checkpointFile, streamArn) : new Map<string, string>();
  const checkpoint = async () => {
    if (context.checkpointFile) await saveCheckpoints(context.checkpointFile, streamArn, cursors.values());
  };
  try {
    mergeShards(cursors, await describeShards(client, streamArn), saved);
  } catch (error) {
    client.destroy();
    throw error;
  }

  const giveUp = async (shardId: string, records: readonly DynamoDBRecord[], invokeCount: number, functionError: boolean) => {
    const failure = failureRecordOf({ records, shardId, streamArn, functionArn: localFunctionArn(fn), invokeCount, functionError });
    const path = await deadLetters.write(failure);
    for (const record of records) {
      log(
        `[stream] ${fn.name} gave up on ${record.eventName ?? 'record'} ${sequenceNumberOf(record)} (event ${record.eventID}) ` +
          `after ${invokeCount} invocations; failure record: ${path}`,
      );
    }
  };

  const deliver = (shardId: string, records: readonly DynamoDBRecord[]) =>
    deliverBatch(records, {
      invoke: async (part) => {
        const started = performance.now();
        const invocation = await lambda.invoke(fn, streamEventOf(part));
        countInvocation(stats, part, invocation, performance.now() - started);
        return invocation;
      },
      giveUp: (part, how) => giveUp(shardId, part, how.invokeCount, how.functionError),
      onFailure: (part, invocation) => {
        const why = invocationFailureOf(invocation);
        if (why) log(`[stream] ${fn.name} ${why} on ${part.length} record(s) from ${part[0]?.dynamodb?.SequenceNumber}; retrying`);
      },
      maxRetries,
      retryDelayMs,
      cancelled: () => stopping,
    });

  /** One round over every readable shard; answers whether it found anything to do. */
  const runPass = async (): Promise<boolean> => {
    let busy = false;
    const nothingOpen = readableShards(cursors).length === 0;
    if (describeDue || nothingOpen || Date.now() - lastDescribed > describeEveryMs) {
      busy = mergeShards(cursors, await describeShards(client, streamArn), saved);
      describeDue = false;
      lastDescribed = Date.now();
    }
    for (const cursor of readableShards(cursors)) {
      // Cut short, a pass proves nothing about the backlog: it counts as busy, so no drained() waiter settles on it.
      if (stopping || paused) return true;
      const page = await readPage(client, streamArn, cursor, batchSize);
      if (page.records.length > 0) {
        busy = true;
        const records = page.records.map((record) => lambdaRecordOf(record, streamArn));
        if ((await deliver(cursor.shardId, records)) === 'cancelled') return true;
      }
      advance(cursor, page);
      if (page.records.length > 0) await checkpoint();
      if (cursor.finished) {
        // A closed shard read to its end: its children are in the next description.
        busy = true;
        describeDue = true;
      }
    }
    return busy;
  };

  const settleWaiters = (completedPass: number) => {
    for (const waiter of waiters.filter((candidate) => candidate.afterPass < completedPass)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const loop = (async () => {
    while (!stopping) {
      if (paused) {
        for (const ack of pauseAcks.splice(0)) ack();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        release = undefined;
        continue;
      }
      const current = ++pass;
      let busy: boolean;
      try {
        busy = await runPass();
        lastError = undefined;
      } catch (error) {
        busy = true;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        // One line per distinct problem, not one every second while DynamoDB Local is away.
        if (message !== lastError) log(`[stream] polling ${streamArn} failed (${message}); trying again every ${errorBackoffMs} ms`);
        lastError = message;
        if (!stopping) await idle.sleep(errorBackoffMs);
        continue;
      }
      if (busy || stopping) continue;
      settleWaiters(current);
      if (!stopping && !paused) await idle.sleep(pollIntervalMs);
    }
  })();

  return {
    stop: async () => {
      stopping = true;
      idle.wake();
      release?.();
      await loop;
      for (const ack of pauseAcks.splice(0)) ack();
      client.destroy();
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('The stream poller stopped before it caught up'));
    },
    drained: () =>
      stopping
        ? Promise.reject(new Error('The stream poller is stopped'))
        : new Promise<void>((resolve, reject) => {
            waiters.push({ afterPass: pass, resolve, reject });
          }),
    pause: () => {
      if (stopping) return Promise.resolve();
      paused = true;
      // A poller sleeping between polls reaches its pause point at once.
      idle.wake();
      return new Promise<void>((resolve) => {
        if (release) resolve();
        else pauseAcks.push(resolve);
      });
    },
    resume: () => {
      paused = false;
      // A pause() still waiting for its batch is over too.
      for (const ack of pauseAcks.splice(0)) ack();
      release?.();
      idle.wake();
    },
    skip: async () => {
      if (!paused || release === undefined) throw new Error('Pause the stream poller before skipping its backlog');
      let skipped = 0;
      for (let changed = true; changed; ) {
        changed = mergeShards(cursors, await describeShards(client, streamArn), saved);
        for (const cursor of readableShards(cursors)) {
          for (;;) {
            const page = await readPage(client, streamArn, cursor, 1000);
            advance(cursor, page);
            skipped += page.records.length;
            if (cursor.finished) changed = true;
            if (page.records.length === 0 || cursor.finished) break;
          }
        }
      }
      await checkpoint();
      return skipped;
    },
    stats: () => snapshotOf(stats),
  };
};

import type { LocalRuntime } from '#infra/local/runtime';
import { type StreamPollerStats, statsBetween } from '#infra/local/stream-poller-stats';
import type { BurstResult } from './audit-burst.ts';

/**
 * The audit consumer's side of the bench: how long it takes to work off what
 * a phase wrote, and its throughput on a backlog of known size. Figures come
 * from the local stream poller's counters (records handed over, invocations,
 * the DynamoDB calls the runtime counted inside each invocation).
 */
export interface StreamWork {
  /** Records handed to the consumer, retries included (there are none unless `failedInvocations` or a dead letter says so). */
  records: number;
  /** Of those, the consumer's own writes (audit entries, chain heads) coming back through the stream: skipped, no DynamoDB call. */
  auditItemRecords: number;
  invocations: number;
  recordsPerInvocation: Record<string, number>;
  dynamoCalls: number;
  dynamoCallsByCommand: Record<string, number>;
  failedInvocations: number;
  /** Time spent inside the consumer's invocations (the rest is polling and waiting). */
  invokeSeconds: number;
}

export interface CatchUp extends StreamWork {
  /** From the call until `drained()` resolved. */
  seconds: number;
}

export interface ConsumerThroughput extends StreamWork {
  burst: BurstResult;
  /** From `resumeStream()` until `drained()` resolved: polling, invocations and the final empty pass. */
  seconds: number;
  /** Every record handed over, the consumer's own audit items included. */
  recordsPerSecond: number;
  /** The changes' records alone (`records − auditItemRecords`): what the consumer is there for. */
  changeRecords: number;
  changeRecordsPerSecond: number;
  meanRecordsPerInvocation: number;
  dynamoCallsPerRecord: number;
  /** Calls per change record: the audit items' records cost none. */
  dynamoCallsPerChangeRecord: number;
  /** Per change record, by command (e.g. GetItem 0.6): where the calls go. */
  dynamoCallsPerChangeRecordByCommand: Record<string, number>;
}

export const workOf = (stats: StreamPollerStats): StreamWork => ({
  records: stats.records,
  auditItemRecords: stats.auditItemRecords,
  invocations: stats.invocations,
  recordsPerInvocation: stats.recordsPerInvocation,
  dynamoCalls: stats.dynamoCalls.total,
  dynamoCallsByCommand: Object.fromEntries(
    Object.entries(stats.dynamoCalls.byCommand).map(([command, count]) => [command.replace(/Command$/, ''), count]),
  ),
  failedInvocations: stats.failedInvocations,
  invokeSeconds: stats.invokeMs / 1000,
});

/**
 * Waits until the consumer has everything written so far, and answers what it
 * did since `since` (a snapshot taken when the phase began) and how long the
 * wait took.
 */
export const catchUp = async (runtime: LocalRuntime, since: StreamPollerStats): Promise<CatchUp> => {
  const started = performance.now();
  await runtime.drained();
  const seconds = (performance.now() - started) / 1000;
  return { ...workOf(statsBetween(since, runtime.streamStats())), seconds };
};

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Records per second on a backlog: pauses the stream, makes the burst of
 * changes through the domain, resumes, and times until drained. The stream is
 * drained first, so the backlog is the burst's records and nothing else; the
 * consumer's own writes join it as it works (each entry it appends comes back
 * as records of its own items), and are worked off within the same time.
 */
export const measureConsumerThroughput = async (
  runtime: LocalRuntime,
  makeBurst: () => Promise<BurstResult>,
): Promise<ConsumerThroughput> => {
  await runtime.drained();
  await runtime.pauseStream();
  let burst: BurstResult;
  try {
    burst = await makeBurst();
  } catch (error) {
    runtime.resumeStream();
    throw error;
  }
  const before = runtime.streamStats();
  const started = performance.now();
  runtime.resumeStream();
  await runtime.drained();
  const seconds = (performance.now() - started) / 1000;
  const work = workOf(statsBetween(before, runtime.streamStats()));
  const changeRecords = work.records - work.auditItemRecords;
  return {
    ...work,
    burst,
    seconds,
    recordsPerSecond: work.records / seconds,
    changeRecords,
    changeRecordsPerSecond: changeRecords / seconds,
    meanRecordsPerInvocation: work.invocations > 0 ? work.records / work.invocations : Number.NaN,
    dynamoCallsPerRecord: work.records > 0 ? work.dynamoCalls / work.records : Number.NaN,
    dynamoCallsPerChangeRecord: changeRecords > 0 ? work.dynamoCalls / changeRecords : Number.NaN,
    dynamoCallsPerChangeRecordByCommand: Object.fromEntries(
      Object.entries(work.dynamoCallsByCommand).map(([command, count]) => [command, round(count / Math.max(1, changeRecords))]),
    ),
  };
};

import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { Invocation } from '../local/lambda-runtime.ts';
import { firstFailedIndex, invocationFailureOf } from '../local/stream-batch-response.ts';
import { streamEventOf } from '../local/stream-event.ts';
import { recordsOfFailure } from '../local/stream-failure-record.ts';

/** Where failure records wait for redrive: the S3 failure bucket in AWS, the dead-letter folder locally. */
export interface FailureStore {
  /** Says where the store is, for messages (`s3://bucket/prefix`, a folder path). */
  readonly location: string;
  /** Every stored failure's key, oldest first where the store can tell. */
  list(): AsyncIterable<string>;
  read(key: string): Promise<string>;
  /** Called only once every record of the failure has been recorded. */
  remove(key: string): Promise<void>;
}

export type RedriveOutcome =
  /** Every record landed; the stored failure was removed. */
  | { key: string; status: 'recorded'; records: number }
  /** The consumer failed again (some or all records); the stored failure stays for a later run. */
  | { key: string; status: 'kept'; records: number; reason: string }
  /** Not a failure record this tool can replay; it stays where it is. */
  | { key: string; status: 'unreadable'; reason: string };

export interface RedriveSummary {
  location: string;
  outcomes: RedriveOutcome[];
}

export interface RedriveOptions {
  store: FailureStore;
  /** Runs the audit consumer on an event, as Lambda would (the local Lambda runtime's `invoke`). */
  invoke: (event: DynamoDBStreamEvent) => Promise<Invocation>;
  /** Hears of each outcome as it happens (the CLI prints them). */
  onOutcome?: (outcome: RedriveOutcome) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Replays each stored failure through the audit consumer, all its records in
 * one event, and removes it only when the consumer recorded every one of
 * them; anything less keeps it for a later run. Safe to run again and again:
 * an audit entry is keyed by its stream record's event id, so a record that
 * was already recorded is recorded once, whatever the number of replays.
 */
export const redriveFailures = async ({ store, invoke, onOutcome }: RedriveOptions): Promise<RedriveSummary> => {
  const outcomes: RedriveOutcome[] = [];
  const settle = (outcome: RedriveOutcome) => {
    outcomes.push(outcome);
    onOutcome?.(outcome);
  };
  for await (const key of store.list()) {
    let records: ReturnType<typeof recordsOfFailure>;
    try {
      records = recordsOfFailure(await store.read(key));
    } catch (error) {
      settle({ key, status: 'unreadable', reason: messageOf(error) });
      continue;
    }
    const invocation = await invoke(streamEventOf(records));
    const failedAt = firstFailedIndex(invocation, records);
    if (failedAt !== undefined) {
      const reason = invocationFailureOf(invocation) ?? `${records.length - failedAt} of ${records.length} record(s) failed again`;
      settle({ key, status: 'kept', records: records.length, reason });
      continue;
    }
    await store.remove(key);
    settle({ key, status: 'recorded', records: records.length });
  }
  return { location: store.location, outcomes };
};

/** Where the failures came from and what became of them, in counts (the outcomes themselves are reported as they happen). */
export const formatRedriveSummary = (summary: RedriveSummary): string => {
  const count = (status: RedriveOutcome['status']) => summary.outcomes.filter((outcome) => outcome.status === status).length;
  const records = summary.outcomes.reduce((total, outcome) => total + (outcome.status === 'recorded' ? outcome.records : 0), 0);
  return [
    `Redrove ${summary.outcomes.length} stored failure(s) from ${summary.location}:`,
    `  ${count('recorded')} recorded and removed (${records} record(s)), ${count('kept')} kept, ${count('unreadable')} unreadable`,
  ].join('\n');
};

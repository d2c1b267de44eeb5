import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AuditEntryEntity } from '#domain/audit/audit-entry.entity';
import { type LatencySummary, summarize } from './stats.ts';

/**
 * Audit lag: how long after a change's response its audit entry can be read.
 * Every `intervalMs` a sample renames one of a few dedicated customers over
 * HTTP (PATCH /v1/orgs/{orgId}), then reads that org's audit partition with
 * a strongly consistent Query until an entry carries the response's request
 * id (`x-amzn-requestid`, which the write stamps and the consumer copies).
 * Lag = the end of the Query that first shows the entry − the response's
 * arrival. Queries repeat every 5 % of the time waited so far (10–100 ms), so
 * a lag is overstated by at most that much plus one Query; they go through a
 * client of their own, not the handlers'. Imported only once the runtime has
 * set the environment.
 */
export interface LagOptions {
  url: string;
  token: string;
  /** DynamoDB endpoint the entries are read from. */
  endpoint: string;
  /** Customers that nothing but the samples changes: their own audit partitions hold only the samples' entries. */
  orgIds: readonly string[];
  intervalMs: number;
  durationSeconds: number;
  /** A sample whose entry has not shown after this long counts as unseen. */
  timeoutMs: number;
  /** Makes the new names unique across phases and runs. */
  label: string;
}

export interface LagSamples {
  /** Samples sent. */
  sent: number;
  /** Lag of every sample whose entry showed, in ms. */
  lag: LatencySummary;
  /** p50 of the first and of the second half of the samples, in send order: a lag that grows means the consumer fell behind. */
  lagFirstHalfP50: number;
  lagSecondHalfP50: number;
  /** The renames' own response times, in ms. */
  write: LatencySummary;
  /** Renames answered with anything but 200 (or not at all). */
  failedWrites: number;
  /** Entries not seen within `timeoutMs`, or whose reads failed. */
  unseen: number;
  /** The first failure of either kind, to show in the findings. */
  firstProblem: string | null;
}

interface Outcome {
  lagMs: number | null;
  writeMs: number | null;
  problem: string | null;
}

const pageSize = 100;

const entryShows = async (client: DynamoDBDocumentClient, orgId: string, sinceIso: string, requestId: string): Promise<boolean> => {
  let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const input = AuditEntryEntity.query
      .byLog({ auditLog: orgId })
      .gte({ at: sinceIso })
      .params({ consistent: true, limit: pageSize }) as QueryCommandInput;
    const page = await client.send(new QueryCommand({ ...input, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) }));
    if (page.Items?.some((item) => item.requestId === requestId)) return true;
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return false;
};

/** Takes samples for `durationSeconds`, then waits for the last ones' entries. */
export const sampleAuditLag = async (options: LagOptions): Promise<LagSamples> => {
  if (options.orgIds.length === 0) throw new Error('Audit lag needs orgs to rename');
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: options.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    }),
  );

  const sample = async (index: number): Promise<Outcome> => {
    const orgId = options.orgIds[index % options.orgIds.length] as string;
    // The entry's `at` is the write's own clock reading, on this machine: a margin covers the request's way in.
    const sinceIso = new Date(Date.now() - 2000).toISOString();
    const sentAt = performance.now();
    let requestId: string | null;
    try {
      const response = await fetch(`${options.url}/v1/orgs/${encodeURIComponent(orgId)}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Bench lag ${options.label} ${index}` }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      requestId = response.headers.get('x-amzn-requestid');
      if (response.status !== 200 || !requestId) {
        return { lagMs: null, writeMs: null, problem: `rename answered ${response.status}: ${text.slice(0, 160)}` };
      }
    } catch (error) {
      return { lagMs: null, writeMs: null, problem: `rename failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    const receivedAt = performance.now();
    const writeMs = receivedAt - sentAt;
    try {
      for (;;) {
        const shows = await entryShows(client, orgId, sinceIso, requestId);
        const now = performance.now();
        if (shows) return { lagMs: now - receivedAt, writeMs, problem: null };
        if (now - receivedAt > options.timeoutMs) {
          return { lagMs: null, writeMs, problem: `no entry for request ${requestId} on ${orgId} after ${options.timeoutMs} ms` };
        }
        await sleep(Math.min(100, Math.max(10, (now - receivedAt) * 0.05)));
      }
    } catch (error) {
      return {
        lagMs: null,
        writeMs,
        problem: `reading ${orgId}'s audit failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };

  try {
    const outcomes: Promise<Outcome>[] = [];
    const deadline = performance.now() + options.durationSeconds * 1000;
    while (performance.now() < deadline) {
      const tick = performance.now();
      outcomes.push(sample(outcomes.length));
      await sleep(Math.max(0, options.intervalMs - (performance.now() - tick)));
    }
    const done = await Promise.all(outcomes);
    const lags = done.flatMap((outcome) => (outcome.lagMs === null ? [] : [outcome.lagMs]));
    const half = Math.ceil(lags.length / 2);
    return {
      sent: done.length,
      lag: summarize(lags),
      lagFirstHalfP50: summarize(lags.slice(0, half)).p50,
      lagSecondHalfP50: summarize(lags.slice(half)).p50,
      write: summarize(done.flatMap((outcome) => (outcome.writeMs === null ? [] : [outcome.writeMs]))),
      failedWrites: done.filter((outcome) => outcome.writeMs === null).length,
      unseen: done.filter((outcome) => outcome.writeMs !== null && outcome.lagMs === null).length,
      firstProblem: done.find((outcome) => outcome.problem !== null)?.problem ?? null,
    };
  } finally {
    client.destroy();
  }
};

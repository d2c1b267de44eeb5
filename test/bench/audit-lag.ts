import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AuditEntryEntity } from '#domain/audit/audit-entry.entity';
import { type LatencySummary, summarize } from './stats.ts';

/**
 * Audit lag: how long after a change's response its audit entry can be read.
 * Every `intervalMs` a sample renames one of a few dedicated customers over
 * HTTP (PATCH /v1/orgs/{orgId}); a watcher reads the audit partition of their
 * parent (a reseller nothing else happens under) with a strongly consistent
 * Query every `pollMs` until an entry carries the response's request id
 * (`x-amzn-requestid`, which the write stamps and the consumer copies). The
 * parent's copy is written in the same transaction as the org's own entry,
 * so it shows at the same moment; one Query per round, however many samples
 * wait, keeps the measuring from loading the table it measures.
 * Lag = the end of the Query that first shows the entry − the response's
 * arrival: overstated by at most `pollMs` plus one Query. A customer is
 * renamed again only once its last rename answered (two at once would
 * conflict on its version). Imported only once the runtime has set the environment.
 */
export interface LagOptions {
  url: string;
  token: string;
  /** DynamoDB endpoint the entries are read from. */
  endpoint: string;
  /** The parent of `orgIds`, whose audit partition receives a copy of each of their entries and nothing else. */
  watchOrgId: string;
  /** Customers that nothing but the samples changes. */
  orgIds: readonly string[];
  intervalMs: number;
  durationSeconds: number;
  /** A sample whose entry has not shown after this long counts as unseen. */
  timeoutMs: number;
  /** Makes the new names unique across phases and runs. */
  label: string;
  /** Wait between the watcher's Queries. Default 20 ms. */
  pollMs?: number;
}

export interface LagSamples {
  /** Samples sent. */
  sent: number;
  /** Ticks that found every customer still waiting for its last rename's response: no sample taken. */
  skipped: number;
  /** Lag of every sample whose entry showed, in ms. */
  lag: LatencySummary;
  /** p50 of the first and of the second half of the samples, in send order: a lag that grows means the consumer fell behind. */
  lagFirstHalfP50: number;
  lagSecondHalfP50: number;
  /** The renames' own response times, in ms. */
  write: LatencySummary;
  /** Renames answered with anything but 200 (or not at all). */
  failedWrites: number;
  /** Entries not seen within `timeoutMs`. */
  unseen: number;
  /** The watcher's Queries (pages), and those that failed (retried on the next round). */
  watchQueries: number;
  watchQueryErrors: number;
  /** The first failure of any kind, to show in the findings. */
  firstProblem: string | null;
}

interface Outcome {
  lagMs: number | null;
  writeMs: number | null;
  problem: string | null;
}

interface Waiting {
  sinceIso: string;
  receivedAt: number;
  settle: (visibleAt: number | null) => void;
}

const pageSize = 100;

/** Reads the watched partition for every waiting request id, in rounds, until told to stop. */
const startWatcher = (client: DynamoDBDocumentClient, options: LagOptions) => {
  const pollMs = options.pollMs ?? 20;
  const waiting = new Map<string, Waiting>();
  const counts = { queries: 0, errors: 0, firstError: null as string | null };
  let stopped = false;

  const round = async () => {
    const since = [...waiting.values()].reduce((min, w) => (w.sinceIso < min ? w.sinceIso : min), '~');
    let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const input = AuditEntryEntity.query
        .byLog({ auditLog: options.watchOrgId })
        .gte({ at: since })
        .params({ consistent: true, limit: pageSize }) as QueryCommandInput;
      counts.queries += 1;
      const page = await client.send(
        new QueryCommand({ ...input, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) }),
      );
      const now = performance.now();
      for (const item of page.Items ?? []) {
        const found = typeof item.requestId === 'string' ? waiting.get(item.requestId) : undefined;
        if (found) {
          waiting.delete(item.requestId as string);
          found.settle(now);
        }
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey && waiting.size > 0);
  };

  const loop = (async () => {
    while (!stopped || waiting.size > 0) {
      if (waiting.size > 0) {
        try {
          await round();
        } catch (error) {
          counts.errors += 1;
          counts.firstError ??= error instanceof Error ? error.message : String(error);
        }
        const now = performance.now();
        for (const [requestId, w] of waiting) {
          if (now - w.receivedAt > options.timeoutMs) {
            waiting.delete(requestId);
            w.settle(null);
          }
        }
      }
      await sleep(pollMs);
    }
  })();

  return {
    /** Resolves with the time the entry was first seen, or null after the timeout. */
    waitFor: (requestId: string, sinceIso: string, receivedAt: number) =>
      new Promise<number | null>((settle) => {
        waiting.set(requestId, { sinceIso, receivedAt, settle });
      }),
    stop: async () => {
      stopped = true;
      await loop;
    },
    counts,
  };
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
  const watcher = startWatcher(client, options);
  const renaming = new Set<string>();

  const sample = async (index: number, orgId: string): Promise<Outcome> => {
    // The entry's `at` is the write's own clock reading, on this machine: a margin covers the request's way in.
    const sinceIso = new Date(Date.now() - 2000).toISOString();
    const sentAt = performance.now();
    let requestId: string | null;
    renaming.add(orgId);
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
    } finally {
      renaming.delete(orgId);
    }
    const receivedAt = performance.now();
    const visibleAt = await watcher.waitFor(requestId, sinceIso, receivedAt);
    return visibleAt === null
      ? {
          lagMs: null,
          writeMs: receivedAt - sentAt,
          problem: `no entry for request ${requestId} on ${orgId} after ${options.timeoutMs} ms`,
        }
      : { lagMs: visibleAt - receivedAt, writeMs: receivedAt - sentAt, problem: null };
  };

  try {
    const outcomes: Promise<Outcome>[] = [];
    let skipped = 0;
    let next = 0;
    const deadline = performance.now() + options.durationSeconds * 1000;
    while (performance.now() < deadline) {
      const tick = performance.now();
      // The next customer in turn whose last rename has answered.
      const free = options.orgIds
        .map((_, i) => options.orgIds[(next + i) % options.orgIds.length] as string)
        .find((id) => !renaming.has(id));
      if (free === undefined) skipped += 1;
      else {
        next = (options.orgIds.indexOf(free) + 1) % options.orgIds.length;
        outcomes.push(sample(outcomes.length, free));
      }
      await sleep(Math.max(0, options.intervalMs - (performance.now() - tick)));
    }
    const done = await Promise.all(outcomes);
    const lags = done.flatMap((outcome) => (outcome.lagMs === null ? [] : [outcome.lagMs]));
    const half = Math.ceil(lags.length / 2);
    return {
      sent: done.length,
      skipped,
      lag: summarize(lags),
      lagFirstHalfP50: summarize(lags.slice(0, half)).p50,
      lagSecondHalfP50: summarize(lags.slice(half)).p50,
      write: summarize(done.flatMap((outcome) => (outcome.writeMs === null ? [] : [outcome.writeMs]))),
      failedWrites: done.filter((outcome) => outcome.writeMs === null).length,
      unseen: done.filter((outcome) => outcome.writeMs !== null && outcome.lagMs === null).length,
      watchQueries: watcher.counts.queries,
      watchQueryErrors: watcher.counts.errors,
      firstProblem:
        done.find((outcome) => outcome.problem !== null)?.problem ??
        (watcher.counts.firstError ? `audit Query failed: ${watcher.counts.firstError}` : null),
    };
  } finally {
    await watcher.stop();
    client.destroy();
  }
};

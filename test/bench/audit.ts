import { setTimeout as sleep } from 'node:timers/promises';
import type { Caller } from '#domain/access/caller';
import { systemActor } from '#domain/db/written-by';
import { createChildOrg } from '#domain/orgs/orgs';
import type { LocalRuntime } from '#infra/local/runtime';
import { statsBetween } from '#infra/local/stream-poller-stats';
import { makeBurst } from './audit-burst.ts';
import { type CatchUp, type ConsumerThroughput, catchUp, measureConsumerThroughput } from './audit-consumer.ts';
import { type LagSamples, sampleAuditLag } from './audit-lag.ts';
import type { BenchConfig } from './config.ts';
import { type LoadResult, loadRoute } from './load.ts';
import type { RouteScenario } from './scenarios.ts';

/**
 * The audit pipeline's figures (issue 3): the consumer's throughput on a
 * backlog of known size, then the audit lag with no other load and under the
 * bench's write load (the `create child` scenario at the bench's
 * connections). Runs after the route scenarios, on a drained stream.
 * Imported only once the runtime has set the environment.
 */
export interface AuditLagPhase {
  name: 'no load' | 'under write load';
  /** The write load that ran meanwhile, if any. */
  load: (LoadResult & { scenario: string; connections: number; seconds: number }) | null;
  samples: LagSamples;
  /** What the consumer worked off while the load ran. */
  duringLoad: { records: number; seconds: number; recordsPerSecond: number; dynamoCalls: number } | null;
  /** From the end of the load (or of the sampling) until the consumer had everything. */
  catchUpAfter: CatchUp;
}

export interface AuditResults {
  consumer: ConsumerThroughput;
  lag: { orgs: number; intervalMs: number; secondsPerPhase: number; phases: AuditLagPhase[] };
}

export interface AuditTargets {
  runtime: LocalRuntime;
  token: string;
  adminUserId: string;
  partnerId: string;
  customerIds: readonly string[];
  writeScenario: RouteScenario;
  runId: string;
}

/** Enough that a customer's last rename has nearly always answered when its turn comes again. */
const lagOrgCount = 16;
/** The load runs this long before the samples start, so they meet it at full speed. */
const rampSeconds = 1;
const sampleTimeoutMs = 180_000;

export const measureAudit = async (t: AuditTargets, config: BenchConfig, log: (line: string) => void): Promise<AuditResults> => {
  const { runtime } = t;

  log(`  consumer throughput: ${config.auditBurstChanges} changes while the stream is paused…`);
  const consumer = await measureConsumerThroughput(runtime, () =>
    makeBurst({
      changes: config.auditBurstChanges,
      concurrency: config.seedConcurrency,
      customerIds: t.customerIds,
      adminUserId: t.adminUserId,
      runId: t.runId,
    }),
  );
  log(
    `  ${consumer.records} records (${consumer.changeRecords} of the changes, ${consumer.auditItemRecords} of its own audit items) in ` +
      `${consumer.seconds.toFixed(1)} s: ${consumer.recordsPerSecond.toFixed(0)} records/s (${consumer.changeRecordsPerSecond.toFixed(0)} change records/s), ` +
      `${consumer.meanRecordsPerInvocation.toFixed(1)} per batch, ${consumer.dynamoCallsPerChangeRecord.toFixed(2)} DynamoDB calls per change record`,
  );

  // A reseller under the bench partner (so its admin may rename them) holding customers nothing else touches:
  // the reseller's audit partition gets a copy of each of their entries, and nothing else.
  const admin: Caller = { principalId: t.adminUserId, principalType: 'user' };
  const creating = { caller: admin, permission: 'org:create' } as const;
  const reseller = await createChildOrg(
    creating,
    t.partnerId,
    { kind: 'partner', name: `Bench lag reseller ${t.runId}` },
    systemActor('bench-lag'),
  );
  const orgIds: string[] = [];
  for (let i = 0; i < lagOrgCount; i++) {
    const org = await createChildOrg(creating, reseller.id, { kind: 'customer', name: `Bench lag probe ${i}` }, systemActor('bench-lag'));
    orgIds.push(org.id);
  }
  await runtime.drained();
  const lagOptions = (label: string) => ({
    url: runtime.url,
    token: t.token,
    endpoint: runtime.endpoint,
    watchOrgId: reseller.id,
    orgIds,
    intervalMs: config.auditLagIntervalMs,
    durationSeconds: config.auditLagSeconds,
    timeoutMs: sampleTimeoutMs,
    label: `${t.runId} ${label}`,
  });

  const phases: AuditLagPhase[] = [];
  log(`  audit lag, no load: a rename every ${config.auditLagIntervalMs} ms for ${config.auditLagSeconds} s…`);
  {
    const samples = await sampleAuditLag(lagOptions('quiet'));
    phases.push({ name: 'no load', load: null, samples, duringLoad: null, catchUpAfter: await catchUp(runtime, runtime.streamStats()) });
  }

  log(`  audit lag under ${t.writeScenario.name} at ${config.connections} connections…`);
  {
    const loadSeconds = config.auditLagSeconds + rampSeconds;
    const atStart = runtime.streamStats();
    const loadStarted = performance.now();
    const loaded = loadRoute(t.writeScenario, {
      url: runtime.url,
      token: t.token,
      connections: config.connections,
      durationSeconds: loadSeconds,
    }).then(async (load) => {
      const seconds = (performance.now() - loadStarted) / 1000;
      const atEnd = runtime.streamStats();
      const during = statsBetween(atStart, atEnd);
      const catchUpAfter = await catchUp(runtime, atEnd);
      return { load, seconds, during, catchUpAfter };
    });
    // Awaited below; until then a failing load must not count as an unhandled rejection.
    loaded.catch(() => undefined);
    await sleep(rampSeconds * 1000);
    const samples = await sampleAuditLag(lagOptions('loaded'));
    const { load, seconds, during, catchUpAfter } = await loaded;
    phases.push({
      name: 'under write load',
      load: { ...load, scenario: t.writeScenario.name, connections: config.connections, seconds },
      samples,
      duringLoad: {
        records: during.records,
        seconds,
        recordsPerSecond: during.records / seconds,
        dynamoCalls: during.dynamoCalls.total,
      },
      catchUpAfter,
    });
  }
  for (const phase of phases) {
    log(
      `  ${phase.name}: lag p50 ${phase.samples.lag.p50.toFixed(0)} ms, p99 ${phase.samples.lag.p99.toFixed(0)} ms, ` +
        `max ${phase.samples.lag.max.toFixed(0)} ms over ${phase.samples.lag.count} samples` +
        (phase.samples.failedWrites + phase.samples.unseen > 0
          ? ` (${phase.samples.failedWrites} failed renames, ${phase.samples.unseen} entries unseen)`
          : ''),
    );
  }
  return { consumer, lag: { orgs: orgIds.length, intervalMs: config.auditLagIntervalMs, secondsPerPhase: config.auditLagSeconds, phases } };
};

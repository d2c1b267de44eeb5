import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { CatchUp } from './audit-consumer.ts';
import type { BundleReport } from './bundles.ts';
import type { BenchConfig } from './config.ts';
import type { FloorResult } from './floor.ts';
import type { LoadResult } from './load.ts';
import type { ProbeResult } from './probe.ts';
import { type AuditReport, auditFailed, formatAudit, formatCatchUp, type SeedingAudit } from './report-audit.ts';
import type { RouteScenario } from './scenarios.ts';
import { type Distribution, formatDistribution } from './stats.ts';

/** Everything one run measured: printed as tables, written as JSON for the closing note and for comparing runs. */
export interface RouteResult {
  name: string;
  routeId: string;
  method: string;
  expectedStatus: number;
  floor: RouteScenario['floor'];
  promise: RouteScenario['promise'];
  probe: ProbeResult;
  load: LoadResult;
  /** Route p50 over its floor's p50. */
  p50OverFloor: number;
  /** The stream records the load made, and how long the audit consumer took to catch up once it stopped. */
  audit: CatchUp;
}

export interface BenchResults {
  timestamp: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    /** 1-minute load average before the run (others' work: above half the CPUs skews the figures) and at its end (mostly the bench's own). */
    loadAverage: { start: number; end: number };
  };
  git: { commit: string; dirty: boolean } | null;
  config: BenchConfig;
  seeding: {
    channels: number;
    partners: number;
    customers: number;
    seconds: number;
    audit: SeedingAudit;
    invoices: number;
    invoiceSeconds: number;
  };
  floors: FloorResult[];
  routes: RouteResult[];
  /** The audit consumer's throughput and the audit lag (issue 3). */
  audit: AuditReport;
  bundles: BundleReport | { error: string } | null;
  /** Calls or round trips above the design's promise, and anything that did not answer as expected. */
  findings: string[];
}

export const resultsFile = new URL('../../.bench/results.json', import.meta.url).pathname;

const gitState = (): BenchResults['git'] => {
  try {
    const run = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', timeout: 10_000 }).trim();
    return { commit: run('rev-parse', 'HEAD'), dirty: run('status', '--porcelain').length > 0 };
  } catch {
    return null;
  }
};

const round = (n: number) => Math.round(n * 100) / 100;
const startLoad = loadavg()[0] ?? 0;

export const machineInfo = (): BenchResults['machine'] => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAverage: { start: round(startLoad), end: round(loadavg()[0] ?? 0) },
});

const maxOf = (distribution: Distribution): number => Math.max(...Object.keys(distribution).map(Number).filter(Number.isFinite));

/** What to tell the reader: promises broken, statuses not expected, floors that failed. */
export const findingsOf = (routes: readonly RouteResult[], floors: readonly FloorResult[]): string[] => {
  const findings: string[] = [];
  for (const route of routes) {
    const calls = maxOf(route.load.dynamoCalls);
    if (calls > route.promise.calls) {
      findings.push(
        `${route.name}: up to ${calls} DynamoDB calls per request under load, the design promises ${route.promise.calls} (${route.promise.what})`,
      );
    }
    const trips = maxOf(route.probe.roundTrips);
    if (trips > route.promise.roundTrips) {
      findings.push(`${route.name}: ${trips} sequential round trips in the probe, the design promises ${route.promise.roundTrips}`);
    }
    if (route.load.unexpected > 0 || route.load.errors > 0) {
      findings.push(
        `${route.name}: ${route.load.unexpected} responses other than ${route.expectedStatus} (${formatDistribution(route.load.statuses)}), ${route.load.errors} connection errors`,
      );
    }
    const probeUnexpected = Object.keys(route.probe.statuses).filter((status) => Number(status) !== route.expectedStatus);
    if (probeUnexpected.length > 0)
      findings.push(`${route.name}: probe answered ${formatDistribution(route.probe.statuses)} – ${route.probe.sample}`);
  }
  for (const floor of floors) if (floor.errors > 0) findings.push(`floor ${floor.name}: ${floor.errors} errors`);
  return findings;
};

/** Failures make the run exit non-zero; a broken promise is a finding, not a failure. */
export const hasFailures = (results: BenchResults): boolean =>
  results.routes.some((route) => route.load.unexpected > 0 || route.load.errors > 0) ||
  results.floors.some((floor) => floor.errors > 0) ||
  auditFailed(results.audit) ||
  (results.bundles !== null && 'error' in results.bundles);

export const writeResults = async (results: Omit<BenchResults, 'git' | 'machine' | 'timestamp'>): Promise<BenchResults> => {
  const full: BenchResults = { timestamp: new Date().toISOString(), machine: machineInfo(), git: gitState(), ...results };
  await mkdir(dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(full, null, 2)}\n`);
  return full;
};

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '–');
const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};

export const formatResults = (results: BenchResults): string => {
  const { config, machine } = results;
  const parts = [
    `partner-portal bench — ${results.timestamp}, ${machine.cpus}× ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}` +
      (results.git ? `, ${results.git.commit.slice(0, 7)}${results.git.dirty ? ' (uncommitted changes)' : ''}` : ''),
    `Load average (1 min) ${machine.loadAverage.start} before the run, ${machine.loadAverage.end} at its end` +
      (machine.loadAverage.start > machine.cpus / 2 ? ' — the machine was busy before the bench started: figures are skewed.' : '.'),
    `Seeded ${results.seeding.customers} customers under ${results.seeding.partners} partners in ${results.seeding.channels} channels in ${results.seeding.seconds.toFixed(1)} s` +
      `, then ${results.seeding.invoices} invoices (BatchWriteItem through the entities) in ${results.seeding.invoiceSeconds.toFixed(1)} s.`,
    `Load: ${config.connections} connections, ${config.durationSeconds} s per scenario after ${config.warmupSeconds} s of warm-up; floors: ${config.connections} loops, same duration. Latencies in ms.`,
    '',
    table(
      ['floor (bare DocumentClient)', 'p50', 'p99', 'ops/s', 'errors'],
      results.floors.map((f) => [f.name, ms(f.latency.p50), ms(f.latency.p99), f.opsPerSecond.toFixed(0), String(f.errors)]),
    ),
    '',
    table(
      [
        'route',
        'p50',
        'p99',
        'req/s',
        'non-2xx',
        'DDB calls/req',
        'promised',
        'round trips',
        'authorizer calls',
        'floor',
        'p50 ÷ floor',
        'audit records, catch-up',
      ],
      results.routes.map((r) => [
        r.name,
        ms(r.load.latency.p50),
        ms(r.load.latency.p99),
        r.load.requestsPerSecond.toFixed(0),
        String(r.load.non2xx),
        formatDistribution(r.load.dynamoCalls),
        `${r.promise.calls} in ${r.promise.roundTrips}`,
        formatDistribution(r.probe.roundTrips),
        formatDistribution(r.load.authorizerCalls),
        r.floor,
        `${r.p50OverFloor.toFixed(1)}×`,
        formatCatchUp(r.audit),
      ]),
    ),
    "`a×n`: a in n requests. DDB calls: the handler's, from `x-dynamodb-calls` of every response under load; promised: calls in round trips;",
    'round trips: sequential DynamoDB waits of the handler, traced on the probes (the audit stream paused meanwhile); authorizer calls: `x-dynamodb-calls-authorizer`;',
    "audit: stream records the load led to (own: the consumer's own audit items among them), and the time the consumer took to catch up",
    'after the load stopped, before the next route ran.',
    '',
    'Commands per request, traced on the probes (one request at a time):',
    ...results.routes.map((r) => `  ${r.name.padEnd(18)} ${formatDistribution(r.probe.commands)}   [${r.probe.sample}]`),
    '',
    ...formatAudit(results.audit, results.seeding.audit),
  ];
  if (results.bundles && 'error' in results.bundles) parts.push('', `Bundle report failed: ${results.bundles.error}`);
  else if (results.bundles) {
    parts.push(
      '',
      `Bundles (cdk synth -c region=${results.bundles.region}, ${results.bundles.synthSeconds.toFixed(0)} s); import = median of ${config.importRuns} fresh Node ${machine.node} processes with the function's environment (Lambda runs Node 22):`,
      table(
        ['function', 'bytes', 'KiB', 'import p50', 'runs', 'without source maps'],
        results.bundles.bundles.map((b) => [
          b.function,
          String(b.bytes),
          (b.bytes / 1024).toFixed(0),
          ms(b.importMs.median),
          b.importMs.runs.map((run) => run.toFixed(0)).join(' '),
          ms(b.importMsWithoutSourceMaps.median),
        ]),
      ),
    );
  }
  parts.push('', results.findings.length > 0 ? `Findings:\n${results.findings.map((f) => `  - ${f}`).join('\n')}` : 'Findings: none.');
  return parts.join('\n');
};

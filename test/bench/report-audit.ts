import type { AuditResults } from './audit.ts';
import type { CatchUp } from './audit-consumer.ts';
import { formatDistribution } from './stats.ts';

/**
 * The audit part of the report: the consumer's throughput, the audit lag with
 * and without load, the seed's backlog, and what of it is a finding or a
 * failure. Kept apart from report.ts, which knows routes and floors.
 */
export interface SeedingAudit {
  /** Records the consumer took while the seeding ran. */
  recordsWhileSeeding: number;
  /** What was left once the seeding ended, and how long working it off took. */
  backlog: CatchUp;
}

export interface AuditReport extends AuditResults {
  /** The stream poller's lines about records it gave up on (dead-lettered): each is an audit entry missing. */
  givenUp: string[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** Anything that means an entry is missing or a change failed: the run exits non-zero. */
export const auditFailed = (audit: AuditReport): boolean =>
  audit.givenUp.length > 0 || audit.lag.phases.some((phase) => phase.samples.failedWrites > 0 || phase.samples.unseen > 0);

export const auditFindingsOf = (audit: AuditReport, seeding: SeedingAudit): string[] => {
  const findings: string[] = [];
  if (audit.givenUp.length > 0) {
    findings.push(`audit consumer gave up on ${audit.givenUp.length} record(s) (dead-lettered); first: ${audit.givenUp[0]}`);
  }
  const failedInvocations = audit.consumer.failedInvocations + seeding.backlog.failedInvocations;
  if (failedInvocations > 0) findings.push(`audit consumer: ${failedInvocations} invocations threw or timed out (retried)`);
  for (const phase of audit.lag.phases) {
    const { samples } = phase;
    if (samples.failedWrites > 0 || samples.unseen > 0) {
      findings.push(
        `audit lag ${phase.name}: ${samples.failedWrites} renames failed, ${samples.unseen} entries never showed; first: ${samples.firstProblem}`,
      );
    }
    if (samples.watchQueryErrors > 0) findings.push(`audit lag ${phase.name}: ${samples.watchQueryErrors} audit Queries failed (retried)`);
    if (samples.lagSecondHalfP50 > 2 * samples.lagFirstHalfP50 && samples.lagSecondHalfP50 > 1000) {
      findings.push(
        `audit lag ${phase.name}: grew from p50 ${ms(samples.lagFirstHalfP50)} ms (first half of the samples) to ${ms(samples.lagSecondHalfP50)} ms (second half): the consumer fell behind`,
      );
    }
    if (phase.load && phase.catchUpAfter.seconds > 2) {
      findings.push(
        `audit consumer under ${phase.load.scenario}: ${phase.catchUpAfter.records} records were still waiting when the load stopped, worked off in ${fixed(phase.catchUpAfter.seconds)} s`,
      );
    }
  }
  return findings;
};

const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};

/** `1234 (780 own) in 3.2 s` for a route row: records, of them the consumer's own audit items, and the catch-up time; `–` when nothing was written. */
export const formatCatchUp = (catchUp: CatchUp | undefined): string =>
  catchUp && catchUp.records > 0 ? `${catchUp.records} (${catchUp.auditItemRecords} own) in ${fixed(catchUp.seconds)} s` : '–';

const perCommand = (byCommand: Record<string, number>) =>
  Object.entries(byCommand)
    .sort(([, a], [, b]) => b - a)
    .map(([command, count]) => `${command} ${fixed(count, 2)}`)
    .join(', ');

export const formatAudit = (audit: AuditReport, seeding: SeedingAudit): string[] => {
  const { consumer, lag } = audit;
  const { burst } = consumer;
  return [
    `Audit consumer while seeding: ${seeding.recordsWhileSeeding} records as the seed wrote them; the backlog left at its end, ` +
      `${seeding.backlog.records} records, took ${fixed(seeding.backlog.seconds)} s. Records count the consumer's own audit items ("own":`,
    'the entries and chain heads it writes come back through the stream, and are skipped without a DynamoDB call).',
    '',
    `Audit consumer on a backlog: ${burst.changes} changes (${burst.byUseCase.renames} renames, ${burst.byUseCase.memberAdds} member adds, ` +
      `${burst.byUseCase.memberRemoves} removes, over ${burst.customersTouched} customers; ${fixed(burst.seconds)} s) made through the domain while the stream was paused, then:`,
    table(
      [
        'records',
        'of changes',
        'own audit items',
        'seconds',
        'records/s',
        'change records/s',
        'batches',
        'records/batch',
        'DDB calls/change record',
        'in invocations',
        'failed invocations',
      ],
      [
        [
          String(consumer.records),
          String(consumer.changeRecords),
          String(consumer.auditItemRecords),
          fixed(consumer.seconds, 2),
          fixed(consumer.recordsPerSecond, 0),
          fixed(consumer.changeRecordsPerSecond, 0),
          String(consumer.invocations),
          `${fixed(consumer.meanRecordsPerInvocation)} (${formatDistribution(consumer.recordsPerInvocation)})`,
          fixed(consumer.dynamoCallsPerChangeRecord, 2),
          `${fixed(consumer.invokeSeconds, 2)} s`,
          String(consumer.failedInvocations),
        ],
      ],
    ),
    `DynamoDB calls per change record, by command: ${perCommand(consumer.dynamoCallsPerChangeRecordByCommand)} (the runtime's count inside each invocation;`,
    'calls made for the own audit items: none).',
    '',
    `Audit lag: a rename every ${lag.intervalMs} ms on ${lag.orgs} dedicated customers for ${lag.secondsPerPhase} s, from its response to its entry ` +
      'in a consistent Query of their parent’s audit, one every 20 ms (ms; overstated by at most 20 ms plus one Query):',
    table(
      [
        'audit lag',
        'samples',
        'p50',
        'p99',
        'max',
        '1st half p50',
        '2nd half p50',
        'unseen',
        'skipped',
        'rename p50',
        'write load',
        'req/s',
        'consumer rec/s',
        'left at end',
      ],
      lag.phases.map((phase) => [
        phase.name,
        String(phase.samples.sent),
        ms(phase.samples.lag.p50),
        ms(phase.samples.lag.p99),
        ms(phase.samples.lag.max),
        ms(phase.samples.lagFirstHalfP50),
        ms(phase.samples.lagSecondHalfP50),
        String(phase.samples.unseen + phase.samples.failedWrites),
        String(phase.samples.skipped),
        ms(phase.samples.write.p50),
        phase.load ? `${phase.load.scenario} ×${phase.load.connections}` : '–',
        phase.load ? fixed(phase.load.requestsPerSecond, 0) : '–',
        phase.duringLoad ? fixed(phase.duringLoad.recordsPerSecond, 0) : '–',
        phase.load ? formatCatchUp(phase.catchUpAfter) : '–',
      ]),
    ),
    'unseen: renames that failed or whose entry never showed; skipped: ticks when every customer still awaited its last rename’s response;',
    'consumer rec/s: records it took while the load ran; left at end: records still waiting when the load stopped, and how long they took.',
  ];
};

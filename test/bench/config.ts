/**
 * Sizes and durations of a bench run. Each has a default for the full run
 * (`npm run bench`) and an environment override for a quick one, e.g.
 * `BENCH_CUSTOMERS=500 BENCH_PARTNERS=10 BENCH_DURATION_SECONDS=3 npm run bench`.
 * Every value is bounded, so a typo cannot start an hour-long run.
 */
export interface BenchConfig {
  customers: number;
  partners: number;
  channels: number;
  /** Invoices seeded (in batches, straight through the entities) across the customers, for the billing scenarios. */
  invoices: number;
  /** Use cases in flight while seeding; each works on partners of its own, so no two touch the same parent. */
  seedConcurrency: number;
  /** Measured seconds per route scenario and per floor, after `warmupSeconds` that are thrown away. */
  durationSeconds: number;
  warmupSeconds: number;
  /** Concurrent HTTP connections per route scenario, and concurrent loops per floor. */
  connections: number;
  /** Sequential requests per route before the load, traced command by command. */
  probes: number;
  /** Fresh Node processes per bundle to time its import; the median is reported. */
  importRuns: number;
  /** The bundle report runs `cdk synth` (about 30 s); BENCH_BUNDLES=0 skips it. */
  bundles: boolean;
  /** The whole run is aborted after this long. */
  timeoutMinutes: number;
  /** Use-case calls (renames, member adds and removes) made while the stream is paused, for the consumer's throughput: about 8 stream records per 3. */
  auditBurstChanges: number;
  /** Seconds of audit-lag samples with no load, and again under the write load. */
  auditLagSeconds: number;
  /** One audit-lag sample (a rename, then reads until its entry shows) every this many ms. */
  auditLagIntervalMs: number;
}

export class BenchConfigError extends Error {
  override readonly name = 'BenchConfigError';
}

const intFromEnv = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BenchConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
};

export const readBenchConfig = (): BenchConfig => {
  const customers = intFromEnv('BENCH_CUSTOMERS', 10_000, 1, 100_000);
  const partners = intFromEnv('BENCH_PARTNERS', 100, 1, 1_000);
  const channels = intFromEnv('BENCH_CHANNELS', 2, 1, 20);
  if (channels > partners) throw new BenchConfigError(`BENCH_CHANNELS (${channels}) cannot exceed BENCH_PARTNERS (${partners})`);
  return {
    customers,
    partners,
    channels,
    invoices: intFromEnv('BENCH_INVOICES', 100_000, 0, 1_000_000),
    seedConcurrency: intFromEnv('BENCH_SEED_CONCURRENCY', 8, 1, 64),
    durationSeconds: intFromEnv('BENCH_DURATION_SECONDS', 10, 1, 120),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 2, 0, 30),
    connections: intFromEnv('BENCH_CONNECTIONS', 8, 1, 64),
    probes: intFromEnv('BENCH_PROBES', 5, 1, 50),
    importRuns: intFromEnv('BENCH_IMPORT_RUNS', 5, 1, 20),
    bundles: intFromEnv('BENCH_BUNDLES', 1, 0, 1) === 1,
    timeoutMinutes: intFromEnv('BENCH_TIMEOUT_MINUTES', 20, 1, 120),
    auditBurstChanges: intFromEnv('BENCH_AUDIT_BURST_CHANGES', 1200, 3, 30_000),
    auditLagSeconds: intFromEnv('BENCH_AUDIT_LAG_SECONDS', 15, 1, 120),
    auditLagIntervalMs: intFromEnv('BENCH_AUDIT_LAG_INTERVAL_MS', 150, 20, 5000),
  };
};

import { type DynamoDbLocal, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime';
import type { CatchUp } from './audit-consumer.ts';
import type { BundleReport } from './bundles.ts';
import { readBenchConfig } from './config.ts';
import type { FloorResult } from './floor.ts';
import { findingsOf, formatResults, hasFailures, type RouteResult, resultsFile, writeResults } from './report.ts';
import { auditFindingsOf } from './report-audit.ts';

/**
 * `npm run bench`: seeds a hierarchy on a DynamoDB Local of its own, lets the
 * audit consumer work off the seed's stream records, times the bare
 * GetItem/Query floor on the same table, drives the local runtime's routes
 * with autocannon (the consumer catching up after each one, so no route's
 * audit work lands in the next one's latencies), measures the consumer's
 * throughput and the audit lag, stops everything, then reports each Lambda
 * bundle's size and import time. Modules that import the domain (seed,
 * floor, probe, scenarios, audit) are loaded only after the runtime has set
 * the environment they read.
 */
const config = readBenchConfig();
const log = (line: string) => console.log(line);
const tableName = 'partner-portal-bench';

// Handlers log errors only; a 409 under load must not flood the terminal.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${config.timeoutMinutes} min (BENCH_TIMEOUT_MINUTES); stopping.`);
  // The exit handlers of the local runtime kill DynamoDB Local and the synth process group.
  process.exit(1);
}, config.timeoutMinutes * 60_000);
watchdog.unref();

/** What the stream poller says about records it gave up on: each is an audit entry missing, so a failure of the run. */
const streamProblems: string[] = [];

const measure = async () => {
  let dynamo: DynamoDbLocal | undefined;
  let runtime: LocalRuntime | undefined;
  try {
    // Our own DynamoDB Local on loopback, whatever DYNAMODB_ENDPOINT says.
    dynamo = await startDynamoDbLocal();
    runtime = await startLocalRuntime({
      port: 0,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      // The runtime's own notices only (not one line per request): retries and dead letters of the audit stream.
      log: (line) => {
        if (!line.startsWith('[stream]')) return;
        log(line);
        if (line.includes(' gave up on ')) streamProblems.push(line);
      },
    });
    log(`DynamoDB Local ${dynamo.endpoint}, API ${runtime.url}, table ${tableName}`);

    const { seedHierarchy } = await import('./seed.ts');
    const { measureFloors } = await import('./floor.ts');
    const { routeScenarios, pageSize, methodOf } = await import('./scenarios.ts');
    const { probeRoute, waitUntilQuiet } = await import('./probe.ts');
    const { loadRoute } = await import('./load.ts');
    const { catchUp } = await import('./audit-consumer.ts');
    const { measureAudit } = await import('./audit.ts');

    log(`Seeding ${config.customers} customers under ${config.partners} partners (${config.seedConcurrency} in flight)…`);
    const seeded = await seedHierarchy(
      { customers: config.customers, partners: config.partners, channels: config.channels, concurrency: config.seedConcurrency },
      log,
    );
    log(`Seeded in ${seeded.seconds.toFixed(1)} s.`);
    // The consumer ran beside the seeding; what is left of its backlog is worked off before anything is timed.
    const seedRecords = runtime.streamStats().records;
    const seedBacklog = await catchUp(runtime, runtime.streamStats());
    log(
      `Audit consumer: ${seedRecords} records while seeding, then a backlog of ${seedBacklog.records} worked off in ${seedBacklog.seconds.toFixed(1)} s.`,
    );
    // Invoices go straight into the table in batches, around the API: their stream records (some 300,000 for the
    // default 100,000) are passed over, unaudited, so the consumer is not still working through them while routes run.
    const { seedInvoices } = await import('./seed-invoices.ts');
    log(`Seeding ${config.invoices} invoices in batches, straight through the entities (audit stream paused)…`);
    await runtime.pauseStream();
    const invoices = await seedInvoices(
      { invoices: config.invoices, customersByPartner: seeded.customersByPartner, concurrency: config.seedConcurrency },
      log,
    );
    const skipped = await runtime.skipStream();
    runtime.resumeStream();
    log(`Seeded invoices in ${invoices.seconds.toFixed(1)} s; ${skipped} stream records passed over.`);

    log('Floor…');
    const floors: FloorResult[] = await measureFloors(
      dynamo.endpoint,
      { customerId: seeded.benchCustomerId, partnerId: seeded.benchPartnerId, pageSize },
      { concurrency: config.connections, durationMs: config.durationSeconds * 1000, warmupMs: config.warmupSeconds * 1000 },
    );
    for (const floor of floors) log(`  ${floor.name}: p50 ${floor.latency.p50.toFixed(2)} ms, ${floor.opsPerSecond.toFixed(0)} ops/s`);

    const runId = Date.now().toString(36);
    const token = await runtime.mintToken(seeded.partnerAdmin.email);
    const url = runtime.url;
    // The authorizer caches email → user id per container; one call fills it, so probes trace the handler alone.
    await fetch(`${url}/v1/roles`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });

    const settle = async () => {
      if (!(await waitUntilQuiet())) log('  (requests from the last load were still running after 30 s)');
    };
    const live = runtime;
    /**
     * The consumer catches up before the next measurement: first on what the
     * load wrote (timed), then, once the last requests the server took have
     * ended, on anything they wrote.
     */
    const catchUpAfterLoad = async (since: ReturnType<LocalRuntime['streamStats']>): Promise<CatchUp> => {
      const caughtUp = await catchUp(live, since);
      await settle();
      await live.drained();
      return { ...(await catchUp(live, since)), seconds: caughtUp.seconds };
    };
    const routes: RouteResult[] = [];
    const scenarios = routeScenarios({
      partnerId: seeded.benchPartnerId,
      customerId: seeded.benchCustomerId,
      partnerAdminUserId: seeded.partnerAdmin.userId,
      runId,
      invoiceId: invoices.firstInvoiceOf.get(seeded.benchPartnerId) ?? null,
    });
    for (const scenario of scenarios) {
      // Paused: the consumer's commands would otherwise land in the probes' traces (a write probe's records arrive during the next probe).
      await runtime.pauseStream();
      let probe: Awaited<ReturnType<typeof probeRoute>>;
      try {
        probe = await probeRoute(scenario, { url, token, requests: config.probes });
      } finally {
        runtime.resumeStream();
      }
      await runtime.drained();
      const loadOptions = { url, token, connections: config.connections };
      if (config.warmupSeconds > 0) {
        await loadRoute(scenario, { ...loadOptions, durationSeconds: config.warmupSeconds });
        await catchUpAfterLoad(runtime.streamStats());
      }
      const beforeLoad = runtime.streamStats();
      const load = await loadRoute(scenario, { ...loadOptions, durationSeconds: config.durationSeconds });
      const audit = await catchUpAfterLoad(beforeLoad);
      const floor = floors.find((f) => f.name === scenario.floor);
      const route: RouteResult = {
        name: scenario.name,
        routeId: scenario.routeId,
        method: methodOf(scenario),
        expectedStatus: scenario.expectedStatus,
        floor: scenario.floor,
        promise: scenario.promise,
        probe,
        load,
        p50OverFloor: floor ? load.latency.p50 / floor.latency.p50 : Number.NaN,
        audit,
      };
      routes.push(route);
      log(
        `  ${scenario.name}: p50 ${load.latency.p50.toFixed(2)} ms, ${load.requestsPerSecond.toFixed(0)} req/s, ${load.unexpected} unexpected of ${Object.values(load.statuses).reduce((a, b) => a + b, 0)}` +
          (audit.records > 0 ? `; audit: ${audit.records} records, caught up ${audit.seconds.toFixed(1)} s after the load` : ''),
      );
    }

    log('Audit…');
    const writeScenario = scenarios.find((scenario) => scenario.routeId === 'createChildOrg');
    if (!writeScenario) throw new Error('The audit lag needs the create child scenario as its write load');
    const audit = await measureAudit(
      {
        runtime,
        token,
        adminUserId: seeded.adminUserId,
        partnerId: seeded.benchPartnerId,
        customerIds: seeded.customerIds,
        writeScenario,
        runId,
      },
      config,
      log,
    );
    return {
      seeding: {
        channels: config.channels,
        partners: config.partners,
        customers: config.customers,
        seconds: seeded.seconds,
        audit: { recordsWhileSeeding: seedRecords, backlog: seedBacklog },
        invoices: config.invoices,
        invoiceSeconds: invoices.seconds,
      },
      floors,
      routes,
      audit: { ...audit, givenUp: streamProblems },
    };
  } finally {
    await runtime?.stop();
    await dynamo?.stop();
  }
};

const bundleReport = async (): Promise<BundleReport | { error: string } | null> => {
  if (!config.bundles) return null;
  log('Bundles: cdk synth…');
  const { reportBundles } = await import('./bundles.ts');
  try {
    return await reportBundles({ importRuns: config.importRuns, log });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
};

const measured = await measure();
// After DynamoDB Local has stopped, so imports are timed on a quiet machine.
const bundles = await bundleReport();
const results = await writeResults({
  config,
  ...measured,
  bundles,
  findings: [...findingsOf(measured.routes, measured.floors), ...auditFindingsOf(measured.audit, measured.seeding.audit)],
});
log(`\n${formatResults(results)}\n\nWritten to ${resultsFile}`);
process.exitCode = hasFailures(results) ? 1 : 0;

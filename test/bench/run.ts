import { type DynamoDbLocal, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime';
import type { BundleReport } from './bundles.ts';
import { readBenchConfig } from './config.ts';
import type { FloorResult } from './floor.ts';
import { findingsOf, formatResults, hasFailures, type RouteResult, resultsFile, writeResults } from './report.ts';

/**
 * `npm run bench`: seeds a hierarchy on a DynamoDB Local of its own, drives the
 * local runtime's routes with autocannon, times the bare GetItem/Query floor on
 * the same table, stops everything, then reports each Lambda bundle's size and
 * import time. Modules that import the domain (seed, floor, probe, scenarios)
 * are loaded only after the runtime has set the environment they read.
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

const measure = async () => {
  let dynamo: DynamoDbLocal | undefined;
  let runtime: LocalRuntime | undefined;
  try {
    // Our own DynamoDB Local on loopback, whatever DYNAMODB_ENDPOINT says.
    dynamo = await startDynamoDbLocal();
    // No audit stream poller: the bench measures the API. Seeding writes some 320,000 items, and the audit
    // consumer, in this same process, would still be working through their stream records (and showing in
    // the probes' traces) while the routes are measured.
    const noAuditPoller = async () => ({ stop: async () => {}, drained: async () => {} });
    runtime = await startLocalRuntime({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName, streamPoller: noAuditPoller });
    log(`DynamoDB Local ${dynamo.endpoint}, API ${runtime.url}, table ${tableName}`);

    const { seedHierarchy } = await import('./seed.ts');
    const { measureFloors } = await import('./floor.ts');
    const { routeScenarios, pageSize, methodOf } = await import('./scenarios.ts');
    const { probeRoute, waitUntilQuiet } = await import('./probe.ts');
    const { loadRoute } = await import('./load.ts');

    log(`Seeding ${config.customers} customers under ${config.partners} partners (${config.seedConcurrency} in flight)…`);
    const seeded = await seedHierarchy(
      { customers: config.customers, partners: config.partners, channels: config.channels, concurrency: config.seedConcurrency },
      log,
    );
    log(`Seeded in ${seeded.seconds.toFixed(1)} s.`);
    const { seedInvoices } = await import('./seed-invoices.ts');
    log(`Seeding ${config.invoices} invoices in batches, straight through the entities…`);
    const invoices = await seedInvoices(
      { invoices: config.invoices, customersByPartner: seeded.customersByPartner, concurrency: config.seedConcurrency },
      log,
    );
    log(`Seeded invoices in ${invoices.seconds.toFixed(1)} s.`);

    log('Floor…');
    const floors: FloorResult[] = await measureFloors(
      dynamo.endpoint,
      { customerId: seeded.benchCustomerId, partnerId: seeded.benchPartnerId, pageSize },
      { concurrency: config.connections, durationMs: config.durationSeconds * 1000, warmupMs: config.warmupSeconds * 1000 },
    );
    for (const floor of floors) log(`  ${floor.name}: p50 ${floor.latency.p50.toFixed(2)} ms, ${floor.opsPerSecond.toFixed(0)} ops/s`);

    const token = await runtime.mintToken(seeded.partnerAdmin.email);
    const url = runtime.url;
    // The authorizer caches email → user id per container; one call fills it, so probes trace the handler alone.
    await fetch(`${url}/v1/roles`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });

    const settle = async () => {
      if (!(await waitUntilQuiet())) log('  (requests from the last load were still running after 30 s)');
    };
    const routes: RouteResult[] = [];
    const scenarios = routeScenarios({
      partnerId: seeded.benchPartnerId,
      customerId: seeded.benchCustomerId,
      partnerAdminUserId: seeded.partnerAdmin.userId,
      runId: Date.now().toString(36),
      invoiceId: invoices.firstInvoiceOf.get(seeded.benchPartnerId) ?? null,
    });
    for (const scenario of scenarios) {
      const probe = await probeRoute(scenario, { url, token, requests: config.probes });
      const loadOptions = { url, token, connections: config.connections };
      if (config.warmupSeconds > 0) {
        await loadRoute(scenario, { ...loadOptions, durationSeconds: config.warmupSeconds });
        await settle();
      }
      const load = await loadRoute(scenario, { ...loadOptions, durationSeconds: config.durationSeconds });
      await settle();
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
      };
      routes.push(route);
      log(
        `  ${scenario.name}: p50 ${load.latency.p50.toFixed(2)} ms, ${load.requestsPerSecond.toFixed(0)} req/s, ${load.unexpected} unexpected of ${Object.values(load.statuses).reduce((a, b) => a + b, 0)}`,
      );
    }
    return {
      seeding: {
        channels: config.channels,
        partners: config.partners,
        customers: config.customers,
        seconds: seeded.seconds,
        invoices: config.invoices,
        invoiceSeconds: invoices.seconds,
      },
      floors,
      routes,
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
const results = await writeResults({ config, ...measured, bundles, findings: findingsOf(measured.routes, measured.floors) });
log(`\n${formatResults(results)}\n\nWritten to ${resultsFile}`);
process.exitCode = hasFailures(results) ? 1 : 0;

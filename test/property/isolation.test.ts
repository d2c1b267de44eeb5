import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { routes } from '#functions/http/routes';
import { expectAuditComplete } from './audit-check.ts';
import { Runner, stepArb } from './runner.ts';
import { ModelMismatch } from './spec.ts';
import { routeSpecs } from './specs/index.ts';
import { expectStoreMatchesModel } from './store-check.ts';
import { type InProcessApi, startInProcessApi } from './support/api.ts';
import { startWorldAuditConsumer, type WorldAuditConsumer } from './support/audit-consumer.ts';
import { buildWorld, describeWorld, worldPlanArb } from './world.ts';

/**
 * Tenant isolation, as a property: in random hierarchies whose ids and names
 * are prefixes of each other, with random people holding random roles at
 * random orgs, random calls on every route by random callers (outsiders,
 * people of other branches, no token, forged tokens) are answered exactly as
 * a small reference model of who may see and do what says (model/), and the
 * table ends each world holding exactly what the model holds.
 *
 * Every call goes through the local API Gateway in process: the authorizer
 * with real dev-key tokens, then the route group's Lambda handler.
 *
 * A failure prints its seed and path. Keep it by adding
 * `{ "seed": …, "path": "…", "calls": …, "note": "…" }` to regressions.json;
 * each entry is replayed below. ISOLATION_SEED=… replays a whole run. More in
 * README.md (how to add a route, how later grant kinds extend the model).
 */

/** Generated calls per run of this file (follow-up pages come on top); ISOLATION_CALLS=… for a quicker look while working. */
const callsPerRun = Number(process.env.ISOLATION_CALLS ?? 10_000);
/** Calls per generated world: long enough for state to build up (creates, moves, role changes) between checks. */
const callsPerWorld = 500;
const worldsPerRun = Math.ceil(callsPerRun / callsPerWorld);

interface Regression {
  seed: number;
  path: string;
  note: string;
  /** Only the first this many calls of that world are replayed (the failure came at call #calls-1 or before). */
  calls?: number;
  /** A bug of known-bugs.ts it shows while unfixed: the main run lets that symptom pass, this replay does not. */
  bug?: string;
}

const regressions = JSON.parse(readFileSync(new URL('./regressions.json', import.meta.url), 'utf8')) as Regression[];

let api: InProcessApi;
let worlds = 0;
const totals = {
  generated: 0,
  followUps: 0,
  waived: {} as Record<string, number>,
  buildMs: 0,
  checkMs: 0,
  dynamoCalls: 0,
  byRoute: {} as Record<string, Record<string, number>>,
};

beforeAll(async () => {
  api = await startInProcessApi();
});

const isolation = (waived: ReadonlySet<string>, calls = callsPerWorld) =>
  fc.asyncProperty(worldPlanArb, fc.array(stepArb, { minLength: callsPerWorld, maxLength: callsPerWorld }), async (plan, steps) => {
    worlds += 1;
    const building = performance.now();
    let audit: WorldAuditConsumer | undefined;
    const world = await buildWorld(api, plan, `w${worlds}`, async () => {
      audit = await startWorldAuditConsumer();
    });
    totals.buildMs += performance.now() - building;
    const initial = describeWorld(world);
    const runner = new Runner(world, routeSpecs, waived);
    try {
      await runner.run(steps.slice(0, calls));
      const checking = performance.now();
      await expectStoreMatchesModel(world.model);
      // Random calls may have removed or demoted the platform admin: a fresh one (bootstrap's own write) reads every chain.
      const auditor = `auditor.w${worlds}@platform.test`;
      await bootstrapPlatform({ adminEmail: auditor }, systemActor('isolation-audit-check'));
      await expectAuditComplete(world, auditor, (await audit?.finish()) ?? []);
      totals.checkMs += performance.now() - checking;
    } catch (error) {
      if (!(error instanceof ModelMismatch)) throw error;
      throw new ModelMismatch(
        `${error.message}\n\nthe world as generated (* = built-in):\n${initial}\n\nthe model now:\n${describeWorld(world)}\n\nthe last calls:\n${runner.recent()}`,
      );
    } finally {
      await audit?.stop();
      totals.generated += runner.stats.generated;
      totals.followUps += runner.stats.followUps;
      totals.dynamoCalls += runner.stats.dynamoCalls;
      for (const [route, counts] of Object.entries(runner.stats.byRoute)) {
        const total = totals.byRoute[route] ?? {};
        for (const [status, count] of Object.entries(counts)) total[status] = (total[status] ?? 0) + count;
        totals.byRoute[route] = total;
      }
      for (const [bug, count] of Object.entries(runner.stats.waived)) totals.waived[bug] = (totals.waived[bug] ?? 0) + count;
    }
  });

/** Runs the property; on failure, says how to replay it (no shrinking: a seed and path replay it exactly, and the report names the call). */
const checkIsolation = async (
  parameters: fc.Parameters<[unknown, unknown]>,
  waived: ReadonlySet<string> = new Set(),
  calls = callsPerWorld,
): Promise<void> => {
  const details = await fc.check(isolation(waived, calls), { endOnFailure: true, ...parameters });
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`isolation property failed: seed ${details.seed}, path "${details.counterexamplePath}"\n\n${cause}`);
  }
};

describe('tenant isolation property', () => {
  it('has a spec for every route of the route table, and nothing else', () => {
    expect(Object.keys(routeSpecs).sort()).toEqual(routes.map((route) => route.id).sort());
  });

  // The timeout guards against a hang, nothing more: alone the run takes about 200 s, but CI runs it beside the other
  // files on 2 cores, where a failing run reached its 14th world after 555 s (CI allows 90 minutes).
  it(`answers ${callsPerRun} generated calls as the reference model says`, { timeout: 1_800_000 }, async () => {
    const seed = process.env.ISOLATION_SEED ? Number(process.env.ISOLATION_SEED) : undefined;
    const before = totals.generated;
    const started = performance.now();

    // Known bugs stay pinned by their regressions (replayed below with nothing waived); here they must not hide new ones.
    // ISOLATION_WAIVE=a,b waives those instead (empty: none), to look for a fresh case of one.
    const known = new Set(
      process.env.ISOLATION_WAIVE === undefined
        ? regressions.flatMap((regression) => (regression.bug ? [regression.bug] : []))
        : process.env.ISOLATION_WAIVE.split(',').filter(Boolean),
    );
    await checkIsolation({ numRuns: worldsPerRun, ...(seed === undefined ? {} : { seed }) }, known);

    const generated = totals.generated - before;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.info(
      [
        `isolation: ${generated} generated calls (+${totals.followUps} follow-up pages) in ${worldsPerRun} worlds, ${seconds(performance.now() - started)}`,
        `(building worlds ${seconds(totals.buildMs)}, comparing tables ${seconds(totals.checkMs)}); ${totals.dynamoCalls} DynamoDB calls;`,
        `known bugs let pass: ${JSON.stringify(totals.waived)}; answers per route:`,
        ...Object.entries(totals.byRoute).map(([route, counts]) => `  ${route.padEnd(20)} ${JSON.stringify(counts)}`),
      ].join('\n'),
    );
    expect(generated).toBeGreaterThanOrEqual(callsPerRun);
  });

  for (const regression of regressions) {
    it(`regression ${regression.seed}/${regression.path}: ${regression.note.slice(0, 100)}`, { timeout: 120_000 }, async () => {
      await checkIsolation({ seed: regression.seed, path: regression.path, numRuns: 1 }, new Set(), regression.calls);
    });
  }
});

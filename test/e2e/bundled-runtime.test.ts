import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { groups } from '#functions/http/routes';
import type { LocalRuntime } from '#infra/local/runtime';
import { type BundledFunction, bundledFunctions, bundleResolver, synthesize } from './support/cdk-bundles.ts';
import { anonymous, demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import {
  allPages,
  type Client,
  clientFor,
  type Explanation,
  expectJson,
  expectProblem,
  type Me,
  type Member,
  type Org,
  type Page,
} from './support/http.ts';

/**
 * The local runtime over the very bundles `cdk synth` produced, so that a
 * bundling fault (a dynamic require, a missing external, an import that only
 * resolves next to the repository's node_modules) shows here before anyone
 * deploys. One synth, for one region.
 *
 * The bundles land in `<tmp>/node_modules/cdk.out`: outside the repository,
 * so no installed package can rescue an incomplete bundle (that folder holds
 * nothing but cdk.out), and under a folder named node_modules, so vitest
 * leaves them to Node's own loader instead of transforming megabytes of
 * minified code: Node loads them as Lambda would, and in a fraction of the time.
 */

const region = 'eu-west-1';
const synthTimeoutMs = 150_000;
const tempDir = mkdtempSync(join(tmpdir(), 'portal-synth-'));
const outDir = join(tempDir, 'node_modules', 'cdk.out');

let functions: Map<string, BundledFunction>;
let resolved: Map<string, string>;
let runtime: LocalRuntime;
let admin: Client;

beforeAll(async () => {
  await synthesize({ region, outDir, timeoutMs: synthTimeoutMs });
  functions = bundledFunctions(outDir);
  const resolver = bundleResolver(functions);
  resolved = resolver.resolved;
  runtime = await startDemoRuntime({ resolveBundle: resolver.resolveBundle });
  admin = await signIn(runtime, demoUser.partnerAdmin);
}, synthTimeoutMs + 30_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

/** The functions the local runtime runs: the authorizer, the audit consumer and one per route group. */
const everyFunction = ['audit', 'authorizer', ...Object.values(groups).map((group) => `http/${group.name}`)].sort();

describe('the synthesized bundles', () => {
  it('exist for every function of the API stack, as Node.js 22 ESM handlers', () => {
    expect([...functions.keys()]).toEqual(expect.arrayContaining(everyFunction));
    for (const fn of functions.values()) {
      expect(fn.runtime, fn.key).toBe('nodejs22.x');
      expect(fn.handler, fn.key).toBe('index.handler');
    }
  });

  it('are what the runtime serves: the authorizer, every route group and the audit consumer come from cdk.out, none from the sources', async () => {
    // The stream poller invokes the audit consumer once it reads the seed's writes, a poll or two after the start.
    await vi.waitFor(() => expect(resolved.has('audit')).toBe(true), { timeout: 5000 });
    expect([...resolved.keys()].sort()).toEqual(everyFunction);
    for (const [key, file] of resolved) {
      expect(file, key).toBe(functions.get(key)?.file);
      expect(file.startsWith(outDir), key).toBe(true);
    }
  });

  it('each load in a bare Node process, away from node_modules, with the environment the template gives it', async () => {
    // A cold start as Lambda does it: the module is imported with the function's own environment and nothing else.
    const load = (fn: BundledFunction) =>
      promisify(execFile)(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(fn.file).href)}); console.log(typeof m.handler);`,
        ],
        { cwd: outDir, env: { PATH: process.env.PATH ?? '', AWS_REGION: region, ...fn.environment }, timeout: 30_000 },
      );

    const outputs = await Promise.all([...functions.values()].map(async (fn) => [fn.key, (await load(fn)).stdout.trim()] as const));

    expect(Object.fromEntries(outputs)).toEqual(Object.fromEntries([...functions.keys()].map((key) => [key, 'function'])));
  });
});

describe('a short journey over the bundles', () => {
  let created: Org;

  it('issues a token the bundled authorizer accepts, and serves the public routes', async () => {
    const issued = await anonymous(runtime).post<{ token: string }>('/local/token', { email: demoUser.partnerAdmin });
    const me = await clientFor(runtime.url, expectJson(issued, 200).token).get<Me>('/v1/me');

    expect(expectJson(me, 200)).toMatchObject({
      email: demoUser.partnerAdmin,
      memberships: [{ orgId: demoOrg.contoso, role: 'partner-admin', builtIn: true }],
    });
    expect(expectJson(await anonymous(runtime).get('/v1/health'), 200)).toMatchObject({ status: 'ok' });
    expect(expectJson(await anonymous(runtime).get('/v1/openapi.json'), 200)).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./) });
  });

  it('reads an org in two DynamoDB calls, counted inside the bundle', async () => {
    const reply = await admin.get<Org>(`/v1/orgs/${demoOrg.contoso}`);

    expect(expectJson(reply, 200)).toMatchObject({ id: demoOrg.contoso, kind: 'partner', name: 'Contoso MSP' });
    expect(reply.headers.get('etag')).toBe(`"${reply.body.version}"`);
    expect(reply.headers.get('x-dynamodb-calls')).toBe('2');
  });

  it('creates a child idempotently', async () => {
    const send = () =>
      admin.post<Org>(
        `/v1/orgs/${demoOrg.contoso}/children`,
        { kind: 'customer', name: 'Bundled Bikes' },
        { headers: { 'idempotency-key': 'bundle-1' } },
      );

    const first = await send();
    const repeat = await send();

    created = expectJson(first, 201);
    expect(created).toMatchObject({ kind: 'customer', name: 'Bundled Bikes', parentId: demoOrg.contoso, version: 1 });
    expect(first.headers.get('location')).toBe(`/v1/orgs/${created.id}`);
    expect(expectJson(repeat, 201).id).toBe(created.id);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
  });

  it('lists children across signed cursors', async () => {
    const { items } = await allPages<Org>((cursor) =>
      admin.get<Page<Org>>(`/v1/orgs/${demoOrg.contoso}/children`, { query: { limit: 2, kind: 'customer', cursor } }),
    );

    expect(items.filter((org) => org.id === created.id)).toHaveLength(1);
    expect(items.map((org) => org.name)).toEqual([
      'Alpine Ski House',
      'Blue Yonder Airlines',
      'Bundled Bikes',
      'Coho Winery',
      'Contoso Internal IT',
      'Contoso Lab (NFR)',
    ]);
  });

  it('honours If-Match, manages members and explains access', async () => {
    const renamed = await admin.patch<Org>(`/v1/orgs/${created.id}`, { name: 'Bundled Bikes Ltd' }, { headers: { 'if-match': '"1"' } });
    const stale = await admin.patch(`/v1/orgs/${created.id}`, { name: 'Lost' }, { headers: { 'if-match': '"1"' } });
    const member = await admin.post<Member>(`/v1/orgs/${created.id}/members`, { email: 'rider@bikes.test', role: 'customer-user' });
    const userId = expectJson(member, 201).userId;
    const explained = await admin.get<Explanation>(`/v1/orgs/${created.id}/access/explain`, {
      query: { userId, permission: 'org:read' },
    });

    expect(expectJson(renamed, 200)).toMatchObject({ name: 'Bundled Bikes Ltd', version: 2 });
    expect(renamed.headers.get('etag')).toBe('"2"');
    expectProblem(stale, 412, 'precondition-failed');
    expect(expectJson(explained, 200)).toMatchObject({ allowed: true, grant: { orgId: created.id, role: 'customer-user' } });
    expect((await admin.delete(`/v1/orgs/${created.id}/members/${userId}`)).status).toBe(204);
    expect((await admin.delete(`/v1/orgs/${created.id}`)).status).toBe(204);
  });

  it('answers 404 out of scope, 403 without the permission, 401 without a token, 400 on bad input', async () => {
    const technician = await signIn(runtime, demoUser.technician);

    expectProblem(await admin.get(`/v1/orgs/${demoOrg.fabrikam}`), 404, 'not-found');
    expectProblem(await technician.patch(`/v1/orgs/${demoOrg.alpine}`, { name: 'Nope' }), 403, 'forbidden');
    expectProblem(await anonymous(runtime).get(`/v1/orgs/${demoOrg.contoso}`), 401, 'unauthorized');
    expectProblem(await clientFor(runtime.url, 'a.b.c').get('/v1/me'), 401, 'unauthorized');
    const invalid = expectProblem(
      await admin.get(`/v1/orgs/${demoOrg.contoso}/children`, { query: { limit: 0 } }),
      400,
      'validation-error',
    );
    expect(invalid.errors?.map((error) => error.path)).toEqual(['query.limit']);
  });
});

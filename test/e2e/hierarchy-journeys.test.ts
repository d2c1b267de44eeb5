import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/http/routes';
import type { LocalRuntime } from '#infra/local/runtime';
import { anonymous, demoOrg, demoService, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import {
  allPages,
  type Breadcrumb,
  type Client,
  clientFor,
  type Explanation,
  expectJson,
  expectProblem,
  type Me,
  type Member,
  type MoveResult,
  type Org,
  type Page,
  type RequestOptions,
  type RoleDoc,
} from './support/http.ts';

/**
 * The hierarchy API over real HTTP, on the demo hierarchy `npm start` seeds,
 * as the four people issue #2 names would use it: a partner admin, a
 * technician, a customer admin and an outsider. Tests within a describe run
 * in order and share what earlier steps created; each journey creates the
 * orgs it changes, so the demo orgs other journeys read stay as seeded.
 */

let runtime: LocalRuntime;
let partnerAdmin: Client;
let technician: Client;
let customerAdmin: Client;
let otherPartnerAdmin: Client;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [partnerAdmin, technician, customerAdmin, otherPartnerAdmin] = await Promise.all([
    signIn(runtime, demoUser.partnerAdmin),
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.customerAdmin),
    signIn(runtime, demoUser.otherPartnerAdmin),
  ]);
});
afterAll(async () => {
  await runtime?.stop();
});

const orgPath = (orgId: string, rest = '') => `/v1/orgs/${orgId}${rest}`;
const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
const etag = (version: number) => `"${version}"`;
const ifMatch = (value: string | null): RequestOptions => ({ headers: { 'if-match': value ?? '' } });
const randomOrgId = () => `org_${randomBytes(10).toString('hex')}`;
const userIdOf = async (client: Client): Promise<string> => {
  const me = expectJson(await client.get<Me>('/v1/me'), 200);
  expect(me.userId).toMatch(/^usr_[0-9a-z]+$/);
  return me.userId as string;
};

/** Contoso's children as seeded, in the order the API promises: by kind, then by name. */
const contosoChildren = [
  demoOrg.alpine, // Alpine Ski House
  demoOrg.bluey, // Blue Yonder Airlines
  demoOrg.coho, // Coho Winery
  demoOrg.contosoIt, // Contoso Internal IT
  demoOrg.lab, // Contoso Lab (NFR)
  demoOrg.contosoEast, // Contoso East (sub-reseller): partners sort after customers
];
/** Contoso's subtree as seeded, in path order. */
const contosoDescendants = [
  demoOrg.alpine,
  demoOrg.bluey,
  demoOrg.coho,
  demoOrg.contosoEast,
  demoOrg.adatum,
  demoOrg.margie,
  demoOrg.contosoIt,
  demoOrg.lab,
];

describe('as the partner admin (admin@contoso.test)', () => {
  it('GET /v1/me names the caller and its one membership', async () => {
    const me = expectJson(await partnerAdmin.get<Me>('/v1/me'), 200);

    expect(me).toEqual({
      userId: expect.stringMatching(/^usr_[0-9a-z]+$/),
      email: demoUser.partnerAdmin,
      principalType: 'user',
      memberships: [{ orgId: demoOrg.contoso, orgName: 'Contoso MSP', orgKind: 'partner', role: 'partner-admin', builtIn: true }],
      delegated: [],
      impersonation: null,
      apiKey: null,
    });
  });

  it('reads its partner, with the version as a strong ETag', async () => {
    const reply = await partnerAdmin.get<Org>(orgPath(demoOrg.contoso));

    const org = expectJson(reply, 200);
    expect(org).toMatchObject({
      id: demoOrg.contoso,
      kind: 'partner',
      name: 'Contoso MSP',
      status: 'active',
      path: '/org_root/org_northwind/org_contoso',
      parentId: demoOrg.northwind,
      depth: 3,
      customerType: null,
      partnerAccess: true,
      subscription: null,
      version: expect.any(Number),
    });
    expect(reply.headers.get('etag')).toBe(etag(org.version));
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages through its children two at a time: every child exactly once, by kind then name', async () => {
    const { pages, items } = await allPages<Org>((cursor) =>
      partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { limit: 2, cursor } }),
    );

    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
    expect(ids(items)).toEqual(contosoChildren);
    expect(items.every((org) => org.parentId === demoOrg.contoso)).toBe(true);
  });

  it('filters its children by kind, by name prefix (case-insensitive) and by status', async () => {
    const list = async (query: RequestOptions['query']) =>
      ids(expectJson(await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query }), 200).items);

    expect(await list({ kind: 'partner' })).toEqual([demoOrg.contosoEast]);
    expect(await list({ kind: 'customer' })).toEqual(contosoChildren.filter((id) => id !== demoOrg.contosoEast));
    expect(await list({ kind: 'customer', q: 'co' })).toEqual([demoOrg.coho, demoOrg.contosoIt, demoOrg.lab]);
    expect(await list({ q: 'CONTOSO' })).toEqual([demoOrg.contosoIt, demoOrg.lab, demoOrg.contosoEast]);
    expect(await list({ q: 'contoso e' })).toEqual([demoOrg.contosoEast]);
    expect(await list({ kind: 'channel' })).toEqual([]);
    expect(await list({ status: 'suspended' })).toEqual([]);
  });

  it('refuses a filter the API does not know, naming the field', async () => {
    const problem = expectProblem(
      await partnerAdmin.get(orgPath(demoOrg.contoso, '/children'), { query: { kind: 'galaxy' } }),
      400,
      'validation-error',
    );

    expect(problem.errors?.map((error) => error.path)).toEqual(['query.kind']);
  });

  it('lists its whole subtree in path order, paged and filtered, without the partner itself', async () => {
    const { pages, items } = await allPages<Org>((cursor) =>
      partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/descendants'), { query: { limit: 3, cursor } }),
    );
    const partners = expectJson(
      await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/descendants'), { query: { kind: 'partner' } }),
      200,
    );
    const named = expectJson(await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/descendants'), { query: { q: 'ma' } }), 200);

    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(ids(items)).toEqual(contosoDescendants);
    expect(items.every((org) => org.path.startsWith('/org_root/org_northwind/org_contoso/'))).toBe(true);
    expect(ids(partners.items)).toEqual([demoOrg.contosoEast]);
    expect(ids(named.items)).toEqual([demoOrg.margie]);
  });

  it('shows a breadcrumb that starts at its partner, not at the root or the channel', async () => {
    const deep = expectJson(await partnerAdmin.get<Breadcrumb>(orgPath(demoOrg.adatum, '/ancestors')), 200);
    const own = expectJson(await partnerAdmin.get<Breadcrumb>(orgPath(demoOrg.contoso, '/ancestors')), 200);

    expect(deep.items).toEqual([
      { id: demoOrg.contoso, name: 'Contoso MSP', kind: 'partner' },
      { id: demoOrg.contosoEast, name: 'Contoso East (sub-reseller)', kind: 'partner' },
      { id: demoOrg.adatum, name: 'Adventure Works', kind: 'customer' },
    ]);
    expect(own.items).toEqual([{ id: demoOrg.contoso, name: 'Contoso MSP', kind: 'partner' }]);
  });

  it('does not see above its partner, nor its competitor', async () => {
    for (const orgId of [demoOrg.root, demoOrg.northwind, demoOrg.fabrikam, demoOrg.tailspin]) {
      expectProblem(await partnerAdmin.get(orgPath(orgId)), 404, 'not-found');
    }
  });

  describe('a customer’s life: create, rename, members, move, delete', () => {
    const key = `e2e-create-${randomBytes(6).toString('hex')}`;
    const newCustomer = { kind: 'customer', name: 'Northwind Traders' };
    let created: Org;
    let location: string | null;
    let memberUserId: string;

    it('creates a customer under the partner with an Idempotency-Key → 201, Location and ETag', async () => {
      const reply = await partnerAdmin.post<Org>(orgPath(demoOrg.contoso, '/children'), newCustomer, {
        headers: { 'idempotency-key': key },
      });

      created = expectJson(reply, 201);
      location = reply.headers.get('location');
      expect(created).toMatchObject({
        id: expect.stringMatching(/^org_[0-9a-z]+$/),
        kind: 'customer',
        name: 'Northwind Traders',
        status: 'active',
        parentId: demoOrg.contoso,
        depth: 4,
        customerType: 'standard',
        partnerAccess: true,
        subscription: { state: 'trial', since: expect.any(String) },
        version: 1,
      });
      expect(created.path).toBe(`/org_root/org_northwind/org_contoso/${created.id}`);
      expect(location).toBe(`/v1/orgs/${created.id}`);
      expect(reply.headers.get('etag')).toBe(etag(1));
      expect(reply.headers.get('idempotent-replayed')).toBeNull();
    });

    it('answers a repeat with the same key and body with the first response, marked replayed, and creates nothing', async () => {
      const reply = await partnerAdmin.post<Org>(orgPath(demoOrg.contoso, '/children'), newCustomer, {
        headers: { 'idempotency-key': key },
      });
      const named = expectJson(
        await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { q: 'northwind traders' } }),
        200,
      );

      expect(expectJson(reply, 201)).toEqual(created);
      expect(reply.headers.get('idempotent-replayed')).toBe('true');
      expect(reply.headers.get('location')).toBe(location);
      expect(reply.headers.get('etag')).toBe(etag(1));
      expect(ids(named.items)).toEqual([created.id]);
    });

    it('answers the same key with a different body 422, and creates nothing', async () => {
      const reply = await partnerAdmin.post(
        orgPath(demoOrg.contoso, '/children'),
        { kind: 'customer', name: 'Someone Else' },
        {
          headers: { 'idempotency-key': key },
        },
      );
      const named = expectJson(
        await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { q: 'someone else' } }),
        200,
      );

      expectProblem(reply, 422, 'unprocessable');
      expect(named.items).toEqual([]);
    });

    it('never replays one caller’s response to another caller using the same key', async () => {
      const intoContoso = await otherPartnerAdmin.post(orgPath(demoOrg.contoso, '/children'), newCustomer, {
        headers: { 'idempotency-key': key },
      });
      const intoFabrikam = await otherPartnerAdmin.post<Org>(orgPath(demoOrg.fabrikam, '/children'), newCustomer, {
        headers: { 'idempotency-key': key },
      });

      expectProblem(intoContoso, 404, 'not-found');
      expect(intoContoso.text).not.toContain(created.id);
      const own = expectJson(intoFabrikam, 201);
      expect(own.id).not.toBe(created.id);
      expect(own.parentId).toBe(demoOrg.fabrikam);
      expect(intoFabrikam.headers.get('idempotent-replayed')).toBeNull();
    });

    it('lets only one of several concurrent repeats create: the others replay it or answer 409', async () => {
      const concurrentKey = `e2e-concurrent-${randomBytes(6).toString('hex')}`;
      const send = () =>
        partnerAdmin.post<Org>(
          orgPath(demoOrg.contoso, '/children'),
          { kind: 'customer', name: 'Concurrent Cafe' },
          {
            headers: { 'idempotency-key': concurrentKey },
          },
        );

      const replies = await Promise.all([send(), send(), send()]);

      const createdIds = new Set(replies.filter((reply) => reply.status === 201).map((reply) => reply.body.id));
      expect(createdIds.size).toBe(1);
      for (const reply of replies) if (reply.status !== 201) expectProblem(reply, 409, 'conflict');
      const named = expectJson(
        await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { q: 'concurrent cafe' } }),
        200,
      );
      expect(ids(named.items)).toEqual([...createdIds]);
      expect((await partnerAdmin.delete(orgPath([...createdIds][0] ?? ''))).status).toBe(204);
    });

    it('refuses a second customer with the same name (any case) under the same partner: 409', async () => {
      const problem = expectProblem(
        await partnerAdmin.post(orgPath(demoOrg.contoso, '/children'), { kind: 'customer', name: 'NORTHWIND  traders' }),
        409,
        'conflict',
      );

      expect(problem.rule).toBe('unique-name');
    });

    it('renames it with If-Match: the ETag goes round, and a stale one is 412', async () => {
      const read = await partnerAdmin.get<Org>(orgPath(created.id));
      const current = read.headers.get('etag');
      expect(current).toBe(etag(1));

      const renamed = await partnerAdmin.patch<Org>(orgPath(created.id), { name: 'Northwind Traders Ltd' }, ifMatch(current));
      const stale = await partnerAdmin.patch(orgPath(created.id), { name: 'Lost Update' }, ifMatch(current));
      const after = await partnerAdmin.get<Org>(orgPath(created.id));

      expect(expectJson(renamed, 200)).toMatchObject({ id: created.id, name: 'Northwind Traders Ltd', version: 2 });
      expect(renamed.headers.get('etag')).toBe(etag(2));
      const problem = expectProblem(stale, 412, 'precondition-failed');
      expect(problem.detail).toMatch(/version 2/);
      expect(expectJson(after, 200)).toMatchObject({ name: 'Northwind Traders Ltd', version: 2 });
      expect(after.headers.get('etag')).toBe(etag(2));
      created = after.body;
    });

    it('adds a member (201), who can then read the customer', async () => {
      const reply = await partnerAdmin.post<Member>(orgPath(created.id, '/members'), {
        email: 'Buyer@Northwind.test',
        role: 'customer-user',
      });

      const member = expectJson(reply, 201);
      expect(member).toEqual({
        userId: expect.stringMatching(/^usr_[0-9a-z]+$/),
        email: 'buyer@northwind.test',
        orgId: created.id,
        role: 'customer-user',
        builtIn: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });
      expect(reply.headers.get('etag')).toBe(etag(1));
      memberUserId = member.userId;

      const members = expectJson(await partnerAdmin.get<Page<Member>>(orgPath(created.id, '/members')), 200);
      expect(members.items.map((item) => item.email)).toEqual(['buyer@northwind.test']);

      const buyer = await signIn(runtime, 'buyer@northwind.test');
      expect(expectJson(await buyer.get<Org>(orgPath(created.id)), 200).id).toBe(created.id);
      expectProblem(await buyer.get(orgPath(demoOrg.contoso)), 404, 'not-found');
    });

    it('refuses to add the same person twice: 409', async () => {
      const problem = expectProblem(
        await partnerAdmin.post(orgPath(created.id, '/members'), { email: 'buyer@northwind.test', role: 'customer-admin' }),
        409,
        'conflict',
      );

      expect(problem.rule).toBe('already-member');
    });

    it('changes the member’s role with If-Match; a stale ETag is 412', async () => {
      const changed = await partnerAdmin.patch<Member>(
        orgPath(created.id, `/members/${memberUserId}`),
        { role: 'customer-admin' },
        ifMatch(etag(1)),
      );
      const stale = await partnerAdmin.patch(orgPath(created.id, `/members/${memberUserId}`), { role: 'customer-user' }, ifMatch(etag(1)));

      expect(expectJson(changed, 200)).toMatchObject({ userId: memberUserId, role: 'customer-admin', version: 2 });
      expect(changed.headers.get('etag')).toBe(etag(2));
      expectProblem(stale, 412, 'precondition-failed');
      const members = expectJson(await partnerAdmin.get<Page<Member>>(orgPath(created.id, '/members')), 200);
      expect(members.items).toEqual([expect.objectContaining({ userId: memberUserId, role: 'customer-admin', version: 2 })]);
    });

    it('removes the member (204, no body); the next call of that person no longer reaches the customer', async () => {
      const removed = await partnerAdmin.delete(orgPath(created.id, `/members/${memberUserId}`), ifMatch(etag(2)));
      const again = await partnerAdmin.delete(orgPath(created.id, `/members/${memberUserId}`));
      const buyer = await signIn(runtime, 'buyer@northwind.test');

      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expectProblem(again, 404, 'not-found');
      expect(expectJson(await partnerAdmin.get<Page<Member>>(orgPath(created.id, '/members')), 200).items).toEqual([]);
      expectProblem(await buyer.get(orgPath(created.id)), 404, 'not-found');
    });

    it('refuses moves that break a rule: under a customer (409), under itself (409), out of its scope (404), stale (412)', async () => {
      const underCustomer = await partnerAdmin.post(orgPath(created.id, '/move'), { newParentId: demoOrg.alpine });
      const underOwnChild = await partnerAdmin.post(orgPath(demoOrg.contoso, '/move'), { newParentId: demoOrg.contosoEast });
      const toCompetitor = await partnerAdmin.post(orgPath(created.id, '/move'), { newParentId: demoOrg.fabrikam });
      const stale = await partnerAdmin.post(orgPath(created.id, '/move'), { newParentId: demoOrg.contosoEast }, ifMatch(etag(1)));

      expect(expectProblem(underCustomer, 409, 'conflict').rule).toBe('kind');
      expect(expectProblem(underOwnChild, 409, 'conflict').rule).toBe('cycle');
      expectProblem(toCompetitor, 404, 'not-found');
      expectProblem(stale, 412, 'precondition-failed');
      expect(expectJson(await partnerAdmin.get<Org>(orgPath(created.id)), 200)).toMatchObject({ parentId: demoOrg.contoso, version: 2 });
    });

    it('dry-runs the move first: 200 with what it would do, nothing moved; a malformed dryRun is a 400', async () => {
      const move = { newParentId: demoOrg.contosoEast };
      const report = expectJson(await partnerAdmin.post(orgPath(created.id, '/move'), move, { query: { dryRun: 'true' } }), 200);
      const malformed = await partnerAdmin.post(orgPath(created.id, '/move'), move, { query: { dryRun: 'maybe' } });

      expect(report).toMatchObject({ dryRun: true, wouldSucceed: true, violations: [] });
      expect(expectProblem(malformed, 400, 'validation-error').errors?.map((error) => error.path)).toEqual(['query.dryRun']);
      expect(expectJson(await partnerAdmin.get<Org>(orgPath(created.id)), 200)).toMatchObject({ parentId: demoOrg.contoso, version: 2 });
    });

    it('moves the customer under its sub-reseller', async () => {
      const reply = await partnerAdmin.post<MoveResult>(
        orgPath(created.id, '/move'),
        { newParentId: demoOrg.contosoEast },
        ifMatch(etag(2)),
      );

      const result = expectJson(reply, 200);
      expect(result).toMatchObject({
        org: {
          id: created.id,
          parentId: demoOrg.contosoEast,
          path: `/org_root/org_northwind/org_contoso/org_contosoeast/${created.id}`,
          depth: 5,
          version: 3,
        },
        movedOrgs: 1,
        moveId: null,
      });
      expect(reply.headers.get('etag')).toBe(etag(3));

      const eastChildren = expectJson(await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contosoEast, '/children')), 200);
      const contosoChildrenNow = expectJson(await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children')), 200);
      const crumbs = expectJson(await partnerAdmin.get<Breadcrumb>(orgPath(created.id, '/ancestors')), 200);
      expect(ids(eastChildren.items)).toContain(created.id);
      expect(ids(contosoChildrenNow.items)).not.toContain(created.id);
      expect(ids(crumbs.items)).toEqual([demoOrg.contoso, demoOrg.contosoEast, created.id]);
      expect(expectJson(await partnerAdmin.get<Org>(orgPath(created.id)), 200)).toMatchObject({
        parentId: demoOrg.contosoEast,
        version: 3,
      });
    });

    it('deletes the now empty customer (204); a stale If-Match is 412 first', async () => {
      const stale = await partnerAdmin.delete(orgPath(created.id), ifMatch(etag(2)));
      const deleted = await partnerAdmin.delete(orgPath(created.id), ifMatch(etag(3)));

      expectProblem(stale, 412, 'precondition-failed');
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await partnerAdmin.get(orgPath(created.id)), 404, 'not-found');
      const eastChildren = expectJson(await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contosoEast, '/children')), 200);
      expect(ids(eastChildren.items)).toEqual([demoOrg.adatum, demoOrg.margie]);
    });

    it('refuses to delete a partner that still has customers: 409, and it stays', async () => {
      const problem = expectProblem(await partnerAdmin.delete(orgPath(demoOrg.contosoEast)), 409, 'conflict');

      expect(problem.rule).toBe('has-children');
      expect(expectJson(await partnerAdmin.get<Org>(orgPath(demoOrg.contosoEast)), 200).id).toBe(demoOrg.contosoEast);
    });
  });

  it('explains the technician’s access: reads allowed by the partner grant, writes denied for want of the permission', async () => {
    const techId = await userIdOf(technician);
    const explain = async (orgId: string, permission: string) =>
      expectJson(await partnerAdmin.get<Explanation>(orgPath(orgId, '/access/explain'), { query: { userId: techId, permission } }), 200);

    expect(await explain(demoOrg.alpine, 'org:read')).toEqual({
      allowed: true,
      reason: expect.any(String),
      grant: { kind: 'membership', orgId: demoOrg.contoso, role: 'partner-technician' },
      rule: null,
    });
    expect(await explain(demoOrg.alpine, 'org:update')).toEqual({
      allowed: false,
      reason: expect.stringContaining('org:update'),
      grant: null,
      rule: 'missing-permission',
    });
    expect(await explain(demoOrg.contoso, 'member:write')).toMatchObject({ allowed: false, rule: 'missing-permission' });
  });
});

describe('as the technician (tech@contoso.test)', () => {
  it('GET /v1/me shows the technician role at the partner', async () => {
    const me = expectJson(await technician.get<Me>('/v1/me'), 200);

    expect(me.memberships).toEqual([
      { orgId: demoOrg.contoso, orgName: 'Contoso MSP', orgKind: 'partner', role: 'partner-technician', builtIn: false },
    ]);
  });

  it('reads the partner’s orgs, lists, breadcrumbs and members', async () => {
    expect(expectJson(await technician.get<Org>(orgPath(demoOrg.contoso)), 200).id).toBe(demoOrg.contoso);
    expect(expectJson(await technician.get<Org>(orgPath(demoOrg.adatum)), 200).parentId).toBe(demoOrg.contosoEast);
    expect(
      ids(expectJson(await technician.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { limit: 100 } }), 200).items),
    ).toEqual(contosoChildren);
    expect(ids(expectJson(await technician.get<Page<Org>>(orgPath(demoOrg.contosoEast, '/descendants')), 200).items)).toEqual([
      demoOrg.adatum,
      demoOrg.margie,
    ]);
    expect(ids(expectJson(await technician.get<Breadcrumb>(orgPath(demoOrg.alpine, '/ancestors')), 200).items)).toEqual([
      demoOrg.contoso,
      demoOrg.alpine,
    ]);
    const members = expectJson(await technician.get<Page<Member>>(orgPath(demoOrg.alpine, '/members')), 200);
    expect(members.items.map((member) => member.email).sort()).toEqual([demoUser.customerAdmin, demoUser.customerUser]);
  });

  it('is refused every write in scope with a 403 problem, and nothing changes', async () => {
    const before = expectJson(await technician.get<Org>(orgPath(demoOrg.coho)), 200);

    const writes = [
      await technician.patch(orgPath(demoOrg.coho), { name: 'Coho Vineyard' }, ifMatch(etag(before.version))),
      await technician.post(orgPath(demoOrg.contoso, '/children'), { kind: 'customer', name: 'Tech Made This' }),
      await technician.post(orgPath(demoOrg.coho, '/move'), { newParentId: demoOrg.contosoEast }),
      await technician.post(orgPath(demoOrg.coho, '/move'), { newParentId: demoOrg.contosoEast }, { query: { dryRun: 'true' } }),
      await technician.delete(orgPath(demoOrg.coho)),
    ];

    for (const reply of writes) {
      const problem = expectProblem(reply, 403, 'forbidden');
      expect(problem.title).toBe('Not allowed');
      expect(problem.rule).toBe('missing-permission');
      expect(problem.detail).toMatch(/partner-technician/);
    }
    expect(expectJson(await technician.get<Org>(orgPath(demoOrg.coho)), 200)).toEqual(before);
    const named = expectJson(await technician.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { q: 'tech made' } }), 200);
    expect(named.items).toEqual([]);
  });

  it('cannot manage members: add, change and remove are 403', async () => {
    const members = expectJson(await technician.get<Page<Member>>(orgPath(demoOrg.alpine, '/members')), 200);
    const user = members.items.find((member) => member.email === demoUser.customerUser);
    expect(user).toBeDefined();
    const userPath = orgPath(demoOrg.alpine, `/members/${user?.userId}`);

    expectProblem(
      await technician.post(orgPath(demoOrg.alpine, '/members'), { email: 'friend@tech.test', role: 'customer-user' }),
      403,
      'forbidden',
    );
    expectProblem(await technician.patch(userPath, { role: 'customer-admin' }), 403, 'forbidden');
    expectProblem(await technician.delete(userPath), 403, 'forbidden');
    expect(expectJson(await technician.get<Page<Member>>(orgPath(demoOrg.alpine, '/members')), 200).items).toEqual(members.items);
  });

  it('gets for another partner’s org exactly the 404 a non-existent id gets', async () => {
    const missing = randomOrgId();
    const normalise = (text: string, orgId: string) => text.replaceAll(orgId, '{orgId}');

    for (const [path, method] of [
      ['', 'GET'],
      ['/children', 'GET'],
      ['/descendants', 'GET'],
      ['/ancestors', 'GET'],
      ['/members', 'GET'],
    ] as const) {
      const other = await technician.request(method, orgPath(demoOrg.fabrikam, path));
      const nothing = await technician.request(method, orgPath(missing, path));

      expectProblem(other, 404, 'not-found');
      expectProblem(nothing, 404, 'not-found');
      expect(normalise(other.text, demoOrg.fabrikam)).toBe(normalise(nothing.text, missing));
      expect(other.headers.get('content-type')).toBe(nothing.headers.get('content-type'));
      expect(other.headers.get('x-dynamodb-calls')).toBe(nothing.headers.get('x-dynamodb-calls'));
    }
  });

  it('gets 404, not 403, for writes outside its scope', async () => {
    expectProblem(await technician.patch(orgPath(demoOrg.tailspin), { name: 'Mine now' }), 404, 'not-found');
    expectProblem(await technician.delete(orgPath(demoOrg.tailspin)), 404, 'not-found');
    expectProblem(await technician.post(orgPath(demoOrg.fabrikam, '/children'), { kind: 'customer', name: 'X' }), 404, 'not-found');
  });
});

describe('as the customer admin (admin@alpine.test)', () => {
  it('reads its customer, and its breadcrumb starts there', async () => {
    const reply = await customerAdmin.get<Org>(orgPath(demoOrg.alpine));
    const crumbs = expectJson(await customerAdmin.get<Breadcrumb>(orgPath(demoOrg.alpine, '/ancestors')), 200);
    const children = expectJson(await customerAdmin.get<Page<Org>>(orgPath(demoOrg.alpine, '/children')), 200);

    expect(expectJson(reply, 200)).toMatchObject({
      id: demoOrg.alpine,
      kind: 'customer',
      name: 'Alpine Ski House',
      parentId: demoOrg.contoso,
      customerType: 'standard',
      subscription: { state: 'trial', since: expect.any(String) },
    });
    expect(reply.headers.get('etag')).toBe(etag(reply.body.version));
    expect(crumbs.items).toEqual([{ id: demoOrg.alpine, name: 'Alpine Ski House', kind: 'customer' }]);
    expect(children).toEqual({ items: [], nextCursor: null });
  });

  it('gets 404 for the partner above it, the channel, the root and its sibling customers', async () => {
    for (const orgId of [
      demoOrg.contoso,
      demoOrg.northwind,
      demoOrg.root,
      demoOrg.bluey,
      demoOrg.coho,
      demoOrg.contosoEast,
      demoOrg.adatum,
    ]) {
      expectProblem(await customerAdmin.get(orgPath(orgId)), 404, 'not-found');
      expectProblem(await customerAdmin.get(orgPath(orgId, '/children')), 404, 'not-found');
    }
  });

  it('renames its own customer with If-Match, and back', async () => {
    const current = expectJson(await customerAdmin.get<Org>(orgPath(demoOrg.alpine)), 200);

    const renamed = await customerAdmin.patch<Org>(
      orgPath(demoOrg.alpine),
      { name: 'Alpine Ski House AG' },
      ifMatch(etag(current.version)),
    );
    const back = await customerAdmin.patch<Org>(orgPath(demoOrg.alpine), { name: 'Alpine Ski House' }, ifMatch(etag(current.version + 1)));

    expect(expectJson(renamed, 200)).toMatchObject({ name: 'Alpine Ski House AG', version: current.version + 1 });
    expect(expectJson(back, 200)).toMatchObject({ name: 'Alpine Ski House', version: current.version + 2 });
  });

  it('manages its members: list, add, change role, remove', async () => {
    const listed = expectJson(await customerAdmin.get<Page<Member>>(orgPath(demoOrg.alpine, '/members')), 200);
    expect(listed.items.map((member) => [member.email, member.role, member.builtIn]).sort()).toEqual([
      [demoUser.customerAdmin, 'customer-admin', true],
      [demoUser.customerUser, 'customer-user', false],
    ]);

    const added = expectJson(
      await customerAdmin.post<Member>(orgPath(demoOrg.alpine, '/members'), { email: 'ski.instructor@alpine.test', role: 'customer-user' }),
      201,
    );
    const changed = await customerAdmin.patch<Member>(
      orgPath(demoOrg.alpine, `/members/${added.userId}`),
      { role: 'customer-admin' },
      ifMatch(etag(added.version)),
    );
    expect(expectJson(changed, 200)).toMatchObject({ role: 'customer-admin', version: added.version + 1 });

    const removed = await customerAdmin.delete(orgPath(demoOrg.alpine, `/members/${added.userId}`), ifMatch(changed.headers.get('etag')));
    expect(removed.status).toBe(204);
    const after = expectJson(await customerAdmin.get<Page<Member>>(orgPath(demoOrg.alpine, '/members')), 200);
    expect(after.items.map((member) => member.email)).not.toContain('ski.instructor@alpine.test');
  });

  it('cannot hand out a role carrying permissions it does not hold (403), nor a role that does not fit a customer (400)', async () => {
    const escalation = await customerAdmin.post(orgPath(demoOrg.alpine, '/members'), { email: 'books@alpine.test', role: 'billing-admin' });
    const misfit = await customerAdmin.post(orgPath(demoOrg.alpine, '/members'), { email: 'boss@alpine.test', role: 'partner-admin' });

    expect(expectProblem(escalation, 403, 'forbidden').rule).toBe('no-escalation');
    expect(expectProblem(misfit, 400, 'validation-error').errors).toEqual([{ path: 'body.role', message: expect.any(String) }]);
  });

  it('cannot create children: 403 for want of org:create, which is checked before the kind rule', async () => {
    // A customer may hold no children (a 409 by the kind rule), but the caller lacks org:create there, and permission comes first.
    const problem = expectProblem(
      await customerAdmin.post(orgPath(demoOrg.alpine, '/children'), { kind: 'customer', name: 'Alpine Kids Club' }),
      403,
      'forbidden',
    );

    expect(problem.rule).toBe('missing-permission');
    expect(problem.detail).toMatch(/org:create/);
  });

  it('cannot delete or move its own customer: 403', async () => {
    expectProblem(await customerAdmin.delete(orgPath(demoOrg.alpine)), 403, 'forbidden');
    expectProblem(await customerAdmin.post(orgPath(demoOrg.alpine, '/move'), { newParentId: demoOrg.alpine }), 403, 'forbidden');
  });
});

describe('as an outsider (a valid token, no memberships)', () => {
  let outsider: Client;
  let someUserId: string;
  beforeAll(async () => {
    const issued = await clientFor(runtime.url).post<{ token: string }>('/local/token', { email: 'stranger@elsewhere.test' });
    outsider = clientFor(runtime.url, expectJson(issued, 200).token);
    someUserId = await userIdOf(partnerAdmin);
  });

  it('GET /v1/me answers 200 with no memberships', async () => {
    expect(expectJson(await outsider.get<Me>('/v1/me'), 200)).toEqual({
      userId: null,
      email: 'stranger@elsewhere.test',
      principalType: 'user',
      memberships: [],
      delegated: [],
      impersonation: null,
      apiKey: null,
    });
  });

  /** A request each org route accepts as valid, so that only scope decides the answer. */
  const validRequests: Record<string, RequestOptions> = {
    getOrg: {},
    updateOrg: { body: { name: 'Taken Over' } },
    deleteOrg: {},
    createChildOrg: { body: { kind: 'customer', name: 'Outsider Inc' } },
    listChildOrgs: { query: { limit: 5 } },
    listDescendantOrgs: { query: { kind: 'customer' } },
    listAncestorOrgs: {},
    moveOrg: { body: { newParentId: demoOrg.contosoEast } },
    listMembers: {},
    addMember: { body: { email: 'stranger@elsewhere.test', role: 'customer-admin' } },
    updateMember: { body: { role: 'customer-admin' } },
    removeMember: {},
    explainAccess: { query: { permission: 'org:read' } },
    listAccess: { query: { limit: 5 } },
    listExternalAdmins: {},
    addExternalAdmin: { body: { email: 'stranger@elsewhere.test', role: 'customer-admin' } },
    removeExternalAdmin: {},
    setPartnerAccess: { body: { enabled: false } },
    listAudit: { query: { limit: 5 } },
    verifyAudit: {},
    listApiKeys: {},
    createApiKey: { body: { name: 'Outsider key', role: 'read-only' } },
    revokeApiKey: {},
    getProfile: {},
    putProfile: { body: { website: 'https://taken-over.example' } },
    getConfig: {},
    putConfig: { body: { outboundIps: ['20.31.14.66'] } },
    listApplications: { query: { status: 'pending' } },
    startImpersonation: { body: { reason: 'Let me in, ticket 42', minutes: 5 } },
    listImpersonations: { query: { status: 'active' } },
    listPortalRoles: {},
    createPortalRole: { body: { name: 'Outsiders', permissions: ['view-projects'] } },
    listRequesters: {},
    addRequester: { body: { email: 'stranger@elsewhere.test', portalRole: 'client-admin' } },
    updateRequester: { body: { portalRole: 'client-admin' } },
    removeRequester: {},
    listTickets: { query: { status: 'open' } },
    createTicket: { body: { title: 'Let me in', description: 'Please', priority: 'urgent', category: 'account' } },
    listProjects: {},
    createProject: { body: { name: 'Takeover', visibleToClient: true } },
    listAssets: {},
    createAsset: { body: { name: 'Trojan horse', type: 'other' } },
    createDocument: { body: { title: 'Leak', category: 'other', content: 'x' } },
    listDocuments: {},
    listQuotes: {},
    createQuote: { body: { title: 'Cheap', currency: 'EUR', lines: [{ description: 'x', quantity: 1, unitAmount: 1 }] } },
    getPortalSummary: {},
    createService: { body: { providerOrgId: demoOrg.fabrikam, name: 'Outsider service', accountIds: [] } },
    listServices: {},
    getPriceBook: {},
    putPriceBook: { body: { entries: [] } },
    listInvoices: { query: { status: 'issued' } },
    createInvoice: { body: { currency: 'EUR', taxRate: '20', dueDate: '2099-12-31', lines: [{ sku: 'M365-BP', quantity: 1 }] } },
    exportInvoices: {},
    getBillingHistory: {},
  };
  /** Every route addressed to an org (`/v1/orgs/{orgId}…`, and later `{customerId}`, `{partnerId}`…). */
  const orgRoutes = routes.filter((route) => /^\/v1\/orgs\/\{\w+\}/.test(route.path));

  it('has a valid request for every org route in the route table', () => {
    expect(orgRoutes.map((route) => route.id).sort()).toEqual(Object.keys(validRequests).sort());
  });

  it.each(orgRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers 404 wherever it points',
    async (_, route) => {
      const sample = validRequests[route.id] ?? {};
      for (const orgId of [demoOrg.root, demoOrg.contoso, demoOrg.alpine, randomOrgId()]) {
        const path = route.path
          .replace(/^\/v1\/orgs\/\{\w+\}/, `/v1/orgs/${orgId}`)
          .replace('{userId}', someUserId)
          .replace('{keyId}', 'key_0abc');
        const query = route.id === 'explainAccess' ? { ...sample.query, userId: someUserId } : sample.query;

        const reply = await outsider.request(route.method, path, { ...sample, ...(query ? { query } : {}) });

        expectProblem(reply, 404, 'not-found');
      }
    },
  );

  /** A request each service route accepts as valid, so that only scope decides the answer. */
  const validServiceRequests = (): Record<string, RequestOptions> => ({
    getService: {},
    updateService: { body: { status: 'ended' } },
    listServiceCandidates: { query: { mode: 'grant', accountIds: demoOrg.alpine } },
    grantServiceAccess: { body: { userIds: [someUserId], accountIds: [demoOrg.alpine] } },
    revokeServiceAccess: { body: { userIds: [someUserId], accountIds: [demoOrg.alpine] } },
  });
  /** Every route addressed to a service (`/v1/services/{serviceId}…`). */
  const serviceRoutes = routes.filter((route) => /^\/v1\/services\/\{serviceId\}/.test(route.path));

  it('has a valid request for every service route in the route table', () => {
    expect(serviceRoutes.map((route) => route.id).sort()).toEqual(Object.keys(validServiceRequests()).sort());
  });

  it.each(serviceRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers 404 for the seeded service exactly as for a missing one',
    async (_, route) => {
      const sample = validServiceRequests()[route.id] ?? {};
      const details = new Set<string>();
      for (const serviceId of [demoService.id, `svc_${randomBytes(10).toString('hex')}`]) {
        const reply = await outsider.request(route.method, route.path.replace('{serviceId}', serviceId), sample);

        details.add(expectProblem(reply, 404, 'not-found').detail);
      }
      expect([...details]).toEqual(['The service was not found']);
    },
  );

  it('changed nothing with all those calls', async () => {
    const contoso = expectJson(await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { q: 'outsider' } }), 200);
    const members = expectJson(await partnerAdmin.get<Page<Member>>(orgPath(demoOrg.alpine, '/members')), 200);

    expect(contoso.items).toEqual([]);
    expect(members.items.map((member) => member.email)).not.toContain('stranger@elsewhere.test');
    const service = expectJson(await partnerAdmin.get<{ status: string; version: number }>(`/v1/services/${demoService.id}`), 200);
    expect(service).toMatchObject({ status: 'active', version: 1 });
  });

  it('without a token, or with a forged one, gets 401 everywhere but the public routes', async () => {
    const nobody = anonymous(runtime);
    const forged = clientFor(runtime.url, 'eyJhbGciOiJFUzI1NiJ9.eyJlbWFpbCI6ImFkbWluQGNvbnRvc28udGVzdCJ9.c2lnbmF0dXJl');

    for (const client of [nobody, forged]) {
      expectProblem(await client.get('/v1/me'), 401, 'unauthorized');
      expectProblem(await client.get('/v1/roles'), 401, 'unauthorized');
      expectProblem(await client.get(orgPath(demoOrg.contoso)), 401, 'unauthorized');
      expectProblem(await client.post(orgPath(demoOrg.contoso, '/children'), { kind: 'customer', name: 'Anon' }), 401, 'unauthorized');
      expect((await client.get('/v1/health')).status).toBe(200);
    }
  });

  it('GET /v1/roles lists the eight roles and what each carries', async () => {
    const { items } = expectJson(await outsider.get<{ items: RoleDoc[] }>('/v1/roles'), 200);

    expect(items.map((role) => role.name)).toEqual([
      'platform-admin',
      'channel-admin',
      'partner-admin',
      'partner-technician',
      'billing-admin',
      'customer-admin',
      'customer-user',
      'read-only',
    ]);
    for (const role of items) {
      expect(role.description).not.toBe('');
      expect(role.permissions.length).toBeGreaterThan(0);
      expect(role.assignableAt.length).toBeGreaterThan(0);
    }
    const permissionsOf = (name: string) => items.find((role) => role.name === name)?.permissions ?? [];
    expect(permissionsOf('partner-technician')).toContain('org:read');
    expect(permissionsOf('partner-technician')).not.toContain('org:create');
    expect(permissionsOf('customer-admin')).toEqual(expect.arrayContaining(['member:write', 'org:update']));
    expect(permissionsOf('customer-admin')).not.toContain('org:create');
  });
});

describe('DynamoDB round trips per request', () => {
  it('GET /v1/orgs/{id}: one GetItem and one Query, in parallel', async () => {
    const reply = await partnerAdmin.get(orgPath(demoOrg.alpine));

    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-dynamodb-calls')).toBe('2');
    // The authorizer resolves the email once per container, then from its cache.
    expect(Number(reply.headers.get('x-dynamodb-calls-authorizer'))).toBeLessThanOrEqual(1);
  });

  it('GET /v1/orgs/{id}/children: the page Query alongside the two authorization reads', async () => {
    const first = await partnerAdmin.get<Page<Org>>(orgPath(demoOrg.contoso, '/children'), { query: { limit: 2 } });
    const next = await partnerAdmin.get(orgPath(demoOrg.contoso, '/children'), {
      query: { limit: 2, cursor: first.body.nextCursor ?? '' },
    });

    expect(first.status).toBe(200);
    expect(first.headers.get('x-dynamodb-calls')).toBe('3');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-dynamodb-calls')).toBe('3');
  });
});

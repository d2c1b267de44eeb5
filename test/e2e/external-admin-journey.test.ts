import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { type Client, type Explanation, expectJson, expectProblem, type Me, type Member, type Page } from './support/http.ts';

/**
 * An external administrator over real HTTP, on the demo hierarchy: Alpine
 * Ski House's own admin makes Fabrikam's admin (another partner's person)
 * an administrator of Alpine alone; they manage Alpine's members, find
 * nothing at Alpine's siblings, are stopped by Alpine switching partner
 * access off, and lose everything at removal. Steps run in order.
 */

interface ExternalAdmin {
  userId: string;
  email: string;
  orgId: string;
  role: string;
  expiresAt: string;
  version: number;
}

interface AccessItem {
  principalType: string;
  principalId: string;
  email: string | null;
  role: string;
  via: { kind: string; orgId: string; expiresAt?: string };
  effective: boolean;
  blockedBy?: string;
}

interface AccessPage extends Page<AccessItem> {
  heldAboveScope: { grants: number; effective: boolean; blockedBy?: string } | null;
}

interface DryRun {
  dryRun: true;
  wouldSucceed: boolean;
  usersLosingAccess: { userId: string; email: string | null; orgId: string; via: string }[];
  losingAccessAboveScope?: number;
}

let runtime: LocalRuntime;
let alpineAdmin: Client;
let fabrikamAdmin: Client;
let alpineUser: Client;
let technician: Client;
let fabrikamUserId = '';

const alpine = (rest = '') => `/v1/orgs/${demoOrg.alpine}${rest}`;
const day = 86_400_000;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [alpineAdmin, fabrikamAdmin, alpineUser, technician] = await Promise.all([
    signIn(runtime, demoUser.customerAdmin),
    signIn(runtime, demoUser.otherPartnerAdmin),
    signIn(runtime, demoUser.customerUser),
    signIn(runtime, demoUser.technician),
  ]);
  fabrikamUserId = expectJson(await fabrikamAdmin.get<Me>('/v1/me'), 200).userId ?? '';
});
afterAll(async () => {
  await runtime?.stop();
});

describe('an external admin of Alpine Ski House (admin@fabrikam.test)', () => {
  it('is not in Alpine at first', async () => {
    expectProblem(await fabrikamAdmin.get(alpine('/members')), 404, 'not-found');
  });

  it('is added by Alpine’s own admin, with a role and a year’s expiry', async () => {
    const reply = await alpineAdmin.post<ExternalAdmin>(alpine('/external-admins'), {
      email: demoUser.otherPartnerAdmin,
      role: 'customer-admin',
    });

    const grant = expectJson(reply, 201);
    expect(grant).toMatchObject({
      userId: fabrikamUserId,
      email: demoUser.otherPartnerAdmin,
      orgId: demoOrg.alpine,
      role: 'customer-admin',
      version: 1,
    });
    expect(Date.parse(grant.expiresAt)).toBeGreaterThan(Date.now() + 364 * day);
    expect(reply.headers.get('etag')).toBe('"1"');
    const listed = expectJson(await alpineAdmin.get<Page<ExternalAdmin>>(alpine('/external-admins')), 200);
    expect(listed.items.map((item) => item.userId)).toEqual([fabrikamUserId]);
  });

  it('shows in /v1/me, in Alpine’s access listing, and in explanations', async () => {
    const me = expectJson(await fabrikamAdmin.get<Me>('/v1/me'), 200);
    const access = expectJson(await alpineAdmin.get<AccessPage>(alpine('/access'), { query: { limit: 100 } }), 200);
    const explanation = expectJson(
      await alpineAdmin.get<Explanation>(alpine('/access/explain'), { query: { userId: fabrikamUserId, permission: 'member:write' } }),
      200,
    );

    expect(me.delegated).toEqual([expect.objectContaining({ kind: 'external-admin', orgId: demoOrg.alpine, role: 'customer-admin' })]);
    expect(access.items).toContainEqual(
      expect.objectContaining({
        principalId: fabrikamUserId,
        via: expect.objectContaining({ kind: 'external-admin', orgId: demoOrg.alpine }),
        effective: true,
      }),
    );
    // Alpine's admin sees Alpine alone: Contoso's, Northwind's and the platform's people are counted, not named.
    expect(access.items.every((item) => item.via.orgId === demoOrg.alpine)).toBe(true);
    expect(access.heldAboveScope).toMatchObject({ effective: true });
    expect(access.heldAboveScope?.grants).toBeGreaterThan(0);
    expect(explanation).toMatchObject({ allowed: true, grant: { kind: 'external-admin', orgId: demoOrg.alpine, role: 'customer-admin' } });
  });

  it('manages Alpine’s members', async () => {
    const added = expectJson(
      await fabrikamAdmin.post<Member>(alpine('/members'), { email: 'seasonal@alpine.test', role: 'customer-user' }),
      201,
    );
    const members = expectJson(await fabrikamAdmin.get<Page<Member>>(alpine('/members'), { query: { limit: 100 } }), 200);

    expect(members.items.map((member) => member.email)).toContain('seasonal@alpine.test');
    expect((await fabrikamAdmin.delete(alpine(`/members/${added.userId}`))).status).toBe(204);
  });

  it('finds nothing at Alpine’s siblings or its partner: 404, as for any org out of reach', async () => {
    for (const orgId of [demoOrg.bluey, demoOrg.coho, demoOrg.contoso]) {
      expectProblem(await fabrikamAdmin.get(`/v1/orgs/${orgId}`), 404, 'not-found');
      expectProblem(await fabrikamAdmin.get(`/v1/orgs/${orgId}/members`), 404, 'not-found');
    }
  });

  it('is stopped by Alpine switching partner access off (403 partner-access-off), and let in again when it is on', async () => {
    const dryRun = expectJson(
      await alpineAdmin.put<DryRun>(alpine('/partner-access'), { enabled: false }, { query: { dryRun: 'true' } }),
      200,
    );
    expect(dryRun.usersLosingAccess).toContainEqual({
      userId: fabrikamUserId,
      email: demoUser.otherPartnerAdmin,
      orgId: demoOrg.alpine,
      via: 'external-admin',
    });
    expect(dryRun.losingAccessAboveScope).toBeGreaterThan(0);

    expectJson(await alpineAdmin.put(alpine('/partner-access'), { enabled: false }), 200);
    expectProblem(await fabrikamAdmin.get(alpine('/members')), 403, 'partner-access-off');
    const access = expectJson(await alpineAdmin.get<AccessPage>(alpine('/access'), { query: { limit: 100 } }), 200);
    expect(access.items).toContainEqual(
      expect.objectContaining({ principalId: fabrikamUserId, effective: false, blockedBy: 'partner-access-off' }),
    );
    expect(access.heldAboveScope).toMatchObject({ effective: false, blockedBy: 'partner-access-off' });

    expectJson(await alpineAdmin.put(alpine('/partner-access'), { enabled: true }), 200);
    expectJson(await fabrikamAdmin.get(alpine('/members')), 200);
  });

  it('cannot be added twice, and Alpine’s own members cannot be made external admins', async () => {
    expect(
      expectProblem(await alpineAdmin.post(alpine('/external-admins'), { email: demoUser.otherPartnerAdmin, role: 'customer-user' }), 409)
        .rule,
    ).toBe('already-external-admin');
    expect(
      expectProblem(await alpineAdmin.post(alpine('/external-admins'), { email: demoUser.customerUser, role: 'customer-admin' }), 409).rule,
    ).toBe('own-member');
  });

  it('removal: a dry run first, then the grant ends on the next call', async () => {
    const dryRun = expectJson(
      await alpineAdmin.delete<DryRun>(alpine(`/external-admins/${fabrikamUserId}`), { query: { dryRun: 'true' } }),
      200,
    );
    expect(dryRun).toMatchObject({
      dryRun: true,
      wouldSucceed: true,
      usersLosingAccess: [{ userId: fabrikamUserId, email: demoUser.otherPartnerAdmin, orgId: demoOrg.alpine, via: 'external-admin' }],
    });
    expectJson(await fabrikamAdmin.get(alpine('/members')), 200);

    expect((await alpineAdmin.delete(alpine(`/external-admins/${fabrikamUserId}`), { headers: { 'if-match': '"1"' } })).status).toBe(204);

    expectProblem(await fabrikamAdmin.get(alpine('/members')), 404, 'not-found');
    expect(expectJson(await fabrikamAdmin.get<Me>('/v1/me'), 200).delegated).toEqual([]);
    expectProblem(await alpineAdmin.delete(alpine(`/external-admins/${fabrikamUserId}`)), 404, 'not-found');
  });
});

describe('the external-admins routes’ refusals', () => {
  it('400 names the field: an expiry in the past or beyond two years, a role a customer cannot hold', async () => {
    for (const expiresAt of [new Date(Date.now() - day).toISOString(), new Date(Date.now() + 731 * day).toISOString()]) {
      const problem = expectProblem(
        await alpineAdmin.post(alpine('/external-admins'), { email: 'x@elsewhere.test', role: 'customer-user', expiresAt }),
        400,
      );
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'body.expiresAt' })]);
    }
    const role = expectProblem(
      await alpineAdmin.post(alpine('/external-admins'), { email: 'x@elsewhere.test', role: 'partner-admin' }),
      400,
    );
    expect(role.errors).toEqual([expect.objectContaining({ path: 'body.role' })]);
    const unknown = expectProblem(
      await alpineAdmin.post(alpine('/external-admins'), { email: 'x@elsewhere.test', role: 'customer-user', extra: 1 }),
      400,
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ path: 'body.extra' })]);
  });

  it('403 for people in scope without the permission, 404 for people out of scope', async () => {
    expectProblem(await alpineUser.get(alpine('/external-admins')), 403, 'forbidden');
    expectProblem(await alpineUser.get(alpine('/access')), 403, 'forbidden');
    expectProblem(
      await technician.post(alpine('/external-admins'), { email: 'x@elsewhere.test', role: 'customer-user' }),
      403,
      'forbidden',
    );
    expectProblem(await fabrikamAdmin.get(alpine('/external-admins')), 404, 'not-found');
    expectProblem(await fabrikamAdmin.delete(alpine(`/external-admins/${fabrikamUserId}`)), 404, 'not-found');
    expectProblem(await fabrikamAdmin.get(alpine('/access')), 404, 'not-found');
  });

  it('409 customers-only: a partner has no external admins', async () => {
    const partnerAdmin = await signIn(runtime, demoUser.partnerAdmin);
    const problem = expectProblem(
      await partnerAdmin.post(`/v1/orgs/${demoOrg.contoso}/external-admins`, { email: 'x@elsewhere.test', role: 'customer-user' }),
      409,
    );
    expect(problem.rule).toBe('customers-only');
  });

  it('the seeded external admin (consultant@litware.test) administers Coho Winery', async () => {
    const consultant = await signIn(runtime, demoUser.consultant);
    const me = expectJson(await consultant.get<Me>('/v1/me'), 200);

    expect(me.delegated).toEqual([expect.objectContaining({ kind: 'external-admin', orgId: demoOrg.coho, role: 'customer-admin' })]);
    expectJson(await consultant.get(`/v1/orgs/${demoOrg.coho}/members`), 200);
    expectProblem(await consultant.get(`/v1/orgs/${demoOrg.bluey}`), 404, 'not-found');
  });
});

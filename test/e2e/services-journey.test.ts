import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoService, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { type Client, expectJson, expectProblem, type Me, type Page } from './support/http.ts';

/**
 * "A provider user assigned to two of five accounts", over real HTTP on the
 * demo hierarchy: Contoso shares five customers with Litware as `read-only`,
 * and Litware's engineer is assigned to Alpine and Blue Yonder. Steps run in
 * order and build on each other: the engineer's reach, Litware's admin
 * assigning and revoking in bulk, Contoso removing and re-adding an account,
 * the audit trail, and the end of the service.
 */

interface ServiceAccount {
  accountId: string;
  name: string | null;
  status: string;
  users: { userId: string; email: string }[];
}
interface Service {
  id: string;
  status: string;
  role: string;
  ownerOrgId: string;
  providerOrgId: string;
  version: number;
  accounts: ServiceAccount[];
}
interface Candidate {
  userId: string;
  email: string;
  currentAccess: number;
}
interface DryRun {
  dryRun: true;
  wouldSucceed: boolean;
  usersLosingAccess: { userId: string; email: string | null; orgId: string; via: string }[];
  accountsAffected: string[];
}
interface ServiceGrant {
  orgId: string;
  kind: string;
  role: string;
  serviceId: string;
}
interface AuditEntry {
  action: string;
  orgId: string;
  actor: string;
  targetId: string;
}

let runtime: LocalRuntime;
let engineer: Client;
let providerAdmin: Client;
let ownerAdmin: Client;
let technician: Client;
let otherPartnerAdmin: Client;
let engineerId: string;

const servicePath = (rest = '') => `/v1/services/${demoService.id}${rest}`;
const users = (service: Service, accountId: string) => service.accounts.find((a) => a.accountId === accountId)?.users.map((u) => u.userId);

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [engineer, providerAdmin, ownerAdmin, technician, otherPartnerAdmin] = await Promise.all([
    signIn(runtime, demoUser.providerEngineer),
    signIn(runtime, demoUser.providerAdmin),
    signIn(runtime, demoUser.partnerAdmin),
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.otherPartnerAdmin),
  ]);
  engineerId = expectJson(await engineer.get<Me>('/v1/me'), 200).userId as string;
});
afterAll(async () => {
  await runtime?.stop();
});

describe('a provider user assigned to two of five accounts', () => {
  it('sees its two accounts, with the service and its role, in /v1/me', async () => {
    const me = expectJson(await engineer.get<Omit<Me, 'delegated'> & { delegated: ServiceGrant[] }>('/v1/me'), 200);

    expect(me.delegated.map(({ orgId, kind, role, serviceId }) => ({ orgId, kind, role, serviceId }))).toEqual(
      demoService.assigned.map((orgId) => ({ orgId, kind: 'service', role: 'read-only', serviceId: demoService.id })),
    );
  });

  it('reads those two with the service’s role, and may not change them', async () => {
    for (const orgId of demoService.assigned) {
      expect(expectJson(await engineer.get<{ id: string }>(`/v1/orgs/${orgId}`), 200).id).toBe(orgId);
      expectJson(await engineer.get(`/v1/orgs/${orgId}/members`), 200);
      expectProblem(await engineer.post(`/v1/orgs/${orgId}/members`, { email: 'x@litware.test', role: 'customer-user' }), 403, 'forbidden');
      expectProblem(await engineer.patch(`/v1/orgs/${orgId}`, { name: 'Renamed by Litware' }), 403, 'forbidden');
    }
  });

  it('reaches nothing else: not the other three accounts, not Contoso, not Contoso’s other orgs', async () => {
    for (const orgId of [
      demoOrg.coho,
      demoOrg.contosoIt,
      demoOrg.lab,
      demoOrg.contoso,
      demoOrg.contosoEast,
      demoOrg.adatum,
      demoOrg.northwind,
    ]) {
      expectProblem(await engineer.get(`/v1/orgs/${orgId}`), 404, 'not-found');
    }
  });

  it('shows the service to both sides, and to nobody else (the same 404 as a missing service)', async () => {
    const fromProvider = expectJson(await providerAdmin.get<Service>(servicePath()), 200);
    const fromOwner = expectJson(await technician.get<Service>(servicePath()), 200);

    expect(fromOwner).toEqual(fromProvider);
    expect(fromOwner).toMatchObject({ ownerOrgId: demoOrg.contoso, providerOrgId: demoOrg.litware, role: 'read-only', status: 'active' });
    expect(fromOwner.accounts.map((a) => a.accountId)).toEqual([...demoService.accounts].sort());
    for (const orgId of demoService.assigned) expect(users(fromOwner, orgId)).toEqual([engineerId]);
    const hidden = expectProblem(await otherPartnerAdmin.get(servicePath()), 404, 'not-found');
    const missing = expectProblem(await otherPartnerAdmin.get('/v1/services/svc_doesnotexist'), 404, 'not-found');
    expect(hidden.detail).toBe(missing.detail);
    const received = expectJson(await providerAdmin.get<Page<{ id: string; side: string }>>(`/v1/orgs/${demoOrg.litware}/services`), 200);
    expect(received.items).toEqual([expect.objectContaining({ id: demoService.id, side: 'provider' })]);
  });
});

describe('the provider’s admin assigns and revokes', () => {
  it('lists candidates with how many of the selected accounts each holds', async () => {
    const selected = [demoOrg.alpine, demoOrg.coho].join(',');
    const grant = expectJson(
      await providerAdmin.get<Page<Candidate>>(servicePath('/candidates'), { query: { mode: 'grant', accountIds: selected } }),
      200,
    );
    const revoke = expectJson(
      await providerAdmin.get<Page<Candidate>>(servicePath('/candidates'), { query: { mode: 'revoke', accountIds: demoOrg.coho } }),
      200,
    );

    expect(grant.items.find((c) => c.userId === engineerId)).toMatchObject({ email: demoUser.providerEngineer, currentAccess: 1 });
    expect(revoke.items).toEqual([]);
  });

  it('grants Coho in bulk, says what changed, and a repeat changes nothing', async () => {
    const pairs = { userIds: [engineerId], accountIds: [demoOrg.alpine, demoOrg.coho] };

    expect(expectJson(await providerAdmin.post(servicePath('/grants'), pairs), 200)).toEqual({
      granted: 1,
      unchanged: 1,
      pairs: 2,
      transactions: 1,
    });
    expect(expectJson(await providerAdmin.post(servicePath('/grants'), pairs), 200)).toEqual({
      granted: 0,
      unchanged: 2,
      pairs: 2,
      transactions: 0,
    });
    expectJson(await engineer.get(`/v1/orgs/${demoOrg.coho}`), 200);
  });

  it('refuses users of other orgs, naming them, and lets only the provider’s admins assign', async () => {
    const contosoAdminId = expectJson(await ownerAdmin.get<Me>('/v1/me'), 200).userId as string;

    const refused = expectProblem(
      await providerAdmin.post(servicePath('/grants'), { userIds: [contosoAdminId], accountIds: [demoOrg.coho] }),
      409,
      'conflict',
    );
    expect(refused).toMatchObject({ rule: 'not-provider-members', userIds: [contosoAdminId] });
    expectProblem(await ownerAdmin.post(servicePath('/grants'), { userIds: [engineerId], accountIds: [demoOrg.lab] }), 403, 'forbidden');
    expectProblem(await engineer.post(servicePath('/grants'), { userIds: [engineerId], accountIds: [demoOrg.lab] }), 403, 'forbidden');
  });

  it('revokes Coho after a dry run that names what would go', async () => {
    const pairs = { userIds: [engineerId], accountIds: [demoOrg.coho] };
    const report = expectJson(await providerAdmin.post<DryRun>(servicePath('/revocations'), pairs, { query: { dryRun: 'true' } }), 200);
    expect(report).toMatchObject({
      dryRun: true,
      wouldSucceed: true,
      usersLosingAccess: [{ userId: engineerId, email: demoUser.providerEngineer, orgId: demoOrg.coho, via: 'service' }],
      accountsAffected: [demoOrg.coho],
    });
    expectJson(await engineer.get(`/v1/orgs/${demoOrg.coho}`), 200);

    expect(expectJson(await providerAdmin.post(servicePath('/revocations'), pairs), 200)).toEqual({
      revoked: 1,
      unchanged: 0,
      pairs: 1,
      transactions: 1,
    });
    expectProblem(await engineer.get(`/v1/orgs/${demoOrg.coho}`), 404, 'not-found');
  });
});

describe('the owner removes and re-adds an account', () => {
  it('removes Alpine: the engineer loses it on the next call', async () => {
    const report = expectJson(
      await ownerAdmin.patch<DryRun>(servicePath(), { removeAccountIds: [demoOrg.alpine] }, { query: { dryRun: 'true' } }),
      200,
    );
    expect(report).toMatchObject({
      usersLosingAccess: [{ userId: engineerId, orgId: demoOrg.alpine, via: 'service' }],
      accountsAffected: [demoOrg.alpine],
    });

    const service = expectJson(await ownerAdmin.patch<Service>(servicePath(), { removeAccountIds: [demoOrg.alpine] }), 200);

    expect(service.accounts.map((a) => a.accountId)).not.toContain(demoOrg.alpine);
    expectProblem(await engineer.get(`/v1/orgs/${demoOrg.alpine}`), 404, 'not-found');
    expectJson(await engineer.get(`/v1/orgs/${demoOrg.bluey}`), 200);
  });

  it('adds Alpine again: nothing of the old assignment comes back', async () => {
    const service = expectJson(await ownerAdmin.patch<Service>(servicePath(), { addAccountIds: [demoOrg.alpine] }), 200);

    expect(service.accounts.find((a) => a.accountId === demoOrg.alpine)).toMatchObject({ status: 'active', users: [] });
    expectProblem(await engineer.get(`/v1/orgs/${demoOrg.alpine}`), 404, 'not-found');
  });

  it('lets only the owner’s side change the service', async () => {
    expectProblem(await providerAdmin.patch(servicePath(), { removeAccountIds: [demoOrg.bluey] }), 403, 'forbidden');
    expectProblem(await technician.patch(servicePath(), { removeAccountIds: [demoOrg.bluey] }), 403, 'forbidden');
    expectProblem(await otherPartnerAdmin.patch(servicePath(), { removeAccountIds: [demoOrg.bluey] }), 404, 'not-found');
  });

  it('records each grant and removal in the account’s audit trail, with its actor', async () => {
    const providerAdminId = expectJson(await providerAdmin.get<Me>('/v1/me'), 200).userId as string;
    const actions = async (orgId: string) =>
      expectJson(await ownerAdmin.get<Page<AuditEntry>>(`/v1/orgs/${orgId}/audit`, { query: { limit: 100 } }), 200).items;

    await vi.waitFor(
      async () => {
        const coho = await actions(demoOrg.coho);
        expect(coho).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ action: 'service.assignment_granted', actor: providerAdminId }),
            expect.objectContaining({ action: 'service.assignment_revoked', actor: providerAdminId }),
          ]),
        );
        const alpine = await actions(demoOrg.alpine);
        expect(alpine.map((entry) => entry.action)).toEqual(
          expect.arrayContaining(['service.account_added', 'service.account_removed', 'service.assignment_revoked']),
        );
      },
      { timeout: 15_000, interval: 500 },
    );
  });
});

describe('every service route', () => {
  it('answers 403 to someone who sees the service (or the org) but lacks the permission', async () => {
    const billing = await signIn(runtime, 'billing@contoso.test');
    const pairs = { userIds: [engineerId], accountIds: [demoOrg.bluey] };

    expectProblem(
      await technician.post(`/v1/orgs/${demoOrg.contoso}/services`, { providerOrgId: demoOrg.fabrikam, name: 'X', accountIds: [] }),
      403,
      'forbidden',
    );
    expectProblem(await billing.get(`/v1/orgs/${demoOrg.contoso}/services`), 403, 'forbidden');
    expectProblem(await billing.get(servicePath()), 403, 'forbidden');
    expectProblem(await technician.patch(servicePath(), { status: 'ended' }), 403, 'forbidden');
    expectProblem(
      await engineer.get(servicePath('/candidates'), { query: { mode: 'revoke', accountIds: demoOrg.bluey } }),
      403,
      'forbidden',
    );
    expectProblem(await engineer.post(servicePath('/grants'), pairs), 403, 'forbidden');
    expectProblem(await engineer.post(servicePath('/revocations'), pairs), 403, 'forbidden');
  });

  it('answers 404 to a partner that reaches neither side', async () => {
    const pairs = { userIds: [engineerId], accountIds: [demoOrg.bluey] };

    expectProblem(
      await otherPartnerAdmin.post(`/v1/orgs/${demoOrg.contoso}/services`, { providerOrgId: demoOrg.fabrikam, name: 'X', accountIds: [] }),
      404,
      'not-found',
    );
    expectProblem(await otherPartnerAdmin.get(`/v1/orgs/${demoOrg.litware}/services`), 404, 'not-found');
    expectProblem(
      await otherPartnerAdmin.get(servicePath('/candidates'), { query: { mode: 'grant', accountIds: demoOrg.bluey } }),
      404,
      'not-found',
    );
    expectProblem(await otherPartnerAdmin.post(servicePath('/grants'), pairs), 404, 'not-found');
    expectProblem(await otherPartnerAdmin.post(servicePath('/revocations'), pairs, { query: { dryRun: 'true' } }), 404, 'not-found');
  });

  it('answers 409 naming accounts that are not (active) accounts of the service', async () => {
    const problem = expectProblem(
      await providerAdmin.get(servicePath('/candidates'), { query: { mode: 'grant', accountIds: `${demoOrg.bluey},${demoOrg.adatum}` } }),
      409,
      'conflict',
    );

    expect(problem).toMatchObject({ rule: 'not-service-accounts', accountIds: [demoOrg.adatum] });
  });
});

describe('ending the service', () => {
  it('takes every account away, at once for whoever calls next, and stays ended', async () => {
    const before = expectJson(await ownerAdmin.get<Service>(servicePath()), 200);
    const report = expectJson(await ownerAdmin.patch<DryRun>(servicePath(), { status: 'ended' }, { query: { dryRun: 'true' } }), 200);
    expect(report.accountsAffected).toEqual([...demoService.accounts].sort());
    expect(report.usersLosingAccess).toEqual([
      { userId: engineerId, email: demoUser.providerEngineer, orgId: demoOrg.bluey, via: 'service' },
    ]);

    expectProblem(
      await ownerAdmin.patch(servicePath(), { status: 'ended' }, { headers: { 'if-match': `"${before.version - 1}"` } }),
      412,
      'precondition-failed',
    );
    const ended = await ownerAdmin.patch<Service>(servicePath(), { status: 'ended' }, { headers: { 'if-match': `"${before.version}"` } });

    expect(expectJson(ended, 200)).toMatchObject({ status: 'ended', accounts: [], version: before.version + 1 });
    expect(ended.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expectProblem(await engineer.get(`/v1/orgs/${demoOrg.bluey}`), 404, 'not-found');
    expect(expectJson(await engineer.get<Me>('/v1/me'), 200).delegated).toEqual([]);
    expectProblem(await ownerAdmin.patch(servicePath(), { addAccountIds: [demoOrg.coho] }), 409, 'conflict');
  });
});

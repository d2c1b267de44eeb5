import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { apiKeyClient, type Client, clientFor, expectJson, expectProblem, type Member, type Org, type Page } from './support/http.ts';

/**
 * A customer admin who locks its partner out, over real HTTP on the demo
 * hierarchy: Alpine Ski House's built-in admin looks first (dry run), then
 * switches partner access off. Contoso's people, its API key and a running
 * "Login As" session all stop at Alpine with 403 partner-access-off; Alpine
 * still shows from above as a restricted summary and is still billed; its own
 * admin keeps working and cannot lose the last built-in admin. Switching on
 * again restores inherited access, not the ended session. Steps run in order.
 */

interface DryRun {
  dryRun: true;
  wouldSucceed: boolean;
  usersLosingAccess: { userId: string; email: string | null; orgId: string; via: string }[];
  sessionsEnding: string[];
  violations: { rule: string }[];
}

let runtime: LocalRuntime;
let alpineAdmin: Client;
let partnerAdmin: Client;
let technician: Client;
let billing: Client;
let session: Client;
let integration: Client;
let sessionId = '';

const alpine = (rest = '') => `/v1/orgs/${demoOrg.alpine}${rest}`;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [alpineAdmin, partnerAdmin, technician, billing] = await Promise.all([
    signIn(runtime, demoUser.customerAdmin),
    signIn(runtime, demoUser.partnerAdmin),
    signIn(runtime, demoUser.technician),
    signIn(runtime, 'billing@contoso.test'),
  ]);
  const started = expectJson(
    await technician.post<{ id: string; token: string }>(alpine('/impersonations'), { reason: 'Checking the mailbox rules', minutes: 30 }),
    201,
  );
  sessionId = started.id;
  session = clientFor(runtime.url, started.token);
  const key = expectJson(
    await partnerAdmin.post<{ secret: string }>(`/v1/orgs/${demoOrg.contoso}/api-keys`, { name: 'PSA sync', role: 'read-only' }),
    201,
  );
  integration = apiKeyClient(runtime.url, key.secret);
});
afterAll(async () => {
  await runtime?.stop();
});

describe('Alpine’s admin locks Contoso out (admin@alpine.test)', () => {
  it('sees first who would lose access, and nothing changes', async () => {
    const report = expectJson(
      await alpineAdmin.put<DryRun>(alpine('/partner-access'), { enabled: false }, { query: { dryRun: 'true' } }),
      200,
    );

    expect(report).toMatchObject({ dryRun: true, wouldSucceed: true, violations: [] });
    expect(report.sessionsEnding).toContain(sessionId);
    expect(report.usersLosingAccess.length).toBeGreaterThan(0);
    expect(report.usersLosingAccess.every((loss) => loss.orgId === demoOrg.alpine)).toBe(true);
    expect((await partnerAdmin.get(alpine('/members'))).status).toBe(200);
    expect((await session.get(alpine('/members'))).status).toBe(200);
  });

  it('switches partner access off', async () => {
    const org = expectJson(await alpineAdmin.put<Org>(alpine('/partner-access'), { enabled: false }), 200);
    expect(org).toMatchObject({ id: demoOrg.alpine, partnerAccess: false });
  });

  it('stops Contoso’s people, its API key and the running session with 403 partner-access-off', async () => {
    for (const client of [partnerAdmin, technician]) {
      expectProblem(await client.get(alpine('/members')), 403, 'partner-access-off');
      expectProblem(await client.get(alpine('/config')), 403, 'partner-access-off');
      expectProblem(await client.get(alpine('/audit')), 403, 'partner-access-off');
    }
    expectProblem(
      await technician.post(alpine('/impersonations'), { reason: 'Let me back in, please', minutes: 5 }),
      403,
      'partner-access-off',
    );
    expectProblem(await integration.get(alpine('/members')), 403, 'partner-access-off');
    // The session ended with the switch: its token is refused outright.
    expect((await session.get(alpine('/members'))).status).toBe(401);
  });

  it('still shows Alpine to Contoso as a restricted summary, and Contoso still bills it', async () => {
    const summary = expectJson(await partnerAdmin.get<Org>(alpine()), 200);
    const children = expectJson(await partnerAdmin.get<Page<Org>>(`/v1/orgs/${demoOrg.contoso}/children`, { query: { limit: 100 } }), 200);
    const invoices = await billing.get<Page<{ id: string }>>(alpine('/invoices'));

    expect(summary).toMatchObject({ id: demoOrg.alpine, partnerAccess: false });
    expect(summary).not.toHaveProperty('path');
    expect(children.items.find((item) => item.id === demoOrg.alpine)).toMatchObject({ partnerAccess: false });
    expect(expectJson(invoices, 200).items.length).toBeGreaterThan(0);
  });

  it('keeps Alpine’s own admin working, and refuses to remove its last built-in administrator', async () => {
    const members = expectJson(await alpineAdmin.get<Page<Member>>(alpine('/members'), { query: { limit: 100 } }), 200);
    const me = members.items.find((member) => member.email === demoUser.customerAdmin);
    const builtIn = members.items.filter((member) => member.builtIn && member.role === 'customer-admin');

    expect(builtIn).toHaveLength(1);
    expectProblem(await alpineAdmin.delete(alpine(`/members/${me?.userId}`)), 409);
    const added = expectJson(
      await alpineAdmin.post<Member>(alpine('/members'), { email: 'locked@alpine.test', role: 'customer-user' }),
      201,
    );
    expect((await alpineAdmin.delete(alpine(`/members/${added.userId}`))).status).toBe(204);
  });

  it('switches partner access on again: inherited access is back, the ended session is not', async () => {
    expectJson(await alpineAdmin.put<Org>(alpine('/partner-access'), { enabled: true }), 200);

    expect((await partnerAdmin.get(alpine('/members'))).status).toBe(200);
    expect((await integration.get(alpine('/members'))).status).toBe(200);
    expect((await session.get(alpine('/members'))).status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { type Client, clientFor, expectJson, expectProblem, type Me, type Page } from './support/http.ts';

/**
 * "Login As" over real HTTP on the demo hierarchy, from the point of view of
 * Contoso's technician: they log in as Alpine Ski House, see themselves so,
 * change something there and nowhere else; Alpine's admin sees the session
 * (and the change, made by the session on the technician's behalf, in the
 * audit) and ends it; the token stops working on the next call.
 */

interface Started {
  id: string;
  token: string;
  startedAt: string;
  expiresAt: string;
  customerId: string;
  actingRole: string;
  replacedSessionIds: string[];
}

interface Session {
  id: string;
  customerId: string;
  impersonatorId: string;
  impersonatorEmail: string;
  reason: string;
  ticket: string | null;
  status: 'active' | 'ended';
  endedAt: string | null;
  endReason: string | null;
}

interface AuditEntry {
  action: string;
  actor: string;
  impersonator: string | null;
  actingRole: string | null;
  target: { type: string; id: string };
}

let runtime: LocalRuntime;
let technician: Client;
let customerAdmin: Client;
let customerUser: Client;
let auditor: Client;
let otherPartnerAdmin: Client;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [technician, customerAdmin, customerUser, auditor, otherPartnerAdmin] = await Promise.all([
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.customerAdmin),
    signIn(runtime, demoUser.customerUser),
    signIn(runtime, 'auditor@northwind.test'),
    signIn(runtime, demoUser.otherPartnerAdmin),
  ]);
});
afterAll(async () => {
  await runtime?.stop();
});

const sessions = (orgId: string) => `/v1/orgs/${orgId}/impersonations`;
const reason = 'Ticket 4711: Alpine cannot add its new hire';

describe('a partner technician logs in as a customer', () => {
  let started: Started;
  let session: Client;
  let technicianId: string;

  it('starts a session with a reason, a duration and a ticket; a retry under the same Idempotency-Key answers the same', async () => {
    // Prepare
    technicianId = expectJson(await technician.get<Me>('/v1/me'), 200).userId as string;
    const request = { reason, minutes: 15, ticket: 'INC-4711' };
    const headers = { 'idempotency-key': 'login-as-alpine-1' };

    // Act
    const first = await technician.post<Started>(sessions(demoOrg.alpine), request, { headers });
    const retry = await technician.post<Started>(sessions(demoOrg.alpine), request, { headers });

    // Assess
    started = expectJson(first, 201);
    expect(started).toMatchObject({ id: expect.stringMatching(/^imp_/), customerId: demoOrg.alpine, actingRole: 'customer-admin' });
    expect(Date.parse(started.expiresAt) - Date.parse(started.startedAt)).toBe(15 * 60_000);
    expect(expectJson(retry, 201)).toEqual(started);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    session = clientFor(runtime.url, started.token);
  });

  it('says so on GET /v1/me', async () => {
    const me = expectJson(await session.get<Me>('/v1/me'), 200);

    expect(me).toMatchObject({
      principalType: 'impersonation',
      userId: technicianId,
      memberships: [],
      impersonation: { id: started.id, orgId: demoOrg.alpine, orgName: 'Alpine Ski House', actingRole: 'customer-admin' },
    });
  });

  it('reads and changes the customer as its admin would', async () => {
    expectJson(await session.get(`/v1/orgs/${demoOrg.alpine}`), 200);

    const added = await session.post(`/v1/orgs/${demoOrg.alpine}/members`, { email: 'new.hire@alpine.test', role: 'customer-user' });

    expect(expectJson(added, 201)).toMatchObject({ email: 'new.hire@alpine.test', role: 'customer-user', orgId: demoOrg.alpine });
  });

  it('reaches nothing else: not a sibling customer, not its own partner, and it cannot start sessions itself', async () => {
    for (const orgId of [demoOrg.bluey, demoOrg.contoso, demoOrg.adatum, demoOrg.tailspin]) {
      expectProblem(await session.get(`/v1/orgs/${orgId}`), 404, 'not-found');
    }
    expectProblem(await session.post(`/v1/orgs/${demoOrg.alpine}/children`, { kind: 'customer', name: 'Nope' }), 403, 'forbidden');
    const again = expectProblem(await session.post(sessions(demoOrg.alpine), { reason, minutes: 5 }), 403, 'forbidden');
    expect(again.rule).toBe('users-only');
  });

  it('shows the customer admin the session (no token) and, in the audit, the change it made on the technician’s behalf', async () => {
    // Act
    const listed = expectJson(await customerAdmin.get<Page<Session>>(sessions(demoOrg.alpine)), 200);

    // Assess
    expect(listed.items[0]).toMatchObject({
      id: started.id,
      impersonatorId: technicianId,
      impersonatorEmail: demoUser.technician,
      reason,
      ticket: 'INC-4711',
      status: 'active',
      endedAt: null,
    });
    // The seed's earlier session is history.
    expect(listed.items.slice(1)).toEqual([expect.objectContaining({ status: 'ended', impersonatorEmail: demoUser.technician })]);
    expect(JSON.stringify(listed)).not.toContain(started.token);
    await vi.waitFor(
      async () => {
        const audit = expectJson(await customerAdmin.get<Page<AuditEntry>>(`/v1/orgs/${demoOrg.alpine}/audit`), 200);
        expect(audit.items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              action: 'member.added',
              actor: started.id,
              impersonator: technicianId,
              actingRole: 'customer-admin',
            }),
            expect.objectContaining({
              action: 'impersonation.started',
              actor: technicianId,
              target: { type: 'impersonation', id: started.id },
            }),
          ]),
        );
      },
      { timeout: 20_000, interval: 250 },
    );
  });

  it('shows the partner’s people the session too, and nobody outside Contoso', async () => {
    const atContoso = expectJson(await technician.get<Page<Session>>(sessions(demoOrg.contoso), { query: { status: 'active' } }), 200);

    expect(atContoso.items.map((item) => item.id)).toEqual([started.id]);
    expectProblem(await otherPartnerAdmin.get(sessions(demoOrg.alpine)), 404, 'not-found');
    expectProblem(await customerUser.get(sessions(demoOrg.alpine)), 403, 'forbidden');
  });

  it('lets only those who may end it end it: 404 from outside, 403 for a reader', async () => {
    expectProblem(await otherPartnerAdmin.delete(`/v1/impersonations/${started.id}`), 404, 'not-found');
    expectProblem(await customerUser.delete(`/v1/impersonations/${started.id}`), 404, 'not-found');
    expectProblem(await auditor.delete(`/v1/impersonations/${started.id}`), 403, 'forbidden');
    expectJson(await session.get('/v1/me'), 200);
  });

  it('ends when the customer admin ends it: the token stops working at once, and ending it again is a 204 too', async () => {
    // Act
    const ended = await customerAdmin.delete(`/v1/impersonations/${started.id}`);
    const again = await customerAdmin.delete(`/v1/impersonations/${started.id}`);

    // Assess
    expect([ended.status, again.status]).toEqual([204, 204]);
    expectProblem(await session.get('/v1/me'), 401);
    expectProblem(await session.get(`/v1/orgs/${demoOrg.alpine}/members`), 401);
    const listed = expectJson(await customerAdmin.get<Page<Session>>(sessions(demoOrg.alpine), { query: { status: 'ended' } }), 200);
    expect(listed.items.find((item) => item.id === started.id)).toMatchObject({ status: 'ended', endReason: 'ended' });
  });
});

describe('starting a session: the rules of the route', () => {
  it('refuses what is malformed with field errors', async () => {
    const problem = expectProblem(
      await technician.post(sessions(demoOrg.alpine), { reason: 'short', minutes: 61, ticket: '' }),
      400,
      'validation-error',
    );
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(['body.minutes', 'body.reason', 'body.ticket']);
  });

  it('answers 404 outside the caller’s scope, 403 without `impersonate`, 409 for anything but a customer', async () => {
    expectProblem(await otherPartnerAdmin.post(sessions(demoOrg.alpine), { reason, minutes: 5 }), 404, 'not-found');
    expectProblem(await customerAdmin.post(sessions(demoOrg.alpine), { reason, minutes: 5 }), 403, 'forbidden');
    const partner = expectProblem(await technician.post(sessions(demoOrg.contosoEast), { reason, minutes: 5 }), 409, 'conflict');
    expect(partner.rule).toBe('customers-only');
  });

  it('replaces the technician’s running session in the same customer', async () => {
    const first = expectJson(await technician.post<Started>(sessions(demoOrg.coho), { reason, minutes: 10 }), 201);

    const second = expectJson(await technician.post<Started>(sessions(demoOrg.coho), { reason, minutes: 10 }), 201);

    expect(second.replacedSessionIds).toEqual([first.id]);
    expectProblem(await clientFor(runtime.url, first.token).get('/v1/me'), 401);
    expectJson(await clientFor(runtime.url, second.token).get('/v1/me'), 200);
  });
});

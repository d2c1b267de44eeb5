import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { allPages, type Client, expectJson, expectProblem, type Page } from './support/http.ts';

/**
 * The audit log over HTTP, with the local runtime's stream poller feeding the
 * real audit consumer: a change made through the API shows up, with its actor
 * and request, in the audit of its org and of every ancestor, and nowhere
 * else; the chain verifies until someone edits an entry behind the API's back.
 */

interface Entry {
  id: string;
  at: string;
  actor: string;
  requestId: string;
  sourceIp: string | null;
  orgId: string;
  orgPath: string;
  action: string;
  target: { type: string; id: string };
  changes: Record<string, { before: unknown; after: unknown }>;
  seq: number;
}

interface Verification {
  verified: boolean;
  entriesChecked: number;
  firstBreak: { seq: number; entryId: string | null; reason: string } | null;
}

let runtime: LocalRuntime;
let platform: Client;
let channel: Client;
let partner: Client;
let customer: Client;
let competitor: Client;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  platform = await signIn(runtime, demoUser.platformAdmin);
  channel = await signIn(runtime, 'channel.admin@northwind.test');
  partner = await signIn(runtime, demoUser.partnerAdmin);
  customer = await signIn(runtime, demoUser.customerAdmin);
  competitor = await signIn(runtime, demoUser.otherPartnerAdmin);
});
afterAll(async () => {
  await runtime?.stop();
});

const auditOf = async (client: Client, orgId: string, query: Record<string, string> = {}): Promise<Entry[]> =>
  (await allPages<Entry>((cursor) => client.get<Page<Entry>>(`/v1/orgs/${orgId}/audit`, { query: { ...query, limit: 100, cursor } })))
    .items;

const userIdOf = async (client: Client) => expectJson(await client.get<{ userId: string }>('/v1/me'), 200).userId;

describe('the audit log over HTTP', () => {
  it('records a rename in the org’s audit and every ancestor’s, with actor, request and change; not in a sibling’s', async () => {
    // Prepare
    const actor = await userIdOf(partner);

    // Act
    const reply = await partner.patch(`/v1/orgs/${demoOrg.alpine}`, { name: 'Alpine Ski House & Spa' });
    expectJson(reply, 200);
    const requestId = reply.headers.get('x-amzn-requestid');
    await runtime.drained();

    // Assess
    const mine = (entries: Entry[]) => entries.filter((entry) => entry.requestId === requestId);
    const own = mine(await auditOf(customer, demoOrg.alpine));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({
      actor,
      orgId: demoOrg.alpine,
      orgPath: `/${demoOrg.root}/${demoOrg.northwind}/${demoOrg.contoso}/${demoOrg.alpine}`,
      action: 'org.renamed',
      target: { type: 'org', id: demoOrg.alpine },
      changes: { name: { before: 'Alpine Ski House', after: 'Alpine Ski House & Spa' } },
    });
    expect(own[0]?.sourceIp).toMatch(/^(127\.0\.0\.1|::1)$/);
    for (const [client, orgId] of [
      [partner, demoOrg.contoso],
      [channel, demoOrg.northwind],
      [platform, demoOrg.root],
    ] as const) {
      expect(
        mine(await auditOf(client, orgId)).map((entry) => entry.id),
        orgId,
      ).toEqual([own[0]?.id]);
    }
    expect(mine(await auditOf(partner, demoOrg.coho))).toEqual([]);
    expect(mine(await auditOf(platform, demoOrg.fabrikam))).toEqual([]);
  });

  it('records one entry per changed item: an org deleted with its member and the configuration it inherited is three entries by one request', async () => {
    // Prepare
    const created = expectJson(
      await partner.post<{ id: string }>(`/v1/orgs/${demoOrg.contoso}/children`, { kind: 'customer', name: 'Short Lived' }),
      201,
    );
    expectJson(await partner.post(`/v1/orgs/${created.id}/members`, { email: 'temp@short.test', role: 'customer-user' }), 201);

    // Act
    const reply = await partner.delete(`/v1/orgs/${created.id}`);
    expect(reply.status).toBe(204);
    const requestId = reply.headers.get('x-amzn-requestid');
    await runtime.drained();

    // Assess
    const entries = (await auditOf(partner, demoOrg.contoso)).filter((entry) => entry.requestId === requestId);
    expect(entries.map((entry) => entry.action).sort()).toEqual(['config.deleted', 'member.removed', 'org.deleted']);
    expect(new Set(entries.map((entry) => entry.actor))).toEqual(new Set([await userIdOf(partner)]));
  });

  it('filters by action, actor and time, newest first', async () => {
    const actor = await userIdOf(customer);
    expectJson(await customer.post(`/v1/orgs/${demoOrg.alpine}/members`, { email: 'new.hire@alpine.test', role: 'customer-user' }), 201);
    await runtime.drained();

    const added = await auditOf(partner, demoOrg.contoso, { action: 'member.added', actor });
    expect(added.map((entry) => entry.target.id)).toHaveLength(1);
    expect(added[0]).toMatchObject({ action: 'member.added', actor, orgId: demoOrg.alpine });
    const all = await auditOf(partner, demoOrg.contoso);
    expect(all.map((entry) => entry.at)).toEqual([...all.map((entry) => entry.at)].sort().reverse());
    expect(await auditOf(partner, demoOrg.contoso, { to: '2000-01-01T00:00:00.000Z' })).toEqual([]);
  });

  it('is out of scope for outsiders (404) and needs audit:read (403)', async () => {
    expectProblem(await competitor.get(`/v1/orgs/${demoOrg.alpine}/audit`), 404, 'not-found');
    expectProblem(await competitor.get(`/v1/orgs/${demoOrg.alpine}/audit/verify`), 404, 'not-found');
    const user = await signIn(runtime, demoUser.customerUser);
    expectProblem(await user.get(`/v1/orgs/${demoOrg.alpine}/audit`), 403, 'forbidden');
  });

  it('verifies the chain, and finds an entry edited behind the API’s back at that entry', async () => {
    // Prepare
    const before = expectJson(await customer.get<Verification>(`/v1/orgs/${demoOrg.alpine}/audit/verify`), 200);
    expect(before).toMatchObject({ verified: true, firstBreak: null });
    expect(before.entriesChecked).toBeGreaterThan(2);
    const [victim] = (await auditOf(customer, demoOrg.alpine)).filter((entry) => entry.orgId === demoOrg.alpine).slice(-2);
    if (!victim) throw new Error('no entry to tamper with');

    // Act: an operator with table access rewrites who did it.
    const { AuditEntryEntity } = await import('#domain/audit/audit-entry.entity');
    await AuditEntryEntity.patch({ auditLog: demoOrg.alpine, at: victim.at, entryId: victim.id }).set({ actor: 'usr_someoneelse' }).go();

    // Assess
    const after = expectJson(await customer.get<Verification>(`/v1/orgs/${demoOrg.alpine}/audit/verify`), 200);
    expect(after).toMatchObject({ verified: false, firstBreak: { seq: victim.seq, entryId: victim.id, reason: 'hash' } });
  });

  it('drops a customer that locked its partner out from the partner’s audit, and refuses its own to the partner', async () => {
    // Act
    expectJson(await customer.put(`/v1/orgs/${demoOrg.alpine}/partner-access`, { enabled: false }), 200);
    await runtime.drained();

    // Assess
    expectProblem(await partner.get(`/v1/orgs/${demoOrg.alpine}/audit`), 403, 'partner-access-off');
    expect((await auditOf(partner, demoOrg.contoso)).filter((entry) => entry.orgId === demoOrg.alpine)).toEqual([]);
    expect((await auditOf(platform, demoOrg.root)).filter((entry) => entry.orgId === demoOrg.alpine)).toEqual([]);
    const own = await auditOf(customer, demoOrg.alpine);
    expect(own[0]).toMatchObject({ action: 'org.partner_access_changed', changes: { partnerAccess: { before: true, after: false } } });

    // And back: inherited access returns without re-granting anything.
    expectJson(await customer.put(`/v1/orgs/${demoOrg.alpine}/partner-access`, { enabled: true }), 200);
    await runtime.drained();
    expect((await auditOf(partner, demoOrg.contoso)).some((entry) => entry.orgId === demoOrg.alpine)).toBe(true);
  });
});

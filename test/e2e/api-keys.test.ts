import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { apiKeyClient, type Client, expectJson, expectProblem, type Me, type Org, type Page } from './support/http.ts';

/**
 * "An integration using an API key" (issue 4), over real HTTP on the demo
 * hierarchy: Contoso's partner admin creates a key for its PSA integration,
 * the integration calls with `x-api-key` alone (lists Contoso's customers,
 * creates one), and once the admin revokes the key the next call is a 401.
 */

interface ApiKey {
  id: string;
  orgId: string;
  name: string;
  role: string;
  status: string;
  expiresAt: string | null;
  createdBy: string | null;
  version: number;
  secret?: string | null;
}

let runtime: LocalRuntime;
let partnerAdmin: Client;
let technician: Client;
let otherPartnerAdmin: Client;
let customerAdmin: Client;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [partnerAdmin, technician, otherPartnerAdmin, customerAdmin] = await Promise.all([
    signIn(runtime, demoUser.partnerAdmin),
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.otherPartnerAdmin),
    signIn(runtime, demoUser.customerAdmin),
  ]);
});
afterAll(async () => {
  await runtime?.stop();
});

const keysOf = (orgId: string) => `/v1/orgs/${orgId}/api-keys`;

const integration = (secret: string, extra: Record<string, string> = {}): Client => apiKeyClient(runtime.url, secret, extra);

describe('an integration using an API key', () => {
  let key: ApiKey;
  let psa: Client;

  it('the partner admin creates a key and sees its secret once', async () => {
    // Act
    const reply = await partnerAdmin.post<ApiKey>(keysOf(demoOrg.contoso), { name: 'PSA sync', role: 'partner-admin' });

    // Assess
    key = expectJson(reply, 201);
    expect(key).toMatchObject({ orgId: demoOrg.contoso, name: 'PSA sync', role: 'partner-admin', status: 'active', expiresAt: null });
    expect(key.secret).toMatch(new RegExp(`^${key.id}\\.`));
    expect(reply.headers.get('etag')).toBe('"1"');
    psa = integration(key.secret ?? '');
  });

  it('lists the key without its secret', async () => {
    // Act
    const page = expectJson(await partnerAdmin.get<Page<ApiKey>>(keysOf(demoOrg.contoso)), 200);

    // Assess
    const listed = page.items.find((item) => item.id === key.id);
    expect(listed).toMatchObject({ name: 'PSA sync', role: 'partner-admin' });
    expect(listed).not.toHaveProperty('secret');
    expect(JSON.stringify(page)).not.toContain(key.secret ?? '-');
  });

  it('calls as the key: /v1/me names the key, its org and its role', async () => {
    // Act
    const me = expectJson(await psa.get<Me>('/v1/me'), 200);

    // Assess
    expect(me).toMatchObject({
      userId: null,
      email: null,
      principalType: 'api-key',
      memberships: [],
      apiKey: { id: key.id, orgId: demoOrg.contoso, orgName: 'Contoso MSP', role: 'partner-admin' },
    });
  });

  it('lists Contoso’s customers and creates one', async () => {
    // Act
    const children = expectJson(await psa.get<Page<Org>>(`/v1/orgs/${demoOrg.contoso}/children`, { query: { kind: 'customer' } }), 200);
    const created = expectJson(
      await psa.post<Org>(`/v1/orgs/${demoOrg.contoso}/children`, { kind: 'customer', name: 'Synced from PSA' }),
      201,
    );

    // Assess
    expect(children.items.map((org) => org.id)).toContain(demoOrg.alpine);
    expect(created).toMatchObject({ kind: 'customer', parentId: demoOrg.contoso });
    const seen = expectJson(await partnerAdmin.get<Org>(`/v1/orgs/${created.id}`), 200);
    expect(seen.name).toBe('Synced from PSA');
  });

  it('reaches nothing outside Contoso’s subtree', async () => {
    expectProblem(await psa.get(`/v1/orgs/${demoOrg.fabrikam}`), 404, 'not-found');
    expectProblem(await psa.get(`/v1/orgs/${demoOrg.northwind}/children`), 404, 'not-found');
    expectProblem(await psa.get(keysOf(demoOrg.fabrikam)), 404, 'not-found');
  });

  it('may not create or revoke keys itself', async () => {
    expectProblem(await psa.post(keysOf(demoOrg.contoso), { name: 'Successor', role: 'read-only' }), 403, 'forbidden');
    expectProblem(await psa.delete(`${keysOf(demoOrg.contoso)}/${key.id}`), 403, 'forbidden');
  });

  it('is refused with a bearer token beside it, or with a wrong secret', async () => {
    const token = await runtime.mintToken(demoUser.partnerAdmin);
    expectProblem(await integration(key.secret ?? '', { authorization: `Bearer ${token}` }).get('/v1/me'), 401, 'unauthorized');
    expectProblem(await integration(`${key.id}.not-the-secret`).get('/v1/me'), 401, 'unauthorized');
  });

  it('stops on the next call once the partner admin revokes it', async () => {
    // Act
    const revoked = await partnerAdmin.delete(`${keysOf(demoOrg.contoso)}/${key.id}`);

    // Assess
    expect(revoked.status).toBe(204);
    expectProblem(await psa.get('/v1/me'), 401, 'unauthorized');
    expectProblem(await partnerAdmin.delete(`${keysOf(demoOrg.contoso)}/${key.id}`), 404, 'not-found');
  });
});

describe('API key routes: creation rules', () => {
  it('a repeat under the same Idempotency-Key answers the same key, without the secret', async () => {
    // Prepare
    const headers = { 'idempotency-key': 'psa-create-1' };
    const body = { name: 'Retried', role: 'read-only' };

    // Act
    const first = expectJson(await partnerAdmin.post<ApiKey>(keysOf(demoOrg.contoso), body, { headers }), 201);
    const again = await partnerAdmin.post<ApiKey>(keysOf(demoOrg.contoso), body, { headers });

    // Assess
    expect(expectJson(again, 201)).toEqual({ ...first, secret: null });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const page = expectJson(await partnerAdmin.get<Page<ApiKey>>(keysOf(demoOrg.contoso), { query: { limit: 100 } }), 200);
    expect(page.items.filter((item) => item.name === 'Retried')).toHaveLength(1);
  });

  it('refuses a key for a customer or a channel (409), a role beyond the creator (403), and bad fields (400)', async () => {
    const channelAdmin = await signIn(runtime, 'channel.admin@northwind.test');
    const technicianKeys = await signIn(runtime, demoUser.technician);
    expect(expectProblem(await channelAdmin.post(keysOf(demoOrg.alpine), { name: 'x', role: 'read-only' }), 409, 'conflict').rule).toBe(
      'partner-orgs-only',
    );
    expectProblem(await channelAdmin.post(keysOf(demoOrg.northwind), { name: 'x', role: 'read-only' }), 409, 'conflict');
    expectProblem(await technicianKeys.post(keysOf(demoOrg.contoso), { name: 'x', role: 'read-only' }), 403, 'forbidden');
    const bad = expectProblem(
      await partnerAdmin.post(keysOf(demoOrg.contoso), { name: '', role: 'admin', expiresAt: 'tomorrow', secret: 'mine' }),
      400,
      'validation-error',
    );
    expect(bad.errors?.map((error) => error.path).sort()).toEqual(['body.expiresAt', 'body.name', 'body.role', 'body.secret']);
    const past = expectProblem(
      await partnerAdmin.post(keysOf(demoOrg.contoso), { name: 'x', role: 'read-only', expiresAt: '2020-01-01T00:00:00.000Z' }),
      400,
    );
    expect(past.errors).toEqual([{ path: 'body.expiresAt', message: 'must be in the future' }]);
  });

  it('answers 403 to members without api-key permissions, and 404 to other partners', async () => {
    expectProblem(await technician.get(keysOf(demoOrg.contoso)), 403, 'forbidden');
    expectProblem(await customerAdmin.get(keysOf(demoOrg.alpine)), 403, 'forbidden');
    expectProblem(await otherPartnerAdmin.get(keysOf(demoOrg.contoso)), 404, 'not-found');
    expectProblem(await otherPartnerAdmin.post(keysOf(demoOrg.contoso), { name: 'x', role: 'read-only' }), 404, 'not-found');
    expectProblem(await otherPartnerAdmin.delete(`${keysOf(demoOrg.contoso)}/key_0abc`), 404, 'not-found');
  });
});

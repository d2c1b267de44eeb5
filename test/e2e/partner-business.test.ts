import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/http/routes';
import type { LocalRuntime } from '#infra/local/runtime';
import { anonymous, demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { type Client, expectJson, expectProblem, type Me, type Org, type Page, type Reply } from './support/http.ts';
import { type Schema, validate } from './support/json-schema.ts';

/**
 * Partner details, configuration and programme applications over HTTP, on
 * the demo seed: Contoso keeps its profile and configuration (its customers
 * started from a copy), Northwind's programme is open and has an application
 * waiting. As the people issue #5 names: the MSP administrator, its
 * technician, a customer admin, a competitor, the channel's admin and its
 * auditor, and an anonymous applicant.
 */

let runtime: LocalRuntime;
let partnerAdmin: Client;
let technician: Client;
let customerAdmin: Client;
let otherPartnerAdmin: Client;
let channelAdmin: Client;
let auditor: Client;
let applicant: Client;
let document: unknown;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [partnerAdmin, technician, customerAdmin, otherPartnerAdmin, channelAdmin, auditor] = await Promise.all([
    signIn(runtime, demoUser.partnerAdmin),
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.customerAdmin),
    signIn(runtime, demoUser.otherPartnerAdmin),
    signIn(runtime, 'channel.admin@northwind.test'),
    signIn(runtime, 'auditor@northwind.test'),
  ]);
  applicant = anonymous(runtime);
  document = (await applicant.get('/v1/openapi.json')).body;
});
afterAll(async () => {
  await runtime?.stop();
});

const orgPath = (orgId: string, rest = '') => `/v1/orgs/${orgId}${rest}`;

interface Profile {
  orgId: string;
  kind: string;
  companyContact: { name: string; email: string; phone: string | null } | null;
  statuses?: string[];
  programme?: { partnerStatuses: string[]; acceptsApplications: boolean };
  version: number;
}
interface Config {
  orgId: string;
  inboundIps: string[];
  outboundIps: string[];
  smarthost: { host: string; port: number | null } | null;
  inheritedFrom: { orgId: string; version: number } | null;
  version: number;
}
interface Application {
  id: string;
  channelId: string;
  company: string;
  contactEmail: string;
  status: string;
  reason: string | null;
  partnerId: string | null;
  partnerAdminId: string | null;
  decidedBy: string | null;
  invitation?: string | null;
}

/** What the OpenAPI document says this operation answers with this status; the reply must match it. */
const expectDocumented = (operationId: string, reply: Reply<unknown>): void => {
  const route = routes.find((candidate) => candidate.id === operationId);
  const doc = document as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  };
  const schema = route
    ? doc.paths[route.path]?.[route.method.toLowerCase()]?.responses[String(reply.status)]?.content?.['application/json']?.schema
    : undefined;
  expect(schema, `${operationId} ${reply.status} is documented`).toBeDefined();
  expect(validate(document, schema, reply.body), `${operationId} ${reply.status}`).toEqual([]);
};

const applicationForm = (overrides: Record<string, unknown> = {}) => ({
  channelId: demoOrg.northwind,
  company: `Tailwind Traders ${Math.random().toString(36).slice(2, 8)}`,
  contactName: 'Tia Tailwind',
  contactEmail: `admin.${Math.random().toString(36).slice(2, 8)}@tailwind.test`,
  country: 'nl',
  website: 'https://tailwindtraders.example',
  message: 'Managed services for 25 logistics firms.\nWe would like to join.',
  ...overrides,
});

describe('as the MSP administrator (admin@contoso.test)', () => {
  it('reads its seeded profile, with its version as ETag, and replaces it under If-Match', async () => {
    const read = await partnerAdmin.get<Profile>(orgPath(demoOrg.contoso, '/profile'));
    const profile = expectJson(read, 200);
    expectDocumented('getProfile', read);
    expect(profile).toMatchObject({ orgId: demoOrg.contoso, kind: 'partner', statuses: ['technical', 'sales', 'gold'] });
    expect(read.headers.get('etag')).toBe(`"${profile.version}"`);

    const replaced = await partnerAdmin.put<Profile>(
      orgPath(demoOrg.contoso, '/profile'),
      { companyContact: { name: 'Contoso Admin', email: 'ADMIN@contoso.test', phone: '+1 (425) 555-0101' }, statuses: ['technical'] },
      { headers: { 'if-match': `"${profile.version}"` } },
    );
    const stale = await partnerAdmin.put(
      orgPath(demoOrg.contoso, '/profile'),
      { statuses: [] },
      { headers: { 'if-match': `"${profile.version}"` } },
    );

    expect(expectJson(replaced, 200)).toMatchObject({
      companyContact: { name: 'Contoso Admin', email: 'admin@contoso.test', phone: '+14255550101' },
      statuses: ['technical'],
      version: profile.version + 1,
    });
    expectDocumented('putProfile', replaced);
    expectProblem(stale, 412, 'precondition-failed');
  });

  it('may not hold a status its channel does not define: 400 naming it', async () => {
    const problem = expectProblem(await partnerAdmin.put(orgPath(demoOrg.contoso, '/profile'), { statuses: ['gold', 'platinum'] }), 400);

    expect(problem.errors).toEqual([{ path: 'body.statuses.1', message: expect.stringContaining('gold') }]);
  });

  it('writes its configuration: normalised and de-duplicated, private and reserved ranges refused by index', async () => {
    const refused = await partnerAdmin.put(orgPath(demoOrg.contoso, '/config'), {
      inboundIps: ['20.31.14.0/24', '192.168.1.0/24', '20.31.14.7/24'],
      outboundIps: ['2001:db8::25'],
      smarthost: { host: 'mail', port: 70000 },
    });
    const problem = expectProblem(refused, 400, 'validation-error');
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(
      ['body.inboundIps.1', 'body.inboundIps.2', 'body.outboundIps.0', 'body.smarthost.host', 'body.smarthost.port'].sort(),
    );

    const written = await partnerAdmin.put<Config>(orgPath(demoOrg.contoso, '/config'), {
      inboundIps: ['20.31.14.0/24', '20.31.14.0/24', '2603:1020:0201:0:0:0:0:0/48'],
      outboundIps: ['20.31.14.10/32', '2603:1020:201::A'],
      smarthost: { host: 'SMTP.Contoso.com.', port: 587 },
    });

    expect(expectJson(written, 200)).toMatchObject({
      inboundIps: ['20.31.14.0/24', '2603:1020:201::/48'],
      outboundIps: ['20.31.14.10', '2603:1020:201::a'],
      smarthost: { host: 'smtp.contoso.com', port: 587 },
      inheritedFrom: null,
    });
    expectDocumented('putConfig', written);
  });

  it('finds its seeded customers started from its configuration, and a new customer from its configuration as it is now', async () => {
    const alpine = expectJson(await partnerAdmin.get<Config>(orgPath(demoOrg.alpine, '/config')), 200);
    const current = expectJson(await partnerAdmin.get<Config>(orgPath(demoOrg.contoso, '/config')), 200);
    const created = expectJson(
      await partnerAdmin.post<Org>(orgPath(demoOrg.contoso, '/children'), { kind: 'customer', name: `Config Heir ${Date.now()}` }),
      201,
    );

    const heir = await partnerAdmin.get<Config>(orgPath(created.id, '/config'));

    expect(alpine).toMatchObject({
      inheritedFrom: { orgId: demoOrg.contoso, version: 1 },
      smarthost: { host: 'smtp.contoso.com', port: 587 },
    });
    expect(expectJson(heir, 200)).toMatchObject({
      orgId: created.id,
      kind: 'customer',
      inboundIps: current.inboundIps,
      outboundIps: current.outboundIps,
      smarthost: current.smarthost,
      inheritedFrom: { orgId: demoOrg.contoso, version: current.version },
      version: 1,
    });
    expectDocumented('getConfig', heir);
  });

  it('changes a customer’s own configuration, which ends its inheritance', async () => {
    const own = await partnerAdmin.put<Config>(orgPath(demoOrg.bluey, '/config'), { outboundIps: ['20.31.15.1'] });

    expect(expectJson(own, 200)).toMatchObject({ outboundIps: ['20.31.15.1'], inheritedFrom: null, version: 2 });
  });

  it('finds channels and the platform without a configuration, and customers without a profile', async () => {
    expectProblem(await partnerAdmin.get(orgPath(demoOrg.alpine, '/profile')), 404, 'not-found');
    expectProblem(await partnerAdmin.put(orgPath(demoOrg.alpine, '/profile'), {}), 409, 'conflict');
    expectProblem(await channelAdmin.get(orgPath(demoOrg.northwind, '/config')), 404, 'not-found');
  });
});

describe('as others around the MSP', () => {
  it('the technician reads the profile and configuration and changes neither (403)', async () => {
    expectJson(await technician.get(orgPath(demoOrg.contoso, '/profile')), 200);
    expectJson(await technician.get(orgPath(demoOrg.alpine, '/config')), 200);
    expectProblem(await technician.put(orgPath(demoOrg.contoso, '/config'), { outboundIps: ['20.31.14.99'] }), 403, 'forbidden');
    expectProblem(await technician.put(orgPath(demoOrg.contoso, '/profile'), {}), 403, 'forbidden');
  });

  it('a customer admin may not read its configuration (403): MSP administrators keep it', async () => {
    expectProblem(await customerAdmin.get(orgPath(demoOrg.alpine, '/config')), 403, 'forbidden');
  });

  it('a competitor gets 404 for Contoso’s details, as for an org that does not exist', async () => {
    for (const rest of ['/profile', '/config']) {
      const hidden = expectProblem(await otherPartnerAdmin.get(orgPath(demoOrg.contoso, rest)), 404, 'not-found');
      const missing = expectProblem(await otherPartnerAdmin.get(orgPath('org_nosuchorg', rest)), 404, 'not-found');
      expect(hidden.detail.replace(demoOrg.contoso, '{id}')).toBe(missing.detail.replace('org_nosuchorg', '{id}'));
    }
  });
});

describe('partner programme applications', () => {
  let submitted: Application;

  it('an anonymous applicant submits to an open channel: 201, pending', async () => {
    const reply = await applicant.post<Application>('/v1/applications', applicationForm());

    submitted = expectJson(reply, 201);
    expect(submitted).toMatchObject({ id: expect.stringMatching(/^app_/), channelId: demoOrg.northwind, status: 'pending', country: 'NL' });
    expectDocumented('submitApplication', reply);
  });

  it('any other channel id is the same 400 on body.channelId, whether it exists or not', async () => {
    const answers = await Promise.all(
      [demoOrg.contoso, 'org_nosuchchannel', demoOrg.root].map((channelId) =>
        applicant.post('/v1/applications', applicationForm({ channelId })),
      ),
    );

    const problems = answers.map((answer) => expectProblem(answer, 400, 'validation-error'));
    expect(new Set(problems.map((problem) => JSON.stringify({ detail: problem.detail, errors: problem.errors }))).size).toBe(1);
    expect(problems[0]?.errors).toEqual([{ path: 'body.channelId', message: 'not a channel that accepts applications' }]);
  });

  it('the channel admin lists pending applications, the seeded one among them', async () => {
    const reply = await channelAdmin.get<Page<Application>>(orgPath(demoOrg.northwind, '/applications'), { query: { status: 'pending' } });

    const ids = expectJson(reply, 200).items.map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining([submitted.id, 'app_demo1']));
    expect(ids.indexOf(submitted.id)).toBeLessThan(ids.indexOf('app_demo1'));
    expectDocumented('listApplications', reply);
  });

  it('approves it: the partner exists under Northwind, and the contact is its built-in partner admin', async () => {
    const reply = await channelAdmin.post<Application>(`/v1/applications/${submitted.id}/approve`);
    const approval = expectJson(reply, 200);
    expectDocumented('approveApplication', reply);
    const newAdmin = await signIn(runtime, submitted.contactEmail);

    const me = expectJson(await newAdmin.get<Me>('/v1/me'), 200);
    const partner = expectJson(await newAdmin.get<Org>(orgPath(approval.partnerId ?? '')), 200);
    const profile = expectJson(await newAdmin.get<Profile>(orgPath(partner.id, '/profile')), 200);

    expect(approval).toMatchObject({ status: 'approved', invitation: 'not-sent', decidedBy: expect.stringMatching(/^usr_/) });
    expect(partner).toMatchObject({ kind: 'partner', parentId: demoOrg.northwind, name: submitted.company });
    expect(me.memberships).toEqual([
      { orgId: partner.id, orgName: submitted.company, orgKind: 'partner', role: 'partner-admin', builtIn: true },
    ]);
    expect(me.userId).toBe(approval.partnerAdminId);
    expect(profile).toMatchObject({ companyContact: { name: 'Tia Tailwind', email: submitted.contactEmail }, statuses: [] });
  });

  it('approving twice at once creates one partner; both answers name it', async () => {
    const fresh = expectJson(await applicant.post<Application>('/v1/applications', applicationForm()), 201);

    const answers = await Promise.all([1, 2, 3].map(() => channelAdmin.post<Application>(`/v1/applications/${fresh.id}/approve`)));

    const approved = answers.filter((answer) => answer.status === 200).map((answer) => answer.body);
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) expectProblem(answer, 409, 'conflict');
    expect(new Set(approved.map((answer) => answer.partnerId)).size).toBe(1);
    const named = expectJson(
      await channelAdmin.get<Page<Org>>(orgPath(demoOrg.northwind, '/children'), { query: { q: fresh.company, limit: 100 } }),
      200,
    );
    expect(named.items).toHaveLength(1);
  });

  it('rejects the seeded one with a reason; approving it afterwards is 409', async () => {
    const rejected = await channelAdmin.post<Application>('/v1/applications/app_demo1/reject', { reason: 'Not in our region yet' });
    const approving = await channelAdmin.post('/v1/applications/app_demo1/approve');

    expect(expectJson(rejected, 200)).toMatchObject({ status: 'rejected', reason: 'Not in our region yet', partnerId: null });
    expectDocumented('rejectApplication', rejected);
    expect(expectProblem(approving, 409, 'conflict').rule).toBe('application-rejected');
  });

  it('partners below the channel and strangers get 404; the channel’s auditor 403', async () => {
    for (const client of [partnerAdmin, otherPartnerAdmin]) {
      const hidden = expectProblem(await client.post(`/v1/applications/${submitted.id}/approve`), 404, 'not-found');
      const missing = expectProblem(await client.post('/v1/applications/app_nosuchapp/approve'), 404, 'not-found');
      expect(hidden.detail).toBe(missing.detail);
      expectProblem(await client.get(orgPath(demoOrg.northwind, '/applications')), 404, 'not-found');
    }
    expectProblem(await auditor.get(orgPath(demoOrg.northwind, '/applications')), 403, 'forbidden');
    expectProblem(await auditor.post(`/v1/applications/${submitted.id}/reject`, { reason: 'x' }), 403, 'forbidden');
  });

  // Last: it spends this address's requests on the form.
  it('throttles the public form per address: a burst ends in 429 problems with Retry-After, and writes nothing', async () => {
    const bad = { ...applicationForm(), country: 'XX' };

    const answers = await Promise.all(Array.from({ length: 16 }, () => applicant.post('/v1/applications', bad)));

    const throttled = answers.filter((answer) => answer.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(answers.every((answer) => answer.status === 400 || answer.status === 429)).toBe(true);
    for (const answer of throttled) {
      expectProblem(answer, 429, 'too-many-requests');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('x-dynamodb-calls')).toBeNull();
    }
    // Signed-in routes are not behind the form's limit.
    expectJson(await channelAdmin.get(orgPath(demoOrg.northwind, '/applications')), 200);
  });
});

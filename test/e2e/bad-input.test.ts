import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodObject, ZodType } from 'zod';
import { addMember } from '#domain/access/members';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { createChildOrg } from '#domain/orgs/orgs';
import { rootOrgId } from '#domain/shared/ids';
import { localAudience, localIssuer } from '#functions/authorizer/verify-token';
import type { RouteDef } from '#functions/http/route-table-types';
import { routes } from '#functions/http/routes';
import { loadLocalSecrets } from '#infra/local/local-secrets';
import { type ApiRequest, type ApiResponse, type InProcessApi, startInProcessApi } from '../property/support/api.ts';
import { fingerprintOf, scanTable } from '../property/support/table.ts';

/**
 * Malformed requests on every route of the route table, as an authorised
 * platform admin (or with broken credentials), through the local API Gateway
 * in process: the authorizer, then the route group's handler. Every answer
 * must be a 4xx problem document whose `status` is the HTTP status, a 400
 * must name the offending field in `errors`, nothing may answer 5xx, and
 * nothing may be written (each reply's `x-dynamodb-writes` is 0, and the
 * whole table is the same before and after each route's cases).
 *
 * Cases come from the route table and its zod schemas (path parameters,
 * query and body fields from `schema.shape`), so a new route is covered as
 * soon as it is in the table; a field whose valid sample cannot be guessed
 * fails the setup below and names itself, to be added to `samples`.
 */

interface Case {
  /** What the case sends, for the report. */
  name: string;
  request: ApiRequest;
  /** For a 400: an `errors[].path` that must start with this. */
  field?: string;
  /** For a 400: a word some error's path or message must contain (an unknown field's name). */
  mentions?: string;
  /** The status it must answer, when not 400 (a broken token is 401). */
  status?: number | number[];
}

let api: InProcessApi;
let adminToken: string;
const ids = { partner: '', otherPartner: '', customer: '', member: '' };
const cursors: Record<string, string> = {};
/** Tokens that must all be refused with a 401. */
const badTokens: Record<string, string | null> = {};

const actor = systemActor('bad-input');

beforeAll(async () => {
  api = await startInProcessApi();
  const adminEmail = 'admin@platform.test';
  const { adminUserId } = await bootstrapPlatform({ adminEmail }, actor);
  const as = (permission: 'org:create' | 'member:write') => ({
    caller: { principalId: adminUserId, principalType: 'user' as const },
    permission,
  });
  const channel = await createChildOrg(as('org:create'), rootOrgId, { kind: 'channel', name: 'Channel' }, actor, { orgId: 'org_c1' });
  const partner = await createChildOrg(as('org:create'), channel.id, { kind: 'partner', name: 'Partner' }, actor, { orgId: 'org_p1' });
  const other = await createChildOrg(as('org:create'), channel.id, { kind: 'partner', name: 'Partner 1' }, actor, { orgId: 'org_p10' });
  const customer = await createChildOrg(as('org:create'), partner.id, { kind: 'customer', name: 'Customer' }, actor, { orgId: 'org_p1c' });
  await createChildOrg(as('org:create'), partner.id, { kind: 'customer', name: 'Customer 1' }, actor, { orgId: 'org_p1c1' });
  await createChildOrg(as('org:create'), other.id, { kind: 'customer', name: 'Customer' }, actor, { orgId: 'org_p10c' });
  await createChildOrg(as('org:create'), other.id, { kind: 'customer', name: 'Customer 1' }, actor, { orgId: 'org_p10c1' });
  const member = await addMember(as('member:write'), partner.id, { email: 'tech@partner.test', role: 'partner-technician' }, actor);
  await addMember(as('member:write'), partner.id, { email: 'billing@partner.test', role: 'billing-admin' }, actor);
  Object.assign(ids, { partner: partner.id, otherPartner: other.id, customer: customer.id, member: member.userId });
  adminToken = await api.mintToken(adminEmail);

  // Real cursors, to be taken where they do not belong.
  const cursorOf = async (path: string) => {
    const response = await api.call({ method: 'GET', path, query: 'limit=1', headers: { authorization: `Bearer ${adminToken}` } });
    const next = (response.json as { nextCursor?: string | null } | undefined)?.nextCursor;
    if (response.status !== 200 || typeof next !== 'string') throw new Error(`no cursor from ${path}: ${response.status} ${response.text}`);
    return next;
  };
  cursors.children = await cursorOf(`/v1/orgs/${partner.id}/children`);
  cursors.descendants = await cursorOf(`/v1/orgs/${partner.id}/descendants`);
  cursors.members = await cursorOf(`/v1/orgs/${partner.id}/members`);
  cursors.otherChildren = await cursorOf(`/v1/orgs/${other.id}/children`);

  // Credentials that must not get anyone in.
  const secrets = await loadLocalSecrets();
  const devKey = await importJWK(secrets.signingJwk, 'ES256');
  const claims = { email: adminEmail, email_verified: true };
  const signed = (key: Parameters<SignJWT['sign']>[0], edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt, alg = 'ES256') =>
    edit(
      new SignJWT(claims)
        .setProtectedHeader({ alg })
        .setSubject(adminEmail)
        .setIssuer(localIssuer)
        .setAudience(localAudience)
        .setIssuedAt(),
    )
      .setExpirationTime('1h')
      .sign(key);
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const { privateKey: otherKey, publicKey: otherPublic } = await generateKeyPair('ES256', { extractable: true });
  const payload = { ...claims, sub: adminEmail, iss: localIssuer, aud: localAudience, exp: Math.floor(Date.now() / 1000) + 3600 };
  Object.assign(badTokens, {
    'no Authorization header': null,
    'a token signed by another ES256 key': await signed(otherKey),
    'an expired token': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(devKey),
    'a token for another audience': await signed(devKey, (jwt) => jwt.setAudience('someone-else')),
    'a token from another issuer': await signed(devKey, (jwt) => jwt.setIssuer('https://evil.test')),
    'alg none, unsigned': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`,
    'alg none, with a made-up signature': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.c2ln`,
    'HS256 keyed with the public key': await signed(
      new TextEncoder().encode(JSON.stringify(await exportJWK(otherPublic))),
      undefined,
      'HS256',
    ),
    'a valid token with its payload edited': (() => {
      const [header, , signature] = (adminToken as string).split('.');
      return `${header}.${base64url({ ...payload, email: 'someone.else@platform.test' })}.${signature}`;
    })(),
    'a token cut short': adminToken.slice(0, -10),
    'garbage after Bearer': 'not-a-jwt',
  });
});

/* ---------- valid samples, from which each case breaks exactly one thing ---------- */

/** A valid value for each field name the route table uses; a new name fails setup until it is added here. */
const samples = (): Record<string, unknown> => ({
  orgId: ids.partner,
  userId: ids.member,
  newParentId: ids.otherPartner,
  email: 'new.person@partner.test',
  role: 'read-only',
  builtIn: false,
  kind: 'customer',
  name: 'A valid name',
  status: 'active',
  subscriptionState: 'active',
  customerType: 'standard',
  permission: 'org:read',
  limit: '2',
  q: 'Cust',
  enabled: true,
  keyId: 'key_abc',
  expiresAt: '2099-01-01T00:00:00.000Z',
  appId: 'app_bad1',
  // Valid both as an application's rejection reason and as a session's (10–500 characters).
  reason: 'Checking the mailbox rules',
  channelId: 'org_c1',
  company: 'Applicant Ltd',
  contactName: 'Ada Applicant',
  contactEmail: 'ada@applicant.test',
  country: 'FR',
  minutes: 15,
  impId: 'imp_0sample',
  // The client portal.
  customerId: ids.customer,
  portalRole: 'requester',
  permissions: ['view-own-tickets'],
  title: 'A valid title',
  description: 'A valid description',
  priority: 'normal',
  category: 'other',
  text: 'A valid comment',
  visibleToClient: true,
  type: 'laptop',
  userIds: [ids.member],
  content: 'A valid document',
  currency: 'EUR',
  lines: [{ description: 'A line', quantity: 1, unitAmount: 100 }],
  ticketId: 'tkt_1',
  projectId: 'prj_1',
  assetId: 'ast_1',
  docId: 'doc_1',
  quoteId: 'quo_1',
  serviceId: 'svc_1',
  providerOrgId: ids.otherPartner,
  accountIds: [ids.customer],
  addAccountIds: [ids.customer],
  removeAccountIds: [ids.customer],
  mode: 'grant',
  invoiceId: 'inv_0',
  entries: [],
  taxRate: '20',
  dueDate: '2099-12-31',
  amount: 100,
});

/** Other valid values of a field name whose shape differs between routes (a quote's lines, an invoice's): the first that fits is used. */
const alternativeSamples = (): Record<string, unknown[]> => ({ lines: [[{ sku: 'M365-BP', quantity: 1 }]] });

/** Query-string samples where a field of the same name is a list in a body (`accountIds=a,b`). */
const querySamples = (): Record<string, unknown> => ({ accountIds: ids.customer });

const shapeOf = (schema: ZodType | undefined): Record<string, ZodType> => (schema ? ((schema as ZodObject).shape ?? {}) : {});

/** The smallest valid object for a schema: its required fields, from `samples`. */
const validFor = (schema: ZodType | undefined, what: string): Record<string, unknown> => {
  if (!schema) return {};
  const known = { ...samples(), ...(what.endsWith(' query') ? querySamples() : {}) };
  const value: Record<string, unknown> = {};
  for (const name of Object.keys(shapeOf(schema))) {
    if (shapeOf(schema)[name]?.safeParse(undefined).success) continue;
    if (!(name in known)) throw new Error(`bad-input: no valid sample for ${what}.${name}; add one to \`samples\``);
    const candidates = [known[name], ...(alternativeSamples()[name] ?? [])];
    value[name] = candidates.find((candidate) => shapeOf(schema)[name]?.safeParse(candidate).success) ?? known[name];
  }
  // Schemas that need one optional field at least (a PATCH) get the first one that has a sample.
  if (!schema.safeParse(value).success) {
    const optional = Object.keys(shapeOf(schema)).find((name) => name in known && !(name in value));
    if (optional) value[optional] = known[optional];
  }
  if (!schema.safeParse(value).success) throw new Error(`bad-input: cannot build a valid ${what} from \`samples\``);
  return value;
};

const pathOf = (route: RouteDef, params: Record<string, string>, raw: Record<string, string> = {}): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => raw[name] ?? encodeURIComponent(params[name] ?? ''));

/** Values of the wrong type or size for a JSON field; only those its schema refuses are sent. */
const wrongValues: [string, unknown][] = [
  ['a number', 12345],
  ['a boolean', true],
  ['null', null],
  ['an object', { nested: 'x' }],
  ['an array', ['x']],
  ['an empty string', ''],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['a value outside its set', 'NOT-A-VALUE'],
  ['a control character', 'a\u0000b'],
];

/** Query values are strings: the wrong ones are wrong in shape or size. */
const wrongQueryValues: [string, string][] = [
  ['empty', ''],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['zero', '0'],
  ['101', '101'],
  ['negative', '-1'],
  ['a fraction', '1.5'],
  ['letters', 'abc'],
  ['not in its set', 'NOT-A-VALUE'],
  ['an id of the wrong kind', 'org_p1'],
];

/** Path parameter values that are not ids of the right kind: [name, raw path segment, decoded value]. */
const badIds = (param: string): [string, string][] => {
  const prefixes: Record<string, string> = { userId: 'usr', keyId: 'key', impId: 'imp', serviceId: 'svc', invoiceId: 'inv' };
  const prefix = prefixes[param] ?? 'org';
  const other = prefix === 'org' ? 'usr' : 'org';
  return [
    ['the wrong prefix', `${other}_abc`],
    ['uppercase', `${prefix.toUpperCase()}_ABC`],
    ['a slash, percent-encoded', `${prefix}_a%2Fb`],
    ['a dot-dot', '..'],
    ['1,000 characters', `${prefix}_${'a'.repeat(996)}`],
    ['a space', `${prefix}_a%20b`],
    ['a NUL byte', `${prefix}_a%00`],
    ['a non-ASCII letter', `${prefix}_%C3%A9`],
    ['no prefix at all', 'abc'],
    ['the prefix alone', `${prefix}_`],
    ['a quote', `${prefix}_a'`],
  ];
};

const malformedJson: [string, string][] = [
  ['an unclosed object', '{'],
  ['a truncated member', '{"name":'],
  ['single quotes', "{'name':'x'}"],
  ['a trailing comma', '{"name":"x",}'],
  ['a bare word', 'nul'],
  ['an unclosed array', '[1,2'],
  ['two documents', '{}{}'],
];

const notAnObject: [string, string][] = [
  ['an array', '[]'],
  ['a string', '"text"'],
  ['a number', '42'],
  ['null', 'null'],
];

/** Every malformed request for a route, each breaking one thing of an otherwise valid request. */
const casesFor = (route: RouteDef): Case[] => {
  const params = validFor(route.request.params, `${route.id} params`) as Record<string, string>;
  const query = validFor(route.request.query, `${route.id} query`) as Record<string, string>;
  const body = route.request.body ? validFor(route.request.body, `${route.id} body`) : undefined;
  const auth = { authorization: `Bearer ${adminToken}` };
  const request = (
    change: {
      params?: Record<string, string>;
      rawParams?: Record<string, string>;
      query?: Record<string, string> | string;
      body?: string | null;
      headers?: Record<string, string>;
      authorization?: string | null;
    } = {},
  ): ApiRequest => {
    const sentBody = change.body !== undefined ? change.body : body === undefined ? null : JSON.stringify(body);
    const authorization = change.authorization === undefined ? auth.authorization : change.authorization;
    return {
      method: route.method,
      path: pathOf(route, change.params ?? params, change.rawParams),
      query: typeof change.query === 'string' ? change.query : new URLSearchParams(change.query ?? query).toString(),
      headers: {
        ...(authorization === null ? {} : { authorization }),
        ...(sentBody !== null ? { 'content-type': 'application/json' } : {}),
        ...change.headers,
      },
      body: sentBody,
    };
  };
  const cases: Case[] = [];

  for (const param of Object.keys(shapeOf(route.request.params))) {
    for (const [what, raw] of badIds(param)) {
      cases.push({ name: `path ${param}: ${what}`, request: request({ rawParams: { [param]: raw } }), field: `params.${param}` });
    }
    // An empty segment leaves a path no route has (404), or a shorter route's path with another method (405).
    cases.push({ name: `path ${param}: empty`, request: request({ rawParams: { [param]: '' } }), status: [404, 405] });
  }

  const queryShape = shapeOf(route.request.query);
  for (const [field, schema] of Object.entries(queryShape)) {
    for (const [what, value] of wrongQueryValues) {
      const candidate = { ...query, [field]: value };
      if (route.request.query?.safeParse(candidate).success || !schema) continue;
      cases.push({ name: `query ${field}: ${what}`, request: request({ query: candidate }), field: `query.${field}` });
    }
  }
  // Whether its 400 names the parameter is checked once for all routes, below.
  cases.push({ name: 'an unknown query parameter', request: request({ query: { ...query, unexpected: '1' } }), field: 'query' });
  if ('cursor' in queryShape) {
    const [payload = '', signature = ''] = (cursors.children ?? '').split('.');
    const flipped = `${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}`;
    const forged: [string, string][] = [
      ['made up', 'abc'],
      ['made up with a dot', 'e30.abc'],
      ['three parts', 'a.b.c'],
      ['its payload edited', `${flipped}.${signature}`],
      ['its signature dropped', `${payload}.`],
      ['JSON of our own, unsigned', Buffer.from(JSON.stringify({ k: { pk: 'x' } })).toString('base64url')],
      ['5,000 characters', 'x'.repeat(5000)],
      ["another org's list", cursors.otherChildren ?? ''],
      ...Object.entries(cursors)
        .filter(([list]) => !route.path.endsWith(`/${list}`))
        .map(([list, cursor]): [string, string] => [`a cursor of the ${list} list`, cursor]),
    ];
    for (const [what, cursor] of forged) {
      cases.push({ name: `cursor: ${what}`, request: request({ query: { ...query, cursor } }), field: 'query.cursor' });
    }
    if ('kind' in queryShape) {
      cases.push({
        name: 'cursor: its own list with another filter',
        request: request({ query: { ...query, kind: 'partner', cursor: cursors.children ?? '' } }),
        field: 'query.cursor',
      });
    }
  }

  if (route.request.body && body) {
    for (const field of Object.keys(shapeOf(route.request.body))) {
      for (const [what, value] of wrongValues) {
        const candidate = { ...body, [field]: value };
        if (route.request.body.safeParse(candidate).success) {
          // A string field must not take a 10,000-character string, whatever its schema says.
          if (what === '10,000 characters' && typeof body[field] === 'string') {
            cases.push({
              name: `body ${field}: ${what} (accepted by its schema!)`,
              request: request({ body: JSON.stringify(candidate) }),
              field: `body.${field}`,
            });
          }
          continue;
        }
        cases.push({ name: `body ${field}: ${what}`, request: request({ body: JSON.stringify(candidate) }), field: `body.${field}` });
      }
    }
    cases.push({
      name: 'body: an unknown field',
      request: request({ body: JSON.stringify({ ...body, unexpected: 1 }) }),
      field: 'body',
      mentions: 'unexpected',
    });
    cases.push({
      name: 'body: a __proto__ field',
      // A body whose fields are all optional (a PUT) may be `{}`: no comma then.
      request: request({ body: `{"__proto__":{"admin":true}${Object.keys(body).length > 0 ? `,${JSON.stringify(body).slice(1)}` : '}'}` }),
      field: 'body',
      mentions: '__proto__',
    });
    cases.push({
      name: 'body: a constructor field',
      request: request({ body: JSON.stringify({ ...body, constructor: 'x' }) }),
      field: 'body',
      mentions: 'constructor',
    });
    for (const [what, text] of malformedJson)
      cases.push({ name: `body: malformed JSON, ${what}`, request: request({ body: text }), field: 'body' });
    for (const [what, text] of notAnObject)
      cases.push({ name: `body: ${what} instead of an object`, request: request({ body: text }), field: 'body' });
    cases.push({ name: 'body: none at all', request: request({ body: null }), field: 'body' });
    cases.push({
      name: 'body: 300 KB',
      request: request({ body: JSON.stringify({ ...body, name: 'x'.repeat(300 * 1024) }) }),
      field: 'body',
    });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      cases.push({
        name: `content-type ${contentType}`,
        request: request({ headers: { 'content-type': contentType } }),
        field: 'headers.content-type',
      });
    }
    cases.push({
      name: 'no content-type',
      request: { ...request(), headers: { authorization: `Bearer ${adminToken}` } },
      field: 'headers.content-type',
    });
  } else {
    cases.push({ name: 'a body on a route that takes none', request: request({ body: '{"unexpected":1}' }), field: 'body' });
  }

  if (route.conditional) {
    for (const value of ['abc', '"v1"', '*', '"1", "2"', 'W/"x"', '"12345678901234567890"', '" "', '-1']) {
      cases.push({ name: `If-Match ${value}`, request: request({ headers: { 'if-match': value } }), field: 'headers.if-match' });
    }
  }
  if (route.idempotent) {
    for (const [what, value] of [
      ['with a space', 'has space'],
      ['non-ASCII', 'clé'],
      ['256 characters', 'k'.repeat(256)],
      ['a tab', 'a\tb'],
    ]) {
      cases.push({
        name: `Idempotency-Key ${what}`,
        request: request({ headers: { 'idempotency-key': value as string } }),
        field: 'headers.idempotency-key',
      });
    }
  }

  if (route.auth === 'caller') {
    for (const [what, token] of Object.entries(badTokens)) {
      cases.push({
        name: `credentials: ${what}`,
        request: request({ authorization: token === null ? null : `Bearer ${token}` }),
        status: 401,
      });
    }
    cases.push({
      name: 'credentials: Basic instead of Bearer',
      request: request({ authorization: 'Basic YWRtaW46YWRtaW4=' }),
      status: 401,
    });
    cases.push({ name: 'credentials: Bearer with no token', request: request({ authorization: 'Bearer ' }), status: 401 });
  }
  return cases;
};

/** Everything wrong with one answer, or nothing. */
const problemsWith = (testCase: Case, response: ApiResponse): string[] => {
  const problems: string[] = [];
  const { status } = response;
  const expected = [testCase.status ?? 400].flat();
  if (status >= 500) problems.push(`a ${status}`);
  else if (!expected.includes(status)) problems.push(`status ${status}, expected ${expected.join(' or ')}`);
  if (response.headers['content-type'] !== 'application/problem+json') problems.push(`content-type ${response.headers['content-type']}`);
  const problem = response.json as
    | { status?: unknown; type?: unknown; title?: unknown; errors?: { path?: unknown; message?: unknown }[] }
    | undefined;
  if (!problem || problem.status !== status || typeof problem.type !== 'string' || typeof problem.title !== 'string') {
    problems.push('not a problem document with `status` equal to the HTTP status');
  }
  if (status === 400) {
    const errors = Array.isArray(problem?.errors) ? problem.errors : [];
    if (errors.length === 0) problems.push('a 400 without `errors`');
    if (testCase.field && !errors.some((e) => typeof e.path === 'string' && e.path.startsWith(testCase.field as string))) {
      problems.push(`no error names ${testCase.field}`);
    }
    if (testCase.mentions && !errors.some((e) => `${String(e.path)} ${String(e.message)}`.includes(testCase.mentions as string))) {
      problems.push(`no error mentions ${testCase.mentions}`);
    }
  }
  if (response.writes !== null && response.writes !== 0) problems.push(`${response.writes} DynamoDB writes`);
  return problems;
};

describe('bad input on every route', () => {
  it('covers every route of the route table', () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(casesFor(route).length, route.id).toBeGreaterThan(0);
  });

  it('names an unknown query parameter in its 400, on every route', async () => {
    const silent: string[] = [];
    for (const route of routes) {
      const testCase = casesFor(route).find((c) => c.name === 'an unknown query parameter') as Case;
      const response = await api.call(testCase.request);
      const problems = problemsWith({ ...testCase, mentions: 'unexpected' }, response);
      if (problems.length > 0) silent.push(`${route.id}: ${problems.join('; ')} → ${response.text.slice(0, 200)}`);
    }

    expect(silent).toEqual([]);
  });

  for (const route of routes) {
    it(`${route.id}: ${route.method} ${route.path} refuses malformed requests with 4xx problems and writes nothing`, async () => {
      const cases = casesFor(route);
      const before = fingerprintOf(await scanTable());

      const failures: string[] = [];
      for (const testCase of cases) {
        const response = await api.call(testCase.request);
        const problems = problemsWith(testCase, response);
        if (problems.length > 0)
          failures.push(`${testCase.name}: ${problems.join('; ')}\n      → ${response.status} ${response.text.slice(0, 300)}`);
      }
      const after = fingerprintOf(await scanTable());

      expect(failures, `${failures.length} of ${cases.length} cases`).toEqual([]);
      expect(after === before, 'the table changed').toBe(true);
    });
  }
});

import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAudience, localIssuer } from '#functions/authorizer/verify-token';
import type { RouteDef, RouteGroup } from '#functions/http/route-table-types';
import { createApiGateway } from '#infra/local/api-gateway';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import type { GatewayRequest } from '#infra/local/proxy-event';
import { createRouteMatcher } from '#infra/local/route-matcher';
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime';

/**
 * The local runtime as API Gateway and Lambda: routing from the route table,
 * the authorizer in front of `caller` routes, gateway responses as problem
 * documents, proxy events shaped as in AWS. Domain behaviour is tested elsewhere.
 */

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0 });
});
afterAll(async () => {
  await runtime?.stop();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${runtime.url}${path}`, init);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const expectProblem = async (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  return body;
};

describe('routing over HTTP', () => {
  it('serves a public route without a token', async () => {
    const response = await call('/v1/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-dynamodb-calls')).toBe('0');
  });

  it('answers a path no route has with a 404 problem', async () => {
    await expectProblem(await call('/v1/nothing-here'), 404);
    await expectProblem(await call('/v1/orgs'), 404);
  });

  it('answers a known path with a wrong method 405, naming the methods it takes', async () => {
    const response = await call('/v1/health', { method: 'DELETE' });

    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('refuses a body over 1 MB with a 413 problem', async () => {
    const response = await call('/local/token', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });

    await expectProblem(response, 413);
  });
});

describe('authentication', () => {
  it('answers 401 to a caller route called without a token', async () => {
    await expectProblem(await call('/v1/me'), 401);
    await expectProblem(await call('/v1/me', { headers: { authorization: 'Basic abc' } }), 401);
  });

  it('answers 401 to a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ email: 'admin@platform.test' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setExpirationTime('1h')
      .sign(privateKey);

    await expectProblem(await call('/v1/me', { headers: bearer(forged) }), 401);
  });

  it('issues a token from POST /local/token that the authorizer accepts', async () => {
    const issued = await call('/local/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Someone@Example.test' }),
    });
    expect(issued.status).toBe(200);
    const { token } = (await issued.json()) as { token: string };

    const me = await call('/v1/me', { headers: bearer(token) });

    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'someone@example.test' });
    expect(me.headers.get('x-dynamodb-calls')).toMatch(/^\d+$/);
    expect(me.headers.get('x-dynamodb-calls-authorizer')).toMatch(/^\d+$/);
  });

  it('refuses /local/token without a valid email, and any method but POST', async () => {
    await expectProblem(await call('/local/token', { method: 'POST', body: '{"email":"not-an-email"}' }), 400);
    await expectProblem(await call('/local/token', { method: 'POST', body: '{"email":"a@b.test","admin":true}' }), 400);
    await expectProblem(await call('/local/token', { method: 'POST', body: 'not json' }), 400);
    await expectProblem(await call('/local/token'), 405);
  });

  it('mints tokens in process too, for tests that skip the HTTP round trip', async () => {
    const response = await call('/v1/roles', { headers: bearer(await runtime.mintToken('tester@example.test')) });

    expect(response.status).toBe(200);
  });
});

describe('route matching', () => {
  const group: RouteGroup = { name: 'things', entry: 'unused.ts', access: 'RO', description: '' };
  const route = (method: RouteDef['method'], path: string): RouteDef => ({
    id: `${method} ${path}`,
    method,
    path,
    group,
    auth: 'public',
    permission: null,
    summary: '',
    tags: [],
    request: {},
    responses: {},
  });
  const match = createRouteMatcher([
    route('GET', '/v1/things/{thingId}'),
    route('GET', '/v1/things/{thingId}/parts/{partId}'),
    route('GET', '/v1/things/search'),
    route('POST', '/v1/things/{thingId}/parts/mine'),
  ]);

  it('prefers a literal segment to a parameter, wherever the routes are declared', () => {
    expect(match('GET', '/v1/things/search')).toMatchObject({ kind: 'found', route: { path: '/v1/things/search' }, pathParameters: null });
    expect(match('POST', '/v1/things/t1/parts/mine')).toMatchObject({ kind: 'found', pathParameters: { thingId: 't1' } });
  });

  it('decodes path parameters and ignores one trailing slash', () => {
    expect(match('GET', '/v1/things/a%20b%2Fc/')).toMatchObject({ kind: 'found', pathParameters: { thingId: 'a b/c' } });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(match('DELETE', '/v1/things/t1')).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
    expect(match('GET', '/v1/things//parts/p')).toEqual({ kind: 'not-found' });
    expect(match('GET', '/v1/things/t1/extra')).toEqual({ kind: 'not-found' });
  });
});

describe('API Gateway and Lambda semantics', () => {
  const group: RouteGroup = { name: 'misbehaving', entry: 'test/support/fixtures/misbehaving-function.ts', access: 'RO', description: '' };
  const route = (path: string, auth: RouteDef['auth'] = 'public'): RouteDef => ({
    id: path,
    method: 'POST',
    path,
    group,
    auth,
    permission: null,
    summary: '',
    tags: [],
    request: {},
    responses: {},
  });
  const failures: string[] = [];
  const gateway = createApiGateway({
    routes: ['/crash', '/malformed', '/slow', '/binary', '/echo'].map((path) => route(path)).concat(route('/{id}/secure', 'caller')),
    lambda: createLambdaRuntime({ timeoutMs: 200 }),
    authorizer: { name: 'scripted-authorizer', entry: 'test/support/fixtures/scripted-authorizer.ts' },
    reportDynamoDbCalls: true,
    errorLog: (line) => failures.push(line),
  });
  const request = (path: string, extra: Partial<GatewayRequest> = {}): GatewayRequest => ({
    method: 'POST',
    path,
    query: '',
    rawHeaders: ['Host', 'localhost:3000'],
    body: null,
    sourceIp: '127.0.0.1',
    requestId: randomUUID(),
    receivedAt: new Date(),
    serverPort: 3000,
    ...extra,
  });
  const eventOf = async (response: { body: string | Buffer }) => JSON.parse(String(response.body)) as APIGatewayProxyEvent;

  it('answers 502 when the function throws or returns a malformed result, 504 when it is too slow', async () => {
    expect((await gateway(request('/crash'))).statusCode).toBe(502);
    expect((await gateway(request('/malformed'))).statusCode).toBe(502);
    expect((await gateway(request('/slow'))).statusCode).toBe(504);
    expect(failures.join('\n')).toMatch(/POST \/crash .*failed[\s\S]*POST \/malformed .*malformed/);
  });

  it('decodes base64 bodies and lets multi-value headers win over single ones', async () => {
    const response = await gateway(request('/binary'));

    expect(response.body).toEqual(Buffer.from([0, 1, 2]));
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('builds the proxy event as API Gateway does', async () => {
    const event = await eventOf(
      await gateway(
        request('/echo', {
          query: 'tag=a&tag=b+c&empty=',
          rawHeaders: ['Host', 'localhost:3000', 'X-Multi', '1', 'X-Multi', '2', 'Content-Type', 'application/json'],
          body: '{"a":1}',
        }),
      ),
    );

    expect(event).toMatchObject({
      resource: '/echo',
      path: '/echo',
      httpMethod: 'POST',
      headers: { 'X-Multi': '2', 'Content-Type': 'application/json', 'X-Forwarded-For': '127.0.0.1' },
      multiValueHeaders: { 'X-Multi': ['1', '2'] },
      queryStringParameters: { tag: 'b c', empty: '' },
      multiValueQueryStringParameters: { tag: ['a', 'b c'], empty: [''] },
      pathParameters: null,
      stageVariables: null,
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: { stage: 'local', resourcePath: '/echo', httpMethod: 'POST', identity: { sourceIp: '127.0.0.1' } },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends null, not an empty object, when there is no query and no body', async () => {
    const event = await eventOf(await gateway(request('/echo')));

    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.body).toBeNull();
  });

  it('judges the authorizer as API Gateway does: 401, 403, 500', async () => {
    const as = (script: string) => gateway(request('/o1/secure', { rawHeaders: ['x-script', script] }));

    expect((await as('unauthorized')).statusCode).toBe(401);
    expect((await as('deny')).statusCode).toBe(403);
    expect((await as('allow-elsewhere')).statusCode).toBe(403);
    expect((await as('crash')).statusCode).toBe(500);
    expect((await as('object-context')).statusCode).toBe(500);
  });

  it('hands the authorizer context to the function as strings, with the principal id', async () => {
    const response = await gateway(request('/o%201/secure', { rawHeaders: ['x-script', 'allow'] }));
    const event = await eventOf(response);

    expect(response.statusCode).toBe(200);
    expect(event.pathParameters).toEqual({ id: 'o 1' });
    expect(event.requestContext.authorizer).toEqual({
      principalType: 'user',
      flag: 'true',
      count: '3',
      principalId: 'usr_scripted',
      integrationLatency: expect.any(Number),
    });
    expect(response.headers['x-dynamodb-calls-authorizer']).toBe('0');
  });
});

describe('DynamoDB Local', () => {
  it('leaves no Java process behind once stopped', async () => {
    const dynamo = await startDynamoDbLocal();
    expect(() => process.kill(dynamo.pid, 0)).not.toThrow();

    await dynamo.stop();

    expect(() => process.kill(dynamo.pid, 0)).toThrow();
  });
});

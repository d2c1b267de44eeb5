import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { RouteDef } from '#functions/http/route-table-types';
import { problemResponses, routes } from '#functions/http/routes';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { type Client, clientFor, expectJson, expectProblem, type Reply } from './support/http.ts';
import { collectRefs, resolvePointer, type Schema, schemaFaults, validate } from './support/json-schema.ts';

/**
 * The OpenAPI document as a client downloads it: public, OpenAPI 3.1,
 * generated from the one route table, structurally sound, and truthful about
 * what the API answers (real responses validate against the schemas it names).
 */

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface MediaType {
  schema?: Schema;
}
interface Response {
  description: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response>;
  'x-permission'?: string;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, unknown>> };
}

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let runtime: LocalRuntime;
let reply: Reply<OpenApiDocument>;
let doc: OpenApiDocument;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  reply = await clientFor(runtime.url).get<OpenApiDocument>('/v1/openapi.json');
  doc = reply.body;
});
afterAll(async () => {
  await runtime?.stop();
});

const operationOf = (route: RouteDef): Operation | undefined => doc.paths[route.path]?.[route.method.toLowerCase()];
const mustOperation = (route: RouteDef): Operation => {
  const operation = operationOf(route);
  if (!operation) throw new Error(`${route.method} ${route.path} is not in the document`);
  return operation;
};
const allOperations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => httpMethods.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
const byRoute = routes.map((route) => [`${route.method} ${route.path}`, route as RouteDef] as const);
const callerRoutes = byRoute.filter(([, route]) => route.auth === 'caller');
const publicRoutes = byRoute.filter(([, route]) => route.auth === 'public');
const keysOf = (schema: unknown): string[] => Object.keys((schema as z.ZodObject | undefined)?.shape ?? {});

describe('the document', () => {
  it('is served without credentials, as JSON, and is OpenAPI 3.1', () => {
    expectJson(reply, 200);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.stringMatching(/\S/), version: expect.stringMatching(/\S/) });
  });

  it('names the same API version as /v1/health', async () => {
    const health = expectJson(await clientFor(runtime.url).get<{ version: string }>('/v1/health'), 200);

    expect(health.version).toBe(doc.info.version);
  });

  it('holds exactly the operations of the route table, each operationId once', () => {
    const documented = allOperations().map(({ path, method, operation }) => `${method.toUpperCase()} ${path} ${operation.operationId}`);
    const table = routes.map((route) => `${route.method} ${route.path} ${route.id}`);

    expect(documented.sort()).toEqual(table.sort());
    const operationIds = allOperations().map(({ operation }) => operation.operationId);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('resolves every $ref within components', () => {
    const refs = collectRefs(doc);

    expect(refs.length).toBeGreaterThan(0);
    for (const { at, ref } of refs) {
      expect(ref, `${at}`).toMatch(/^#\/components\//);
      expect(resolvePointer(doc, ref), `${ref} (at ${at})`).toBeDefined();
    }
  });

  it('has well-formed operations, parameters, responses and schemas', () => {
    const schemaRoots: [string, unknown][] = Object.entries(doc.components.schemas).map(([name, schema]) => [`components.${name}`, schema]);
    for (const { path, method, operation } of allOperations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(path, where).toMatch(/^\/v1\//);
      expect(operation.operationId, where).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(operation.summary, where).toMatch(/\S/);
      expect(operation.tags?.length, where).toBeGreaterThan(0);
      const parameters = operation.parameters ?? [];
      for (const parameter of parameters) {
        expect(['path', 'query', 'header', 'cookie'], `${where} ${parameter.name}`).toContain(parameter.in);
        expect(parameter.schema, `${where} ${parameter.name}`).toBeDefined();
        schemaRoots.push([`${where} parameter ${parameter.name}`, parameter.schema]);
      }
      const seen = parameters.map((parameter) => `${parameter.in}:${parameter.name.toLowerCase()}`);
      expect(new Set(seen).size, `${where} repeats a parameter`).toBe(seen.length);
      const responses = Object.entries(operation.responses);
      expect(responses.length, where).toBeGreaterThan(0);
      for (const [status, response] of responses) {
        expect(status, where).toMatch(/^(?:[1-5]\d\d|default)$/);
        expect(response.description, `${where} ${status}`).toMatch(/\S/);
        for (const [type, media] of Object.entries(response.content ?? {})) schemaRoots.push([`${where} ${status} ${type}`, media.schema]);
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}))
        schemaRoots.push([`${where} body ${type}`, media.schema]);
    }

    const faults = schemaRoots.flatMap(([where, schema]) =>
      schema ? schemaFaults(schema).map((fault) => `${where}: ${fault}`) : [`${where}: no schema`],
    );
    expect(faults).toEqual([]);
  });
});

describe('each route', () => {
  it.each(byRoute)('%s: method, operationId, summary, tags and permission', (_, route) => {
    const operation = mustOperation(route);

    expect(operation).toMatchObject({ operationId: route.id, summary: route.summary, tags: route.tags });
    expect(operation['x-permission']).toBe(route.permission ?? undefined);
  });

  it.each(byRoute)('%s: path, query and header parameters', (_, route) => {
    const parameters = mustOperation(route).parameters ?? [];
    const named = (where: Parameter['in']) => parameters.filter((parameter) => parameter.in === where);

    const templated = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    expect(named('path').map((parameter) => parameter.name)).toEqual(templated);
    for (const parameter of named('path')) expect(parameter.required).toBe(true);
    expect(
      named('query')
        .map((parameter) => parameter.name)
        .sort(),
    ).toEqual(keysOf(route.request.query).sort());
    const headers = named('header').map((parameter) => parameter.name.toLowerCase());
    expect(headers.includes('if-match')).toBe(route.conditional === true);
    expect(headers.includes('idempotency-key')).toBe(route.idempotent === true);
  });

  it.each(byRoute)('%s: request body', (_, route) => {
    const operation = mustOperation(route);

    if (route.request.body) {
      expect(operation.requestBody?.required).toBe(true);
      expect(operation.requestBody?.content['application/json']?.schema).toBeDefined();
    } else {
      expect(operation.requestBody).toBeUndefined();
    }
  });

  it.each(byRoute)('%s: success responses', (_, route) => {
    const responses = mustOperation(route).responses;

    for (const [status, declared] of Object.entries(route.responses) as [string, { schema?: unknown; contentType?: string }][]) {
      const documented = responses[status];
      expect(documented, `${status}`).toBeDefined();
      if (declared.schema) expect(documented?.content?.[declared.contentType ?? 'application/json']?.schema, `${status}`).toBeDefined();
      else expect(documented?.content, `${status}`).toBeUndefined();
    }
  });

  it.each(callerRoutes)('%s: requires the bearer token', (_, route) => {
    const operation = mustOperation(route);
    const security = operation.security ?? doc.security ?? [];

    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(security).toContainEqual({ bearer: [] });
    for (const requirement of security) {
      for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes[scheme], scheme).toBeDefined();
    }
  });

  it.each(publicRoutes)('%s: is public', (_, route) => {
    expect(mustOperation(route).security).toEqual([]);
  });

  it.each(byRoute)('%s: documents its problem responses as application/problem+json', (_, route) => {
    const responses = mustOperation(route).responses;
    const statuses = route.auth === 'public' ? ['400', '429'] : Object.keys(problemResponses);

    for (const status of statuses) {
      const schema = responses[status]?.content?.['application/problem+json']?.schema;
      expect(schema, `${status}`).toBeDefined();
      const resolved = (typeof schema?.$ref === 'string' ? resolvePointer(doc, schema.$ref) : schema) as Schema;
      expect(resolved, `${status}`).toMatchObject({
        type: 'object',
        properties: { type: expect.anything(), title: expect.anything(), status: expect.anything(), detail: expect.anything() },
        required: expect.arrayContaining(['type', 'title', 'status']),
      });
    }
    if (route.auth === 'caller') {
      for (const status of ['401', '403', '404']) expect(Object.keys(responses)).toContain(status);
    }
  });
});

describe('what the API answers matches what the document says', () => {
  let admin: Client;
  beforeAll(async () => {
    admin = await signIn(runtime, demoUser.partnerAdmin);
  });

  const schemaOf = (operationId: string, status: number, contentType: string): Schema => {
    const route = routes.find((candidate) => candidate.id === operationId);
    if (!route) throw new Error(`No route ${operationId}`);
    const schema = mustOperation(route).responses[String(status)]?.content?.[contentType]?.schema;
    if (!schema) throw new Error(`${operationId} documents no ${status} ${contentType}`);
    return schema;
  };
  /** How `answer` departs from the schema its operation documents for its status and content type. */
  const mismatches = (operationId: string, answer: Reply<unknown>): string[] => {
    const contentType = answer.headers.get('content-type') ?? '';
    return validate(doc, schemaOf(operationId, answer.status, contentType), answer.body);
  };
  const expectConforms = (operationId: string, answer: Reply<unknown>) => {
    expect(mismatches(operationId, answer), `${operationId} ${answer.status}`).toEqual([]);
  };

  it('for successful reads and writes', async () => {
    const created = await admin.post<{ id: string }>(`/v1/orgs/${demoOrg.contoso}/children`, {
      kind: 'customer',
      name: 'Schema Check Ltd',
    });
    expectConforms('createChildOrg', created);
    expectConforms('getOrg', await admin.get(`/v1/orgs/${demoOrg.contoso}`));
    expectConforms('listChildOrgs', await admin.get(`/v1/orgs/${demoOrg.contoso}/children?limit=2`));
    expectConforms('listDescendantOrgs', await admin.get(`/v1/orgs/${demoOrg.contoso}/descendants`));
    expectConforms('listAncestorOrgs', await admin.get(`/v1/orgs/${demoOrg.adatum}/ancestors`));
    expectConforms('listMembers', await admin.get(`/v1/orgs/${demoOrg.alpine}/members`));
    expectConforms('getMe', await admin.get('/v1/me'));
    expectConforms('listRoles', await admin.get('/v1/roles'));
    expectConforms('getHealth', await admin.get('/v1/health'));
    expectConforms('getPriceBook', await admin.get(`/v1/orgs/${demoOrg.contoso}/price-book`));
    expectConforms('listInvoices', await admin.get(`/v1/orgs/${demoOrg.contoso}/invoices`));
    expectConforms('getInvoice', await admin.get('/v1/invoices/inv_demoalpineissued'));
    expectConforms('getBillingHistory', await admin.get(`/v1/orgs/${demoOrg.alpine}/billing-history`));
  });

  it('for problems, extension members included', async () => {
    const tech = await signIn(runtime, demoUser.technician);
    const answers: [string, Reply<unknown>, number][] = [
      ['getOrg', await admin.get(`/v1/orgs/${demoOrg.fabrikam}`), 404],
      ['listChildOrgs', await admin.get(`/v1/orgs/${demoOrg.contoso}/children?limit=0`), 400],
      ['createChildOrg', await admin.post(`/v1/orgs/${demoOrg.contoso}/children`, { kind: 'customer', name: 'Alpine Ski House' }), 409],
      ['updateOrg', await tech.patch(`/v1/orgs/${demoOrg.alpine}`, { name: 'Renamed' }), 403],
      ['updateOrg', await admin.patch(`/v1/orgs/${demoOrg.alpine}`, { name: 'Renamed' }, { headers: { 'if-match': '"999"' } }), 412],
    ];

    const found: Record<string, string[]> = {};
    for (const [operationId, answer, status] of answers) {
      expectProblem(answer, status);
      found[`${operationId} ${status}`] = mismatches(operationId, answer);
    }
    // RFC 9457 lets a problem carry extension members (the API sends `rule`, `currentVersion`); the documented schema must allow them.
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((key) => [key, []])));
  });
});

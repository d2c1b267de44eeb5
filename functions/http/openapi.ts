import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, routes } from './routes.ts';

export const apiVersion = '1.0.0';

const toOpenApiPath = (path: string) => path;

const problemContent = (schema: z.ZodType) => ({ 'application/problem+json': { schema } });

const operationOf = (route: (typeof routes)[number]): ZodOpenApiOperationObject => {
  const request = route.request as { params?: z.ZodObject; query?: z.ZodObject; body?: z.ZodType };
  const responses: Record<
    string,
    NonNullable<ZodOpenApiOperationObject['responses']>[keyof NonNullable<ZodOpenApiOperationObject['responses']>]
  > = {};
  for (const [status, response] of Object.entries(route.responses) as [
    string,
    { description: string; schema?: z.ZodType; contentType?: string },
  ][]) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
    };
  }
  const problems = route.auth === 'public' ? { 400: problemResponses[400], 429: problemResponses[429] } : problemResponses;
  for (const [status, schema] of Object.entries(problems)) {
    responses[status] ??= { description: 'Problem', content: problemContent(schema) };
  }
  const headers: Record<string, z.ZodType> = {};
  if ('conditional' in route && route.conditional)
    headers['if-match'] = z.string().optional().meta({ description: 'ETag of the version being changed; 412 when stale' });
  if ('idempotent' in route && route.idempotent)
    headers['idempotency-key'] = z
      .string()
      .max(255)
      .optional()
      .meta({ description: 'Makes a retry return the first response (kept 24 hours, per caller)' });
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [...route.tags],
    ...(route.auth === 'public' ? { security: [] } : {}),
    ...(route.permission ? { 'x-permission': route.permission } : {}),
    ...('clientPermissions' in route && route.clientPermissions ? { 'x-client-permissions': [...route.clientPermissions] } : {}),
    requestParams: {
      ...(request.params ? { path: request.params } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(Object.keys(headers).length > 0 ? { header: z.object(headers) } : {}),
    },
    ...(request.body ? { requestBody: { required: true, content: { 'application/json': { schema: request.body } } } } : {}),
    responses,
  };
};

/** The OpenAPI 3.1 document, generated from the route table and the schemas the handlers validate with. */
export const buildOpenApiDocument = () => {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    paths[path] ??= {};
    (paths[path] as Record<string, ZodOpenApiOperationObject>)[route.method.toLowerCase()] = operationOf(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Partner Portal API',
      version: apiVersion,
      description:
        'Errors are RFC 9457 problem documents. Out of scope answers 404, in scope without the permission 403. ' +
        'Lists return `{ items, nextCursor }`; cursors are signed and bound to the list they came from. ' +
        'A filtered page may hold fewer than `limit` items while `nextCursor` is set: each page is one bounded query.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    security: [{ bearer: [] }],
    paths,
  });
};

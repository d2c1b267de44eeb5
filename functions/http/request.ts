import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ZodType, z } from 'zod';
import type { Caller, PrincipalType } from '#domain/access/caller';
import { roleNames } from '#domain/access/roles';
import { type FieldError, UnauthorizedError, ValidationError } from '#domain/shared/errors';
import type { RouteDef } from './route-table-types.ts';

/** Bodies beyond this are refused before parsing; API Gateway would take 10 MB. */
export const maxBodyBytes = 256 * 1024;

type Out<S> = S extends ZodType ? z.output<S> : Record<string, never>;

export interface ParsedRequest<R extends RouteDef = RouteDef> {
  route: R;
  params: Out<R['request']['params']>;
  query: Out<R['request']['query']>;
  body: Out<R['request']['body']>;
  caller: Caller;
  requestId: string;
  sourceIp: string | null;
  /** The version named by `If-Match`, when the client sent one. */
  ifMatch: number | null;
  idempotencyKey: string | null;
}

/** One field error per issue; an unknown key is named in the path so clients see which field to drop. */
const issuesOf = (location: string, error: z.ZodError): FieldError[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [location, ...issue.path.map(String), key].join('.'), message: 'unexpected field' }))
      : [{ path: [location, ...issue.path.map(String)].join('.'), message: issue.message }],
  );

const parsePart = (location: string, schema: ZodType | undefined, value: unknown, errors: FieldError[]): unknown => {
  if (!schema) {
    if (value !== undefined && value !== null && typeof value === 'object') {
      for (const key of Object.keys(value))
        errors.push({ path: `${location}.${key}`, message: `unexpected field: this route takes no ${location}` });
    } else if (value !== undefined && value !== null) {
      errors.push({ path: location, message: `unexpected ${location}: this route takes none` });
    }
    return {};
  }
  const result = schema.safeParse(value ?? (location === 'body' ? undefined : {}));
  if (!result.success) {
    errors.push(...issuesOf(location, result.error));
    return undefined;
  }
  return result.data;
};

const readBody = (event: APIGatewayProxyEvent, errors: FieldError[]): unknown => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > maxBodyBytes) {
    errors.push({ path: 'body', message: `must be at most ${maxBodyBytes} bytes` });
    return undefined;
  }
  const contentType = event.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    errors.push({ path: 'headers.content-type', message: 'must be application/json' });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    errors.push({ path: 'body', message: `malformed JSON: ${(error as Error).message}` });
    return undefined;
  }
};

const parseIfMatch = (value: string | undefined, errors: FieldError[]): number | null => {
  if (value === undefined) return null;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!match?.[1]) {
    errors.push({ path: 'headers.if-match', message: 'must be an ETag from a previous response, e.g. "3"' });
    return null;
  }
  return Number(match[1]);
};

const parseIdempotencyKey = (value: string | undefined, errors: FieldError[]): string | null => {
  if (value === undefined) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    errors.push({ path: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' });
    return null;
  }
  return value;
};

const principalTypes: readonly PrincipalType[] = ['user', 'api-key', 'impersonation'];
const principalKey: Record<PrincipalType, string> = { user: 'userId', 'api-key': 'apiKeyId', impersonation: 'impersonationId' };

/** The caller the authorizer resolved; public routes get an anonymous one. */
export const callerFrom = (event: APIGatewayProxyEvent, route: RouteDef): Caller => {
  const context = (event.requestContext.authorizer ?? {}) as Record<string, unknown>;
  const principalType = principalTypes.find((type) => type === context.principalType);
  if (!principalType) {
    if (route.auth === 'public') return { principalId: '', principalType: 'user' };
    throw new UnauthorizedError('Missing or invalid credentials');
  }
  const str = (key: string) => (typeof context[key] === 'string' && context[key] !== '' ? (context[key] as string) : undefined);
  const keyRole = roleNames.find((role) => role === str('keyRole'));
  return {
    principalId: str(principalKey[principalType]) ?? '',
    principalType,
    ...(str('email') ? { email: str('email') } : {}),
    ...(str('keyOrgId') ? { keyOrgId: str('keyOrgId') } : {}),
    ...(keyRole ? { keyRole } : {}),
    ...(str('impersonatorId') ? { impersonatorId: str('impersonatorId') } : {}),
  };
};

/** Validates every part of the request against the route's schemas; all field errors at once. */
export const parseRequest = <R extends RouteDef>(event: APIGatewayProxyEvent, route: R): ParsedRequest<R> => {
  const caller = callerFrom(event, route);
  const errors: FieldError[] = [];
  const headers = event.headers;
  const ifMatch = route.conditional ? parseIfMatch(headers['if-match'], errors) : null;
  const idempotencyKey = route.idempotent ? parseIdempotencyKey(headers['idempotency-key'], errors) : null;
  const params = parsePart('params', route.request.params, event.pathParameters ?? {}, errors);
  const query = parsePart('query', route.request.query, event.queryStringParameters ?? {}, errors);
  const rawBody = readBody(event, errors);
  const body = errors.some((e) => e.path === 'body' || e.path.startsWith('headers.content-type'))
    ? undefined
    : parsePart('body', route.request.body, rawBody, errors);
  if (errors.length > 0) throw new ValidationError('The request has invalid fields', { errors });
  return {
    route,
    params: params as ParsedRequest<R>['params'],
    query: query as ParsedRequest<R>['query'],
    body: body as ParsedRequest<R>['body'],
    caller,
    requestId: event.requestContext.requestId,
    sourceIp: event.requestContext.identity?.sourceIp ?? null,
    ifMatch,
    idempotencyKey,
  };
};

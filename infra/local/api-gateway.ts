import type { APIGatewayProxyResult } from 'aws-lambda';
import type { CallCount } from '#domain/db/call-counter';
import type { RouteDef } from '#functions/http/route-table-types';
import { authorizerFunction, runAuthorizer } from './authorizer-invocation.ts';
import { gatewayProblem } from './gateway-responses.ts';
import type { FunctionRef, LambdaRuntime } from './lambda-runtime.ts';
import { buildAuthorizerEvent, buildProxyEvent, type GatewayRequest, type RouteTarget } from './proxy-event.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createRouteMatcher } from './route-matcher.ts';

/** A reply ready for the wire: multi-value headers merged, base64 bodies decoded. */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/** A route only the local runtime serves (`POST /local/token`): no authorizer, no Lambda. */
export interface LocalRoute {
  method: string;
  path: string;
  handle: (body: string | null) => Promise<APIGatewayProxyResult>;
}

export interface ApiGatewayOptions {
  routes: readonly RouteDef[];
  lambda: LambdaRuntime;
  /** The REQUEST authorizer of `caller` routes; the stack's own unless a test swaps it. */
  authorizer?: FunctionRef;
  localRoutes?: LocalRoute[];
  /**
   * Adds `x-dynamodb-calls` (handler), `x-dynamodb-calls-authorizer` and `x-dynamodb-writes` (the
   * calls of either that wrote) to every reply that reached the function; local mode only.
   */
  reportDynamoDbCalls?: boolean;
  /** Where failures go, as CloudWatch would hold them; stderr by default. */
  errorLog?: (line: string, error?: unknown) => void;
  /**
   * Applies each route's own `throttle` (the public application form) per
   * source IP, answering 429 before the authorizer or the function runs, as
   * API Gateway's throttling does. Off unless asked: in-process test harnesses
   * call from one address all the time.
   */
  throttleRoutes?: boolean;
}

/** DynamoDB commands that write; tests assert that refused requests make none of them. */
const writeCommand = /^(?:Put|Update|Delete|BatchWrite|TransactWrite)/;

/** How many of a request's DynamoDB calls wrote something. */
export const writesOf = (calls: CallCount): number =>
  Object.entries(calls.byCommand).reduce((sum, [command, count]) => (writeCommand.test(command) ? sum + count : sum), 0);

type Primitive = string | number | boolean;
const isPrimitive = (value: unknown): value is Primitive => ['string', 'number', 'boolean'].includes(typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns what a function returned into a response, or undefined when API
 * Gateway would call it malformed (a 502). Where `headers` and
 * `multiValueHeaders` name the same header, the multi-value one wins, as in AWS.
 */
export const toGatewayResponse = (value: unknown): GatewayResponse | undefined => {
  if (!isRecord(value)) return undefined;
  const { statusCode, body, isBase64Encoded } = value;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  const single = value.headers ?? {};
  const multi = value.multiValueHeaders ?? {};
  if (!isRecord(single) || !isRecord(multi)) return undefined;
  for (const [name, header] of Object.entries(single)) {
    if (!isPrimitive(header)) return undefined;
    headers[name.toLowerCase()] = String(header);
  }
  for (const [name, values] of Object.entries(multi)) {
    if (!Array.isArray(values) || !values.every(isPrimitive)) return undefined;
    headers[name.toLowerCase()] = values.map(String);
  }
  const text = body ?? '';
  return { statusCode, headers, body: isBase64Encoded === true ? Buffer.from(text, 'base64') : text };
};

/**
 * The local stand-in for API Gateway's REST API: route by the route table,
 * run the authorizer for `caller` routes, invoke the group's function with a
 * proxy event, and answer with the gateway's own responses where AWS would.
 * It never answers 5xx of its own accord, except where API Gateway would
 * (a crashed function 502, a failed authorizer 500, a timeout 504).
 */
export const createApiGateway = (options: ApiGatewayOptions) => {
  const matchRoute = createRouteMatcher(options.routes);
  const errorLog = options.errorLog ?? ((line: string, error?: unknown) => console.error(line, ...(error === undefined ? [] : [error])));
  const logFailure = (request: GatewayRequest, what: string, error?: unknown) =>
    errorLog(`[local api] ${request.method} ${request.path} (${request.requestId}): ${what}`, error);
  const localRoutes = new Map((options.localRoutes ?? []).map((route) => [route.path, route]));
  const limiter = options.throttleRoutes ? createRateLimiter() : null;

  const invokeRoute = async (request: GatewayRequest, route: RouteDef, target: RouteTarget) => {
    const extraHeaders: Record<string, string> = {};
    if (limiter && route.throttle) {
      const decision = limiter.take(`${route.id} ${request.sourceIp}`, route.throttle);
      if (!decision.allowed) return { result: gatewayProblem.tooManyRequests(decision.retryAfterSeconds), extraHeaders };
    }
    let authorizerContext: Record<string, string | number> | null = null;
    let authorizerWrites = 0;
    if (route.auth === 'caller') {
      const outcome = await runAuthorizer(options.lambda, options.authorizer ?? authorizerFunction, buildAuthorizerEvent(request, target));
      if (outcome.kind === 'unauthorized') return { result: gatewayProblem.unauthorized(), extraHeaders };
      if (outcome.kind === 'denied') return { result: gatewayProblem.forbidden(), extraHeaders };
      if (outcome.kind === 'failed') {
        logFailure(request, `authorizer failed: ${outcome.reason}`, outcome.error);
        return { result: gatewayProblem.authorizerFailed(), extraHeaders };
      }
      authorizerContext = outcome.context;
      extraHeaders['x-dynamodb-calls-authorizer'] = String(outcome.calls.total);
      authorizerWrites = writesOf(outcome.calls);
    }
    const invocation = await options.lambda.invoke(route.group, buildProxyEvent(request, target, authorizerContext));
    if (invocation.kind === 'timed-out') return { result: gatewayProblem.gatewayTimeout(options.lambda.timeoutMs), extraHeaders };
    if (invocation.kind === 'threw') {
      logFailure(request, `function ${route.group.name} failed`, invocation.error);
      return { result: gatewayProblem.badGateway(), extraHeaders };
    }
    extraHeaders['x-dynamodb-calls'] = String(invocation.calls.total);
    extraHeaders['x-dynamodb-writes'] = String(authorizerWrites + writesOf(invocation.calls));
    return { result: invocation.value, extraHeaders };
  };

  const dispatch = async (request: GatewayRequest): Promise<{ result: unknown; extraHeaders: Record<string, string> }> => {
    const local = localRoutes.get(request.path);
    if (local) {
      const result = request.method === local.method ? await local.handle(request.body) : gatewayProblem.methodNotAllowed([local.method]);
      return { result, extraHeaders: {} };
    }
    const match = matchRoute(request.method, request.path);
    if (match.kind === 'not-found') return { result: gatewayProblem.notFound(), extraHeaders: {} };
    if (match.kind === 'method-not-allowed') return { result: gatewayProblem.methodNotAllowed(match.allow), extraHeaders: {} };
    return invokeRoute(request, match.route, { resource: match.route.path, pathParameters: match.pathParameters });
  };

  return async (request: GatewayRequest): Promise<GatewayResponse> => {
    const { result, extraHeaders } = await dispatch(request);
    let response = toGatewayResponse(result);
    if (!response) {
      logFailure(request, 'the function returned a malformed proxy result', result);
      response = toGatewayResponse(gatewayProblem.badGateway()) as GatewayResponse;
    }
    const headers: Record<string, string | string[]> = { ...response.headers, 'x-amzn-requestid': request.requestId };
    if (options.reportDynamoDbCalls) Object.assign(headers, extraHeaders);
    return { ...response, headers };
  };
};

export type ApiGateway = ReturnType<typeof createApiGateway>;

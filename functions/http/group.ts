import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { actorOf } from '#domain/access/caller';
import { withIdempotency } from '#domain/idempotency/idempotency';
import { loadCursorKey } from '#domain/shared/cursor-key-loader';
import { MethodNotAllowedError, NotFoundError } from '#domain/shared/errors';
import { logger } from '../shared/logger.ts';
import { problemErrorHandler } from './error-handler.ts';
import { type Reply, toProxyResult } from './reply.ts';
import { type ParsedRequest, parseRequest } from './request.ts';
import type { RouteDef, RouteGroup } from './route-table-types.ts';
import { routes } from './routes.ts';

type RoutesOf<G extends RouteGroup> = Extract<(typeof routes)[number], { group: G }>;

export type RouteRequest<R extends RouteDef> = ParsedRequest<R> & { actor: ReturnType<typeof actorOf> };

export type Implementations<G extends RouteGroup> = {
  [R in RoutesOf<G> as R['id']]: (request: RouteRequest<R>) => Promise<Reply>;
};

const findRoute = (event: APIGatewayProxyEvent, group: RouteGroup): RouteDef => {
  const candidates = routes.filter((route) => route.path === event.resource && route.group.name === group.name);
  const route = candidates.find((candidate) => candidate.method === event.httpMethod);
  if (route) return route;
  if (candidates.length > 0) {
    throw new MethodNotAllowedError(`${event.httpMethod} is not allowed here`, {
      extensions: { allow: candidates.map((c) => c.method) },
    });
  }
  throw new NotFoundError('No such route');
};

/**
 * One Lambda per route group. Routes are matched on API Gateway's `resource`
 * and method, validated against the route table's schemas, and dispatched to
 * the group's implementation. The middy stack is the same for every group:
 * header normaliser first, logger, then the problem+json handler last.
 */
export const defineGroup = <G extends RouteGroup>(group: G, implementations: NoInfer<Implementations<G>>) => {
  const table = implementations as unknown as Record<string, (request: RouteRequest<RouteDef>) => Promise<Reply>>;
  const dispatch = async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    const route = findRoute(event, group);
    await loadCursorKey();
    const parsed = parseRequest(event, route);
    const implementation = table[route.id];
    if (!implementation) throw new NotFoundError('No such route');
    const request = { ...parsed, actor: actorOf(parsed.caller, parsed) };
    logger.appendKeys({ route: route.id, principalId: parsed.caller.principalId });
    if (route.idempotent && parsed.idempotencyKey) {
      const reply = await withIdempotency(
        {
          scope: `${parsed.caller.principalType}:${parsed.caller.principalId}`,
          key: parsed.idempotencyKey,
          operation: route.id,
          fingerprint: { params: parsed.params, body: parsed.body },
        },
        () => implementation(request),
      );
      return toProxyResult(reply);
    }
    return toProxyResult(await implementation(request));
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemErrorHandler())
    .handler(dispatch);
};

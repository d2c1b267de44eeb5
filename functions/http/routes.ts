import type { RouteDef, RouteGroup } from './route-table-types.ts';
import { auditGroup, auditRoutes } from './routes/audit.ts';
import { billingGroup, billingRoutes } from './routes/billing.ts';
import { membersGroup, membersRoutes } from './routes/members.ts';
import { orgsGroup, orgsRoutes } from './routes/orgs.ts';
import { serviceGroup, serviceRoutes } from './routes/service.ts';
import { problem } from './schemas/common.ts';

/**
 * THE route table: the CDK stack builds API Gateway from it, the local runtime
 * serves from it, the handlers validate with its schemas and the OpenAPI
 * document is generated from it. A route cannot exist in one and not the others.
 * Each area keeps its group and routes in `routes/<area>.ts`; this file joins them.
 */
export const groups = {
  service: serviceGroup,
  orgs: orgsGroup,
  members: membersGroup,
  audit: auditGroup,
  billing: billingGroup,
} as const satisfies Record<string, RouteGroup>;

export const routes = [
  ...serviceRoutes,
  ...orgsRoutes,
  ...membersRoutes,
  ...auditRoutes,
  ...billingRoutes,
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];
export type RouteOf<Id extends RouteId> = Extract<(typeof routes)[number], { id: Id }>;

export const routeById = (id: string): RouteDef | undefined => routes.find((route) => route.id === id);

/** Problem responses every authenticated route may answer. */
export const problemResponses = {
  400: problem,
  401: problem,
  403: problem,
  404: problem,
  409: problem,
  412: problem,
  422: problem,
  429: problem,
};

import type { RouteDef, RouteGroup } from './route-table-types.ts';
import { apiKeysGroup, apiKeysRoutes } from './routes/api-keys.ts';
import { applicationIntakeGroup, applicationsGroup, applicationsRoutes } from './routes/applications.ts';
import { auditGroup, auditRoutes } from './routes/audit.ts';
import { billingGroup, billingRoutes } from './routes/billing.ts';
import { externalAdminsGroup, externalAdminsRoutes } from './routes/external-admins.ts';
import { impersonationGroup, impersonationRoutes } from './routes/impersonation.ts';
import { membersGroup, membersRoutes } from './routes/members.ts';
import { orgsGroup, orgsRoutes } from './routes/orgs.ts';
import { partnersGroup, partnersRoutes } from './routes/partners.ts';
import { portalGroup, portalPeopleRoutes } from './routes/portal.ts';
import { portalDocumentRoutes } from './routes/portal-documents.ts';
import { portalWorkRoutes } from './routes/portal-work.ts';
import { serviceGroup, serviceRoutes } from './routes/service.ts';
import { servicesGroup, servicesRoutes } from './routes/services.ts';
import { ticketRoutes } from './routes/tickets.ts';
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
  externalAdmins: externalAdminsGroup,
  'api-keys': apiKeysGroup,
  partners: partnersGroup,
  applicationIntake: applicationIntakeGroup,
  applications: applicationsGroup,
  impersonation: impersonationGroup,
  portal: portalGroup,
  services: servicesGroup,
  billing: billingGroup,
} as const satisfies Record<string, RouteGroup>;

export const routes = [
  ...serviceRoutes,
  ...orgsRoutes,
  ...membersRoutes,
  ...auditRoutes,
  ...externalAdminsRoutes,
  ...apiKeysRoutes,
  ...partnersRoutes,
  ...applicationsRoutes,
  ...impersonationRoutes,
  ...portalPeopleRoutes,
  ...ticketRoutes,
  ...portalWorkRoutes,
  ...portalDocumentRoutes,
  ...servicesRoutes,
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

import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { page } from '../schemas/common.ts';
import {
  customerParams,
  impersonationParams,
  impersonationSession,
  listImpersonationsQuery,
  startedImpersonation,
  startImpersonationBody,
  subtreeParams,
} from '../schemas/impersonation.ts';
import { noContent, ok } from './responses.ts';

export const impersonationGroup = {
  name: 'impersonation',
  entry: 'functions/http/groups/impersonation.ts',
  access: 'RW',
  description: '"Login As": impersonation sessions (start, end, list); signs session tokens',
} as const satisfies RouteGroup;

export const impersonationRoutes = [
  {
    id: 'startImpersonation',
    method: 'POST',
    path: '/v1/orgs/{orgId}/impersonations',
    group: impersonationGroup,
    auth: 'caller',
    permission: 'impersonate',
    summary:
      'Log in as a customer: a session token acting with the customer’s admin role in this customer only, for 1–60 minutes. A person only: API keys and impersonation tokens get 403 `users-only`. Starting again while one of yours runs here ends that one (`replaced`).',
    tags: ['Delegated access'],
    request: { params: customerParams, body: startImpersonationBody },
    idempotent: true,
    responses: { 201: ok(startedImpersonation, 'Created') },
  },
  {
    id: 'listImpersonations',
    method: 'GET',
    path: '/v1/orgs/{orgId}/impersonations',
    group: impersonationGroup,
    auth: 'caller',
    permission: 'access:read',
    summary:
      'Active and past impersonation sessions in this org’s subtree, newest first (never their tokens). Needs `access:read`: a session is a grant of access to the customer, like those `…/access` lists. Customers that switched partner access off drop out of the lists above them.',
    tags: ['Delegated access'],
    request: { params: subtreeParams, query: listImpersonationsQuery },
    responses: { 200: ok(page(impersonationSession)) },
  },
  {
    id: 'endImpersonation',
    method: 'DELETE',
    path: '/v1/impersonations/{impId}',
    group: impersonationGroup,
    auth: 'caller',
    permission: null,
    summary:
      'End a session: its impersonator (also with the session’s own token), the customer’s admins (`member:write` there) and anyone with `impersonate` at or above the customer may. Others who can list it get 403, anyone else 404. Ending an ended session answers 204 again.',
    tags: ['Delegated access'],
    request: { params: impersonationParams },
    responses: { 204: noContent },
  },
] as const satisfies readonly RouteDef[];

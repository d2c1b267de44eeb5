import { z } from 'zod';
import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { me, role } from '../schemas/access.ts';
import { ok } from './responses.ts';

export const serviceGroup = {
  name: 'service',
  entry: 'functions/http/groups/service.ts',
  access: 'RO',
  description: 'Health, OpenAPI document, the caller and the roles',
} as const satisfies RouteGroup;

export const serviceRoutes = [
  {
    id: 'getHealth',
    method: 'GET',
    path: '/v1/health',
    group: serviceGroup,
    auth: 'public',
    permission: null,
    summary: 'Liveness of the API',
    tags: ['Service'],
    request: {},
    responses: { 200: ok(z.object({ status: z.literal('ok'), version: z.string() })) },
  },
  {
    id: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    group: serviceGroup,
    auth: 'public',
    permission: null,
    summary: 'This OpenAPI 3.1 document',
    tags: ['Service'],
    request: {},
    responses: { 200: ok(z.record(z.string(), z.unknown())) },
  },
  {
    id: 'getMe',
    method: 'GET',
    path: '/v1/me',
    group: serviceGroup,
    auth: 'caller',
    permission: null,
    summary: 'The caller: identity, memberships, active impersonation',
    tags: ['Service'],
    request: {},
    responses: { 200: ok(me) },
  },
  {
    id: 'listRoles',
    method: 'GET',
    path: '/v1/roles',
    group: serviceGroup,
    auth: 'caller',
    permission: null,
    summary: 'Roles and the permissions each carries',
    tags: ['Access'],
    request: {},
    responses: { 200: ok(z.object({ items: z.array(role) })) },
  },
] as const satisfies readonly RouteDef[];

import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { orgParams } from '../schemas/orgs.ts';
import { config, profile, putConfigBody, putProfileBody } from '../schemas/partners.ts';
import { ok } from './responses.ts';

export const partnersGroup = {
  name: 'partners',
  entry: 'functions/http/groups/partners.ts',
  access: 'RW',
  description: 'Partner details (profile) and configuration',
} as const satisfies RouteGroup;

export const partnersRoutes = [
  {
    id: 'getProfile',
    method: 'GET',
    path: '/v1/orgs/{orgId}/profile',
    group: partnersGroup,
    auth: 'caller',
    permission: 'profile:read',
    summary:
      'A channel’s or partner’s business details: company and billing contacts, address, a partner’s statuses, a channel’s programme (`{orgId}` is the partner or channel; customers and the platform keep no profile: 404 `no-profile`)',
    tags: ['Partner details'],
    request: { params: orgParams },
    responses: { 200: ok(profile) },
  },
  {
    id: 'putProfile',
    method: 'PUT',
    path: '/v1/orgs/{orgId}/profile',
    group: partnersGroup,
    auth: 'caller',
    permission: 'profile:write',
    summary: 'Replace a channel’s or partner’s business details (a field left out is cleared; If-Match honoured, not required)',
    tags: ['Partner details'],
    request: { params: orgParams, body: putProfileBody },
    conditional: true,
    responses: { 200: ok(profile) },
  },
  {
    id: 'getConfig',
    method: 'GET',
    path: '/v1/orgs/{orgId}/config',
    group: partnersGroup,
    auth: 'caller',
    permission: 'config:read',
    summary:
      'A partner’s or customer’s configuration: inbound and outbound IPs, smarthost; a customer’s says whether it is still its partner’s copy (`inheritedFrom`)',
    tags: ['Partner details'],
    request: { params: orgParams },
    responses: { 200: ok(config) },
  },
  {
    id: 'putConfig',
    method: 'PUT',
    path: '/v1/orgs/{orgId}/config',
    group: partnersGroup,
    auth: 'caller',
    permission: 'config:write',
    summary:
      'Replace a partner’s or customer’s configuration (MSP administrators: partner admins and the channel and platform admins above them; If-Match honoured, not required)',
    tags: ['Partner details'],
    request: { params: orgParams, body: putConfigBody },
    conditional: true,
    responses: { 200: ok(config) },
  },
] as const satisfies readonly RouteDef[];

import { z } from 'zod';
import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { dryRunReport, page, paging } from '../schemas/common.ts';
import { orgParams } from '../schemas/orgs.ts';
import {
  assignmentPairsBody,
  candidatesQuery,
  createServiceBody,
  dryRunQuery,
  grantOutcome,
  revokeOutcome,
  service,
  serviceCandidate,
  serviceListItem,
  serviceParams,
  updateServiceBody,
} from '../schemas/services.ts';
import { ok } from './responses.ts';

export const servicesGroup = {
  name: 'services',
  entry: 'functions/http/groups/services.ts',
  access: 'RW',
  description: 'Service relationships: accounts an owner shares with a provider, and the provider users assigned to them',
} as const satisfies RouteGroup;

const tags = ['Delegated access'];

/*
 * Routes under /v1/services/{serviceId} are checked on the service's two
 * orgs, not on a path org: the permission named here is what the acting side
 * needs (see each summary). Anyone who reaches neither the owner nor the
 * provider gets the same 404 as for a missing service.
 */
export const servicesRoutes = [
  {
    id: 'createService',
    method: 'POST',
    path: '/v1/orgs/{orgId}/services',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:write',
    summary: 'Share accounts (direct children of `{orgId}`, the owner) with a provider partner org',
    tags,
    request: { params: orgParams, body: createServiceBody },
    idempotent: true,
    responses: { 201: ok(service, 'Created') },
  },
  {
    id: 'listServices',
    method: 'GET',
    path: '/v1/orgs/{orgId}/services',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:read',
    summary: 'Services the org owns, then those it receives, each oldest first',
    tags,
    request: { params: orgParams, query: z.strictObject({ ...paging }) },
    responses: { 200: ok(page(serviceListItem)) },
  },
  {
    id: 'getService',
    method: 'GET',
    path: '/v1/services/{serviceId}',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:read',
    summary: 'A service, its accounts and the users assigned to each (`service:read` at the owner or at the provider)',
    tags,
    request: { params: serviceParams },
    responses: { 200: ok(service) },
  },
  {
    id: 'updateService',
    method: 'PATCH',
    path: '/v1/services/{serviceId}',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:write',
    summary:
      'Add or remove accounts, or end the service (`service:write` at the owner; `?dryRun=true` reports who would lose access to which account). `version` goes up once per request that changes anything; an interrupted request is finished by repeating it (with the current ETag, or without If-Match)',
    tags,
    request: { params: serviceParams, query: dryRunQuery, body: updateServiceBody },
    conditional: true,
    responses: { 200: ok(z.union([service, dryRunReport])) },
  },
  {
    id: 'listServiceCandidates',
    method: 'GET',
    path: '/v1/services/{serviceId}/candidates',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:write',
    summary: 'The provider’s users, with how many of the selected accounts each holds (`service:write` at the provider)',
    tags,
    request: { params: serviceParams, query: candidatesQuery },
    responses: { 200: ok(page(serviceCandidate)) },
  },
  {
    id: 'grantServiceAccess',
    method: 'POST',
    path: '/v1/services/{serviceId}/grants',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:write',
    summary: 'Assign provider users to accounts, up to 1,000 pairs, in atomic chunks; repeating finishes and changes nothing more',
    tags,
    request: { params: serviceParams, body: assignmentPairsBody },
    responses: { 200: ok(grantOutcome) },
  },
  {
    id: 'revokeServiceAccess',
    method: 'POST',
    path: '/v1/services/{serviceId}/revocations',
    group: servicesGroup,
    auth: 'caller',
    permission: 'service:write',
    summary: 'Take accounts away from provider users, up to 1,000 pairs, in atomic chunks (`?dryRun=true` reports who would lose what)',
    tags,
    request: { params: serviceParams, query: dryRunQuery, body: assignmentPairsBody },
    responses: { 200: ok(z.union([revokeOutcome, dryRunReport])) },
  },
] as const satisfies readonly RouteDef[];

import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { dryRunReport, page } from '../schemas/common.ts';
import {
  addExternalAdminBody,
  externalAdmin,
  externalAdminParams,
  externalAdminsParams,
  listExternalAdminsQuery,
  removeExternalAdminQuery,
} from '../schemas/external-admins.ts';
import { noContent, ok } from './responses.ts';

export const externalAdminsGroup = {
  name: 'external-admins',
  entry: 'functions/http/groups/external-admins.ts',
  access: 'RW',
  description: 'External administrators of customers (delegated administration)',
} as const satisfies RouteGroup;

export const externalAdminsRoutes = [
  {
    id: 'listExternalAdmins',
    method: 'GET',
    path: '/v1/orgs/{orgId}/external-admins',
    group: externalAdminsGroup,
    auth: 'caller',
    permission: 'external-admin:read',
    summary: 'The live external administrators of a customer, by user id (expired ones are gone; other kinds of org have none)',
    tags: ['Delegated access'],
    request: { params: externalAdminsParams, query: listExternalAdminsQuery },
    responses: { 200: ok(page(externalAdmin)) },
  },
  {
    id: 'addExternalAdmin',
    method: 'POST',
    path: '/v1/orgs/{orgId}/external-admins',
    group: externalAdminsGroup,
    auth: 'caller',
    permission: 'external-admin:write',
    summary: 'Make a user of another org (by email) an administrator of this customer alone, with a role, until an expiry',
    tags: ['Delegated access'],
    request: { params: externalAdminsParams, body: addExternalAdminBody },
    idempotent: true,
    responses: { 201: ok(externalAdmin, 'Created') },
  },
  {
    id: 'removeExternalAdmin',
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/external-admins/{userId}',
    group: externalAdminsGroup,
    auth: 'caller',
    permission: 'external-admin:write',
    summary:
      'End an external administrator’s grant; it stops on their next request. An expired grant is already gone (404). `?dryRun=true` reports whether they would lose access (not when another grant still gets them in) and writes nothing',
    tags: ['Delegated access'],
    request: { params: externalAdminParams, query: removeExternalAdminQuery },
    conditional: true,
    responses: { 200: ok(dryRunReport, 'Dry run: what would happen'), 204: noContent },
  },
] as const satisfies readonly RouteDef[];

import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import {
  accessPage,
  addMemberBody,
  explainQuery,
  explanation,
  listAccessQuery,
  listMembersQuery,
  member,
  memberParams,
  removeMemberQuery,
  updateMemberBody,
} from '../schemas/access.ts';
import { dryRunReport, page } from '../schemas/common.ts';
import { orgParams } from '../schemas/orgs.ts';
import { noContent, ok } from './responses.ts';

export const membersGroup = {
  name: 'members',
  entry: 'functions/http/groups/members.ts',
  access: 'RW',
  description: 'Members, roles and access explanations',
} as const satisfies RouteGroup;

export const membersRoutes = [
  {
    id: 'listMembers',
    method: 'GET',
    path: '/v1/orgs/{orgId}/members',
    group: membersGroup,
    auth: 'caller',
    permission: 'member:read',
    summary: 'Members of an org',
    tags: ['Access'],
    request: { params: orgParams, query: listMembersQuery },
    responses: { 200: ok(page(member)) },
  },
  {
    id: 'addMember',
    method: 'POST',
    path: '/v1/orgs/{orgId}/members',
    group: membersGroup,
    auth: 'caller',
    permission: 'member:write',
    summary: 'Give a user (by email) a role at an org',
    tags: ['Access'],
    request: { params: orgParams, body: addMemberBody },
    idempotent: true,
    responses: { 201: ok(member, 'Created') },
  },
  {
    id: 'updateMember',
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/members/{userId}',
    group: membersGroup,
    auth: 'caller',
    permission: 'member:write',
    summary: 'Change a member’s role',
    tags: ['Access'],
    request: { params: memberParams, body: updateMemberBody },
    conditional: true,
    responses: { 200: ok(member) },
  },
  {
    id: 'removeMember',
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/members/{userId}',
    group: membersGroup,
    auth: 'caller',
    permission: 'member:write',
    summary: 'Remove a member (`?dryRun=true` reports who would lose access and which rule would refuse it)',
    tags: ['Access'],
    request: { params: memberParams, query: removeMemberQuery },
    conditional: true,
    responses: { 200: ok(dryRunReport, 'Dry run: what would happen'), 204: noContent },
  },
  {
    id: 'listAccess',
    method: 'GET',
    path: '/v1/orgs/{orgId}/access',
    group: membersGroup,
    auth: 'caller',
    permission: 'access:read',
    summary:
      'Everyone who can reach this org and through which grant (memberships here and above, API keys, external admins, service assignments, impersonation sessions), including grants its partner-access restriction stops',
    tags: ['Access'],
    request: { params: orgParams, query: listAccessQuery },
    responses: { 200: ok(accessPage) },
  },
  {
    id: 'explainAccess',
    method: 'GET',
    path: '/v1/orgs/{orgId}/access/explain',
    group: membersGroup,
    auth: 'caller',
    permission: 'access:read',
    summary:
      'Whether a user, API key or impersonation session holds a permission on this org, and which grant (with its id) allows it or which rule denies it',
    tags: ['Access'],
    request: { params: orgParams, query: explainQuery },
    responses: { 200: ok(explanation) },
  },
] as const satisfies readonly RouteDef[];

import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { apiKey, apiKeyOrgParams, apiKeyParams, createApiKeyBody, createdApiKey, listApiKeysQuery } from '../schemas/api-keys.ts';
import { page } from '../schemas/common.ts';
import { noContent, ok } from './responses.ts';

export const apiKeysGroup = {
  name: 'api-keys',
  entry: 'functions/http/groups/api-keys.ts',
  access: 'RW',
  description: 'API keys of partner integrations',
} as const satisfies RouteGroup;

export const apiKeysRoutes = [
  {
    id: 'listApiKeys',
    method: 'GET',
    path: '/v1/orgs/{orgId}/api-keys',
    group: apiKeysGroup,
    auth: 'caller',
    permission: 'api-key:read',
    summary: 'The API keys of an org (never their secrets)',
    tags: ['API keys'],
    request: { params: apiKeyOrgParams, query: listApiKeysQuery },
    responses: { 200: ok(page(apiKey)) },
  },
  {
    id: 'createApiKey',
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys',
    group: apiKeysGroup,
    auth: 'caller',
    permission: 'api-key:write',
    summary:
      'Create an API key for a partner org; its secret is in this answer only. Only partner orgs hold keys (409 `partner-orgs-only`); only a signed-in person may create one, never an API key or an impersonation session (403 `users-only`); the role must fit a partner (400) and carry nothing the creator lacks there (403 `no-escalation`)',
    tags: ['API keys'],
    request: { params: apiKeyOrgParams, body: createApiKeyBody },
    idempotent: true,
    responses: { 201: ok(createdApiKey, 'Created: the secret, shown this once') },
  },
  {
    id: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/api-keys/{keyId}',
    group: apiKeysGroup,
    auth: 'caller',
    permission: 'api-key:write',
    summary:
      'Revoke an API key: the next call made with it is a 401. Only a signed-in person may revoke one, never an API key or an impersonation session (403 `users-only`)',
    tags: ['API keys'],
    request: { params: apiKeyParams },
    responses: { 204: noContent },
  },
] as const satisfies readonly RouteDef[];

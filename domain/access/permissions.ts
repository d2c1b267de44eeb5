/**
 * Every permission the API checks. A route names exactly one; a role is a
 * named set of them (see roles.ts). Later route groups add theirs here so the
 * roles document (`GET /v1/roles`) and the OpenAPI document stay complete.
 */
export const permissions = [
  'org:read',
  'org:update',
  'org:create',
  'org:delete',
  'org:move',
  'member:read',
  'member:write',
  'access:read',
  'audit:read',
  'billing:read',
  'billing:write',
  'impersonate',
  'partner-access:write',
  'external-admin:read',
  'external-admin:write',
  'service:read',
  'service:write',
  'profile:read',
  'profile:write',
  'config:read',
  'config:write',
  'price-book:read',
  'price-book:write',
  'api-key:read',
  'api-key:write',
  'application:read',
  'application:write',
  'portal:read',
  'portal:write',
] as const;

export type Permission = (typeof permissions)[number];

export const isPermission = (value: string): value is Permission => (permissions as readonly string[]).includes(value);

import type { ZodType } from 'zod';
import type { Permission } from '#domain/access/permissions';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The Lambda that serves a route. Each group is one function in the stack;
 * `access` decides whether it gets a read-only or a read-write table grant.
 */
export interface RouteGroup {
  name: string;
  /** Module (relative to the repo root) whose `handler` export serves the group. */
  entry: string;
  access: 'RO' | 'RW';
  description: string;
  /** Its function may invite people through the user pool (AdminCreateUser); the stack grants that and USER_POOL_ID. */
  invitesUsers?: boolean;
}

/**
 * A route's own request limit. In the stack it is API Gateway method
 * throttling on that route (requests per second and burst, for the whole
 * method); the local runtime applies the same numbers per source IP.
 */
export interface RouteThrottle {
  rateLimit: number;
  burstLimit: number;
}

export interface RouteDef {
  /** operationId in the OpenAPI document and the key handlers implement. */
  id: string;
  method: HttpMethod;
  /** API Gateway resource path, e.g. `/v1/orgs/{orgId}`. */
  path: string;
  group: RouteGroup;
  /** `public` routes skip the authorizer entirely. */
  auth: 'public' | 'caller';
  /** The permission the caller needs on the target org; null when any authenticated caller may call. */
  permission: Permission | null;
  /**
   * Client-portal routes: the client permissions (domain/portal/client-permissions.ts) with which a
   * requester of the customer gets in instead of `permission`, which is the MSP side's. `[]`: the MSP side only.
   */
  clientPermissions?: readonly string[];
  summary: string;
  tags: string[];
  request: {
    params?: ZodType;
    query?: ZodType;
    body?: ZodType;
  };
  /** Creates something and accepts `Idempotency-Key`. */
  idempotent?: boolean;
  /** Honours `If-Match`. */
  conditional?: boolean;
  /** Tighter than the stage's throttling: public routes anyone may call. */
  throttle?: RouteThrottle;
  /** Status → response schema (undefined for an empty body). */
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
}

import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import { auditEntry, chainVerification, listAuditQuery, verifyAuditQuery } from '../schemas/audit.ts';
import { page } from '../schemas/common.ts';
import { orgParams } from '../schemas/orgs.ts';
import { ok } from './responses.ts';

export const auditGroup = {
  name: 'audit',
  entry: 'functions/http/groups/audit.ts',
  access: 'RO',
  description: 'The audit log: a subtree’s entries and hash-chain verification',
} as const satisfies RouteGroup;

export const auditRoutes = [
  {
    id: 'listAudit',
    method: 'GET',
    path: '/v1/orgs/{orgId}/audit',
    group: auditGroup,
    auth: 'caller',
    permission: 'audit:read',
    summary: 'The audit entries of this org and its subtree, newest first',
    tags: ['Audit'],
    request: { params: orgParams, query: listAuditQuery },
    responses: { 200: ok(page(auditEntry)) },
  },
  {
    id: 'verifyAudit',
    method: 'GET',
    path: '/v1/orgs/{orgId}/audit/verify',
    group: auditGroup,
    auth: 'caller',
    permission: 'audit:read',
    summary: "Recompute this org's hash chain and report the first break",
    tags: ['Audit'],
    request: { params: orgParams, query: verifyAuditQuery },
    responses: { 200: ok(chainVerification) },
  },
] as const satisfies readonly RouteDef[];

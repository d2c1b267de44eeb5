import { listAudit } from '#domain/audit/list-audit';
import { verifyAuditChain } from '#domain/audit/verify-chain';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.audit, {
  listAudit: async (request) => ok(await listAudit(accessOf(request), request.params.orgId, request.query)),
  verifyAudit: async (request) => ok(await verifyAuditChain(accessOf(request), request.params.orgId, request.query)),
});

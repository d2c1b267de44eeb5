import { endImpersonation } from '#domain/delegation/end-impersonation';
import { listImpersonations } from '#domain/delegation/list-impersonations';
import { startImpersonation } from '#domain/delegation/start-impersonation';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, noContent, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.impersonation, {
  startImpersonation: async (request) =>
    created(await startImpersonation(accessOf(request), request.params.orgId, request.body, request.actor)),
  listImpersonations: async (request) => ok(await listImpersonations(accessOf(request), request.params.orgId, request.query)),
  // Who may end a session depends on the session (its impersonator, its customer): the domain decides, not one permission.
  endImpersonation: async (request) => {
    await endImpersonation(request.caller, request.params.impId, request.actor);
    return noContent();
  },
});

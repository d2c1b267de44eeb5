import { addExternalAdmin, listExternalAdmins, removeExternalAdmin } from '#domain/delegation/external-admins';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, noContent, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.externalAdmins, {
  listExternalAdmins: async (request) => ok(await listExternalAdmins(accessOf(request), request.params.orgId, request.query)),
  addExternalAdmin: async (request) => {
    const grant = await addExternalAdmin(accessOf(request), request.params.orgId, request.body, request.actor);
    return created(grant, grant.version);
  },
  removeExternalAdmin: async (request) => {
    const { orgId, userId } = request.params;
    const options = { ifMatch: request.ifMatch, dryRun: request.query.dryRun };
    const report = await removeExternalAdmin(accessOf(request), orgId, userId, options, request.actor);
    return report ? ok(report) : noContent();
  },
});

import { listAccess } from '#domain/access/access-list';
import { explainAccess } from '#domain/access/explain';
import { addMember, listMembers, removeMember, updateMember } from '#domain/access/members';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, noContent, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.members, {
  listMembers: async (request) => ok(await listMembers(accessOf(request), request.params.orgId, request.query)),
  addMember: async (request) => {
    const member = await addMember(accessOf(request), request.params.orgId, request.body, request.actor);
    return created(member, member.version);
  },
  updateMember: async (request) => {
    const { orgId, userId } = request.params;
    const member = await updateMember(accessOf(request), orgId, userId, request.body, request.ifMatch, request.actor);
    return ok(member, member.version);
  },
  removeMember: async (request) => {
    const { orgId, userId } = request.params;
    const report = await removeMember(
      accessOf(request),
      orgId,
      userId,
      { ifMatch: request.ifMatch, dryRun: request.query.dryRun },
      request.actor,
    );
    return report ? ok(report) : noContent();
  },
  listAccess: async (request) => ok(await listAccess(accessOf(request), request.params.orgId, request.query)),
  explainAccess: async (request) => ok(await explainAccess(accessOf(request), request.params.orgId, request.query)),
});

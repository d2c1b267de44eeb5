import { setPartnerAccess } from '#domain/delegation/partner-access';
import { moveOrg } from '#domain/orgs/move';
import { moveDryRun } from '#domain/orgs/move-dry-run';
import { listAncestorOrgs, listChildOrgs, listDescendantOrgs } from '#domain/orgs/org-lists';
import { createChildOrg, deleteOrg, getOrg, updateOrg } from '#domain/orgs/orgs';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, noContent, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.orgs, {
  getOrg: async (request) => {
    const org = await getOrg(accessOf(request), request.params.orgId);
    // A restricted summary has no version to match: it can be read, never changed, from where it is seen.
    return ok(org, 'version' in org ? org.version : undefined);
  },
  updateOrg: async (request) => {
    const org = await updateOrg(accessOf(request), request.params.orgId, request.body, request.ifMatch, request.actor);
    return ok(org, org.version);
  },
  deleteOrg: async (request) => {
    await deleteOrg(accessOf(request), request.params.orgId, request.ifMatch, request.actor);
    return noContent();
  },
  createChildOrg: async (request) => {
    const org = await createChildOrg(accessOf(request), request.params.orgId, request.body, request.actor);
    return { ...created(org, org.version), headers: { location: `/v1/orgs/${org.id}` } };
  },
  listChildOrgs: async (request) => ok(await listChildOrgs(accessOf(request), request.params.orgId, request.query)),
  listDescendantOrgs: async (request) => ok(await listDescendantOrgs(accessOf(request), request.params.orgId, request.query)),
  listAncestorOrgs: async (request) => ok({ items: await listAncestorOrgs(accessOf(request), request.params.orgId) }),
  setPartnerAccess: async (request) => {
    const { ifMatch, query, body } = request;
    const result = await setPartnerAccess(accessOf(request), request.params.orgId, body, { ifMatch, dryRun: query.dryRun }, request.actor);
    return 'dryRun' in result ? ok(result) : ok(result, result.version);
  },
  moveOrg: async (request) => {
    const { params, body, ifMatch, query } = request;
    if (query.dryRun) return ok(await moveDryRun(accessOf(request), params.orgId, body.newParentId, ifMatch));
    const result = await moveOrg(accessOf(request), params.orgId, body.newParentId, ifMatch, request.actor);
    return ok(result, result.org.version);
  },
});

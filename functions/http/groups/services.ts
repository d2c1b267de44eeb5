import { grantServiceAccess, listServiceCandidates, revokeServiceAccess } from '#domain/delegation/service-assignments';
import { updateService } from '#domain/delegation/service-changes';
import { createService, getService, listServices } from '#domain/delegation/services';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.services, {
  createService: async (request) => {
    const service = await createService(accessOf(request), request.params.orgId, request.body, request.actor);
    return { ...created(service, service.version), headers: { location: `/v1/services/${service.id}` } };
  },
  listServices: async (request) => ok(await listServices(accessOf(request), request.params.orgId, request.query)),
  getService: async (request) => {
    const service = await getService(request.caller, request.params.serviceId);
    return ok(service, service.version);
  },
  updateService: async (request) => {
    const { ifMatch, query, body, params } = request;
    const result = await updateService(request.caller, params.serviceId, body, { ifMatch, dryRun: query.dryRun }, request.actor);
    return 'dryRun' in result ? ok(result) : ok(result, result.version);
  },
  listServiceCandidates: async (request) => ok(await listServiceCandidates(request.caller, request.params.serviceId, request.query)),
  grantServiceAccess: async (request) =>
    ok(await grantServiceAccess(request.caller, request.params.serviceId, request.body, request.actor)),
  revokeServiceAccess: async (request) => {
    const { params, body, query } = request;
    return ok(await revokeServiceAccess(request.caller, params.serviceId, body, { dryRun: query.dryRun }, request.actor));
  },
});

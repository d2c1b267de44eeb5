import { approveApplication, listApplications, rejectApplication } from '#domain/applications/applications';
import { logger } from '../../shared/logger.ts';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.applications, {
  listApplications: async (request) => ok(await listApplications(accessOf(request), request.params.orgId, request.query)),
  approveApplication: async (request) => {
    const approval = await approveApplication(accessOf(request), request.params.appId, request.actor);
    if (approval.invitation === 'failed') logger.warn('the new partner administrator could not be invited', { appId: approval.id });
    return ok(approval, approval.version);
  },
  rejectApplication: async (request) => {
    const application = await rejectApplication(accessOf(request), request.params.appId, request.body, request.actor);
    return ok(application, application.version);
  },
});

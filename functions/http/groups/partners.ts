import { getConfig, putConfig } from '#domain/partners/configs';
import { getProfile, putProfile } from '#domain/partners/profiles';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.partners, {
  getProfile: async (request) => {
    const profile = await getProfile(accessOf(request), request.params.orgId);
    return ok(profile, profile.version);
  },
  putProfile: async (request) => {
    const profile = await putProfile(accessOf(request), request.params.orgId, request.body, request.ifMatch, request.actor);
    return ok(profile, profile.version);
  },
  getConfig: async (request) => {
    const config = await getConfig(accessOf(request), request.params.orgId);
    return ok(config, config.version);
  },
  putConfig: async (request) => {
    const config = await putConfig(accessOf(request), request.params.orgId, request.body, request.ifMatch, request.actor);
    return ok(config, config.version);
  },
});

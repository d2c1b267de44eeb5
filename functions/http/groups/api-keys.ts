import { createApiKey, listApiKeys, revokeApiKey } from '#domain/delegation/api-keys';
import { logger } from '../../shared/logger.ts';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, noContent, ok } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups['api-keys'], {
  listApiKeys: async (request) => ok(await listApiKeys(accessOf(request), request.params.orgId, request.query)),
  createApiKey: async (request) => {
    const key = await createApiKey(accessOf(request), request.params.orgId, request.body, request.actor);
    // An Idempotency-Key replay answers the same key without its secret: the stored reply never holds it in clear.
    return { ...created(key, key.version), replayBody: { ...key, secret: null } };
  },
  revokeApiKey: async (request) => {
    const { orgId, keyId } = request.params;
    const revoked = await revokeApiKey(accessOf(request), orgId, keyId, request.actor);
    if (revoked.strayUsageKeyId) {
      logger.warn('API key revoked, but its usage-plan key could not be deleted', { keyId, usageKeyId: revoked.strayUsageKeyId });
    }
    return noContent();
  },
});

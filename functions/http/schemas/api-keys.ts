import { z } from 'zod';
import { roleNames } from '#domain/access/roles';
import { maxKeyLifetimeDays } from '#domain/delegation/api-key-lifetime';
import { displayName, id, orgId, paging, timestamp, userId } from './common.ts';

export const keyId = id('key').meta({ description: 'The key’s id, which is also the public prefix of its secret (`key_….<secret>`)' });

const keyOrgId = orgId.meta({ description: 'The partner org the key belongs to' });

export const apiKeyOrgParams = z.strictObject({ orgId: keyOrgId });
export const apiKeyParams = z.strictObject({ orgId: keyOrgId, keyId });

export const listApiKeysQuery = z.strictObject({ ...paging });

export const createApiKeyBody = z
  .strictObject({
    name: displayName.meta({ description: 'What the key is for, e.g. the integration’s name' }),
    role: z.enum(roleNames).meta({
      description:
        'The role the key acts with over the org’s subtree: one assignable at a partner (partner-admin, partner-technician, billing-admin, read-only) whose permissions the creator holds there too',
    }),
    expiresAt: timestamp.optional().meta({
      description: `When the key stops working: in the future and at most ${maxKeyLifetimeDays} days away. Absent, the key works until it is revoked`,
    }),
  })
  .meta({ id: 'NewApiKey' });

export const apiKey = z
  .object({
    id: keyId,
    orgId,
    name: z.string(),
    role: z.enum(roleNames),
    status: z.enum(['active', 'expired']).meta({ description: '`expired` once `expiresAt` has passed; revoke it to remove it' }),
    expiresAt: timestamp.nullable(),
    createdAt: timestamp,
    createdBy: userId.nullable().meta({ description: 'The person who created the key' }),
    version: z.number().int(),
  })
  .meta({
    id: 'ApiKey',
    description: 'A partner integration’s API key. Its secret is never listed: only its SHA-256 is stored',
  });

export const createdApiKey = apiKey
  .extend({
    secret: z.string().nullable().meta({
      description:
        'Send it as `x-api-key`. Shown in this answer only: it is stored as a hash and cannot be shown again. A repeat of the create under the same Idempotency-Key answers the same key with `secret: null` (the stored reply never holds the secret in clear): revoke that key and create another if the first answer was lost',
    }),
  })
  .meta({ id: 'CreatedApiKey' });

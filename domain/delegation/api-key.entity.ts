import { Entity, type EntityItem } from 'electrodb';
import { roleNames } from '../access/roles.ts';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A partner integration's API key. The key id is its public prefix; the
 * secret is shown once and stored only as a hash. The authorizer reads this
 * item on every request (no cache), so a revoked (deleted) or expired key
 * stops working on the next call. Listed per org on gsi1.
 */
export const ApiKeyEntity = new Entity(
  {
    model: { entity: 'apiKey', version: '1', service },
    attributes: {
      keyId: { type: 'string', required: true, readOnly: true },
      orgId: { type: 'string', required: true, readOnly: true },
      name: { type: 'string', required: true },
      role: { type: roleNames, required: true, readOnly: true },
      /** SHA-256 of the secret (api-key-secret.ts); never returned, never audited. */
      secretHash: { type: 'string', required: true, readOnly: true },
      /** The API Gateway usage-plan key the authorizer names as usage identifier; absent locally. */
      usageKeyValue: { type: 'string', readOnly: true },
      usageKeyId: { type: 'string', readOnly: true },
      /** ISO 8601; the key stops working then. */
      validUntil: { type: 'string', readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      lastUsedAt: { type: 'string' },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['keyId'] },
        sk: { field: 'sk', composite: [] },
      },
      keysOfOrg: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['orgId'] },
        sk: { field: 'gsi1sk', composite: ['keyId'] },
      },
    },
  },
  entityConfig,
);

export type ApiKeyItem = EntityItem<typeof ApiKeyEntity>;

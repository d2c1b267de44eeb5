import { Entity, type EntityItem } from 'electrodb';
import { roleNames } from '../access/roles.ts';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A user of another org made an administrator of one customer by that
 * customer's admins (delegated administration). Held in the user's partition
 * with their other grants (one Query), listed per customer on gsi1. It
 * reaches that customer alone, and ends at `expiresAt` (epoch seconds): the
 * authorization check ignores it from then on, and the table's TTL removes it.
 */
export const ExternalAdminEntity = new Entity(
  {
    model: { entity: 'externalAdmin', version: '1', service },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      orgId: { type: 'string', required: true, readOnly: true },
      email: { type: 'string', required: true },
      role: { type: roleNames, required: true },
      /** Epoch seconds; the table's TTL attribute. */
      expiresAt: { type: 'number', required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byPrincipal: {
        collection: 'grants',
        pk: { field: 'pk', composite: ['userId'] },
        sk: { field: 'sk', composite: ['orgId'] },
      },
      externalAdminsOfOrg: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['orgId'] },
        sk: { field: 'gsi1sk', composite: ['userId'] },
      },
    },
  },
  entityConfig,
);

export type ExternalAdminItem = EntityItem<typeof ExternalAdminEntity>;

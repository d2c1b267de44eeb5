import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { roleNames } from './roles.ts';

/**
 * A role held at an org. Stored in the user's partition (the `grants`
 * collection, which later grant kinds join) so all of a principal's grants are
 * one Query; the org's members are one Query on gsi1.
 */
export const MembershipEntity = new Entity(
  {
    model: { entity: 'membership', version: '1', service },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      orgId: { type: 'string', required: true, readOnly: true },
      email: { type: 'string', required: true },
      role: { type: roleNames, required: true },
      builtIn: { type: 'boolean', required: true },
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
      membersOfOrg: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['orgId'] },
        sk: { field: 'gsi1sk', composite: ['userId'] },
      },
    },
  },
  entityConfig,
);

export type MembershipItem = EntityItem<typeof MembershipEntity>;

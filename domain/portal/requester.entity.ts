import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A customer's own person in the client portal: a requester grant at one
 * customer, with its portal role's name and the role's permissions copied
 * when assigned (a portal role never changes, so the copy cannot drift, and
 * portal authorization stays one round of parallel reads). Held in the
 * user's partition with the user's other grants (one Query), listed per
 * customer on gsi1. `linkId` is new on every grant: asset mappings name it,
 * so a requester removed and added again does not get old mappings back.
 */
export const RequesterEntity = new Entity(
  {
    model: { entity: 'requester', version: '1', service },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      email: { type: 'string', required: true },
      portalRole: { type: 'string', required: true },
      permissions: { type: 'list', items: { type: 'string' }, required: true },
      linkId: { type: 'string', required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byPrincipal: {
        collection: 'grants',
        pk: { field: 'pk', composite: ['userId'] },
        sk: { field: 'sk', composite: ['customerId'] },
      },
      requestersOfCustomer: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['customerId'] },
        sk: { field: 'gsi1sk', composite: ['userId'] },
      },
    },
  },
  entityConfig,
);

export type RequesterItem = EntityItem<typeof RequesterEntity>;

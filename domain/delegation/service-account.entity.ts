import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * One account of a service, under the service's partition (one Query lists
 * them all, in account id order). `linkId` is the link written into the
 * account org's `serviceLinks` in the same transaction: assignments made
 * under it grant access only while the org still holds it.
 *
 * Removal goes in steps that can each be repeated: `removing` (set in the
 * same transaction that drops the link from the org, so access ends there and
 * then), then the account's assignment items are deleted in chunks, then this
 * item. Adding the account again later makes a new link.
 */
export const ServiceAccountEntity = new Entity(
  {
    model: { entity: 'serviceAccount', version: '1', service },
    attributes: {
      serviceId: { type: 'string', required: true, readOnly: true },
      accountId: { type: 'string', required: true, readOnly: true },
      linkId: { type: 'string', required: true, readOnly: true },
      ownerOrgId: { type: 'string', required: true, readOnly: true },
      providerOrgId: { type: 'string', required: true, readOnly: true },
      status: { type: ['linked', 'removing'] as const, required: true },
      addedAt: { type: 'string', required: true, readOnly: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byService: {
        pk: { field: 'pk', composite: ['serviceId'] },
        sk: { field: 'sk', composite: ['accountId'] },
      },
    },
  },
  entityConfig,
);

export type ServiceAccountItem = EntityItem<typeof ServiceAccountEntity>;

import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { assetTypes } from './portal-values.ts';

export { assetTypes } from './portal-values.ts';

/**
 * A device or service of a customer, listed per customer on gsi1.
 * `requesterLinks` maps requesters to it as `<userId>:<linkId>` of their
 * requester grant at the time of mapping: a mapping counts only while that
 * very grant lives, so removing a requester ends it at once and adding the
 * person again does not bring it back.
 */
export const AssetEntity = new Entity(
  {
    model: { entity: 'asset', version: '1', service },
    attributes: {
      assetId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      name: { type: 'string', required: true },
      type: { type: assetTypes, required: true },
      serialNumber: { type: 'string' },
      requesterLinks: { type: 'list', items: { type: 'string' }, required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['assetId'] },
        sk: { field: 'sk', composite: [] },
      },
      assetsOfCustomer: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['customerId'] },
        sk: { field: 'gsi1sk', composite: ['assetId'] },
      },
    },
  },
  entityConfig,
);

export type AssetItem = EntityItem<typeof AssetEntity>;

/** How an asset names a requester grant it is mapped to. */
export const requesterLinkOf = (userId: string, linkId: string): string => `${userId}:${linkId}`;

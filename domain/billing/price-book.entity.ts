import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { currencies } from './money.ts';

/**
 * A partner's price book: its products and the prices agreed with the
 * channel above it, one item per partner, replaced whole by each PUT
 * (bounded: maxPriceBookEntries keeps it far below DynamoDB's 400 KB). The
 * version is the ETag; creating the first book is conditioned on there being
 * none, every later write on the version read.
 */
export const PriceBookEntity = new Entity(
  {
    model: { entity: 'priceBook', version: '1', service },
    attributes: {
      partnerId: { type: 'string', required: true, readOnly: true },
      entries: {
        type: 'list',
        required: true,
        items: {
          type: 'map',
          properties: {
            sku: { type: 'string', required: true },
            name: { type: 'string', required: true },
            unit: { type: 'string', required: true },
            /** Minor units of `currency`. */
            unitPrice: { type: 'number', required: true },
            currency: { type: currencies, required: true },
            /** Inclusive calendar dates; no `effectiveTo` means open-ended. */
            effectiveFrom: { type: 'string', required: true },
            effectiveTo: { type: 'string' },
          },
        },
      },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byPartner: {
        pk: { field: 'pk', composite: ['partnerId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type PriceBookItem = EntityItem<typeof PriceBookEntity>;

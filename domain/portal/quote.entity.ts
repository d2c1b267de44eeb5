import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { quoteStatuses } from './portal-values.ts';

export { type QuoteStatus, quoteStatuses } from './portal-values.ts';

/**
 * A quote from the MSP to a customer: lines in integer minor units of one
 * ISO 4217 currency. An approver accepts or declines it once; a decided
 * quote never changes again. Listed per customer on gsi1, newest first.
 */
export const QuoteEntity = new Entity(
  {
    model: { entity: 'quote', version: '1', service },
    attributes: {
      quoteId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      title: { type: 'string', required: true, readOnly: true },
      currency: { type: 'string', required: true, readOnly: true },
      lines: {
        type: 'list',
        required: true,
        readOnly: true,
        items: {
          type: 'map',
          properties: {
            description: { type: 'string', required: true },
            quantity: { type: 'number', required: true },
            unitAmount: { type: 'number', required: true },
          },
        },
      },
      total: { type: 'number', required: true, readOnly: true },
      validUntil: { type: 'string', readOnly: true },
      status: { type: quoteStatuses, required: true },
      decidedBy: { type: 'string' },
      decidedAt: { type: 'string' },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['quoteId'] },
        sk: { field: 'sk', composite: [] },
      },
      quotesOfCustomer: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['customerId'] },
        sk: { field: 'gsi1sk', composite: ['quoteId'] },
      },
    },
  },
  entityConfig,
);

export type QuoteItem = EntityItem<typeof QuoteEntity>;

import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { documentCategories } from './portal-values.ts';

export { documentCategories } from './portal-values.ts';

/**
 * An IT document a partner writes for its customers. It is shared with one
 * customer at a time (`sharedWith`): moving it to another client means
 * withdrawing the share first. A share counts only while that customer sits
 * under the partner that wrote the document (a customer moved to another
 * partner stops seeing it without anything being rewritten).
 */
export const DocumentEntity = new Entity(
  {
    model: { entity: 'document', version: '1', service },
    attributes: {
      docId: { type: 'string', required: true, readOnly: true },
      partnerId: { type: 'string', required: true, readOnly: true },
      title: { type: 'string', required: true, readOnly: true },
      category: { type: documentCategories, required: true, readOnly: true },
      content: { type: 'string', required: true, readOnly: true },
      /** The customer it is shared with, kept in step with its share item. */
      sharedWith: { type: 'string' },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['docId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type DocumentItem = EntityItem<typeof DocumentEntity>;

/**
 * A document shared with a customer: what the customer's document list
 * reads (one Query on the customer's shares), with the document's title and
 * category copied (a document never changes). Written and removed in the
 * same transactions as the document's `sharedWith`; recorded in the
 * customer's audit chain.
 */
export const DocumentShareEntity = new Entity(
  {
    model: { entity: 'documentShare', version: '1', service },
    attributes: {
      customerId: { type: 'string', required: true, readOnly: true },
      docId: { type: 'string', required: true, readOnly: true },
      partnerId: { type: 'string', required: true, readOnly: true },
      title: { type: 'string', required: true, readOnly: true },
      category: { type: documentCategories, required: true, readOnly: true },
      sharedAt: { type: 'string', required: true, readOnly: true },
      /** The document's version that made the share: while the document is shared, the two are equal (a tombstone needs it). */
      version: { type: 'number', required: true, readOnly: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      sharesOfCustomer: {
        pk: { field: 'pk', composite: ['customerId'] },
        sk: { field: 'sk', composite: ['docId'] },
      },
    },
  },
  entityConfig,
);

export type DocumentShareItem = EntityItem<typeof DocumentShareEntity>;

import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A customer's portal counters, kept in the same transactions that create
 * or change what they count, so the summary is read, never computed: a
 * Query with `Select: COUNT` still reads (and bills) every item it counts.
 * Written with `update … add`, which creates the item on first use.
 * `unpaidInvoices` is the billing work's to keep (invoice-source.ts).
 */
export const PortalSummaryEntity = new Entity(
  {
    model: { entity: 'portalSummary', version: '1', service },
    attributes: {
      customerId: { type: 'string', required: true, readOnly: true },
      ticketsOpen: { type: 'number' },
      ticketsInProgress: { type: 'number' },
      ticketsWaitingOnClient: { type: 'number' },
      ticketsResolved: { type: 'number' },
      ticketsClosed: { type: 'number' },
      projectsActive: { type: 'number' },
      /** Active projects flagged "show to client": what a client sees. */
      projectsActiveVisible: { type: 'number' },
      assets: { type: 'number' },
      quotesOpen: { type: 'number' },
      unpaidInvoices: { type: 'number' },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byCustomer: {
        collection: 'portalSummary',
        pk: { field: 'pk', composite: ['customerId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type PortalSummaryItem = EntityItem<typeof PortalSummaryEntity>;

/**
 * Documents shared with a customer, counted per partner that shared them:
 * a share counts only while the customer sits under that partner, so the
 * summary adds up the counters of the partners on the customer's path.
 * Read with the summary item in one Query (the `portalSummary` collection).
 */
export const DocumentShareCountEntity = new Entity(
  {
    model: { entity: 'documentShareCount', version: '1', service },
    attributes: {
      customerId: { type: 'string', required: true, readOnly: true },
      partnerId: { type: 'string', required: true, readOnly: true },
      shares: { type: 'number' },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byCustomer: {
        collection: 'portalSummary',
        pk: { field: 'pk', composite: ['customerId'] },
        sk: { field: 'sk', composite: ['partnerId'] },
      },
    },
  },
  entityConfig,
);

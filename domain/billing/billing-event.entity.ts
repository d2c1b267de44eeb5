import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { subscriptionStates } from '../orgs/kinds.ts';
import { billingEventTypes } from './billing-event-types.ts';
import { currencies } from './money.ts';

export { billingEventTypes } from './billing-event-types.ts';

/**
 * One entry of a customer's billing history, written in the same transaction
 * as the change it records (a subscription move in updateOrg, an invoice
 * made, issued, paid or voided), so the history is complete the moment the
 * change is and never waits for the audit stream. Newest first is one Query
 * on the customer's partition.
 */
export const BillingEventEntity = new Entity(
  {
    model: { entity: 'billingEvent', version: '1', service },
    attributes: {
      customerId: { type: 'string', required: true, readOnly: true },
      at: { type: 'string', required: true, readOnly: true },
      eventId: { type: 'string', required: true, readOnly: true },
      type: { type: billingEventTypes, required: true, readOnly: true },
      fromState: { type: subscriptionStates, readOnly: true },
      toState: { type: subscriptionStates, readOnly: true },
      invoiceId: { type: 'string', readOnly: true },
      invoiceNumber: { type: 'number', readOnly: true },
      /** Minor units: the invoice's total. */
      amount: { type: 'number', readOnly: true },
      currency: { type: currencies, readOnly: true },
      reason: { type: 'string', readOnly: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byCustomer: {
        pk: { field: 'pk', composite: ['customerId'] },
        sk: { field: 'sk', composite: ['at', 'eventId'] },
      },
    },
  },
  entityConfig,
);

export type BillingEventItem = EntityItem<typeof BillingEventEntity>;

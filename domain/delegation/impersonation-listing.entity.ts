import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * Where a session is listed: one item per org on the customer's path when
 * the session started (the customer itself and each ancestor), in that org's
 * partition, newest first. So `GET /v1/orgs/{orgId}/impersonations` is one
 * Query on `orgId`'s partition for a customer, a partner or the root alike.
 *
 * Why fan-out items rather than an index: a subtree index keyed by path sorts
 * by customer before time, so "newest first across every customer below a
 * partner" would need one Query per customer. Depth is at most 8, so a start
 * writes at most 8 of these beside the session, in the same transaction.
 *
 * They are immutable pointers: the session item stays the one source of its
 * state (ended or not), read back per page, so ending a session (by DELETE,
 * replacement or the customer's partner-access switch) writes the session
 * alone. When the customer moves later, these stay where they were written:
 * the listing checks each customer's current path and drops entries whose
 * customer is no longer below the listed org (the new ancestors list only
 * sessions started after the move; the customer itself keeps them all).
 */
export const ImpersonationListingEntity = new Entity(
  {
    model: { entity: 'impersonationListing', version: '1', service },
    attributes: {
      /** The org whose list shows the session: the customer or one of its ancestors at the start. */
      listedAt: { type: 'string', required: true, readOnly: true },
      startedAt: { type: 'string', required: true, readOnly: true },
      impersonationId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      /** Epoch seconds, the same as the session's: both leave the table together. */
      expiresAt: { type: 'number', required: true, readOnly: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byListedAt: {
        pk: { field: 'pk', composite: ['listedAt'] },
        sk: { field: 'sk', composite: ['startedAt', 'impersonationId'] },
      },
    },
  },
  entityConfig,
);

export type ImpersonationListingItem = EntityItem<typeof ImpersonationListingEntity>;

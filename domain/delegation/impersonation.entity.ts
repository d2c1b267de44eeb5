import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A "Login As" session: a partner user acting in one customer with the
 * customer's admin role, for a stated reason, until `endsAt` or until ended.
 * The session token names it; every request made with the token reads it
 * (one GetItem beside the other authorization reads), so ending it takes
 * effect on the next call. Listed per customer on gsi1, newest first.
 */
export const ImpersonationEntity = new Entity(
  {
    model: { entity: 'impersonation', version: '1', service },
    attributes: {
      impersonationId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      impersonatorId: { type: 'string', required: true, readOnly: true },
      impersonatorEmail: { type: 'string', required: true, readOnly: true },
      /** The role the session acts with. */
      actingRole: { type: 'string', required: true, readOnly: true },
      reason: { type: 'string', required: true, readOnly: true },
      ticket: { type: 'string', readOnly: true },
      startedAt: { type: 'string', required: true, readOnly: true },
      endsAt: { type: 'string', required: true, readOnly: true },
      /**
       * Set when the session was ended before `endsAt`, and why: `ended` by DELETE, `replaced` by
       * the same impersonator starting another session in the same customer, `partner-access-off`
       * by the customer's switch. (`permission-lost` is reserved: losing `impersonate` ends a session
       * on its next call, through decide, without a write.)
       */
      endedAt: { type: 'string' },
      endReason: { type: ['ended', 'replaced', 'partner-access-off', 'permission-lost'] as const },
      /** Epoch seconds: kept for the customer's history long after it ended, then removed by TTL. */
      expiresAt: { type: 'number', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['impersonationId'] },
        sk: { field: 'sk', composite: [] },
      },
      sessionsOfCustomer: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['customerId'] },
        sk: { field: 'gsi1sk', composite: ['startedAt', 'impersonationId'] },
      },
    },
  },
  entityConfig,
);

export type ImpersonationItem = EntityItem<typeof ImpersonationEntity>;

import { Entity } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';

/**
 * One record per (caller, Idempotency-Key). `expiresAt` lets the table's TTL
 * remove it after the retention window; reads also treat an expired record as
 * absent, since TTL deletion can lag by days.
 */
export const IdempotencyEntity = new Entity(
  {
    model: { entity: 'idempotency', version: '1', service },
    attributes: {
      scope: { type: 'string', required: true, readOnly: true },
      key: { type: 'string', required: true, readOnly: true },
      operation: { type: 'string', required: true },
      fingerprint: { type: 'string', required: true },
      state: { type: ['in_progress', 'completed'] as const, required: true },
      lockedUntil: { type: 'number', required: true },
      reply: { type: 'any' },
      expiresAt: { type: 'number', required: true },
    },
    indexes: {
      byKey: {
        pk: { field: 'pk', composite: ['scope', 'key'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

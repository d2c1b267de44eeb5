import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { auditActions } from './actions.ts';

/**
 * One audit entry, stored once per org on its path: the copy in the changed
 * org's own partition (`own`) is a link of that org's hash chain and is also
 * keyed on gsi3 by chain position; the copies fanned out to its ancestors
 * make "the audit of a subtree, newest first" one Query on the ancestor's
 * partition. Partition keys start `$pp#audit`, which IAM reserves to the
 * audit consumer (and lets it only add items there).
 */
export const AuditEntryEntity = new Entity(
  {
    model: { entity: 'auditEntry', version: '1', service },
    attributes: {
      /** The org whose audit partition holds this copy. */
      auditLog: { type: 'string', required: true, readOnly: true },
      entryId: { type: 'string', required: true, readOnly: true },
      at: { type: 'string', required: true, readOnly: true },
      actor: { type: 'string', required: true },
      impersonator: { type: 'string' },
      impersonationId: { type: 'string' },
      actingRole: { type: 'string' },
      apiKeyId: { type: 'string' },
      requestId: { type: 'string', required: true },
      sourceIp: { type: 'string' },
      orgId: { type: 'string', required: true },
      orgPath: { type: 'string', required: true },
      action: { type: auditActions, required: true },
      targetType: { type: 'string', required: true },
      targetId: { type: 'string', required: true },
      changes: { type: 'any', required: true },
      seq: { type: 'number', required: true, padding: { length: 12, char: '0' } },
      prevHash: { type: 'string', required: true },
      prevAt: { type: 'string' },
      hash: { type: 'string', required: true },
      /** Only the org's own copy is a chain link (and carries the chain index key). */
      chainOrg: { type: 'string' },
      expiresAt: { type: 'number', required: true },
    },
    indexes: {
      byLog: {
        pk: { field: 'pk', composite: ['auditLog'] },
        sk: { field: 'sk', composite: ['at', 'entryId'] },
      },
      chain: {
        index: 'gsi3',
        condition: (attributes) => typeof attributes.chainOrg === 'string' && attributes.chainOrg !== '',
        pk: { field: 'gsi3pk', composite: ['chainOrg'] },
        sk: { field: 'gsi3sk', composite: ['seq'] },
      },
    },
  },
  entityConfig,
);

export type AuditEntryItem = EntityItem<typeof AuditEntryEntity>;

/** The last link of an org's chain: appending is conditioned on it, so two appends never take the same position. */
export const AuditHeadEntity = new Entity(
  {
    model: { entity: 'auditHead', version: '1', service },
    attributes: {
      auditHead: { type: 'string', required: true, readOnly: true },
      seq: { type: 'number', required: true },
      hash: { type: 'string', required: true },
      at: { type: 'string', required: true },
      entryId: { type: 'string', required: true },
    },
    indexes: {
      byOrg: {
        pk: { field: 'pk', composite: ['auditHead'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type AuditHeadItem = EntityItem<typeof AuditHeadEntity>;

export { auditKeyPrefix } from './keys.ts';

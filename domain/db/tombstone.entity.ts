import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from './entity-config.ts';
import { writtenByAttribute } from './written-by.ts';

/**
 * Who deleted an item. A stream REMOVE record carries only the old image,
 * whose `writtenBy` names the last writer, not the deleter; so every delete
 * of an audited item writes a tombstone in the same transaction, keyed by the
 * deleted item's raw keys and version, which the audit consumer reads back.
 * It also keeps the path of the org the item belonged to, since that org may
 * be gone by the time the consumer runs (an org and its members are deleted
 * together). Tombstones expire after the window in which a failed stream
 * batch can still be replayed (tombstoneRetentionSeconds).
 */
export const TombstoneEntity = new Entity(
  {
    model: { entity: 'tombstone', version: '1', service },
    attributes: {
      /** The deleted item's partition and sort key, as stored. */
      deletedPk: { type: 'string', required: true, readOnly: true },
      deletedSk: { type: 'string', required: true, readOnly: true },
      /** The deleted item's version (0 for items without one), so a re-created and re-deleted item is told apart. */
      deletedVersion: { type: 'number', required: true, readOnly: true, padding: { length: 12, char: '0' } },
      entity: { type: 'string', required: true },
      orgId: { type: 'string', required: true },
      orgPath: { type: 'string', required: true },
      expiresAt: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byDeletedItem: {
        pk: { field: 'pk', composite: ['deletedPk'] },
        sk: { field: 'sk', composite: ['deletedSk', 'deletedVersion'] },
      },
    },
  },
  entityConfig,
);

export type TombstoneItem = EntityItem<typeof TombstoneEntity>;

/**
 * As long as the dead-letter queue keeps a failed batch (14 days) plus a margin:
 * a batch redriven from the failure bucket within that window still finds its deleter.
 */
export const tombstoneRetentionSeconds = 21 * 24 * 60 * 60;

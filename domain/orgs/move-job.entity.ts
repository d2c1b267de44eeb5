import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A subtree move too large for one transaction. Its state is the switch that
 * readers consult: while `preparing` every org keeps its old path; from
 * `committed` on, an org still tagged with this move is read at its new path
 * even before its item is rewritten. So no reader ever sees the subtree
 * half-moved, and a crashed move resumes from its state.
 */
export const MoveJobEntity = new Entity(
  {
    model: { entity: 'moveJob', version: '1', service },
    attributes: {
      moveId: { type: 'string', required: true, readOnly: true },
      orgId: { type: 'string', required: true, readOnly: true },
      fromParentId: { type: 'string', required: true, readOnly: true },
      toParentId: { type: 'string', required: true, readOnly: true },
      oldPath: { type: 'string', required: true, readOnly: true },
      newPath: { type: 'string', required: true, readOnly: true },
      state: { type: ['preparing', 'committed', 'done'] as const, required: true },
      movedOrgs: { type: 'number', required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      expiresAt: { type: 'number' },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['moveId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type MoveJobItem = EntityItem<typeof MoveJobEntity>;

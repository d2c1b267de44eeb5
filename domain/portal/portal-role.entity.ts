import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * A partner's own portal role: a named set of client permissions, next to the
 * built-in ones. Immutable once created (the API offers no change), so the
 * permissions copied onto requester grants stay true. Keyed by the partner
 * and the role's normalised name, so names are unique per partner and the
 * partner's roles are one Query.
 */
export const PortalRoleEntity = new Entity(
  {
    model: { entity: 'portalRole', version: '1', service },
    attributes: {
      partnerId: { type: 'string', required: true, readOnly: true },
      nameKey: { type: 'string', required: true, readOnly: true },
      name: { type: 'string', required: true, readOnly: true },
      permissions: { type: 'list', items: { type: 'string' }, required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byPartner: {
        pk: { field: 'pk', composite: ['partnerId'] },
        sk: { field: 'sk', composite: ['nameKey'] },
      },
    },
  },
  entityConfig,
);

export type PortalRoleItem = EntityItem<typeof PortalRoleEntity>;

import { Entity, type EntityItem } from 'electrodb';
import { roleNames } from '../access/roles.ts';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { serviceStatuses } from './service-limits.ts';

/**
 * A service relationship: an owner org shares some of its accounts (direct
 * children) with a provider org, whose users the provider's admins assign to
 * some of those accounts with the service's one role. The accounts are
 * `serviceAccount` items, the assignments `serviceAssignment` items. Listed
 * per owner on gsi1 and per provider on gsi2, by id (ids sort by creation).
 * Name, role, owner and provider never change; `version` counts the changes
 * made through PATCH (accounts added or removed, the service ended).
 */
export const ServiceRelationshipEntity = new Entity(
  {
    model: { entity: 'serviceRelationship', version: '1', service },
    attributes: {
      serviceId: { type: 'string', required: true, readOnly: true },
      ownerOrgId: { type: 'string', required: true, readOnly: true },
      providerOrgId: { type: 'string', required: true, readOnly: true },
      name: { type: 'string', required: true, readOnly: true },
      role: { type: roleNames, required: true, readOnly: true },
      status: { type: serviceStatuses, required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      /** When the owner ended it; set with `ending`. */
      endedAt: { type: 'string' },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['serviceId'] },
        sk: { field: 'sk', composite: [] },
      },
      servicesOwned: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['ownerOrgId'] },
        sk: { field: 'gsi1sk', composite: ['serviceId'] },
      },
      servicesReceived: {
        index: 'gsi2',
        pk: { field: 'gsi2pk', composite: ['providerOrgId'] },
        sk: { field: 'gsi2sk', composite: ['serviceId'] },
      },
    },
  },
  entityConfig,
);

export type ServiceRelationshipItem = EntityItem<typeof ServiceRelationshipEntity>;

import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/**
 * The technical configuration of a partner or a customer: the public
 * addresses it is seen from and reached on, and its mail relay. Values are
 * stored canonical (network-address.ts, smarthost.ts). A customer's item is
 * its own from the start: created as a copy of its partner's, in the same
 * transaction as the customer (`inheritedFrom*` say whose, and which version),
 * so later changes to the partner never reach it silently.
 */
export const ConfigEntity = new Entity(
  {
    model: { entity: 'orgConfig', version: '1', service },
    attributes: {
      orgId: { type: 'string', required: true, readOnly: true },
      inboundIps: { type: 'list', items: { type: 'string' }, required: true },
      outboundIps: { type: 'list', items: { type: 'string' }, required: true },
      smarthostHost: { type: 'string' },
      smarthostPort: { type: 'number' },
      /** Set while the values are still the copy of the parent partner's made at creation; removed by the org's own first change. */
      inheritedFromOrgId: { type: 'string' },
      inheritedFromVersion: { type: 'number' },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byOrg: {
        pk: { field: 'pk', composite: ['orgId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type ConfigItem = EntityItem<typeof ConfigEntity>;

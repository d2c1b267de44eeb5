import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

const contact = {
  type: 'map',
  properties: {
    name: { type: 'string', required: true },
    email: { type: 'string', required: true },
    phone: { type: 'string' },
  },
} as const;

/**
 * The business details of a channel or a partner, one item per org, in its
 * own partition beside the org (never on the org item itself, which every
 * authorization reads). Partners carry their statuses; channels carry their
 * programme: the statuses their partners may hold besides the built-in ones,
 * and whether the public application form is open to them.
 */
export const ProfileEntity = new Entity(
  {
    model: { entity: 'orgProfile', version: '1', service },
    attributes: {
      orgId: { type: 'string', required: true, readOnly: true },
      kind: { type: ['channel', 'partner'] as const, required: true, readOnly: true },
      companyContact: contact,
      billingContact: contact,
      website: { type: 'string' },
      address: {
        type: 'map',
        properties: {
          lines: { type: 'list', items: { type: 'string' } },
          city: { type: 'string' },
          postalCode: { type: 'string' },
          region: { type: 'string' },
          country: { type: 'string', required: true },
        },
      },
      /** Partners: built-in (`technical`, `sales`) or defined by their channel. */
      statuses: { type: 'list', items: { type: 'string' } },
      /** Channels: the statuses their partners may hold on top of the built-in ones. */
      partnerStatuses: { type: 'list', items: { type: 'string' } },
      /** Channels: whether `POST /v1/applications` accepts applications to it. */
      acceptsApplications: { type: 'boolean' },
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

export type ProfileItem = EntityItem<typeof ProfileEntity>;

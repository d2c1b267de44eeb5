import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

import { applicationStatuses } from './application-statuses.ts';

export { type ApplicationStatus, applicationStatuses } from './application-statuses.ts';

/**
 * An application to join a channel's partner programme, submitted through the
 * public form. Its status moves once, from `pending` to `approved` (with the
 * partner org it created) or `rejected` (with a reason), by a conditional
 * write. Listed per channel newest first (gsi1), and per channel and status
 * (gsi3) so `?status=` is one Query.
 */
export const ApplicationEntity = new Entity(
  {
    model: { entity: 'application', version: '1', service },
    attributes: {
      appId: { type: 'string', required: true, readOnly: true },
      channelId: { type: 'string', required: true, readOnly: true },
      company: { type: 'string', required: true, readOnly: true },
      contactName: { type: 'string', required: true, readOnly: true },
      contactEmail: { type: 'string', required: true, readOnly: true },
      country: { type: 'string', required: true, readOnly: true },
      website: { type: 'string', readOnly: true },
      message: { type: 'string', readOnly: true },
      status: { type: applicationStatuses, required: true },
      submittedAt: { type: 'string', required: true, readOnly: true },
      decidedAt: { type: 'string' },
      /** The user (or API key) who approved or rejected it. */
      decidedBy: { type: 'string' },
      reason: { type: 'string' },
      /** Approved: the partner org the approval created, and the contact's user, its built-in administrator. */
      partnerId: { type: 'string' },
      partnerAdminId: { type: 'string' },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['appId'] },
        sk: { field: 'sk', composite: [] },
      },
      ofChannel: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['channelId'] },
        sk: { field: 'gsi1sk', composite: ['submittedAt', 'appId'] },
      },
      ofChannelByStatus: {
        index: 'gsi3',
        pk: { field: 'gsi3pk', composite: ['channelId', 'status'] },
        sk: { field: 'gsi3sk', composite: ['submittedAt', 'appId'] },
      },
    },
  },
  entityConfig,
);

export type ApplicationItem = EntityItem<typeof ApplicationEntity>;

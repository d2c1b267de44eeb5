import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { projectStatuses } from './portal-values.ts';

export { type ProjectStatus, projectStatuses } from './portal-values.ts';

/**
 * A project the MSP runs for a customer, with its status and progress
 * (0–100). The client sees it only while `visibleToClient` is set and its
 * portal role carries `view-projects`. Listed per customer on gsi1.
 */
export const ProjectEntity = new Entity(
  {
    model: { entity: 'project', version: '1', service },
    attributes: {
      projectId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      name: { type: 'string', required: true },
      description: { type: 'string' },
      status: { type: projectStatuses, required: true },
      progress: { type: 'number', required: true },
      visibleToClient: { type: 'boolean', required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['projectId'] },
        sk: { field: 'sk', composite: [] },
      },
      projectsOfCustomer: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['customerId'] },
        sk: { field: 'gsi1sk', composite: ['projectId'] },
      },
    },
  },
  entityConfig,
);

export type ProjectItem = EntityItem<typeof ProjectEntity>;

import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';

/** A person who signs in. Created on first invitation (membership by email). */
export const UserEntity = new Entity(
  {
    model: { entity: 'user', version: '1', service },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      email: { type: 'string', required: true },
      status: { type: ['invited', 'active'] as const, required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['userId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type UserItem = EntityItem<typeof UserEntity>;

/** Email → user id, unique: the authorizer resolves a verified token's email through it. */
export const UserEmailEntity = new Entity(
  {
    model: { entity: 'userEmail', version: '1', service },
    attributes: {
      email: { type: 'string', required: true, readOnly: true },
      userId: { type: 'string', required: true, readOnly: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byEmail: {
        pk: { field: 'pk', composite: ['email'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

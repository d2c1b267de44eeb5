import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { customerTypes, orgKinds, orgStatuses, subscriptionStates } from './kinds.ts';

/**
 * An organisation. The path is stored here only (grants and members point at
 * ids), so a move rewrites org items alone. `pathKey` (the path with a closing
 * `/`) and `treeId` (the channel the org sits under, or `root`) key the
 * subtree index; the closing delimiter keeps `org_a1` from matching `org_a10`.
 */
export const OrgEntity = new Entity(
  {
    model: { entity: 'org', version: '1', service },
    attributes: {
      orgId: { type: 'string', required: true, readOnly: true },
      kind: { type: orgKinds, required: true, readOnly: true },
      name: { type: 'string', required: true },
      nameKey: { type: 'string', required: true },
      status: { type: orgStatuses, required: true },
      /** Empty for the root, which sits in no parent's children. */
      parentId: { type: 'string', required: true },
      path: { type: 'string', required: true },
      pathKey: { type: 'string', required: true },
      treeId: { type: 'string', required: true },
      depth: { type: 'number', required: true },
      customerType: { type: customerTypes },
      partnerAccess: { type: 'boolean', required: true },
      /** Built-in administrators held here, kept in the same transactions that add, demote or remove them: partner access may be off only while there is one. */
      builtInAdmins: { type: 'number' },
      /** `<serviceId>:<linkId>` of each service this org is an account of; a service assignment grants access only while its link is here. */
      serviceLinks: { type: 'set', items: 'string' },
      /** Kept in the same transactions that add or remove children, so emptiness is a read, and moves see concurrent creates. */
      childCount: { type: 'number', required: true },
      /** Customers: invoices made for it, kept in the transactions that make them; an invoiced customer is never deleted. */
      invoiceCount: { type: 'number' },
      subscriptionState: { type: subscriptionStates },
      subscriptionSince: { type: 'string' },
      /** Set while a multi-step move (move-job.entity.ts) carries this org. */
      moveId: { type: 'string' },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['orgId'] },
        sk: { field: 'sk', composite: [] },
      },
      children: {
        index: 'gsi1',
        condition: (attributes) => typeof attributes.parentId === 'string' && attributes.parentId !== '',
        pk: { field: 'gsi1pk', composite: ['parentId'] },
        sk: { field: 'gsi1sk', composite: ['kind', 'nameKey'] },
      },
      subtree: {
        index: 'gsi2',
        pk: { field: 'gsi2pk', composite: ['treeId'] },
        sk: { field: 'gsi2sk', composite: ['pathKey'] },
      },
    },
  },
  entityConfig,
);

export type OrgItem = EntityItem<typeof OrgEntity>;

/** Sibling name uniqueness: one item per (parent, normalised name), written in the same transaction as the org. */
export const OrgNameEntity = new Entity(
  {
    model: { entity: 'orgName', version: '1', service },
    attributes: {
      parentId: { type: 'string', required: true, readOnly: true },
      nameKey: { type: 'string', required: true, readOnly: true },
      orgId: { type: 'string', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byName: {
        pk: { field: 'pk', composite: ['parentId', 'nameKey'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

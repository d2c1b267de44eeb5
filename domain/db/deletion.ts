import type { OrgItem } from '../orgs/org.entity.ts';
import { type TombstoneItem, tombstoneRetentionSeconds } from './tombstone.entity.ts';
import type { WrittenBy } from './written-by.ts';

/** What ElectroDB's `.params()` of a delete returns: the item's raw key. */
interface DeleteParams {
  Key?: Record<string, unknown>;
}

/**
 * The tombstone that records who deleted an item, to be written in the same
 * transaction as the delete: `deleteOp` is the entity's own delete of the item
 * (only its `.params()` is read, for the raw key), `item` the item as read, `org` the org it
 * belongs to (the org itself for an org).
 */
export const tombstoneFor = (
  deleteOp: { params: () => unknown },
  item: { version?: number | undefined },
  entity: string,
  org: Pick<OrgItem, 'orgId' | 'path'>,
  by: WrittenBy,
): TombstoneItem => {
  const key = (deleteOp.params() as DeleteParams).Key ?? {};
  const deletedPk = key.pk;
  const deletedSk = key.sk;
  if (typeof deletedPk !== 'string' || typeof deletedSk !== 'string') throw new Error(`No key for a ${entity} delete`);
  return {
    deletedPk,
    deletedSk,
    deletedVersion: item.version ?? 0,
    entity,
    orgId: org.orgId,
    orgPath: org.path,
    expiresAt: Math.floor(Date.parse(by.at) / 1000) + tombstoneRetentionSeconds,
    writtenBy: by,
  };
};

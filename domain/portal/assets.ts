import type { AccessRequest } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { loadCallerGrants, type RequesterGrant } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, changedMeanwhile, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { AssetEntity, type AssetItem, type assetTypes, requesterLinkOf } from './asset.entity.ts';
import { authorizeOnItem, authorizePortal, portalRoleRefusal } from './authorize-portal.ts';
import { holdsAny } from './client-permissions.ts';
import { createForCustomer } from './customer-item-create.ts';
import { RequesterEntity } from './requester.entity.ts';
import { customersOnly } from './tickets.ts';

export interface AssetView {
  id: string;
  customerId: string;
  name: string;
  type: (typeof assetTypes)[number];
  serialNumber: string | null;
  /** Requesters it is mapped to (a requester removed since keeps its place here, but its mapping no longer counts). */
  requesterIds: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

const userOf = (link: string): string => link.split(':')[0] ?? link;

const toView = (item: AssetItem): AssetView => ({
  id: item.assetId,
  customerId: item.customerId,
  name: item.name,
  type: item.type,
  serialNumber: item.serialNumber ?? null,
  requesterIds: item.requesterLinks.map(userOf),
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

const assetNotFound = (assetId: string) => new NotFoundError(`Asset ${assetId} was not found`);

/** A requester sees all of its company's assets with `view-all-assets`, else those mapped to its very grant. */
export const clientSeesAsset = (requester: RequesterGrant, asset: { requesterLinks: readonly string[] }, userId: string): boolean =>
  holdsAny(requester.permissions, ['view-all-assets']) ||
  (holdsAny(requester.permissions, ['view-mapped-assets']) && asset.requesterLinks.includes(requesterLinkOf(userId, requester.linkId)));

/**
 * A customer's assets, newest first, one Query per page alongside the
 * authorization round: all of them for the MSP side and `view-all-assets`,
 * else those mapped to the requester (filtered from the page).
 */
export const listAssets = async (
  access: AccessRequest,
  customerId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<AssetView>> => {
  const binding = JSON.stringify(['assets', customerId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [portal, page] = await Promise.all([
    authorizePortal(access, customerId, ['view-all-assets', 'view-mapped-assets']),
    AssetEntity.query.assetsOfCustomer({ customerId }).go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const callerId = access.caller.principalId;
  const items = portal.side === 'msp' ? page.data : page.data.filter((item) => clientSeesAsset(portal.requester, item, callerId));
  return { items: items.map(toView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewAsset {
  name: string;
  type: (typeof assetTypes)[number];
  serialNumber?: string | undefined;
}

/** Records an asset of a customer (the MSP side only), counted on the customer's summary in the same transaction. */
export const createAsset = async (access: AccessRequest, customerId: string, input: NewAsset, actor: Actor): Promise<AssetView> => {
  const portal = await authorizePortal(access, customerId, []);
  if (portal.org?.kind !== 'customer') throw customersOnly('Assets');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const item: AssetItem = {
    assetId: newId('ast'),
    customerId,
    name: input.name,
    type: input.type,
    ...(input.serialNumber !== undefined ? { serialNumber: input.serialNumber } : {}),
    requesterLinks: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await createForCustomer(
    customerId,
    (tx) => tx.asset.create(item).commit(),
    { assets: 1 },
    by,
    'The asset could not be created; try again',
  );
  return toView(item);
};

/**
 * Maps exactly these requesters to an asset (the MSP side only), replacing
 * the mapping. Each must be a requester of the asset's customer now; the
 * asset names their current grants, so a mapping ends with the grant. The
 * asset and the caller's grants are one round; the customer's org and the
 * named requesters' grants (one BatchGet) the second.
 */
export const setAssetRequesters = async (
  access: AccessRequest,
  assetId: string,
  input: { userIds: string[] },
  ifMatch: number | null,
  actor: Actor,
): Promise<AssetView> => {
  const [found, held] = await Promise.all([AssetEntity.get({ assetId }).go(), loadCallerGrants(access.caller)]);
  const asset = found.data;
  if (!asset) throw assetNotFound(assetId);
  const userIds = [...new Set(input.userIds)];
  const [, grants] = await Promise.all([
    authorizeOnItem(
      access,
      asset.customerId,
      held,
      (requester) =>
        clientSeesAsset(requester, asset, access.caller.principalId)
          ? { verdict: 'forbidden', error: portalRoleRefusal('Only the MSP side maps requesters to assets', 'msp-only') }
          : { verdict: 'hidden' },
      () => assetNotFound(assetId),
    ),
    userIds.length > 0
      ? RequesterEntity.get(userIds.map((userId) => ({ userId, customerId: asset.customerId }))).go()
      : Promise.resolve({ data: [] }),
  ]);
  const expected = assertVersion(asset.version, ifMatch);
  const linkOf = new Map(grants.data.map((grant) => [grant.userId, requesterLinkOf(grant.userId, grant.linkId)]));
  const strangers = userIds.filter((userId) => !linkOf.has(userId));
  if (strangers.length > 0) {
    throw new ConflictError(`Not requesters of this customer: ${strangers.join(', ')}; add them as requesters first`, {
      extensions: { rule: 'not-a-requester' },
    });
  }
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const next: AssetItem = {
    ...asset,
    requesterLinks: userIds.map((userId) => linkOf.get(userId) as string),
    updatedAt: now,
    version: expected + 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write(({ asset: assets }) => [
          assets
            .patch({ assetId })
            .set({ requesterLinks: next.requesterLinks, updatedAt: now, version: next.version, writtenBy: by })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
        ])
        .go(),
    () => changedMeanwhile('asset', ifMatch),
  );
  return toView(next);
};

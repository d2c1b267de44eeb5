import { tombstoneFor } from '../db/deletion.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import type { WrittenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import type { ServiceRelationshipItem } from './service.entity.ts';
import { ServiceAccountEntity, type ServiceAccountItem } from './service-account.entity.ts';
import { ServiceAssignmentEntity, type ServiceAssignmentItem, serviceLinkOf } from './service-assignment.entity.ts';
import { serviceRule } from './service-rules.ts';
import { chunksOf } from './service-store.ts';

/** Each removed item is a delete and its tombstone: two actions. */
const deletesPerTransaction = maxTransactionItems / 2;

const interrupted = () => serviceRule('The service changed while accounts were being removed; repeat the request to finish', 'changed');

/** Where an account sits, for its tombstones; a deleted account is taken to sit where the service left it, under the owner. */
export type PathOf = (accountId: string) => string;

/**
 * Step one of removing accounts, and the one that ends access: each account's
 * link leaves its org's `serviceLinks` (a single write per account, bookkeeping
 * that leaves the org's version alone) in the same transaction that marks its
 * link item `removing`. From then on no assignment to it grants anything,
 * whatever is left of them. Fifty accounts per transaction (two writes each).
 */
export const unlinkAccounts = async (
  service: ServiceRelationshipItem,
  links: readonly ServiceAccountItem[],
  orgs: ReadonlyMap<string, OrgItem>,
  by: WrittenBy,
): Promise<void> => {
  const linked = links.filter((link) => link.status === 'linked');
  for (const chunk of chunksOf(linked, deletesPerTransaction)) {
    await transact(
      () =>
        db.transaction
          .write(({ org, serviceAccount }) =>
            chunk.flatMap((link) => [
              ...(orgs.has(link.accountId)
                ? [
                    org
                      .patch({ orgId: link.accountId })
                      .delete({ serviceLinks: [serviceLinkOf(service.serviceId, link.linkId)] })
                      .set({ writtenBy: by })
                      .commit(),
                  ]
                : []),
              serviceAccount
                .patch({ serviceId: service.serviceId, accountId: link.accountId })
                .set({ status: 'removing', version: link.version + 1, writtenBy: by })
                .where((attr, { eq }) => eq(attr.status, 'linked'))
                .commit(),
            ]),
          )
          .go(),
      interrupted,
    );
  }
};

/** Deletes assignment items (each with its tombstone), fifty per transaction, each transaction on its own. */
export const deleteAssignments = async (items: readonly ServiceAssignmentItem[], pathOf: PathOf, by: WrittenBy): Promise<number> => {
  let transactions = 0;
  for (const chunk of chunksOf(items, deletesPerTransaction)) {
    await transact(
      () =>
        db.transaction
          .write(({ serviceAssignment, tombstone }) =>
            chunk.flatMap((item) => {
              const key = { userId: item.userId, serviceId: item.serviceId, accountId: item.accountId };
              const account = { orgId: item.accountId, path: pathOf(item.accountId) };
              return [
                serviceAssignment.delete(key).commit(),
                // Assignments carry no version: their tombstones are keyed by version 0, as the audit consumer reads them.
                tombstone.put(tombstoneFor(ServiceAssignmentEntity.delete(key), {}, 'serviceAssignment', account, by)).commit(),
              ];
            }),
          )
          .go(),
      interrupted,
    );
    transactions += 1;
  }
  return transactions;
};

/** The version a link item has once `unlinkAccounts` marked it (as the tombstone of its delete must name it). */
const removingVersion = (link: ServiceAccountItem): number => (link.status === 'linked' ? link.version + 1 : link.version);

/**
 * The last step: the link items of accounts whose assignments are gone
 * (each with its tombstone). Only items still `removing` go, so an account
 * added again meanwhile keeps its new link.
 */
export const deleteUnlinkedAccounts = async (
  service: ServiceRelationshipItem,
  links: readonly ServiceAccountItem[],
  pathOf: PathOf,
  by: WrittenBy,
): Promise<void> => {
  for (const chunk of chunksOf(links, deletesPerTransaction)) {
    await transact(
      () =>
        db.transaction
          .write(({ serviceAccount, tombstone }) =>
            chunk.flatMap((link) => {
              const key = { serviceId: service.serviceId, accountId: link.accountId };
              const account = { orgId: link.accountId, path: pathOf(link.accountId) };
              return [
                serviceAccount
                  .delete(key)
                  .where((attr, { eq }) => eq(attr.status, 'removing'))
                  .commit(),
                tombstone
                  .put(tombstoneFor(ServiceAccountEntity.delete(key), { version: removingVersion(link) }, 'serviceAccount', account, by))
                  .commit(),
              ];
            }),
          )
          .go(),
      interrupted,
    );
  }
};

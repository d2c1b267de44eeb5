import { db, orgStillExists } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import type { WrittenBy } from '../db/written-by.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { type SummaryDelta, summaryWrites, type TransactionEntities } from './summary-counters.ts';

// ElectroDB types each entity's committed write apart; the item's is only passed through to the transaction.
type TransactionItem = ReturnType<typeof summaryWrites>[number];

/**
 * Adds a portal item (ticket, project, asset, quote) to a customer in one
 * transaction: the item, a check that the customer still exists (a deletion
 * racing the create leaves no orphan behind), and the customer's summary
 * counters. `refused` is the 409's text when the transaction loses a race.
 */
export const createForCustomer = (
  customerId: string,
  create: (tx: TransactionEntities) => unknown,
  delta: SummaryDelta,
  by: WrittenBy,
  refused: string,
): Promise<void> =>
  transact(
    () =>
      db.transaction
        .write((tx) => [create(tx) as TransactionItem, orgStillExists(tx.org, customerId), ...summaryWrites(tx, customerId, delta, by)])
        .go(),
    (index) => (index === 1 ? new NotFoundError(`Org ${customerId} was not found`) : new ConflictError(refused)),
  );

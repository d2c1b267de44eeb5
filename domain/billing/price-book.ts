import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { isConditionalCheckFailure } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { ConflictError, changedMeanwhile, ValidationError } from '../shared/errors.ts';
import { PriceBookEntity, type PriceBookItem } from './price-book.entity.ts';
import { maxPriceBookEntries, type PriceBookEntry, priceBookFaults } from './price-book-rules.ts';

/** A price book as the API shows it. A partner that has none yet has an empty one at version 0. */
export interface PriceBookView {
  partnerId: string;
  entries: PriceBookEntry[];
  version: number;
  updatedAt: string | null;
}

export const partnersOnly = (orgId: string) =>
  new ConflictError(`Org ${orgId} is not a partner: only partners have a price book`, { extensions: { rule: 'partners-only' } });

const assertPartner = (org: OrgItem): void => {
  if (org.kind !== 'partner') throw partnersOnly(org.orgId);
};

const entriesOf = (item: PriceBookItem): PriceBookEntry[] =>
  item.entries.map((entry) => ({
    sku: entry.sku,
    name: entry.name,
    unit: entry.unit,
    unitPrice: entry.unitPrice,
    currency: entry.currency,
    effectiveFrom: entry.effectiveFrom,
    effectiveTo: entry.effectiveTo ?? null,
  }));

const toView = (partnerId: string, item: PriceBookItem | null): PriceBookView =>
  item
    ? { partnerId, entries: entriesOf(item), version: item.version, updatedAt: item.updatedAt }
    : { partnerId, entries: [], version: 0, updatedAt: null };

/** The partner's price book item, if it has one (one GetItem). */
export const readPriceBook = async (partnerId: string): Promise<PriceBookItem | null> =>
  (await PriceBookEntity.get({ partnerId }).go()).data;

/** The entries a partner prices its invoices with (empty without a book). */
export const priceBookEntries = async (partnerId: string): Promise<PriceBookEntry[]> => {
  const item = await readPriceBook(partnerId);
  return item ? entriesOf(item) : [];
};

/**
 * A partner's price book, for its admins and billing admins and those above
 * (`price-book:read`): the book and the authorization reads in one parallel
 * round. Orgs other than partners have none (409).
 */
export const getPriceBook = async (access: AccessRequest, orgId: string): Promise<PriceBookView> => {
  const [{ org }, item] = await Promise.all([authorizeOn(access, orgId), readPriceBook(orgId)]);
  assertPartner(org);
  return toView(orgId, item);
};

/**
 * Replaces a partner's price book: set by the channel or platform above it
 * (`price-book:write`, which a partner's own admins do not hold). Bounded in
 * size, one price per SKU, currency and day. Honours If-Match (the first
 * book is version 0 → 1); the write is conditioned on the version read, so
 * two concurrent PUTs never both win.
 */
export const putPriceBook = async (
  access: AccessRequest,
  orgId: string,
  entries: readonly PriceBookEntry[],
  ifMatch: number | null,
  actor: Actor,
): Promise<PriceBookView> => {
  const [{ org }, current] = await Promise.all([authorizeOn(access, orgId), readPriceBook(orgId)]);
  assertPartner(org);
  const expected = assertVersion(current?.version ?? 0, ifMatch);
  const faults = priceBookFaults(entries);
  if (entries.length > maxPriceBookEntries) faults.push({ path: '', message: `at most ${maxPriceBookEntries} entries` });
  if (faults.length > 0) {
    throw new ValidationError('The price book is not valid', {
      errors: faults.map((fault) => ({ path: `body.entries${fault.path ? `.${fault.path}` : ''}`, message: fault.message })),
    });
  }
  const now = new Date().toISOString();
  const item: PriceBookItem = {
    partnerId: orgId,
    entries: entries.map(({ effectiveTo, ...entry }) => ({ ...entry, ...(effectiveTo ? { effectiveTo } : {}) })),
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    version: expected + 1,
    writtenBy: writtenBy(actor, now),
  };
  try {
    if (current) {
      await PriceBookEntity.put(item)
        .where((attr, { eq }) => eq(attr.version, expected))
        .go();
    } else {
      await PriceBookEntity.create(item).go();
    }
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    throw changedMeanwhile('price book', ifMatch);
  }
  return toView(orgId, item);
};

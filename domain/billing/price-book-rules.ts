import type { FieldError } from '../shared/errors.ts';
import type { Currency } from './money.ts';

/** One product at one agreed price over one period. */
export interface PriceBookEntry {
  sku: string;
  name: string;
  unit: string;
  /** Minor units of `currency`. */
  unitPrice: number;
  currency: Currency;
  /** Inclusive calendar dates (`YYYY-MM-DD`); null: open-ended. */
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** A price book holds at most this many entries: a few hundred products, each with a few periods, in one item well under 400 KB. */
export const maxPriceBookEntries = 500;

/** SKUs are identifiers: upper-case letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const skuPattern = /^[A-Z0-9][A-Z0-9._-]{0,63}$/;

const endOf = (entry: Pick<PriceBookEntry, 'effectiveTo'>): string => entry.effectiveTo ?? '9999-12-31';

/** Whether two inclusive periods share at least one day. */
export const periodsOverlap = (a: Pick<PriceBookEntry, 'effectiveFrom' | 'effectiveTo'>, b: typeof a): boolean =>
  a.effectiveFrom <= endOf(b) && b.effectiveFrom <= endOf(a);

/**
 * What is wrong with a price book's entries, field by field (paths relative
 * to the entry list, `3.effectiveTo`): a period that ends before it starts,
 * and two entries of one SKU and currency whose periods overlap (so the
 * price in force on any day is never ambiguous). The same SKU may have
 * prices in several currencies, and successive periods in each.
 */
export const priceBookFaults = (entries: readonly PriceBookEntry[]): FieldError[] => {
  const faults: FieldError[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.effectiveTo !== null && entry.effectiveTo < entry.effectiveFrom) {
      faults.push({ path: `${index}.effectiveTo`, message: 'must not be before effectiveFrom' });
    }
  }
  for (const [index, entry] of entries.entries()) {
    const earlier = entries
      .slice(0, index)
      .findIndex((other) => other.sku === entry.sku && other.currency === entry.currency && periodsOverlap(other, entry));
    if (earlier >= 0) {
      faults.push({
        path: `${index}.effectiveFrom`,
        message: `overlaps entries.${earlier}: one ${entry.sku} price in ${entry.currency} per day`,
      });
    }
  }
  return faults;
};

/** The entry that prices `sku` in `currency` on `date`, if any (there is at most one: periods never overlap). */
export const priceInForce = (
  entries: readonly PriceBookEntry[],
  sku: string,
  currency: Currency,
  date: string,
): PriceBookEntry | undefined =>
  entries.find((entry) => entry.sku === sku && entry.currency === currency && entry.effectiveFrom <= date && date <= endOf(entry));

/** Whether `sku` has any price on `date`, in whichever currency. */
export const pricedOn = (entries: readonly PriceBookEntry[], sku: string, date: string): PriceBookEntry[] =>
  entries.filter((entry) => entry.sku === sku && entry.effectiveFrom <= date && date <= endOf(entry));

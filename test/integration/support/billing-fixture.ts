import type { Caller } from '#domain/access/caller';
import { createInvoice, type NewInvoice } from '#domain/billing/invoices';
import { putPriceBook } from '#domain/billing/price-book';
import type { PriceBookEntry } from '#domain/billing/price-book-rules';
import { actor, as } from './fixture.ts';

/** A price book every test partner can use: one SKU in EUR and USD, one that changes price mid-year. */
export const standardEntries: PriceBookEntry[] = [
  {
    sku: 'M365-BP',
    name: 'Microsoft 365 Business Premium',
    unit: 'user/month',
    unitPrice: 1980,
    currency: 'EUR',
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
  },
  {
    sku: 'M365-BP',
    name: 'Microsoft 365 Business Premium',
    unit: 'user/month',
    unitPrice: 2200,
    currency: 'USD',
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
  },
  {
    sku: 'BACKUP',
    name: 'Cloud backup',
    unit: 'device/month',
    unitPrice: 500,
    currency: 'EUR',
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-06-30',
  },
  {
    sku: 'BACKUP',
    name: 'Cloud backup',
    unit: 'device/month',
    unitPrice: 450,
    currency: 'EUR',
    effectiveFrom: '2026-07-01',
    effectiveTo: null,
  },
];

export const setPriceBook = (admin: Caller, partnerId: string, entries: PriceBookEntry[] = standardEntries) =>
  putPriceBook(as(admin, 'price-book:write'), partnerId, entries, null, actor);

export const draft = (overrides: Partial<NewInvoice> = {}): NewInvoice => ({
  currency: 'EUR',
  taxRate: '20',
  invoiceDate: '2026-03-01',
  // Far ahead, so an issued draft is never overdue whenever the test runs.
  dueDate: '2099-12-31',
  lines: [{ sku: 'M365-BP', quantity: 10 }],
  ...overrides,
});

/** A draft for `customerId`, made by `caller` (billing:write on the customer and its issuer). */
export const makeInvoice = (caller: Caller, customerId: string, overrides: Partial<NewInvoice> = {}) =>
  createInvoice(as(caller, 'billing:write'), customerId, draft(overrides), actor);

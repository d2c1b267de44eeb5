import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { decide } from '../access/decide.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { readOrg } from '../orgs/org-store.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { customersOnly, invoiceEvent } from './billing-events.ts';
import { todayUtc } from './calendar-date.ts';
import type { InvoiceItem } from './invoice.entity.ts';
import { authorizeOnInvoice, issuerOnly } from './invoice-access.ts';
import { type InvoiceLineInput, priceInvoice } from './invoice-pricing.ts';
import { type InvoiceView, summaryOf, toInvoiceView } from './invoice-view.ts';
import type { Currency } from './money.ts';
import { priceBookEntries } from './price-book.ts';
import { parseTaxRate } from './tax.ts';

export interface NewInvoice {
  currency: Currency;
  /** Percent with at most four decimals, "0" to "100". */
  taxRate: string;
  /** Defaults to today (UTC). */
  invoiceDate?: string | undefined;
  dueDate: string;
  lines: InvoiceLineInput[];
}

/**
 * The orgs whose invoice lists show an invoice of this customer: every
 * partner on its path (the issuer and the partners above it; a path runs
 * root › channel › partners › customer) and the customer itself.
 */
export const ledgerIdsOf = (customerPath: string): string[] => OrgPath.ids(customerPath).slice(2);

/**
 * Makes a draft invoice for a customer, issued by the customer's parent
 * partner: the caller needs `billing:write` on the customer (so the route's
 * 404/403 are the customer's) and on the issuer (a customer's own billing
 * admin cannot bill itself: 403 issuer-only). Lines are priced from the
 * issuer's price book in force on the invoice date, or explicitly; totals
 * and tax in integer minor units (invoice-pricing.ts). One transaction writes
 * the invoice, its listing copies, the customer's billing event, and counts
 * the invoice on the customer (conditioned on the customer not having moved
 * since it was read, so the listings go to the right partners; a customer
 * with invoices cannot be deleted).
 */
export const createInvoice = async (
  access: AccessRequest,
  customerId: string,
  input: NewInvoice,
  actor: Actor,
  options: { now?: Date; invoiceId?: string } = {},
): Promise<InvoiceView> => {
  const { org: customer, grants } = await authorizeOn(access, customerId);
  if (customer.kind !== 'customer') throw customersOnly(customerId, 'only customers are invoiced');
  const issuerId = customer.parentId;
  const needsPrices = input.lines.some((line) => 'sku' in line);
  const [issuer, book] = await Promise.all([readOrg(issuerId), needsPrices ? priceBookEntries(issuerId) : Promise.resolve([])]);
  if (!issuer || !decide(grants, issuer, 'billing:write').allowed) throw issuerOnly();
  const now = options.now ?? new Date();
  const today = todayUtc(now);
  const invoiceDate = input.invoiceDate ?? today;
  if (input.dueDate < invoiceDate) {
    throw new ValidationError('The due date is before the invoice date', {
      errors: [{ path: 'body.dueDate', message: `must not be before the invoice date ${invoiceDate}` }],
    });
  }
  const taxRatePpm = parseTaxRate(input.taxRate);
  const priced = priceInvoice(input.lines, { currency: input.currency, taxRatePpm, invoiceDate }, book);
  const at = now.toISOString();
  const by = writtenBy(actor, at);
  const ledgerIds = ledgerIdsOf(customer.path);
  const item: InvoiceItem = {
    invoiceId: options.invoiceId ?? newId('inv'),
    customerId,
    customerName: customer.name,
    issuerId,
    currency: input.currency,
    taxRatePpm,
    invoiceDate,
    dueDate: input.dueDate,
    subtotal: priced.subtotal,
    taxTotal: priced.taxTotal,
    total: priced.total,
    lineCount: priced.lines.length,
    status: 'draft',
    createdAt: at,
    updatedAt: at,
    version: 1,
    writtenBy: by,
    ledgerIds,
    lines: priced.lines.map(({ sku, unit, ...line }) => ({ ...line, ...(sku ? { sku } : {}), ...(unit ? { unit } : {}) })),
  };
  const summary = summaryOf(item);
  await transact(
    () =>
      db.transaction
        .write(({ invoice, invoiceListing, billingEvent, org }) => [
          invoice.create(item).commit(),
          billingEvent.create(invoiceEvent('invoice.created', item, by)).commit(),
          org
            .update({ orgId: customerId })
            .add({ invoiceCount: 1 })
            .set({ writtenBy: by })
            .where((attr, { eq }) => eq(attr.path, customer.path))
            .commit(),
          ...ledgerIds.map((ledgerId) => invoiceListing.create({ ...summary, ledgerId }).commit()),
        ])
        .go(),
    (index) =>
      index === 2
        ? new ConflictError('The customer moved while the invoice was being made; try again')
        : new ConflictError(`Invoice ${item.invoiceId} already exists`),
  );
  return toInvoiceView(item, today);
};

/** One invoice with its lines, for either party's side (invoice-access.ts): two round trips. */
export const getInvoice = async (access: AccessRequest, invoiceId: string): Promise<InvoiceView> => {
  const { invoice } = await authorizeOnInvoice(access, invoiceId);
  return toInvoiceView(invoice, todayUtc());
};

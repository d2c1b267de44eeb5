import type { Model } from './model.ts';

/**
 * The model's own picture of price books and invoices, written out naively
 * on purpose (nothing imported from domain/): the prices in force, the
 * arithmetic of a draft, the states an invoice moves through.
 */

export interface ModelPriceEntry {
  sku: string;
  name: string;
  unit: string;
  unitPrice: number;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface ModelPriceBook {
  entries: ModelPriceEntry[];
  version: number;
}

export type ModelInvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface ModelInvoice {
  id: string;
  customerId: string;
  customerName: string;
  issuerId: string;
  /** The orgs whose lists show it: every partner on the customer's path when it was made, and the customer. */
  ledgerIds: string[];
  status: ModelInvoiceStatus;
  number: number | null;
  currency: string;
  taxRate: string;
  invoiceDate: string;
  dueDate: string;
  subtotal: number;
  taxTotal: number;
  total: number;
  lineCount: number;
  version: number;
}

export interface ModelBillingEvent {
  type: 'subscription.changed' | 'invoice.created' | 'invoice.issued' | 'invoice.paid' | 'invoice.voided';
  invoiceId: string | null;
  from: string | null;
  to: string | null;
}

/** Today as the API counts days: the UTC date. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** Issued and past its due date: shown as overdue, never stored so. */
export const shownStatus = (invoice: ModelInvoice): string =>
  invoice.status === 'issued' && invoice.dueDate < today() ? 'overdue' : invoice.status;

/** "8.875" → 88750 parts per million. */
export const ppmOf = (rate: string): number => {
  const [whole = '0', fraction = ''] = rate.split('.');
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
};

/** Tax on a net amount, per line: half up (net is never negative). */
export const lineTax = (net: number, ppm: number): number => {
  const product = BigInt(net) * BigInt(ppm);
  const quotient = product / 1_000_000n;
  return Number((product % 1_000_000n) * 2n >= 1_000_000n ? quotient + 1n : quotient);
};

export const entryInForce = (entries: readonly ModelPriceEntry[], sku: string, currency: string | null, date: string): ModelPriceEntry[] =>
  entries.filter(
    (entry) =>
      entry.sku === sku &&
      (currency === null || entry.currency === currency) &&
      entry.effectiveFrom <= date &&
      (entry.effectiveTo === null || date <= entry.effectiveTo),
  );

export type DraftLine = { sku: string; quantity: number } | { description: string; quantity: number; unitPrice: number; currency: string };

/** What a draft's lines come to, or the refusal they earn (409: a SKU not priced that day in the invoice's currency). */
export const priceDraft = (
  lines: readonly DraftLine[],
  book: readonly ModelPriceEntry[],
  currency: string,
  rate: string,
  invoiceDate: string,
): { subtotal: number; taxTotal: number; total: number; descriptions: string[] } | 409 => {
  let subtotal = 0;
  let taxTotal = 0;
  const descriptions: string[] = [];
  for (const line of lines) {
    let price: number;
    if ('sku' in line) {
      const entry = entryInForce(book, line.sku, currency, invoiceDate)[0];
      if (!entry) return 409;
      price = entry.unitPrice;
      descriptions.push(entry.name);
    } else {
      price = line.unitPrice;
      descriptions.push(line.description);
    }
    const net = price * line.quantity;
    subtotal += net;
    taxTotal += lineTax(net, ppmOf(rate));
  }
  return { subtotal, taxTotal, total: subtotal + taxTotal, descriptions };
};

/** The invoice's summary fields as the API shows them (timestamps aside). */
export const invoiceFields = (invoice: ModelInvoice): Record<string, unknown> => ({
  id: invoice.id,
  number: invoice.number,
  status: shownStatus(invoice),
  customerId: invoice.customerId,
  customerName: invoice.customerName,
  issuerId: invoice.issuerId,
  currency: invoice.currency,
  taxRate: invoice.taxRate,
  invoiceDate: invoice.invoiceDate,
  dueDate: invoice.dueDate,
  subtotal: invoice.subtotal,
  taxTotal: invoice.taxTotal,
  total: invoice.total,
  lineCount: invoice.lineCount,
  version: invoice.version,
});

/** An org's invoice list: every invoice listed under it, newest invoice date first (then id, descending, as the key sorts). */
export const ledgerOf = (model: Model, orgId: string): ModelInvoice[] =>
  [...model.invoices.values()]
    .filter((invoice) => invoice.ledgerIds.includes(orgId))
    .sort((a, b) => {
      const ka = `${a.invoiceDate}#${a.id}`;
      const kb = `${b.invoiceDate}#${b.id}`;
      return ka < kb ? 1 : ka > kb ? -1 : 0;
    });

export const recordBillingEvent = (model: Model, customerId: string, event: ModelBillingEvent): void => {
  const events = model.billingEvents.get(customerId) ?? [];
  events.push(event);
  model.billingEvents.set(customerId, events);
};

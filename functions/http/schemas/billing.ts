import { z } from 'zod';
import { billingEventTypes } from '#domain/billing/billing-event-types';
import { calendarDatePattern, isCalendarDate } from '#domain/billing/calendar-date';
import { invoiceStatuses } from '#domain/billing/invoice-state';
import { currencies } from '#domain/billing/money';
import { maxPriceBookEntries, priceBookFaults, skuPattern } from '#domain/billing/price-book-rules';
import { taxRatePattern } from '#domain/billing/tax';
import { subscriptionStates } from '#domain/orgs/kinds';
import { displayName, id, orgId, paging, timestamp } from './common.ts';

const noControl = /^[^\p{Cc}]*$/u;

export const invoiceId = id('inv');

export const partnerParams = z.strictObject({
  orgId: orgId.meta({ description: 'The partner (`{partnerId}` in API.md; API Gateway needs one name per path level)' }),
});

export const customerParams = z.strictObject({
  orgId: orgId.meta({ description: 'The customer (`{customerId}` in API.md; API Gateway needs one name per path level)' }),
});

export const ledgerParams = z.strictObject({
  orgId: orgId.meta({
    description: 'A partner (its whole subtree’s invoices) or a customer (its own); other orgs answer 409 `partners-and-customers-only`',
  }),
});

export const invoiceParams = z.strictObject({ invoiceId });

export const calendarDate = z
  .string()
  .regex(calendarDatePattern, 'must be a date, YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real date from 2000-01-01 to 2999-12-31')
  .meta({ description: 'Calendar date, YYYY-MM-DD', example: '2026-01-31' });

export const currency = z.enum(currencies).meta({
  description:
    'ISO 4217 code. Only these currencies are accepted; amounts are integer minor units of it (JPY, KRW, ISK, CLP: 0 decimals; BHD, KWD, OMR, JOD, TND: 3; the others: 2)',
});

const minorUnits = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .meta({ description: 'Integer minor units (cents), at most 2^53 − 1' });

const text = (max: number) => z.string().trim().min(1).max(max).regex(noControl, 'must not contain control characters');

export const sku = z.string().regex(skuPattern, 'must be 1–64 of A–Z, 0–9, ".", "_", "-", starting with a letter or digit');

/* ---------- price book ---------- */

const priceBookEntryFields = {
  sku,
  name: displayName,
  unit: text(30).meta({ description: 'What one quantity is: "user/month", "device", "hour"' }),
  unitPrice: minorUnits,
  currency,
  effectiveFrom: calendarDate.meta({ description: 'First day the price applies (inclusive)' }),
  effectiveTo: calendarDate.nullable().meta({ description: 'Last day the price applies (inclusive); null: open-ended' }),
};

const priceBookEntryInput = z
  .strictObject({ ...priceBookEntryFields, effectiveTo: priceBookEntryFields.effectiveTo.optional() })
  .transform((entry) => ({ ...entry, effectiveTo: entry.effectiveTo ?? null }));

export const putPriceBookBody = z
  .strictObject({
    entries: z
      .array(priceBookEntryInput)
      .max(maxPriceBookEntries)
      .superRefine((entries, ctx) => {
        for (const fault of priceBookFaults(entries)) ctx.addIssue({ code: 'custom', path: fault.path.split('.'), message: fault.message });
      })
      .meta({
        description: `The whole book, replacing the previous one: at most ${maxPriceBookEntries} entries; one price per SKU, currency and day (periods of one SKU and currency never overlap)`,
      }),
  })
  .meta({ id: 'PutPriceBook' });

export const priceBook = z
  .object({
    partnerId: orgId,
    entries: z.array(z.object(priceBookEntryFields)),
    version: z.number().int().meta({ description: '0 until the book is first set' }),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'PriceBook', description: 'A partner’s products and agreed prices, set by the channel or platform above it' });

/* ---------- invoices ---------- */

const lineInput = z
  .strictObject({
    sku: sku
      .optional()
      .meta({ description: "Priced from the issuer's price book in force on the invoice date, in the invoice's currency" }),
    description: text(200).optional().meta({ description: 'Explicit lines only' }),
    quantity: z.number().int().min(1).max(1_000_000).meta({ description: 'Whole units, 1–1,000,000' }),
    unitPrice: minorUnits.optional().meta({ description: 'Explicit lines only' }),
    currency: currency.optional().meta({ description: "Explicit lines only; must be the invoice's currency" }),
  })
  .superRefine((line, ctx) => {
    const explicit = ['description', 'unitPrice', 'currency'] as const;
    if (line.sku !== undefined) {
      for (const field of explicit) {
        if (line[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'not with sku: a SKU line is priced from the price book' });
      }
      return;
    }
    for (const field of explicit) {
      if (line[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required on a line without sku' });
    }
  })
  .transform((line) =>
    line.sku !== undefined
      ? { sku: line.sku, quantity: line.quantity }
      : { description: line.description ?? '', quantity: line.quantity, unitPrice: line.unitPrice ?? 0, currency: line.currency ?? 'EUR' },
  )
  .meta({ description: '`{ sku, quantity }` or `{ description, quantity, unitPrice, currency }`' });

export const maxInvoiceLines = 100;

export const createInvoiceBody = z
  .strictObject({
    currency: currency.meta({ description: 'The one currency of the invoice: every line, total and payment is in it' }),
    taxRate: z
      .string()
      .regex(taxRatePattern, 'must be a percentage from 0 to 100 with at most 4 decimals, as a string ("20", "8.875")')
      .meta({
        description:
          'Percent, as a string so no binary fraction creeps in. Tax is computed per line (net × rate) and rounded half up (halves away from zero) to the minor unit; the invoice’s tax is the sum of its lines’',
        example: '20',
      }),
    invoiceDate: calendarDate.optional().meta({ description: 'Chooses the prices in force; default today (UTC)' }),
    dueDate: calendarDate.meta({ description: 'Overdue from the day after it (UTC), while unpaid' }),
    lines: z.array(lineInput).min(1).max(maxInvoiceLines),
  })
  .superRefine((body, ctx) => {
    for (const [index, line] of body.lines.entries()) {
      if ('currency' in line && line.currency !== body.currency) {
        ctx.addIssue({ code: 'custom', path: ['lines', index, 'currency'], message: `must be ${body.currency}, the invoice's currency` });
      }
    }
    if (body.invoiceDate && body.dueDate < body.invoiceDate) {
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'must not be before invoiceDate' });
    }
  })
  .meta({ id: 'CreateInvoice' });

export const payInvoiceBody = z
  .strictObject({
    amount: minorUnits.meta({ description: "The invoice's total: payments are taken in full only (409 `partial-payment` otherwise)" }),
    currency: currency.meta({ description: "The invoice's currency (409 `currency-mismatch` otherwise)" }),
    reference: text(100).optional().meta({ description: 'The payment’s reference (bank transfer, card receipt)' }),
  })
  .meta({ id: 'PayInvoice' });

export const voidInvoiceBody = z.strictObject({ reason: text(500) }).meta({ id: 'VoidInvoice' });

const invoiceFilters = {
  status: z
    .enum(invoiceStatuses)
    .optional()
    .meta({ description: '`overdue`: issued, unpaid and past its due date; `issued`: issued and not yet due' }),
  from: calendarDate.optional().meta({ description: 'Invoice dates on or after' }),
  to: calendarDate.optional().meta({ description: 'Invoice dates on or before' }),
};

const fromNotAfterTo = (query: { from?: string | undefined; to?: string | undefined }) =>
  !query.from || !query.to || query.from <= query.to;

export const listInvoicesQuery = z
  .strictObject({ ...paging, ...invoiceFilters })
  .refine(fromNotAfterTo, { message: 'from must not be after to', path: ['from'] });

export const exportInvoicesQuery = z
  .strictObject({
    cursor: paging.cursor.meta({ description: 'From the `x-next-cursor` header of the previous part' }),
    ...invoiceFilters,
  })
  .refine(fromNotAfterTo, { message: 'from must not be after to', path: ['from'] });

const invoiceLine = z.object({
  sku: z.string().nullable(),
  description: z.string(),
  unit: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  netAmount: z.number().int().meta({ description: 'quantity × unitPrice' }),
  taxAmount: z.number().int().meta({ description: 'netAmount × taxRate, rounded half up to the minor unit' }),
});

const invoiceSummaryFields = {
  id: invoiceId,
  number: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'Given at issue: consecutive per issuing partner, without gaps; null for drafts' }),
  status: z.enum(invoiceStatuses).meta({ description: '`overdue` is derived when read: issued, unpaid, past its due date (UTC)' }),
  customerId: orgId,
  customerName: z.string().meta({ description: 'The customer’s name when the draft was made' }),
  issuerId: orgId.meta({ description: "The issuing partner: the customer's parent when the draft was made" }),
  currency,
  invoiceDate: calendarDate,
  dueDate: calendarDate,
  taxRate: z.string().meta({ description: 'Percent' }),
  subtotal: z.number().int(),
  taxTotal: z.number().int(),
  total: z.number().int(),
  lineCount: z.number().int(),
  issuedAt: timestamp.nullable(),
  paidAt: timestamp.nullable(),
  paymentReference: z.string().nullable(),
  voidedAt: timestamp.nullable(),
  voidReason: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  version: z.number().int(),
};

export const invoiceSummary = z.object(invoiceSummaryFields).meta({ id: 'InvoiceSummary', description: 'An invoice without its lines' });

export const invoice = z
  .object({ ...invoiceSummaryFields, lines: z.array(invoiceLine) })
  .meta({ id: 'Invoice', description: 'Amounts are integer minor units of the invoice’s currency' });

export const invoiceCsv = z.string().meta({
  description:
    'RFC 4180 CSV (CRLF, quoted where needed), a header row first; amounts in major units with the currency’s decimals. Cells that would start with =, +, -, @, tab or CR are prefixed with \' so spreadsheets never run them as formulas. At most 5,000 rows per response: when more match, `x-next-cursor` (and `Link: rel="next"`) names the next part',
});

export const billingHistoryQuery = z.strictObject({ ...paging });

export const billingEvent = z
  .object({
    id: id('evt'),
    at: timestamp,
    type: z.enum(billingEventTypes),
    actor: z.string().meta({ description: 'The user, impersonation session or API key that made the change; `system` for the platform' }),
    subscription: z.object({ from: z.enum(subscriptionStates).nullable(), to: z.enum(subscriptionStates) }).nullable(),
    invoice: z.object({ id: invoiceId, number: z.number().int().nullable(), total: z.number().int(), currency }).nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'BillingEvent' });

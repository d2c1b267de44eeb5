import type { InvoiceItem, InvoiceListingItem } from './invoice.entity.ts';
import type { PricedLine } from './invoice-pricing.ts';
import { type InvoiceStatus, viewStatus } from './invoice-state.ts';
import type { Currency } from './money.ts';
import { formatTaxRate } from './tax.ts';

/** An invoice as lists show it: everything but its lines. */
export interface InvoiceSummaryView {
  id: string;
  /** Null until issued. */
  number: number | null;
  status: InvoiceStatus;
  customerId: string;
  customerName: string;
  issuerId: string;
  currency: Currency;
  invoiceDate: string;
  dueDate: string;
  /** Percent, as given ("20", "8.875"). */
  taxRate: string;
  /** Minor units. */
  subtotal: number;
  taxTotal: number;
  total: number;
  lineCount: number;
  issuedAt: string | null;
  paidAt: string | null;
  paymentReference: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface InvoiceView extends InvoiceSummaryView {
  lines: PricedLine[];
}

type Summary = Omit<InvoiceListingItem, 'ledgerId'>;

/** `today` (UTC) decides whether an issued invoice shows as overdue. */
export const toInvoiceSummary = (item: Summary, today: string): InvoiceSummaryView => ({
  id: item.invoiceId,
  number: item.number ?? null,
  status: viewStatus(item.status, item.dueDate, today),
  customerId: item.customerId,
  customerName: item.customerName,
  issuerId: item.issuerId,
  currency: item.currency,
  invoiceDate: item.invoiceDate,
  dueDate: item.dueDate,
  taxRate: formatTaxRate(item.taxRatePpm),
  subtotal: item.subtotal,
  taxTotal: item.taxTotal,
  total: item.total,
  lineCount: item.lineCount,
  issuedAt: item.issuedAt ?? null,
  paidAt: item.paidAt ?? null,
  paymentReference: item.paymentReference ?? null,
  voidedAt: item.voidedAt ?? null,
  voidReason: item.voidReason ?? null,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

export const toInvoiceView = (item: InvoiceItem, today: string): InvoiceView => ({
  ...toInvoiceSummary(item, today),
  lines: item.lines.map((line) => ({
    sku: line.sku ?? null,
    description: line.description,
    unit: line.unit ?? null,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    netAmount: line.netAmount,
    taxAmount: line.taxAmount,
  })),
});

/** The summary fields of an invoice, as its listing copies hold them. */
export const summaryOf = (item: InvoiceItem): Summary => {
  const { ledgerIds: _ledgers, lines: _lines, ...summary } = item;
  return summary;
};

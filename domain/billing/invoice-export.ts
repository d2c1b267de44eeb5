import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { todayUtc } from './calendar-date.ts';
import { csvRecord } from './csv.ts';
import type { InvoiceListingItem } from './invoice.entity.ts';
import { assertLedgerOrg, type InvoiceFilters, invoiceListBinding, ledgerPage, ledgerShows } from './invoice-lists.ts';
import { viewStatus } from './invoice-state.ts';
import { formatMinorUnits } from './money.ts';
import { formatTaxRate } from './tax.ts';

/**
 * One export response holds at most this many rows (about 1.5 MB of CSV, far
 * below Lambda's 6 MB response limit) and reads at most `maxQueriesPerExport`
 * pages of the ledger (a status filter may leave most of a page out). When
 * more match, the response says where to go on: the `nextCursor` of the result
 * (the handler sends it as `x-next-cursor` and a `Link: rel="next"` header).
 */
export const maxExportRows = 5000;
const queryPageSize = 1000;
const maxQueriesPerExport = 20;

export const exportColumns = [
  'invoiceId',
  'number',
  'status',
  'customerId',
  'customerName',
  'issuerId',
  'invoiceDate',
  'dueDate',
  'currency',
  'taxRate',
  'subtotal',
  'taxTotal',
  'total',
  'issuedAt',
  'paidAt',
  'paymentReference',
  'voidedAt',
  'voidReason',
] as const;

/** One CSV row: amounts in major units with the currency's own number of decimals (JPY none, BHD three). */
const rowOf = (item: InvoiceListingItem, today: string): string =>
  csvRecord([
    item.invoiceId,
    item.number ?? null,
    viewStatus(item.status, item.dueDate, today),
    item.customerId,
    item.customerName,
    item.issuerId,
    item.invoiceDate,
    item.dueDate,
    item.currency,
    formatTaxRate(item.taxRatePpm),
    formatMinorUnits(item.subtotal, item.currency),
    formatMinorUnits(item.taxTotal, item.currency),
    formatMinorUnits(item.total, item.currency),
    item.issuedAt ?? null,
    item.paidAt ?? null,
    item.paymentReference ?? null,
    item.voidedAt ?? null,
    item.voidReason ?? null,
  ]);

export interface InvoiceExport {
  csv: string;
  rows: number;
  /** Set when more invoices match than one response holds: pass it as `?cursor=` for the next part. */
  nextCursor: string | null;
}

/**
 * The filtered invoice list of an org as CSV (header row first, RFC 4180,
 * formula-safe: csv.ts), written page by page from the same ledger Query as
 * the list, up to `maxExportRows` rows per response. Lambda proxy responses
 * are buffered, so the bound keeps each response whole and small; a larger
 * export continues from `nextCursor`, each part with its own header row.
 */
export const exportInvoices = async (
  access: AccessRequest,
  orgId: string,
  query: InvoiceFilters & { cursor?: string | undefined },
): Promise<InvoiceExport> => {
  const binding = invoiceListBinding('invoice-export', orgId, query);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const today = todayUtc();
  // The first page is read alongside the authorization round trip, and used only once allowed.
  const [{ org, grants }, first] = await Promise.all([
    authorizeOn(access, orgId),
    ledgerPage(orgId, query, today, state?.k ?? null, queryPageSize),
  ]);
  assertLedgerOrg(org);
  const shown = ledgerShows(org, grants, access.permission);
  const chunks: string[] = [csvRecord(exportColumns)];
  let rows = 0;
  let page = first;
  // Every Query asks for at most the rows still allowed, so a page never overflows the bound.
  for (let queries = 1; ; queries++) {
    const items = page.data.filter(shown);
    for (const item of items) chunks.push(rowOf(item, today));
    rows += items.length;
    if (!page.cursor) return { csv: chunks.join(''), rows, nextCursor: null };
    if (rows >= maxExportRows || queries >= maxQueriesPerExport) {
      return { csv: chunks.join(''), rows, nextCursor: encodeCursor({ k: page.cursor }, binding) };
    }
    page = await ledgerPage(orgId, query, today, page.cursor, Math.min(queryPageSize, maxExportRows - rows));
  }
};

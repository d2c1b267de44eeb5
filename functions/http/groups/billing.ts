import { listBillingHistory } from '#domain/billing/billing-events';
import { exportInvoices } from '#domain/billing/invoice-export';
import { listInvoices } from '#domain/billing/invoice-lists';
import { issueInvoice, payInvoice, voidInvoice } from '#domain/billing/invoice-transitions';
import { createInvoice, getInvoice } from '#domain/billing/invoices';
import { getPriceBook, putPriceBook } from '#domain/billing/price-book';
import { accessOf } from '../access-of.ts';
import { defineGroup } from '../group.ts';
import { created, ok, type Reply } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.billing, {
  getPriceBook: async (request) => {
    const book = await getPriceBook(accessOf(request), request.params.orgId);
    return ok(book, book.version);
  },
  putPriceBook: async (request) => {
    const book = await putPriceBook(accessOf(request), request.params.orgId, request.body.entries, request.ifMatch, request.actor);
    return ok(book, book.version);
  },
  listInvoices: async (request) => ok(await listInvoices(accessOf(request), request.params.orgId, request.query)),
  createInvoice: async (request) => {
    const invoice = await createInvoice(accessOf(request), request.params.orgId, request.body, request.actor);
    return { ...created(invoice, invoice.version), headers: { location: `/v1/invoices/${invoice.id}` } };
  },
  exportInvoices: async (request): Promise<Reply> => {
    const { orgId } = request.params;
    const result = await exportInvoices(accessOf(request), orgId, request.query);
    const next: Record<string, string> = result.nextCursor
      ? {
          'x-next-cursor': result.nextCursor,
          link: `</v1/orgs/${orgId}/invoices/export?${new URLSearchParams({ ...definedFilters(request.query), cursor: result.nextCursor })}>; rel="next"`,
        }
      : {};
    return {
      status: 200,
      text: result.csv,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="invoices-${orgId}.csv"`,
        'x-row-count': String(result.rows),
        ...next,
      },
    };
  },
  getInvoice: async (request) => {
    const invoice = await getInvoice(accessOf(request), request.params.invoiceId);
    return ok(invoice, invoice.version);
  },
  issueInvoice: async (request) => {
    const invoice = await issueInvoice(accessOf(request), request.params.invoiceId, request.ifMatch, request.actor);
    return ok(invoice, invoice.version);
  },
  payInvoice: async (request) => {
    const invoice = await payInvoice(accessOf(request), request.params.invoiceId, request.body, request.ifMatch, request.actor);
    return ok(invoice, invoice.version);
  },
  voidInvoice: async (request) => {
    const invoice = await voidInvoice(accessOf(request), request.params.invoiceId, request.body.reason, request.ifMatch, request.actor);
    return ok(invoice, invoice.version);
  },
  getBillingHistory: async (request) => ok(await listBillingHistory(accessOf(request), request.params.orgId, request.query)),
});

/** The list filters of an export request, for its `Link: rel="next"`. */
const definedFilters = (query: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => entry[0] !== 'cursor' && typeof entry[1] === 'string'),
  );

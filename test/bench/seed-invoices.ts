import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { InvoiceCounterEntity, InvoiceEntity, type InvoiceItem, InvoiceListingEntity } from '#domain/billing/invoice.entity';
import { summaryOf } from '#domain/billing/invoice-view';
import { documentClient, tableName } from '#domain/db/client';
import { systemActor, writtenBy } from '#domain/db/written-by';
import { newId } from '#domain/shared/ids';

/**
 * Seeds the invoices the billing scenarios list, written straight through the
 * entities in BatchWriteItem calls (25 items each, several in flight) instead
 * of 100,000 POSTs: each invoice as the API would have made it (the invoice,
 * its listing under its customer and under its partner; the bench's partners
 * sit right under channels, so those are its whole ledger), with a mix of
 * states, numbers per partner and invoice dates over two years. Each
 * partner's counter ends at its last number. Billing events and the
 * customers' invoice counts are left out: no listed route reads them.
 */
export interface InvoicePlan {
  /** Invoices in all, spread evenly over the customers. */
  invoices: number;
  customersByPartner: ReadonlyMap<string, readonly { id: string; name: string }[]>;
  /** BatchWriteItem calls in flight. */
  concurrency: number;
}

const actor = systemActor('bench-invoices');
const batchSize = 25;
const firstDay = Date.parse('2025-01-01T00:00:00.000Z');

const statusOf = (i: number): InvoiceItem['status'] =>
  (['paid', 'paid', 'paid', 'paid', 'issued', 'issued', 'issued', 'draft', 'draft', 'void'] as const)[i % 10] ?? 'draft';

type RawItem = Record<string, unknown>;

const writeAll = async (items: RawItem[], concurrency: number): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += batchSize;
      let requests: RawItem[] | undefined = items.slice(start, start + batchSize).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests && requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
        const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
        requests = result.UnprocessedItems?.[tableName()] as RawItem[] | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

export const seedInvoices = async (
  plan: InvoicePlan,
  log: (line: string) => void,
): Promise<{ seconds: number; firstInvoiceOf: Map<string, string> }> => {
  const started = performance.now();
  const customers = [...plan.customersByPartner].flatMap(([partnerId, list]) => list.map((customer) => ({ partnerId, ...customer })));
  if (customers.length === 0 || plan.invoices === 0) return { seconds: 0, firstInvoiceOf: new Map() };
  const perCustomer = Math.floor(plan.invoices / customers.length);
  const extra = plan.invoices % customers.length;
  const numbers = new Map<string, number>();
  const firstInvoiceOf = new Map<string, string>();
  const by = writtenBy(actor, new Date().toISOString());
  let written = 0;
  let logged = 0;
  let pending: RawItem[] = [];
  const progressEvery = Math.max(1, Math.ceil(plan.invoices / 10));
  for (const [c, customer] of customers.entries()) {
    for (let i = 0; i < perCustomer + (c < extra ? 1 : 0); i++) {
      const n = written + i;
      const status = statusOf(n);
      const numbered = status !== 'draft' && !(status === 'void' && n % 20 === 9);
      const number = numbered ? (numbers.get(customer.partnerId) ?? 0) + 1 : undefined;
      if (number !== undefined) numbers.set(customer.partnerId, number);
      const invoiceDate = new Date(firstDay + ((n * 7919) % 730) * 86_400_000).toISOString().slice(0, 10);
      const quantity = 1 + (n % 40);
      const subtotal = 1980 * quantity;
      const taxTotal = Math.round(subtotal * 0.2);
      const item: InvoiceItem = {
        invoiceId: newId('inv'),
        customerId: customer.id,
        customerName: customer.name,
        issuerId: customer.partnerId,
        currency: 'EUR',
        taxRatePpm: 200_000,
        invoiceDate,
        dueDate: new Date(Date.parse(`${invoiceDate}T00:00:00.000Z`) + 30 * 86_400_000).toISOString().slice(0, 10),
        subtotal,
        taxTotal,
        total: subtotal + taxTotal,
        lineCount: 1,
        status,
        ...(number !== undefined ? { number, issuedAt: by.at } : {}),
        ...(status === 'paid' ? { paidAt: by.at } : {}),
        ...(status === 'void' ? { voidedAt: by.at, voidReason: 'Bench' } : {}),
        createdAt: by.at,
        updatedAt: by.at,
        version: 1,
        writtenBy: by,
        ledgerIds: [customer.partnerId, customer.id],
        lines: [
          {
            sku: 'M365-BP',
            description: 'Microsoft 365 Business Premium',
            unit: 'user/month',
            quantity,
            unitPrice: 1980,
            netAmount: subtotal,
            taxAmount: taxTotal,
          },
        ],
      };
      if (!firstInvoiceOf.has(customer.partnerId)) firstInvoiceOf.set(customer.partnerId, item.invoiceId);
      pending.push(InvoiceEntity.put(item).params().Item as RawItem);
      for (const ledgerId of item.ledgerIds)
        pending.push(InvoiceListingEntity.put({ ...summaryOf(item), ledgerId }).params().Item as RawItem);
    }
    written += perCustomer + (c < extra ? 1 : 0);
    if (pending.length >= 3000 || c === customers.length - 1) {
      await writeAll(pending, plan.concurrency);
      pending = [];
    }
    if (written - logged >= progressEvery || c === customers.length - 1) {
      logged = written;
      const seconds = (performance.now() - started) / 1000;
      log(`  ${written}/${plan.invoices} invoices, ${seconds.toFixed(1)} s, ${(written / seconds).toFixed(0)}/s`);
    }
  }
  await writeAll(
    [...numbers].map(
      ([issuerId, lastNumber]) =>
        InvoiceCounterEntity.put({ issuerId, lastNumber, updatedAt: by.at, writtenBy: by }).params().Item as RawItem,
    ),
    plan.concurrency,
  );
  return { seconds: (performance.now() - started) / 1000, firstInvoiceOf };
};

import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { currencies } from './money.ts';

export const storedInvoiceStatuses = ['draft', 'issued', 'paid', 'void'] as const;

/**
 * What an invoice and each of its listing copies hold: everything but the
 * lines. Overdue is never stored: it is derived from `dueDate` when read.
 */
const summaryAttributes = {
  invoiceId: { type: 'string', required: true, readOnly: true },
  customerId: { type: 'string', required: true, readOnly: true },
  /** The customer's name when the draft was made: an invoice names its buyer as billed. */
  customerName: { type: 'string', required: true, readOnly: true },
  /** The issuing partner: the customer's parent when the draft was made. */
  issuerId: { type: 'string', required: true, readOnly: true },
  currency: { type: currencies, required: true, readOnly: true },
  /** Parts per million of the net amount (tax.ts). */
  taxRatePpm: { type: 'number', required: true, readOnly: true },
  /** Calendar dates; the invoice date chose the prices and orders the lists. */
  invoiceDate: { type: 'string', required: true, readOnly: true },
  dueDate: { type: 'string', required: true, readOnly: true },
  /** Minor units. */
  subtotal: { type: 'number', required: true, readOnly: true },
  taxTotal: { type: 'number', required: true, readOnly: true },
  total: { type: 'number', required: true, readOnly: true },
  lineCount: { type: 'number', required: true, readOnly: true },
  status: { type: storedInvoiceStatuses, required: true },
  /** Given at issue, gapless per issuer (invoice-counter), never changed after. */
  number: { type: 'number' },
  issuedAt: { type: 'string' },
  paidAt: { type: 'string' },
  paymentReference: { type: 'string' },
  voidedAt: { type: 'string' },
  voidReason: { type: 'string' },
  createdAt: { type: 'string', required: true, readOnly: true },
  updatedAt: { type: 'string', required: true },
  version: { type: 'number', required: true },
  writtenBy: writtenByAttribute,
} as const;

/**
 * An invoice, by id. Lines, amounts and dates are fixed when the draft is
 * made (no route edits them); issue, pay and void change its state alone, in
 * one transaction with its listing copies, each conditioned on the state and
 * version read.
 */
export const InvoiceEntity = new Entity(
  {
    model: { entity: 'invoice', version: '1', service },
    attributes: {
      ...summaryAttributes,
      /** The orgs whose invoice lists show it (InvoiceListingEntity below): fixed when the draft is made. */
      ledgerIds: { type: 'list', items: { type: 'string' }, required: true, readOnly: true },
      lines: {
        type: 'list',
        required: true,
        readOnly: true,
        items: {
          type: 'map',
          properties: {
            sku: { type: 'string' },
            description: { type: 'string', required: true },
            unit: { type: 'string' },
            quantity: { type: 'number', required: true },
            unitPrice: { type: 'number', required: true },
            netAmount: { type: 'number', required: true },
            taxAmount: { type: 'number', required: true },
          },
        },
      },
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['invoiceId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type InvoiceItem = EntityItem<typeof InvoiceEntity>;

/**
 * A copy of an invoice's summary in the list of one org it belongs to: its
 * customer and every partner above the customer when the draft was made
 * (fan-out on write, at most six copies under the depth bound). A customer's
 * invoices, or a partner's whole subtree's, by date, are then one Query on
 * the org's ledger partition, whatever the partner access of the customers.
 * Written and changed in the same transaction as the invoice.
 */
export const InvoiceListingEntity = new Entity(
  {
    model: { entity: 'invoiceListing', version: '1', service },
    attributes: {
      ledgerId: { type: 'string', required: true, readOnly: true },
      ...summaryAttributes,
    },
    indexes: {
      byLedger: {
        pk: { field: 'pk', composite: ['ledgerId'] },
        sk: { field: 'sk', composite: ['invoiceDate', 'invoiceId'] },
      },
    },
  },
  entityConfig,
);

export type InvoiceListingItem = EntityItem<typeof InvoiceListingEntity>;

/**
 * The last invoice number an issuing partner gave. Issuing an invoice sets
 * it to the next number in the same transaction that stamps the invoice,
 * conditioned on the number read: two concurrent issues cannot take the same
 * number, and a failed issue takes none, so numbers are gapless.
 */
export const InvoiceCounterEntity = new Entity(
  {
    model: { entity: 'invoiceCounter', version: '1', service },
    attributes: {
      issuerId: { type: 'string', required: true, readOnly: true },
      lastNumber: { type: 'number', required: true },
      updatedAt: { type: 'string', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byIssuer: {
        pk: { field: 'pk', composite: ['issuerId'] },
        sk: { field: 'sk', composite: [] },
      },
    },
  },
  entityConfig,
);

export type InvoiceCounterItem = EntityItem<typeof InvoiceCounterEntity>;

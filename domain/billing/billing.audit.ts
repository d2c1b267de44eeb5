import type { AuditDescriptor, ItemChange } from '../audit/descriptor.ts';
import { text } from '../audit/descriptor.ts';

/**
 * Invoices and price books are never deleted through the API: a removal is a
 * change from outside it, which fails its record (to the dead-letter
 * destination) so an operator sees it, rather than passing unrecorded.
 */
const neverRemoved = (what: string, change: ItemChange): void => {
  if (change.eventName === 'REMOVE') throw new Error(`A ${what} was deleted, which the API never does`);
};

/** Recorded in the chain of the customer it bills (and so in its ancestors' audit, the issuer's included). */
export const invoiceAudit: AuditDescriptor = {
  targetType: 'invoice',
  orgIdOf: (item) => text(item, 'customerId'),
  targetIdOf: (item) => text(item, 'invoiceId'),
  ignoredFields: ['createdAt'],
  actionOf: (change) => {
    neverRemoved('invoice', change);
    if (change.eventName === 'INSERT') return 'invoice.created';
    const status = change.after?.status;
    if (change.changed.includes('status')) {
      if (status === 'issued') return 'invoice.issued';
      if (status === 'paid') return 'invoice.paid';
      if (status === 'void') return 'invoice.voided';
    }
    return 'invoice.updated';
  },
};

/** Recorded in the chain of the partner whose prices it holds. */
export const priceBookAudit: AuditDescriptor = {
  targetType: 'price-book',
  orgIdOf: (item) => text(item, 'partnerId'),
  targetIdOf: (item) => text(item, 'partnerId'),
  ignoredFields: ['createdAt'],
  actionOf: (change) => {
    neverRemoved('price book', change);
    return change.eventName === 'INSERT' ? 'price_book.created' : 'price_book.updated';
  },
};

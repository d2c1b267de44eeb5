import { ConflictError } from '../shared/errors.ts';
import type { storedInvoiceStatuses } from './invoice.entity.ts';

export type StoredInvoiceStatus = (typeof storedInvoiceStatuses)[number];

/** What the API shows: the stored state, with `overdue` derived for issued invoices past their due date. */
export const invoiceStatuses = ['draft', 'issued', 'overdue', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export type InvoiceAction = 'issue' | 'pay' | 'void';

/**
 * The invoice lifecycle. A draft is issued (taking its number) or voided (it
 * never took one, so voiding leaves no gap); an issued invoice, overdue or
 * not, is paid in full or voided with a reason. Paid and void are final: a
 * paid invoice is not voided (money changed hands; that needs a credit note,
 * which this API does not issue).
 */
const transitions: Record<InvoiceAction, { from: readonly StoredInvoiceStatus[]; to: StoredInvoiceStatus }> = {
  issue: { from: ['draft'], to: 'issued' },
  pay: { from: ['issued'], to: 'paid' },
  void: { from: ['draft', 'issued'], to: 'void' },
};

export const mayInvoice = (action: InvoiceAction, from: StoredInvoiceStatus): boolean => transitions[action].from.includes(from);

/** The state an action leads to, or a 409 (`rule: invoice-state`) naming the state that refuses it. */
export const nextInvoiceStatus = (action: InvoiceAction, from: StoredInvoiceStatus): StoredInvoiceStatus => {
  if (!mayInvoice(action, from)) {
    throw new ConflictError(`A ${from} invoice cannot be ${action === 'pay' ? 'paid' : action === 'issue' ? 'issued' : 'voided'}`, {
      extensions: { rule: 'invoice-state', invoiceStatus: from },
    });
  }
  return transitions[action].to;
};

/** Overdue is derived at read time, never stored: an issued invoice whose due date (UTC) has passed. */
export const viewStatus = (stored: StoredInvoiceStatus, dueDate: string, today: string): InvoiceStatus =>
  stored === 'issued' && dueDate < today ? 'overdue' : stored;

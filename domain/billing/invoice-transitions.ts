import type { AccessRequest } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { unpaidInvoiceWrites } from '../portal/invoice-source.ts';
import { ConflictError, changedMeanwhile } from '../shared/errors.ts';
import { invoiceEvent } from './billing-events.ts';
import { todayUtc } from './calendar-date.ts';
import { InvoiceCounterEntity, type InvoiceCounterItem, InvoiceEntity, type InvoiceItem } from './invoice.entity.ts';
import { authorizeOnInvoice, invoiceNotFound } from './invoice-access.ts';
import { type InvoiceAction, nextInvoiceStatus } from './invoice-state.ts';
import { type InvoiceView, toInvoiceView } from './invoice-view.ts';
import type { Currency } from './money.ts';

type InvoiceChanges = Pick<InvoiceItem, 'status' | 'updatedAt' | 'version' | 'writtenBy'> &
  Partial<Pick<InvoiceItem, 'number' | 'issuedAt' | 'paidAt' | 'paymentReference' | 'voidedAt' | 'voidReason'>>;

/** The invoice was changed by someone else between our read and our write. */
class InvoiceMovedError extends Error {}
/** Another issue by the same partner took the number we read. */
class CounterMovedError extends Error {}

/** How often an issue re-reads the counter after losing it to a concurrent issue of the same partner. */
const maxIssueAttempts = 12;

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(attempt, 5)));

/** Why a conditioned write on the invoice failed: it moved on (409 with its state), or its version did (412 / 409). */
const explainMoved = async (invoiceId: string, action: InvoiceAction, ifMatch: number | null): Promise<Error> => {
  const { data } = await InvoiceEntity.get({ invoiceId }).go({ consistent: true });
  if (!data) return invoiceNotFound();
  try {
    nextInvoiceStatus(action, data.status);
  } catch (error) {
    return error as Error;
  }
  return changedMeanwhile('invoice', ifMatch);
};

/** How a transition moves the customer's count of unpaid invoices (the portal summary's `unpaidInvoices`). */
const unpaidDelta = (from: InvoiceItem['status'], to: InvoiceItem['status']): 1 | -1 | 0 =>
  to === 'issued' && from !== 'issued' ? 1 : from === 'issued' && to !== 'issued' ? -1 : 0;

type Entities = Parameters<Parameters<typeof db.transaction.write>[0]>[0];

/** The invoice (conditioned on the state and version read), the issuer's counter on an issue, the billing event, the listings. */
const transitionWrites = (
  { invoice: invoices, invoiceListing, invoiceCounter, billingEvent }: Entities,
  invoice: InvoiceItem,
  changes: InvoiceChanges,
  counter: { read: InvoiceCounterItem | null; next: number } | null,
  event: ReturnType<typeof invoiceEvent>,
) => [
  invoices
    .patch({ invoiceId: invoice.invoiceId })
    .set(changes)
    .where((attr, { eq }) => `${eq(attr.version, invoice.version)} AND ${eq(attr.status, invoice.status)}`)
    .commit(),
  ...(counter
    ? [
        counter.read
          ? invoiceCounter
              .patch({ issuerId: invoice.issuerId })
              .set({ lastNumber: counter.next, updatedAt: changes.updatedAt, writtenBy: changes.writtenBy })
              .where((attr, { eq }) => eq(attr.lastNumber, counter.read?.lastNumber ?? 0))
              .commit()
          : invoiceCounter
              .create({
                issuerId: invoice.issuerId,
                lastNumber: counter.next,
                updatedAt: changes.updatedAt,
                writtenBy: changes.writtenBy,
              })
              .commit(),
      ]
    : []),
  billingEvent.create(event).commit(),
  ...invoice.ledgerIds.map((ledgerId) =>
    invoiceListing.patch({ ledgerId, invoiceDate: invoice.invoiceDate, invoiceId: invoice.invoiceId }).set(changes).commit(),
  ),
];

/**
 * Writes one state change of an invoice, in one transaction: the invoice
 * (conditioned on the state and version read), the customer's billing event,
 * every listing copy, and for an issue the issuer's counter (conditioned on
 * the number read).
 */
const writeTransition = async (
  invoice: InvoiceItem,
  changes: InvoiceChanges,
  reason: string | undefined,
  counter: { read: InvoiceCounterItem | null; next: number } | null,
): Promise<void> => {
  const eventType = changes.status === 'issued' ? 'invoice.issued' : changes.status === 'paid' ? 'invoice.paid' : 'invoice.voided';
  const event = invoiceEvent(eventType, { ...invoice, ...changes }, changes.writtenBy, reason);
  await transact(
    () =>
      db.transaction
        .write((entities) => [
          ...transitionWrites(entities, invoice, changes, counter, event),
          // The client portal's summary counts the customer's unpaid invoices: issued ones, until paid or voided.
          ...unpaidInvoiceWrites(entities, invoice.customerId, unpaidDelta(invoice.status, changes.status), changes.writtenBy),
        ])
        .go(),
    (index) =>
      index === 0
        ? new InvoiceMovedError()
        : counter && index === 1
          ? new CounterMovedError()
          : new ConflictError('The invoice’s listings are out of step; try again'),
  );
};

const stamp = (invoice: InvoiceItem, action: InvoiceAction, actor: Actor, now: Date) => {
  const at = now.toISOString();
  return {
    status: nextInvoiceStatus(action, invoice.status),
    updatedAt: at,
    version: invoice.version + 1,
    writtenBy: writtenBy(actor, at),
  };
};

/** Re-raises the marker errors as what the client should hear. */
const settle = async (invoiceId: string, action: InvoiceAction, ifMatch: number | null, error: unknown): Promise<never> => {
  if (error instanceof InvoiceMovedError) throw await explainMoved(invoiceId, action, ifMatch);
  throw error;
};

/**
 * Issues a draft: it takes the issuing partner's next invoice number, gapless
 * (the counter moves in the same transaction, conditioned on the number read;
 * a concurrent issue of the same partner makes this one read the counter
 * again and take the next), and is immutable from then on. Needs
 * `billing:write` on the issuer. Three round trips: the invoice and grants,
 * the parties and the counter, the transaction.
 */
export const issueInvoice = async (
  access: AccessRequest,
  invoiceId: string,
  ifMatch: number | null,
  actor: Actor,
): Promise<InvoiceView> => {
  const readCounter = (issuerId: string) =>
    InvoiceCounterEntity.get({ issuerId })
      .go({ consistent: true })
      .then((result) => result.data);
  const authorized = await authorizeOnInvoice(access, invoiceId, (invoice) => readCounter(invoice.issuerId));
  const { invoice } = authorized;
  assertVersion(invoice.version, ifMatch);
  nextInvoiceStatus('issue', invoice.status);
  let counter = authorized.also;
  for (let attempt = 0; ; attempt++) {
    const now = new Date();
    const next = (counter?.lastNumber ?? 0) + 1;
    const changes: InvoiceChanges = { ...stamp(invoice, 'issue', actor, now), number: next, issuedAt: now.toISOString() };
    try {
      await writeTransition(invoice, changes, undefined, { read: counter, next });
      return toInvoiceView({ ...invoice, ...changes }, todayUtc(now));
    } catch (error) {
      if (!(error instanceof CounterMovedError)) return settle(invoiceId, 'issue', ifMatch, error);
      if (attempt + 1 >= maxIssueAttempts) throw new ConflictError('Many invoices of this partner are being issued at once; try again');
      await backoff(attempt);
      counter = await readCounter(invoice.issuerId);
    }
  }
};

export interface Payment {
  /** Minor units: must be the invoice's total (payments are in full). */
  amount: number;
  currency: Currency;
  reference?: string | undefined;
}

/**
 * Records the full payment of an issued invoice (overdue or not). Partial
 * payments are not taken: the amount must be the invoice's total and in its
 * currency (409 `partial-payment`, `currency-mismatch`), so an invoice is
 * either open or settled and a payment is never booked against the wrong one.
 */
export const payInvoice = async (
  access: AccessRequest,
  invoiceId: string,
  payment: Payment,
  ifMatch: number | null,
  actor: Actor,
): Promise<InvoiceView> => {
  const { invoice } = await authorizeOnInvoice(access, invoiceId);
  assertVersion(invoice.version, ifMatch);
  const now = new Date();
  const base = stamp(invoice, 'pay', actor, now);
  if (payment.currency !== invoice.currency) {
    throw new ConflictError(`The invoice is in ${invoice.currency}, the payment in ${payment.currency}`, {
      extensions: { rule: 'currency-mismatch' },
    });
  }
  if (payment.amount !== invoice.total) {
    throw new ConflictError(`Payments are made in full: ${invoice.total} minor units, not ${payment.amount}`, {
      extensions: { rule: 'partial-payment', total: invoice.total },
    });
  }
  const changes: InvoiceChanges = {
    ...base,
    paidAt: now.toISOString(),
    ...(payment.reference ? { paymentReference: payment.reference } : {}),
  };
  try {
    await writeTransition(invoice, changes, undefined, null);
  } catch (error) {
    return settle(invoiceId, 'pay', ifMatch, error);
  }
  return toInvoiceView({ ...invoice, ...changes }, todayUtc(now));
};

/**
 * Voids a draft or an issued invoice (overdue or not) with a reason. An
 * issued invoice keeps its number (the sequence stays gapless; the number is
 * never reused); a paid one cannot be voided (409 `invoice-state`).
 */
export const voidInvoice = async (
  access: AccessRequest,
  invoiceId: string,
  reason: string,
  ifMatch: number | null,
  actor: Actor,
): Promise<InvoiceView> => {
  const { invoice } = await authorizeOnInvoice(access, invoiceId);
  assertVersion(invoice.version, ifMatch);
  const now = new Date();
  const changes: InvoiceChanges = { ...stamp(invoice, 'void', actor, now), voidedAt: now.toISOString(), voidReason: reason };
  try {
    await writeTransition(invoice, changes, reason, null);
  } catch (error) {
    return settle(invoiceId, 'void', ifMatch, error);
  }
  return toInvoiceView({ ...invoice, ...changes }, todayUtc(now));
};

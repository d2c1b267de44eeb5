import type { AccessRequest } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { loadCallerGrants } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { authorizeOnItem, authorizePortal, portalRoleRefusal } from './authorize-portal.ts';
import { holdsAny } from './client-permissions.ts';
import { createForCustomer } from './customer-item-create.ts';
import { QuoteEntity, type QuoteItem, type QuoteStatus } from './quote.entity.ts';
import { summaryWrites } from './summary-counters.ts';
import { customersOnly } from './tickets.ts';

export interface QuoteLine {
  description: string;
  quantity: number;
  /** Integer minor units of the quote's currency. */
  unitAmount: number;
}

export interface QuoteView {
  id: string;
  customerId: string;
  title: string;
  currency: string;
  lines: QuoteLine[];
  total: number;
  validUntil: string | null;
  status: QuoteStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const toView = (item: QuoteItem): QuoteView => ({
  id: item.quoteId,
  customerId: item.customerId,
  title: item.title,
  currency: item.currency,
  lines: item.lines.map((line) => ({ description: line.description, quantity: line.quantity, unitAmount: line.unitAmount })),
  total: item.total,
  validUntil: item.validUntil ?? null,
  status: item.status,
  decidedBy: item.decidedBy ?? null,
  decidedAt: item.decidedAt ?? null,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

const quoteNotFound = (quoteId: string) => new NotFoundError(`Quote ${quoteId} was not found`);

/** A customer's quotes, newest first: one Query per page alongside the authorization round (MSP side, or `view-quotes-invoices`). */
export const listQuotes = async (
  access: AccessRequest,
  customerId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<QuoteView>> => {
  const binding = JSON.stringify(['quotes', customerId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [, page] = await Promise.all([
    authorizePortal(access, customerId, ['view-quotes-invoices']),
    QuoteEntity.query.quotesOfCustomer({ customerId }).go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  return { items: page.data.map(toView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewQuote {
  title: string;
  currency: string;
  lines: QuoteLine[];
  validUntil?: string | undefined;
}

/** Sends a customer a quote (the MSP side only); its total is the sum of its lines, in minor units. */
export const createQuote = async (access: AccessRequest, customerId: string, input: NewQuote, actor: Actor): Promise<QuoteView> => {
  const portal = await authorizePortal(access, customerId, []);
  if (portal.org?.kind !== 'customer') throw customersOnly('Quotes');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const item: QuoteItem = {
    quoteId: newId('quo'),
    customerId,
    title: input.title,
    currency: input.currency,
    lines: input.lines,
    total: input.lines.reduce((sum, line) => sum + line.quantity * line.unitAmount, 0),
    ...(input.validUntil !== undefined ? { validUntil: new Date(input.validUntil).toISOString() } : {}),
    status: 'open',
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await createForCustomer(
    customerId,
    (tx) => tx.quote.create(item).commit(),
    { quotesOpen: 1 },
    by,
    'The quote could not be created; try again',
  );
  return toView(item);
};

const decided = (status: QuoteStatus) =>
  new ConflictError(`The quote was already ${status}: a decided quote never changes`, { extensions: { rule: 'quote-decided' } });

/**
 * An approver's decision on an open quote: once, and only by a requester of
 * the customer whose role carries `approve-quotes` (the MSP does not accept
 * its own quote). One round when the caller is such an approver: the quote
 * and its grants in parallel. A quote past `validUntil` can only be declined.
 */
export const decideQuote = async (
  access: AccessRequest,
  quoteId: string,
  decision: 'accepted' | 'declined',
  actor: Actor,
): Promise<QuoteView> => {
  const [found, held] = await Promise.all([QuoteEntity.get({ quoteId }).go(), loadCallerGrants(access.caller)]);
  const quote = found.data;
  if (!quote) throw quoteNotFound(quoteId);
  const approvalRefused = () => portalRoleRefusal('Only the customer’s approvers accept or decline its quotes', 'approvers-only');
  const portal = await authorizeOnItem(
    access,
    quote.customerId,
    held,
    (requester) =>
      holdsAny(requester.permissions, ['approve-quotes'])
        ? { verdict: 'allowed' }
        : holdsAny(requester.permissions, ['view-quotes-invoices'])
          ? { verdict: 'forbidden', error: approvalRefused() }
          : { verdict: 'hidden' },
    () => quoteNotFound(quoteId),
  );
  if (portal.side !== 'client') throw approvalRefused();
  if (quote.status !== 'open') throw decided(quote.status);
  const now = new Date().toISOString();
  if (decision === 'accepted' && quote.validUntil && quote.validUntil <= now) {
    throw new ConflictError('The quote is no longer valid: it can be declined, or the MSP may send a new one', {
      extensions: { rule: 'quote-expired' },
    });
  }
  const by = writtenBy(actor, now);
  const next: QuoteItem = {
    ...quote,
    status: decision,
    decidedBy: access.caller.principalId,
    decidedAt: now,
    updatedAt: now,
    version: quote.version + 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write((tx) => [
          tx.quote
            .patch({ quoteId })
            .set({ status: decision, decidedBy: next.decidedBy, decidedAt: now, updatedAt: now, version: next.version, writtenBy: by })
            .where((attr, { eq }) => eq(attr.status, 'open'))
            .commit(),
          ...summaryWrites(tx, quote.customerId, { quotesOpen: -1 }, by),
        ])
        .go(),
    () => new ConflictError('The quote was decided at the same moment by someone else', { extensions: { rule: 'quote-decided' } }),
  );
  return toView(next);
};

import type { AccessRequest } from '../access/authorize.ts';
import type { Actor, Caller } from '../access/caller.ts';
import type { Permission } from '../access/permissions.ts';
import { dateOf } from '../billing/calendar-date.ts';
import { issueInvoice, payInvoice, voidInvoice } from '../billing/invoice-transitions.ts';
import { createInvoice, getInvoice, type NewInvoice } from '../billing/invoices.ts';
import { getPriceBook, putPriceBook } from '../billing/price-book.ts';
import type { PriceBookEntry } from '../billing/price-book-rules.ts';
import { getOrg, updateOrg } from '../orgs/orgs.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';

/** Contoso's agreed prices, in force since 2020 so every demo invoice date finds them. */
export const demoPriceBook: PriceBookEntry[] = [
  {
    sku: 'M365-BP',
    name: 'Microsoft 365 Business Premium',
    unit: 'user/month',
    unitPrice: 1980,
    currency: 'EUR',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
  },
  {
    sku: 'M365-BP',
    name: 'Microsoft 365 Business Premium',
    unit: 'user/month',
    unitPrice: 2200,
    currency: 'USD',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
  },
  {
    sku: 'BACKUP',
    name: 'Cloud backup',
    unit: 'device/month',
    unitPrice: 500,
    currency: 'EUR',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
  },
  {
    sku: 'EDR',
    name: 'Endpoint detection and response',
    unit: 'device/month',
    unitPrice: 350,
    currency: 'EUR',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
  },
];

/** The demo invoices by fixed id, and what becomes of each: Contoso numbers them 1, 2, 3 as it issues them. */
export const demoInvoices = {
  alpinePaid: 'inv_demoalpinepaid',
  alpineIssued: 'inv_demoalpineissued',
  alpineDraft: 'inv_demoalpinedraft',
  blueyOverdue: 'inv_demoblueyoverdue',
  cohoVoid: 'inv_democohovoid',
} as const;

const daysFrom = (now: Date, days: number) => dateOf(new Date(now.getTime() + days * 86_400_000));

/** Seeding twice (a kept DATA_DIR) finds its invoices already made, issued, paid: false then. */
const once = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return false;
  }
};

/**
 * Contoso's price book (as the platform above it sets it), Blue Yonder's
 * subscription moved on, and a few invoices in every state: Alpine paid,
 * issued and draft, Blue Yonder overdue, Coho voided. Dates are relative to
 * the first seeding, so the overdue one is overdue and the issued one is not.
 */
export const seedDemoBilling = async (platformAdmin: Caller, actor: Actor, now: Date = new Date()): Promise<void> => {
  const as = (permission: Permission): AccessRequest => ({ caller: platformAdmin, permission });
  const book = await getPriceBook(as('price-book:read'), 'org_contoso');
  if (book.version === 0) await putPriceBook(as('price-book:write'), 'org_contoso', demoPriceBook, 0, actor);
  // Blue Yonder's subscription went active, then past due with its overdue invoice (Alpine's stays as created: trial).
  const bluey = await getOrg(as('org:read'), 'org_bluey');
  if (bluey.subscription?.state === 'trial')
    await updateOrg(as('billing:write'), 'org_bluey', { subscriptionState: 'active' }, null, actor);

  const draft = async (invoiceId: string, customerId: string, input: NewInvoice) => {
    const exists = await getInvoice(as('billing:read'), invoiceId).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NotFoundError) return false;
        throw error;
      },
    );
    if (!exists) await createInvoice(as('billing:write'), customerId, input, actor, { invoiceId });
  };
  const recent = { currency: 'EUR' as const, taxRate: '20', invoiceDate: daysFrom(now, -40), dueDate: daysFrom(now, -10) };
  await draft(demoInvoices.alpinePaid, 'org_alpine', {
    ...recent,
    lines: [
      { sku: 'M365-BP', quantity: 12 },
      { sku: 'BACKUP', quantity: 12 },
    ],
  });
  await draft(demoInvoices.alpineIssued, 'org_alpine', {
    ...recent,
    invoiceDate: daysFrom(now, -5),
    dueDate: daysFrom(now, 25),
    lines: [
      { sku: 'M365-BP', quantity: 12 },
      { description: 'Onsite visit, 3 hours', quantity: 3, unitPrice: 9500, currency: 'EUR' },
    ],
  });
  await draft(demoInvoices.alpineDraft, 'org_alpine', {
    ...recent,
    invoiceDate: daysFrom(now, 0),
    dueDate: daysFrom(now, 30),
    lines: [{ sku: 'EDR', quantity: 12 }],
  });
  await draft(demoInvoices.blueyOverdue, 'org_bluey', {
    ...recent,
    invoiceDate: daysFrom(now, -70),
    dueDate: daysFrom(now, -40),
    lines: [{ sku: 'M365-BP', quantity: 40 }],
  });
  await draft(demoInvoices.cohoVoid, 'org_coho', { ...recent, lines: [{ sku: 'BACKUP', quantity: 5 }] });

  const writing = as('billing:write');
  await once(() => issueInvoice(writing, demoInvoices.alpinePaid, null, actor));
  await once(async () => {
    const paid = await getInvoice(as('billing:read'), demoInvoices.alpinePaid);
    await payInvoice(writing, paid.id, { amount: paid.total, currency: paid.currency, reference: 'SEPA demo-0001' }, null, actor);
  });
  await once(() => issueInvoice(writing, demoInvoices.alpineIssued, null, actor));
  const blueyIssued = await once(() => issueInvoice(writing, demoInvoices.blueyOverdue, null, actor));
  await once(() => voidInvoice(writing, demoInvoices.cohoVoid, 'Raised against the wrong customer', null, actor));
  if (blueyIssued) await updateOrg(as('billing:write'), 'org_bluey', { subscriptionState: 'past_due' }, null, actor);
};

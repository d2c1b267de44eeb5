import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#infra/local/runtime';
import { parseCsv } from '../support/csv-parse.ts';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { type Client, expectJson, expectProblem, type Org, type Page } from './support/http.ts';

/**
 * Billing over real HTTP on the demo hierarchy: Contoso's price book and
 * invoices as seeded (domain/bootstrap/demo-billing.ts), driven by the
 * people who keep the books (Contoso's billing admin), set prices (the
 * channel admin), read their own (Alpine's customer admin) or must see none
 * of it (the technician, a competitor).
 */

interface PriceBook {
  partnerId: string;
  entries: { sku: string; unitPrice: number; currency: string; effectiveFrom: string; effectiveTo: string | null }[];
  version: number;
}
interface Invoice {
  id: string;
  number: number | null;
  status: string;
  customerId: string;
  customerName: string;
  issuerId: string;
  currency: string;
  total: number;
  subtotal: number;
  taxTotal: number;
  lines: { sku: string | null; unitPrice: number; netAmount: number; taxAmount: number }[];
  version: number;
}
interface BillingEvent {
  type: string;
  invoice: { id: string; number: number | null } | null;
  subscription: { from: string | null; to: string } | null;
}

const seeded = {
  alpinePaid: 'inv_demoalpinepaid',
  alpineIssued: 'inv_demoalpineissued',
  alpineDraft: 'inv_demoalpinedraft',
  blueyOverdue: 'inv_demoblueyoverdue',
  cohoVoid: 'inv_democohovoid',
};

let runtime: LocalRuntime;
let billing: Client;
let partnerAdmin: Client;
let channelAdmin: Client;
let technician: Client;
let customerAdmin: Client;
let competitor: Client;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [billing, partnerAdmin, channelAdmin, technician, customerAdmin, competitor] = await Promise.all([
    signIn(runtime, 'billing@contoso.test'),
    signIn(runtime, demoUser.partnerAdmin),
    signIn(runtime, 'channel.admin@northwind.test'),
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.customerAdmin),
    signIn(runtime, demoUser.otherPartnerAdmin),
  ]);
});
afterAll(async () => {
  await runtime?.stop();
});

const orgPath = (orgId: string, rest = '') => `/v1/orgs/${orgId}${rest}`;
const invoicePath = (id: string, rest = '') => `/v1/invoices/${id}${rest}`;
const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
const draftFor = (lines: unknown[] = [{ sku: 'M365-BP', quantity: 5 }]) => ({
  currency: 'EUR',
  taxRate: '20',
  dueDate: '2099-12-31',
  lines,
});

describe('the price book', () => {
  it('is read by Contoso’s admins and billing admin, with its version as ETag', async () => {
    const reply = await billing.get<PriceBook>(orgPath(demoOrg.contoso, '/price-book'));

    const book = expectJson(reply, 200);
    expect(book.partnerId).toBe(demoOrg.contoso);
    expect(book.entries.map((entry) => `${entry.sku} ${entry.currency}`)).toEqual(['M365-BP EUR', 'M365-BP USD', 'BACKUP EUR', 'EDR EUR']);
    expect(reply.headers.get('etag')).toBe(`"${book.version}"`);
    expect(expectJson(await partnerAdmin.get<PriceBook>(orgPath(demoOrg.contoso, '/price-book')), 200)).toEqual(book);
  });

  it('is set by the channel admin with If-Match; Contoso’s own admin may not (403), a stale ETag is 412', async () => {
    const current = expectJson(await channelAdmin.get<PriceBook>(orgPath(demoOrg.contoso, '/price-book')), 200);
    const entries = [
      ...current.entries,
      { sku: 'SOC', name: 'Managed SOC', unit: 'site/month', unitPrice: 49900, currency: 'EUR', effectiveFrom: '2026-01-01' },
    ];

    const byPartner = await partnerAdmin.put(
      orgPath(demoOrg.contoso, '/price-book'),
      { entries },
      { headers: { 'if-match': `"${current.version}"` } },
    );
    const set = await channelAdmin.put<PriceBook>(
      orgPath(demoOrg.contoso, '/price-book'),
      { entries },
      { headers: { 'if-match': `"${current.version}"` } },
    );
    const stale = await channelAdmin.put(
      orgPath(demoOrg.contoso, '/price-book'),
      { entries },
      { headers: { 'if-match': `"${current.version}"` } },
    );

    expectProblem(byPartner, 403, 'forbidden');
    expect(expectJson(set, 200)).toMatchObject({ version: current.version + 1 });
    expect(set.body.entries.at(-1)).toEqual({
      sku: 'SOC',
      name: 'Managed SOC',
      unit: 'site/month',
      unitPrice: 49900,
      currency: 'EUR',
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
    });
    expectProblem(stale, 412, 'precondition-failed');
  });

  it('refuses an overlapping period field by field, and is none of the technician’s or a competitor’s business', async () => {
    const overlapping = [
      { sku: 'X', name: 'X', unit: 'each', unitPrice: 1, currency: 'EUR', effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31' },
      { sku: 'X', name: 'X', unit: 'each', unitPrice: 2, currency: 'EUR', effectiveFrom: '2026-12-31' },
    ];

    const problem = expectProblem(
      await channelAdmin.put(orgPath(demoOrg.contoso, '/price-book'), { entries: overlapping }),
      400,
      'validation-error',
    );

    expect(problem.errors).toEqual([{ path: 'body.entries.1.effectiveFrom', message: 'overlaps entries.0: one X price in EUR per day' }]);
    expectProblem(await technician.get(orgPath(demoOrg.contoso, '/price-book')), 403, 'forbidden');
    expectProblem(await competitor.get(orgPath(demoOrg.contoso, '/price-book')), 404, 'not-found');
    expect(expectProblem(await channelAdmin.get(orgPath(demoOrg.alpine, '/price-book')), 409, 'conflict').rule).toBe('partners-only');
  });
});

describe('as Contoso’s billing admin', () => {
  let invoice: Invoice;

  it('sees the seeded invoices of its whole subtree, newest first, each state as seeded', async () => {
    const page = expectJson(await billing.get<Page<Invoice>>(orgPath(demoOrg.contoso, '/invoices'), { query: { limit: 100 } }), 200);
    const statusOf = (id: string) => page.items.find((item) => item.id === id)?.status;

    expect(ids(page.items)).toEqual(expect.arrayContaining(Object.values(seeded)));
    expect([statusOf(seeded.alpinePaid), statusOf(seeded.alpineIssued), statusOf(seeded.alpineDraft)]).toEqual(['paid', 'issued', 'draft']);
    expect([statusOf(seeded.blueyOverdue), statusOf(seeded.cohoVoid)]).toEqual(['overdue', 'void']);
    const overdue = expectJson(
      await billing.get<Page<Invoice>>(orgPath(demoOrg.contoso, '/invoices'), { query: { status: 'overdue' } }),
      200,
    );
    expect(ids(overdue.items)).toEqual([seeded.blueyOverdue]);
  });

  it('makes a draft for Coho (201, Location, ETag); a repeat under the same Idempotency-Key makes nothing new', async () => {
    const options = { headers: { 'idempotency-key': 'billing-e2e-draft' } };
    const reply = await billing.post<Invoice>(
      orgPath(demoOrg.coho, '/invoices'),
      draftFor([
        { sku: 'M365-BP', quantity: 5 },
        { sku: 'EDR', quantity: 5 },
      ]),
      options,
    );
    const again = await billing.post<Invoice>(
      orgPath(demoOrg.coho, '/invoices'),
      draftFor([
        { sku: 'M365-BP', quantity: 5 },
        { sku: 'EDR', quantity: 5 },
      ]),
      options,
    );

    invoice = expectJson(reply, 201);
    expect(invoice).toMatchObject({
      status: 'draft',
      number: null,
      customerId: demoOrg.coho,
      issuerId: demoOrg.contoso,
      subtotal: 9900 + 1750,
      taxTotal: 1980 + 350,
      total: 13980,
    });
    expect(reply.headers.get('location')).toBe(`/v1/invoices/${invoice.id}`);
    expect(reply.headers.get('etag')).toBe('"1"');
    expect(expectJson(again, 201)).toEqual(invoice);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('issues it with the next number, refuses to issue it twice, and takes its payment in full only', async () => {
    const issued = expectJson(
      await billing.post<Invoice>(invoicePath(invoice.id, '/issue'), undefined, { headers: { 'if-match': '"1"' } }),
      200,
    );
    const twice = await billing.post(invoicePath(invoice.id, '/issue'));
    const partial = await billing.post(invoicePath(invoice.id, '/pay'), { amount: issued.total - 1, currency: 'EUR' });
    const otherCurrency = await billing.post(invoicePath(invoice.id, '/pay'), { amount: issued.total, currency: 'USD' });
    const paid = await billing.post<Invoice>(invoicePath(invoice.id, '/pay'), {
      amount: issued.total,
      currency: 'EUR',
      reference: 'BANK-77',
    });

    expect(issued).toMatchObject({ status: 'issued', number: expect.any(Number), version: 2 });
    expect(issued.number).toBeGreaterThanOrEqual(4);
    expect(expectProblem(twice, 409, 'conflict')).toMatchObject({ rule: 'invoice-state', invoiceStatus: 'issued' });
    expect(expectProblem(partial, 409, 'conflict').rule).toBe('partial-payment');
    expect(expectProblem(otherCurrency, 409, 'conflict').rule).toBe('currency-mismatch');
    expect(expectJson(paid, 200)).toMatchObject({ status: 'paid', number: issued.number, version: 3 });
    expect(paid.headers.get('etag')).toBe('"3"');
    expect(expectProblem(await billing.post(invoicePath(invoice.id, '/void'), { reason: 'Too late' }), 409, 'conflict').rule).toBe(
      'invoice-state',
    );
  });

  it('reads Coho’s billing history: the new invoice’s events, newest first', async () => {
    const history = expectJson(await billing.get<Page<BillingEvent>>(orgPath(demoOrg.coho, '/billing-history')), 200);

    expect(history.items.slice(0, 3).map((event) => `${event.type} ${event.invoice?.id}`)).toEqual([
      `invoice.paid ${invoice.id}`,
      `invoice.issued ${invoice.id}`,
      `invoice.created ${invoice.id}`,
    ]);
    expect(history.items.map((event) => event.type)).toContain('invoice.voided');
  });

  it('reads Blue Yonder’s billing history: its subscription going active, then past due after its overdue invoice', async () => {
    const history = expectJson(await billing.get<Page<BillingEvent>>(orgPath(demoOrg.bluey, '/billing-history')), 200);
    const seededEvents = history.items.filter((event) => event.subscription || event.invoice?.id === seeded.blueyOverdue);

    expect(seededEvents.map((event) => [event.type, event.subscription])).toEqual([
      ['subscription.changed', { from: 'active', to: 'past_due' }],
      ['invoice.issued', null],
      ['invoice.created', null],
      ['subscription.changed', { from: 'trial', to: 'active' }],
    ]);
  });

  it('issues two drafts at once: distinct consecutive numbers', async () => {
    const [a, b] = await Promise.all([
      billing.post<Invoice>(orgPath(demoOrg.bluey, '/invoices'), draftFor()),
      billing.post<Invoice>(orgPath(demoOrg.bluey, '/invoices'), draftFor()),
    ]);
    const [first, second] = await Promise.all([
      billing.post<Invoice>(invoicePath(a.body.id, '/issue')),
      billing.post<Invoice>(invoicePath(b.body.id, '/issue')),
    ]);

    const numbers = [expectJson(first, 200).number ?? 0, expectJson(second, 200).number ?? 0].sort((x, y) => x - y);
    expect(numbers[1]).toBe((numbers[0] ?? 0) + 1);
  });

  it('exports the list as CSV: a header row, RFC 4180 quoting, formula-safe cells, amounts in major units', async () => {
    const customer = expectJson(
      await partnerAdmin.post<Org>(orgPath(demoOrg.contoso, '/children'), {
        kind: 'customer',
        name: '=HYPERLINK("http://x.test","Click"), Inc',
      }),
      201,
    );
    const made = expectJson(
      await billing.post<Invoice>(orgPath(customer.id, '/invoices'), draftFor([{ sku: 'BACKUP', quantity: 3 }])),
      201,
    );
    await billing.post(invoicePath(made.id, '/void'), { reason: '@SUM(1+1), "oops"' });

    const reply = await billing.get(orgPath(demoOrg.contoso, '/invoices/export'), { query: { status: 'void' } });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="invoices-${demoOrg.contoso}.csv"`);
    expect(reply.headers.get('x-next-cursor')).toBeNull();
    const [header, ...rows] = parseCsv(reply.text);
    expect(header?.slice(0, 6)).toEqual(['invoiceId', 'number', 'status', 'customerId', 'customerName', 'issuerId']);
    expect(rows.map((row) => row[0])).toEqual(expect.arrayContaining([made.id, seeded.cohoVoid]));
    expect(rows.every((row) => row[2] === 'void')).toBe(true);
    const row = Object.fromEntries((header ?? []).map((column, index) => [column, rows.find((r) => r[0] === made.id)?.[index]]));
    expect(row).toMatchObject({
      customerName: `'=HYPERLINK("http://x.test","Click"), Inc`,
      voidReason: `'@SUM(1+1), "oops"`,
      currency: 'EUR',
      subtotal: '15.00',
      taxTotal: '3.00',
      total: '18.00',
      taxRate: '20',
    });
    expect(Number(reply.headers.get('x-row-count'))).toBe(rows.length);
  });
});

describe('who else sees what', () => {
  it('Alpine’s customer admin reads Alpine’s invoices and history, not Blue Yonder’s (404), and changes none (403)', async () => {
    const own = expectJson(await customerAdmin.get<Page<Invoice>>(orgPath(demoOrg.alpine, '/invoices')), 200);
    const one = expectJson(await customerAdmin.get<Invoice>(invoicePath(seeded.alpineIssued)), 200);
    const history = expectJson(await customerAdmin.get<Page<BillingEvent>>(orgPath(demoOrg.alpine, '/billing-history')), 200);

    expect(ids(own.items).sort()).toEqual([seeded.alpineDraft, seeded.alpineIssued, seeded.alpinePaid].sort());
    expect(one.lines.map((line) => line.sku)).toEqual(['M365-BP', null]);
    expect(history.items.map((event) => event.type)).toEqual([
      'invoice.issued',
      'invoice.paid',
      'invoice.issued',
      'invoice.created',
      'invoice.created',
      'invoice.created',
    ]);
    expectProblem(await customerAdmin.get(invoicePath(seeded.blueyOverdue)), 404, 'not-found');
    expectProblem(await customerAdmin.get(orgPath(demoOrg.bluey, '/invoices')), 404, 'not-found');
    expectProblem(await customerAdmin.post(invoicePath(seeded.alpineDraft, '/issue')), 403, 'forbidden');
    expectProblem(await customerAdmin.post(orgPath(demoOrg.alpine, '/invoices'), draftFor()), 403, 'forbidden');
  });

  it('the technician sees none of it: 403 on every billing read', async () => {
    expectProblem(await technician.get(orgPath(demoOrg.contoso, '/invoices')), 403, 'forbidden');
    expectProblem(await technician.get(orgPath(demoOrg.contoso, '/invoices/export')), 403, 'forbidden');
    expectProblem(await technician.get(invoicePath(seeded.alpinePaid)), 403, 'forbidden');
    expectProblem(await technician.get(orgPath(demoOrg.alpine, '/billing-history')), 403, 'forbidden');
  });

  it('a competitor gets 404 on every /v1/invoices/{id} route, the same as for an invoice that does not exist', async () => {
    const missing = await competitor.get(invoicePath('inv_doesnotexist'));
    const routes: [string, string, unknown][] = [
      ['GET', '', undefined],
      ['POST', '/issue', undefined],
      ['POST', '/pay', { amount: 1, currency: 'EUR' }],
      ['POST', '/void', { reason: 'mine now' }],
    ];

    for (const [method, rest, body] of routes) {
      const reply = await competitor.request(method, invoicePath(seeded.alpineDraft, rest), body === undefined ? {} : { body });
      expect(expectProblem(reply, 404, 'not-found').detail).toBe('The invoice was not found');
      expect(reply.text).toBe(missing.text);
    }
    expectProblem(await competitor.get(orgPath(demoOrg.contoso, '/invoices/export')), 404, 'not-found');
  });

  it('Contoso keeps billing a customer that switched partner access off; its technician is stopped with partner-access-off', async () => {
    const customer = expectJson(
      await partnerAdmin.post<Org>(orgPath(demoOrg.contoso, '/children'), { kind: 'customer', name: 'Private Ltd' }),
      201,
    );
    expectJson(
      await partnerAdmin.post(orgPath(customer.id, '/members'), { email: 'owner@private.test', role: 'customer-admin', builtIn: true }),
      201,
    );
    const owner = await signIn(runtime, 'owner@private.test');
    expectJson(await owner.put(orgPath(customer.id, '/partner-access'), { enabled: false }), 200);

    const made = expectJson(await billing.post<Invoice>(orgPath(customer.id, '/invoices'), draftFor()), 201);
    const issued = expectJson(await billing.post<Invoice>(invoicePath(made.id, '/issue')), 200);
    const listed = expectJson(await billing.get<Page<Invoice>>(orgPath(demoOrg.contoso, '/invoices'), { query: { limit: 100 } }), 200);

    expect(issued.status).toBe('issued');
    expect(ids(listed.items)).toContain(made.id);
    expect(ids(expectJson(await owner.get<Page<Invoice>>(orgPath(customer.id, '/invoices')), 200).items)).toEqual([made.id]);
    expectProblem(await technician.get(orgPath(customer.id, '/invoices')), 403, 'partner-access-off');
    expectProblem(await technician.get(invoicePath(made.id)), 403, 'partner-access-off');
  });

  it('a list page costs the ledger Query beside the two authorization reads', async () => {
    const reply = await billing.get(orgPath(demoOrg.contoso, '/invoices'), { query: { limit: 5 } });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-dynamodb-calls')).toBe('3');
  });
});

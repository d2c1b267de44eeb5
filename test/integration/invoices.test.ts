import { beforeAll, describe, expect, it } from 'vitest';
import { listBillingHistory } from '#domain/billing/billing-events';
import { listInvoices } from '#domain/billing/invoice-lists';
import { issueInvoice, payInvoice, voidInvoice } from '#domain/billing/invoice-transitions';
import { createInvoice, getInvoice } from '#domain/billing/invoices';
import { countCalls } from '#domain/db/call-counter';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { moveOrg } from '#domain/orgs/move';
import { deleteOrg, updateOrg } from '#domain/orgs/orgs';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PartnerAccessOffError,
  PreconditionFailedError,
  ValidationError,
} from '#domain/shared/errors';
import { draft, makeInvoice, setPriceBook } from './support/billing-fixture.ts';
import { actor, as, createOrg, member, smallHierarchy } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
  await Promise.all([
    setPriceBook(world.admin, world.partnerA.id),
    setPriceBook(world.admin, world.subA.id),
    setPriceBook(world.admin, world.partnerB.id),
  ]);
});

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);

describe('making a draft', () => {
  it('prices SKU lines from the issuer’s price book in force on the invoice date, explicit lines as given', async () => {
    const billing = await member(world.admin, world.partnerA.id, 'billing-admin');

    const march = await makeInvoice(billing, world.customerA.id, {
      lines: [
        { sku: 'M365-BP', quantity: 10 },
        { sku: 'BACKUP', quantity: 3 },
        { description: 'Onboarding, 2 hours', quantity: 2, unitPrice: 9500, currency: 'EUR' },
      ],
    });
    const july = await makeInvoice(billing, world.customerA.id, {
      invoiceDate: '2026-07-15',
      dueDate: '2026-08-14',
      lines: [{ sku: 'BACKUP', quantity: 3 }],
    });

    expect(march).toMatchObject({
      status: 'draft',
      number: null,
      customerId: world.customerA.id,
      customerName: world.customerA.name,
      issuerId: world.partnerA.id,
      currency: 'EUR',
      taxRate: '20',
      subtotal: 19800 + 1500 + 19000,
      taxTotal: 3960 + 300 + 3800,
      total: 40300 + 8060,
      lineCount: 3,
      version: 1,
    });
    expect(march.lines[1]).toEqual({
      sku: 'BACKUP',
      description: 'Cloud backup',
      unit: 'device/month',
      quantity: 3,
      unitPrice: 500,
      netAmount: 1500,
      taxAmount: 300,
    });
    expect(july.lines[0]).toMatchObject({ unitPrice: 450, netAmount: 1350 });
  });

  it('is made by the customer’s partner side only: a customer’s own billing admin gets 403 issuer-only, a technician 403, another partner 404', async () => {
    const ownBilling = await member(world.admin, world.customerA.id, 'billing-admin');
    const customerAdmin = await member(world.admin, world.customerA.id, 'customer-admin');
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const otherPartner = await member(world.admin, world.partnerB.id, 'partner-admin');

    await expect(makeInvoice(ownBilling, world.customerA.id)).rejects.toMatchObject({
      statusCode: 403,
      extensions: { rule: 'issuer-only' },
    });
    await expect(makeInvoice(customerAdmin, world.customerA.id)).rejects.toThrow(ForbiddenError);
    await expect(makeInvoice(technician, world.customerA.id)).rejects.toThrow(ForbiddenError);
    await expect(makeInvoice(otherPartner, world.customerA.id)).rejects.toThrow(NotFoundError);
    await expect(makeInvoice(world.admin, world.partnerA.id)).rejects.toMatchObject({
      statusCode: 409,
      extensions: { rule: 'customers-only' },
    });
  });

  it('refuses what cannot be priced: a SKU priced in another currency, one not priced that day, a due date before the invoice date', async () => {
    await expect(makeInvoice(world.admin, world.customerA.id, { currency: 'GBP' })).rejects.toMatchObject({
      extensions: { rule: 'currency-mismatch' },
    });
    await expect(makeInvoice(world.admin, world.customerA.id, { invoiceDate: '2025-12-31' })).rejects.toMatchObject({
      extensions: { rule: 'sku-not-priced' },
    });
    await expect(makeInvoice(world.admin, world.customerA.id, { invoiceDate: undefined, dueDate: '2026-01-01' })).rejects.toThrow(
      ValidationError,
    );
    await expect(makeInvoice(world.admin, world.customerB.id, { lines: [{ sku: 'NOPE', quantity: 1 }] })).rejects.toThrow(ConflictError);
  });
});

describe('issue, pay, void', () => {
  it('numbers issued invoices 1, 2, 3 per issuer, and every state change shows in the customer’s billing history', async () => {
    const customer = await createOrg(world.admin, world.partnerB.id, 'customer');
    const [a, b, c] = [
      await makeInvoice(world.admin, customer.id),
      await makeInvoice(world.admin, customer.id),
      await makeInvoice(world.admin, customer.id),
    ];
    const access = as(world.admin, 'billing:write');

    const first = await issueInvoice(access, a.id, 1, actor);
    await expect(issueInvoice(access, a.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'invoice-state', invoiceStatus: 'issued' },
    });
    await expect(issueInvoice(access, b.id, 7, actor)).rejects.toThrow(PreconditionFailedError);
    const voided = await voidInvoice(access, b.id, 'Duplicate of the first', null, actor);
    const second = await issueInvoice(access, c.id, null, actor);
    const paid = await payInvoice(access, first.id, { amount: first.total, currency: 'EUR', reference: 'SEPA 123' }, 2, actor);

    expect(first).toMatchObject({ status: 'issued', number: 1, version: 2, issuedAt: expect.any(String) });
    expect(voided).toMatchObject({ status: 'void', number: null, voidReason: 'Duplicate of the first' });
    expect(second).toMatchObject({ number: 2 });
    expect(paid).toMatchObject({ status: 'paid', number: 1, version: 3, paymentReference: 'SEPA 123' });
    await expect(voidInvoice(access, first.id, 'too late', null, actor)).rejects.toMatchObject({
      extensions: { rule: 'invoice-state', invoiceStatus: 'paid' },
    });
    await expect(issueInvoice(access, b.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'invoice-state', invoiceStatus: 'void' },
    });

    const history = await listBillingHistory(as(world.admin, 'billing:read'), customer.id, {});
    expect(history.items.map((event) => `${event.type} ${event.invoice?.id}`)).toEqual([
      `invoice.paid ${a.id}`,
      `invoice.issued ${c.id}`,
      `invoice.voided ${b.id}`,
      `invoice.issued ${a.id}`,
      `invoice.created ${c.id}`,
      `invoice.created ${b.id}`,
      `invoice.created ${a.id}`,
    ]);
    expect(history.items[0]?.invoice).toEqual({ id: a.id, number: 1, total: first.total, currency: 'EUR' });
    expect(history.items[2]?.reason).toBe('Duplicate of the first');
  });

  it('takes payments in full, in the invoice’s currency only', async () => {
    const invoice = await makeInvoice(world.admin, world.customerB.id);
    const access = as(world.admin, 'billing:write');
    await expect(payInvoice(access, invoice.id, { amount: invoice.total, currency: 'EUR' }, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'invoice-state', invoiceStatus: 'draft' },
    });
    await issueInvoice(access, invoice.id, null, actor);

    await expect(payInvoice(access, invoice.id, { amount: invoice.total - 1, currency: 'EUR' }, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'partial-payment' },
    });
    await expect(payInvoice(access, invoice.id, { amount: invoice.total, currency: 'USD' }, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'currency-mismatch' },
    });
    expect(await payInvoice(access, invoice.id, { amount: invoice.total, currency: 'EUR' }, null, actor)).toMatchObject({ status: 'paid' });
  });

  it('shows an issued invoice past its due date as overdue, in the invoice and in the lists filtered by status', async () => {
    const customer = await createOrg(world.admin, world.partnerB.id, 'customer');
    const late = await makeInvoice(world.admin, customer.id, { invoiceDate: '2026-01-10', dueDate: '2026-01-20' });
    const notYet = await makeInvoice(world.admin, customer.id, { invoiceDate: '2026-01-11', dueDate: '2999-01-01' });
    for (const invoice of [late, notYet]) await issueInvoice(as(world.admin, 'billing:write'), invoice.id, null, actor);
    const read = as(world.admin, 'billing:read');

    expect((await getInvoice(read, late.id)).status).toBe('overdue');
    expect(ids((await listInvoices(read, customer.id, { status: 'overdue' })).items)).toEqual([late.id]);
    expect(ids((await listInvoices(read, customer.id, { status: 'issued' })).items)).toEqual([notYet.id]);
    const voided = await voidInvoice(as(world.admin, 'billing:write'), late.id, 'Written off', null, actor);
    expect(voided).toMatchObject({ status: 'void', number: (await getInvoice(read, late.id)).number });
    expect(voided.number).toBeGreaterThan(0);
  });
});

describe('who sees which invoices', () => {
  it('lists a partner’s whole subtree (sub-resellers’ customers too), a customer its own, newest first, by date range', async () => {
    const sub = await makeInvoice(world.admin, world.customerSubA.id, { invoiceDate: '2026-04-01', dueDate: '2026-04-30' });
    const direct = await makeInvoice(world.admin, world.customerA.id, { invoiceDate: '2026-05-01', dueDate: '2026-05-31' });
    const elsewhere = await makeInvoice(world.admin, world.customerB.id, { invoiceDate: '2026-04-15', dueDate: '2026-05-15' });
    const read = as(world.admin, 'billing:read');

    const partner = await listInvoices(read, world.partnerA.id, { from: '2026-04-01', to: '2026-05-01' });
    const subReseller = await listInvoices(read, world.subA.id, {});
    const customer = await listInvoices(read, world.customerSubA.id, {});

    expect(ids(partner.items)).toEqual([direct.id, sub.id]);
    expect(ids(subReseller.items)).toEqual([sub.id]);
    expect(ids(customer.items)).toEqual([sub.id]);
    expect(ids((await listInvoices(read, world.partnerB.id, { from: '2026-04-15', to: '2026-04-15' })).items)).toEqual([elsewhere.id]);
    await expect(listInvoices(read, world.channel.id, {})).rejects.toMatchObject({ extensions: { rule: 'partners-and-customers-only' } });
  });

  it('lets a customer admin read its own invoices and nobody else’s; a technician none', async () => {
    const own = await makeInvoice(world.admin, world.customerA.id);
    const other = await makeInvoice(world.admin, world.customerB.id);
    const customerAdmin = await member(world.admin, world.customerA.id, 'customer-admin');
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');

    expect((await getInvoice(as(customerAdmin, 'billing:read'), own.id)).id).toBe(own.id);
    await expect(getInvoice(as(customerAdmin, 'billing:read'), other.id)).rejects.toThrow('The invoice was not found');
    await expect(getInvoice(as(customerAdmin, 'billing:read'), 'inv_nothere')).rejects.toThrow('The invoice was not found');
    await expect(listInvoices(as(customerAdmin, 'billing:read'), world.customerB.id, {})).rejects.toThrow(NotFoundError);
    await expect(getInvoice(as(technician, 'billing:read'), own.id)).rejects.toThrow(ForbiddenError);
    await expect(listInvoices(as(technician, 'billing:read'), world.partnerA.id, {})).rejects.toThrow(ForbiddenError);
    await expect(issueInvoice(as(customerAdmin, 'billing:write'), own.id, null, actor)).rejects.toThrow(ForbiddenError);
  });

  it('keeps billing a customer that switched partner access off: from above, billing crosses; nothing else does', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const ownAdmin = await member(world.admin, customer.id, 'customer-admin', true);
    const partnerAdmin = await member(world.admin, world.partnerA.id, 'partner-admin');
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const before = await makeInvoice(partnerAdmin, customer.id);
    await setPartnerAccess(as(ownAdmin, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor);

    const after = await makeInvoice(partnerAdmin, customer.id);
    const issued = await issueInvoice(as(partnerAdmin, 'billing:write'), before.id, null, actor);
    const listed = await listInvoices(as(partnerAdmin, 'billing:read'), world.partnerA.id, {});
    const ownView = await listInvoices(as(ownAdmin, 'billing:read'), customer.id, {});

    expect(issued.number).toBeGreaterThan(0);
    expect(ids(listed.items)).toEqual(expect.arrayContaining([before.id, after.id]));
    expect(ids(ownView.items).sort()).toEqual([before.id, after.id].sort());
    await expect(getInvoice(as(technician, 'billing:read'), after.id)).rejects.toThrow(PartnerAccessOffError);
    await expect(listInvoices(as(technician, 'billing:read'), customer.id, {})).rejects.toThrow(PartnerAccessOffError);
  });

  it('after a customer moves: its earlier invoices stay with the partner that issued them, its later ones go to the new one', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const oldPartner = await member(world.admin, world.partnerA.id, 'billing-admin');
    const newPartner = await member(world.admin, world.partnerB.id, 'billing-admin');
    const before = await makeInvoice(oldPartner, customer.id);
    await moveOrg(as(world.admin, 'org:move'), customer.id, world.partnerB.id, null, actor);

    const after = await makeInvoice(newPartner, customer.id);

    expect(after.issuerId).toBe(world.partnerB.id);
    expect(ids((await listInvoices(as(oldPartner, 'billing:read'), world.partnerA.id, {})).items)).toContain(before.id);
    expect(ids((await listInvoices(as(oldPartner, 'billing:read'), world.partnerA.id, {})).items)).not.toContain(after.id);
    expect(ids((await listInvoices(as(newPartner, 'billing:read'), world.partnerB.id, {})).items)).not.toContain(before.id);
    expect(ids((await listInvoices(as(newPartner, 'billing:read'), customer.id, {})).items).sort()).toEqual([before.id, after.id].sort());
    // The issuer still acts on its own invoice; the new partner reads it (the customer's) but cannot change it.
    expect((await issueInvoice(as(oldPartner, 'billing:write'), before.id, null, actor)).status).toBe('issued');
    expect((await getInvoice(as(newPartner, 'billing:read'), before.id)).id).toBe(before.id);
    await expect(voidInvoice(as(newPartner, 'billing:write'), before.id, 'not ours', null, actor)).rejects.toMatchObject({
      statusCode: 403,
      extensions: { rule: 'issuer-only' },
    });
  });

  it('never deletes an invoiced customer', async () => {
    const customer = await createOrg(world.admin, world.partnerB.id, 'customer');
    const fresh = await createOrg(world.admin, world.partnerB.id, 'customer');
    await makeInvoice(world.admin, customer.id);

    await expect(deleteOrg(as(world.admin, 'org:delete'), customer.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'has-invoices' },
    });
    await expect(deleteOrg(as(world.admin, 'org:delete'), fresh.id, null, actor)).resolves.toBeUndefined();
  });
});

describe('billing history', () => {
  it('merges subscription changes (written with the change) and invoice events, newest first, paged', async () => {
    const customer = await createOrg(world.admin, world.partnerB.id, 'customer');
    await updateOrg(as(world.admin, 'billing:write'), customer.id, { subscriptionState: 'active' }, null, actor);
    const invoice = await makeInvoice(world.admin, customer.id);
    await updateOrg(
      as(world.admin, 'billing:write'),
      customer.id,
      { subscriptionState: 'past_due', name: `${customer.name} Ltd` },
      null,
      actor,
    );
    await updateOrg(as(world.admin, 'org:update'), customer.id, { name: `${customer.name} plc` }, null, actor);

    const first = await listBillingHistory(as(world.admin, 'billing:read'), customer.id, { limit: 2 });
    const rest = await listBillingHistory(as(world.admin, 'billing:read'), customer.id, { limit: 2, cursor: first.nextCursor ?? '' });

    expect([...first.items, ...rest.items].map((event) => [event.type, event.subscription, event.invoice?.id ?? null])).toEqual([
      ['subscription.changed', { from: 'active', to: 'past_due' }, null],
      ['invoice.created', null, invoice.id],
      ['subscription.changed', { from: 'trial', to: 'active' }, null],
    ]);
    // The fixture writes as the system actor: no user, so the history says `system`.
    expect(first.items[0]?.actor).toBe('system');
    expect(rest.nextCursor).toBeNull();
    await expect(listBillingHistory(as(world.admin, 'billing:read'), world.partnerB.id, {})).rejects.toMatchObject({
      extensions: { rule: 'customers-only' },
    });
  });
});

describe('DynamoDB calls per request', () => {
  it('a list page: the ledger Query alongside the two authorization reads, one round trip', async () => {
    const { calls } = await countCalls(() => listInvoices(as(world.admin, 'billing:read'), world.partnerA.id, { limit: 10 }));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
  });

  it('an invoice: the invoice and the grants, then both parties in one BatchGet', async () => {
    const invoice = await makeInvoice(world.admin, world.customerA.id);
    const { calls } = await countCalls(() => getInvoice(as(world.admin, 'billing:read'), invoice.id));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1, BatchGetItemCommand: 1 });
  });

  it('a draft: authorization, then the issuer and its price book, then one transaction', async () => {
    const { calls } = await countCalls(() => createInvoice(as(world.admin, 'billing:write'), world.customerSubA.id, draft(), actor));
    expect(calls.byCommand).toEqual({ GetItemCommand: 3, QueryCommand: 1, TransactWriteItemsCommand: 1 });
  });

  it('an issue: the invoice and grants, the parties and the counter, one transaction', async () => {
    const invoice = await makeInvoice(world.admin, world.customerA.id);
    const { calls } = await countCalls(() => issueInvoice(as(world.admin, 'billing:write'), invoice.id, null, actor));
    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1, BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
  });
});

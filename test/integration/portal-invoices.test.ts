import { beforeAll, describe, expect, it } from 'vitest';
import { listInvoices } from '#domain/billing/invoice-lists';
import { issueInvoice, payInvoice, voidInvoice } from '#domain/billing/invoice-transitions';
import { getInvoice } from '#domain/billing/invoices';
import { getPortalSummary } from '#domain/portal/summary';
import { ForbiddenError, NotFoundError } from '#domain/shared/errors';
import { makeInvoice, setPriceBook } from './support/billing-fixture.ts';
import { actor, as, member } from './support/fixture.ts';
import { portalWorld } from './support/portal-fixture.ts';

/**
 * Where billing meets the client portal (domain/portal/invoice-source.ts):
 * the summary's unpaid invoices move in the transactions that issue, pay and
 * void, and a customer's requesters read its invoice list when their portal
 * role shows invoices, never the drafts.
 */
let world: Awaited<ReturnType<typeof portalWorld>>;
beforeAll(async () => {
  world = await portalWorld();
  await setPriceBook(world.admin, world.partnerA.id);
});

const unpaid = async () => (await getPortalSummary(as(world.clientAdmin.caller, 'portal:read'), world.customerA.id)).unpaidInvoices;

describe('billing in the client portal', () => {
  it('counts issued invoices as unpaid until they are paid or voided; drafts never count', async () => {
    // Prepare
    const billing = await member(world.admin, world.partnerA.id, 'billing-admin');
    const access = as(billing, 'billing:write');
    const before = await unpaid();
    const first = await makeInvoice(billing, world.customerA.id);
    const second = await makeInvoice(billing, world.customerA.id);

    // Act & assess
    expect(await unpaid()).toBe(before);
    const issuedFirst = await issueInvoice(access, first.id, null, actor);
    const issuedSecond = await issueInvoice(access, second.id, null, actor);
    expect(await unpaid()).toBe((before ?? 0) + 2);
    await payInvoice(access, first.id, { amount: issuedFirst.total, currency: 'EUR' }, null, actor);
    expect(await unpaid()).toBe((before ?? 0) + 1);
    await voidInvoice(access, issuedSecond.id, 'Raised twice by mistake', null, actor);
    expect(await unpaid()).toBe(before);
  });

  it('lists a customer’s invoices to its requesters whose role shows them, without the drafts', async () => {
    // Prepare
    const billing = await member(world.admin, world.partnerA.id, 'billing-admin');
    const sent = await makeInvoice(billing, world.customerA.id);
    await issueInvoice(as(billing, 'billing:write'), sent.id, null, actor);
    const kept = await makeInvoice(billing, world.customerA.id);

    // Act
    const asClient = await listInvoices(as(world.approver.caller, 'billing:read'), world.customerA.id, { limit: 100 });
    const asPartner = await listInvoices(as(billing, 'billing:read'), world.customerA.id, { limit: 100 });

    // Assess
    const clientIds = asClient.items.map((item) => item.id);
    expect(clientIds).toContain(sent.id);
    expect(clientIds).not.toContain(kept.id);
    expect(asClient.items.every((item) => item.status !== 'draft')).toBe(true);
    expect(asPartner.items.map((item) => item.id)).toEqual(expect.arrayContaining([sent.id, kept.id]));
  });

  it('refuses a requester whose role does not show invoices (403), and a requester elsewhere learns nothing (404)', async () => {
    await expect(listInvoices(as(world.plain.caller, 'billing:read'), world.customerA.id, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listInvoices(as(world.clientAdmin.caller, 'billing:read'), world.customerB.id, {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('opens one invoice to those requesters, never a draft (404 as for any invoice out of reach); other roles get 403', async () => {
    // Prepare
    const billing = await member(world.admin, world.partnerA.id, 'billing-admin');
    const sent = await makeInvoice(billing, world.customerA.id);
    await issueInvoice(as(billing, 'billing:write'), sent.id, null, actor);
    const kept = await makeInvoice(billing, world.customerA.id);
    const reading = (caller: typeof world.approver.caller) => as(caller, 'billing:read');

    // Act & assess
    expect(await getInvoice(reading(world.approver.caller), sent.id)).toMatchObject({ id: sent.id, status: 'issued' });
    await expect(getInvoice(reading(world.approver.caller), kept.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getInvoice(reading(world.plain.caller), sent.id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { InvoiceCounterEntity } from '#domain/billing/invoice.entity';
import { issueInvoice } from '#domain/billing/invoice-transitions';
import { getInvoice } from '#domain/billing/invoices';
import { rootOrgId } from '#domain/shared/ids';
import { makeInvoice, setPriceBook } from './support/billing-fixture.ts';
import { actor, as, createOrg, platformAdmin } from './support/fixture.ts';

/**
 * Gapless numbering under real concurrency. DynamoDB Local never answers
 * TransactionConflict, so what keeps numbers distinct here is what keeps them
 * distinct in AWS too: each issue's transaction is conditioned on the
 * counter value it read, and the loser reads again.
 */
let admin: Awaited<ReturnType<typeof platformAdmin>>;
let partnerId: string;
let customerId: string;
beforeAll(async () => {
  admin = await platformAdmin();
  const channel = await createOrg(admin, rootOrgId, 'channel');
  partnerId = (await createOrg(admin, channel.id, 'partner')).id;
  customerId = (await createOrg(admin, partnerId, 'customer')).id;
  await setPriceBook(admin, partnerId);
});

const counterOf = async (issuerId: string) => (await InvoiceCounterEntity.get({ issuerId }).go({ consistent: true })).data?.lastNumber ?? 0;

describe('issuing at once', () => {
  it('gives invoices issued concurrently distinct, consecutive numbers, and the counter ends at the last', async () => {
    const drafts = await Promise.all(Array.from({ length: 8 }, () => makeInvoice(admin, customerId)));

    const issued = await Promise.all(drafts.map((draft) => issueInvoice(as(admin, 'billing:write'), draft.id, null, actor)));

    expect(issued.map((invoice) => invoice.number).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await counterOf(partnerId)).toBe(8);
    for (const invoice of issued) expect((await getInvoice(as(admin, 'billing:read'), invoice.id)).number).toBe(invoice.number);
  });

  it('issues one draft once when asked several times at once: one number taken, the others refused', async () => {
    const draft = await makeInvoice(admin, customerId);
    const before = await counterOf(partnerId);

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => issueInvoice(as(admin, 'billing:write'), draft.id, null, actor)),
    );

    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const result of lost) expect(result.reason).toMatchObject({ statusCode: 409 });
    expect(await counterOf(partnerId)).toBe(before + 1);
    expect((await getInvoice(as(admin, 'billing:read'), draft.id)).number).toBe(before + 1);
  });

  it('takes no number for an issue that fails: the next issue gets the next number', async () => {
    const [stale, next] = [await makeInvoice(admin, customerId), await makeInvoice(admin, customerId)];
    const before = await counterOf(partnerId);

    await expect(issueInvoice(as(admin, 'billing:write'), stale.id, 9, actor)).rejects.toMatchObject({ statusCode: 412 });
    const issued = await issueInvoice(as(admin, 'billing:write'), next.id, null, actor);

    expect(issued.number).toBe(before + 1);
    expect(await counterOf(partnerId)).toBe(before + 1);
    expect((await getInvoice(as(admin, 'billing:read'), stale.id)).number).toBeNull();
  });

  it('numbers each issuer on its own', async () => {
    const channel = await createOrg(admin, rootOrgId, 'channel');
    const [p1, p10] = [
      await createOrg(admin, channel.id, 'partner', undefined, 'org_cp1'),
      await createOrg(admin, channel.id, 'partner', undefined, 'org_cp10'),
    ];
    const [c1, c10] = [await createOrg(admin, p1.id, 'customer'), await createOrg(admin, p10.id, 'customer')];
    await Promise.all([setPriceBook(admin, p1.id), setPriceBook(admin, p10.id)]);
    const drafts = await Promise.all([
      makeInvoice(admin, c1.id),
      makeInvoice(admin, c10.id),
      makeInvoice(admin, c1.id),
      makeInvoice(admin, c10.id),
    ]);

    const issued = await Promise.all(drafts.map((draft) => issueInvoice(as(admin, 'billing:write'), draft.id, null, actor)));

    const numbersOf = (issuerId: string) =>
      issued
        .filter((invoice) => invoice.issuerId === issuerId)
        .map((invoice) => invoice.number)
        .sort();
    expect(numbersOf(p1.id)).toEqual([1, 2]);
    expect(numbersOf(p10.id)).toEqual([1, 2]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { getPriceBook, putPriceBook } from '#domain/billing/price-book';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '#domain/shared/errors';
import { standardEntries } from './support/billing-fixture.ts';
import { actor, as, member, smallHierarchy } from './support/fixture.ts';

let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

describe('a partner’s price book', () => {
  it('is empty at version 0 until the channel sets it; then versioned, with If-Match', async () => {
    const channelAdmin = await member(world.admin, world.channel.id, 'channel-admin');
    const before = await getPriceBook(as(channelAdmin, 'price-book:read'), world.partnerA.id);

    const first = await putPriceBook(as(channelAdmin, 'price-book:write'), world.partnerA.id, standardEntries, 0, actor);
    const stale = putPriceBook(as(channelAdmin, 'price-book:write'), world.partnerA.id, [], 0, actor);
    await expect(stale).rejects.toThrow(PreconditionFailedError);
    const second = await putPriceBook(as(channelAdmin, 'price-book:write'), world.partnerA.id, standardEntries.slice(0, 1), 1, actor);

    expect(before).toEqual({ partnerId: world.partnerA.id, entries: [], version: 0, updatedAt: null });
    expect(first).toMatchObject({ version: 1, entries: standardEntries });
    expect(second).toMatchObject({ version: 2, entries: standardEntries.slice(0, 1) });
    expect(await getPriceBook(as(channelAdmin, 'price-book:read'), world.partnerA.id)).toEqual(second);
  });

  it('is read by the partner’s admins and billing admins, set only from above (partner-admin lacks price-book:write)', async () => {
    const partnerAdmin = await member(world.admin, world.partnerB.id, 'partner-admin');
    const billing = await member(world.admin, world.partnerB.id, 'billing-admin');
    const technician = await member(world.admin, world.partnerB.id, 'partner-technician');
    const outsider = await member(world.admin, world.partnerA.id, 'partner-admin');
    await putPriceBook(as(world.admin, 'price-book:write'), world.partnerB.id, standardEntries, null, actor);

    expect((await getPriceBook(as(partnerAdmin, 'price-book:read'), world.partnerB.id)).entries).toHaveLength(4);
    expect((await getPriceBook(as(billing, 'price-book:read'), world.partnerB.id)).entries).toHaveLength(4);
    await expect(putPriceBook(as(partnerAdmin, 'price-book:write'), world.partnerB.id, [], null, actor)).rejects.toThrow(ForbiddenError);
    await expect(putPriceBook(as(billing, 'price-book:write'), world.partnerB.id, [], null, actor)).rejects.toThrow(ForbiddenError);
    await expect(getPriceBook(as(technician, 'price-book:read'), world.partnerB.id)).rejects.toThrow(ForbiddenError);
    await expect(getPriceBook(as(outsider, 'price-book:read'), world.partnerB.id)).rejects.toThrow(NotFoundError);
  });

  it('lets one of two concurrent PUTs win: the other finds the version moved (409 without If-Match)', async () => {
    const partner = world.subA.id;
    const before = await getPriceBook(as(world.admin, 'price-book:read'), partner);

    const results = await Promise.allSettled(
      [standardEntries.slice(0, 1), standardEntries.slice(0, 2)].map((entries) =>
        putPriceBook(as(world.admin, 'price-book:write'), partner, entries, null, actor),
      ),
    );

    const after = await getPriceBook(as(world.admin, 'price-book:read'), partner);
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(after.version).toBe(before.version + won.length);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
    expect(won.length).toBeGreaterThanOrEqual(1);
  });

  it('belongs to partners only, and refuses overlapping periods field by field', async () => {
    await expect(getPriceBook(as(world.admin, 'price-book:read'), world.customerA.id)).rejects.toThrow(ConflictError);
    await expect(putPriceBook(as(world.admin, 'price-book:write'), world.channel.id, [], null, actor)).rejects.toMatchObject({
      extensions: { rule: 'partners-only' },
    });
    const overlapping = [standardEntries[0], { ...standardEntries[0], effectiveFrom: '2027-01-01' }] as typeof standardEntries;
    const refused = putPriceBook(as(world.admin, 'price-book:write'), world.subA.id, overlapping, null, actor);
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({
      errors: [{ path: 'body.entries.1.effectiveFrom', message: 'overlaps entries.0: one M365-BP price in EUR per day' }],
    });
  });
});

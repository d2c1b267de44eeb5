import { describe, expect, it } from 'vitest';
import { auditKeyPrefix } from '#domain/audit/keys';
import { BillingEventEntity } from '#domain/billing/billing-event.entity';
import { InvoiceCounterEntity, InvoiceEntity, InvoiceListingEntity } from '#domain/billing/invoice.entity';
import { ledgerIdsOf } from '#domain/billing/invoices';
import { PriceBookEntity } from '#domain/billing/price-book.entity';

type QueryParams = { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; ScanIndexForward?: boolean };

/** The key design, as a spec: what each billing item is keyed by, and what a page of a list asks DynamoDB for. */
describe('billing keys', () => {
  it('keys each item by the id it is read by, never under the audit prefix', () => {
    const keys = [
      InvoiceEntity.get({ invoiceId: 'inv_1' }).params().Key,
      InvoiceCounterEntity.get({ issuerId: 'org_p1' }).params().Key,
      PriceBookEntity.get({ partnerId: 'org_p1' }).params().Key,
    ];

    expect(keys).toEqual([
      { pk: '$pp#invoiceid_inv_1', sk: '$invoice_1' },
      { pk: '$pp#issuerid_org_p1', sk: '$invoicecounter_1' },
      { pk: '$pp#partnerid_org_p1', sk: '$pricebook_1' },
    ]);
    for (const key of keys) expect(String(key.pk).startsWith(auditKeyPrefix)).toBe(false);
  });

  it('lists a ledger newest first, the dates in the key condition, `to` inclusive up to the next day’s prefix', () => {
    const ranged = InvoiceListingEntity.query
      .byLedger({ ledgerId: 'org_p1' })
      .between({ invoiceDate: '2026-01-01' }, { invoiceDate: '2026-02-01' })
      .params({ limit: 25, order: 'desc' }) as QueryParams;

    expect(ranged.KeyConditionExpression).toBe('#pk = :pk and #sk1 BETWEEN :sk1 AND :sk2');
    expect(ranged.ExpressionAttributeValues).toEqual({
      ':pk': '$pp#ledgerid_org_p1',
      ':sk1': '$invoicelisting_1#invoicedate_2026-01-01',
      ':sk2': '$invoicelisting_1#invoicedate_2026-02-01',
    });
    expect(ranged.ScanIndexForward).toBe(false);
    // An invoice of 2026-01-31 sorts inside; one of 2026-02-01 sorts after the bound (the bound is its prefix).
    const sk = (date: string) => `$invoicelisting_1#invoicedate_${date}#invoiceid_inv_1`;
    expect(sk('2026-01-31') <= '$invoicelisting_1#invoicedate_2026-02-01').toBe(true);
    expect(sk('2026-02-01') <= '$invoicelisting_1#invoicedate_2026-02-01').toBe(false);
  });

  it('keeps org_p1 and org_p10 apart: the ledger is the whole partition key', () => {
    const p1 = InvoiceListingEntity.query.byLedger({ ledgerId: 'org_p1' }).params() as QueryParams;
    const p10 = InvoiceListingEntity.query.byLedger({ ledgerId: 'org_p10' }).params() as QueryParams;

    expect(p1.ExpressionAttributeValues[':pk']).toBe('$pp#ledgerid_org_p1');
    expect(p10.ExpressionAttributeValues[':pk']).toBe('$pp#ledgerid_org_p10');
    expect(p1.KeyConditionExpression).toMatch(/^#pk = :pk/);
  });

  it('reads a customer’s billing history newest first from its own partition', () => {
    const params = BillingEventEntity.query.byCustomer({ customerId: 'org_c1' }).params({ order: 'desc' }) as QueryParams;

    expect(params.ExpressionAttributeValues).toEqual({ ':pk': '$pp#customerid_org_c1', ':sk1': '$billingevent_1#at_' });
    expect(params.ScanIndexForward).toBe(false);
  });

  it('lists an invoice under every partner on its customer’s path and the customer, never the channel or the root', () => {
    expect(ledgerIdsOf('/org_root/org_ch/org_p/org_sub/org_c')).toEqual(['org_p', 'org_sub', 'org_c']);
    expect(ledgerIdsOf('/org_root/org_ch/org_p/org_c')).toEqual(['org_p', 'org_c']);
  });
});

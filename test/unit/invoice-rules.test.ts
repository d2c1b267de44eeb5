import { describe, expect, it } from 'vitest';
import { isCalendarDate, nextDay, todayUtc } from '#domain/billing/calendar-date';
import { priceInvoice } from '#domain/billing/invoice-pricing';
import { mayInvoice, nextInvoiceStatus, viewStatus } from '#domain/billing/invoice-state';
import { type PriceBookEntry, priceBookFaults, priceInForce } from '#domain/billing/price-book-rules';
import { parseTaxRate } from '#domain/billing/tax';
import { ConflictError, ValidationError } from '#domain/shared/errors';

const entry = (
  sku: string,
  from: string,
  to: string | null,
  unitPrice = 1000,
  currency: PriceBookEntry['currency'] = 'EUR',
): PriceBookEntry => ({
  sku,
  name: `${sku} product`,
  unit: 'user/month',
  unitPrice,
  currency,
  effectiveFrom: from,
  effectiveTo: to,
});

describe('the invoice lifecycle', () => {
  it('issues drafts, pays issued invoices, voids drafts and issued ones, and nothing leaves paid or void', () => {
    expect(nextInvoiceStatus('issue', 'draft')).toBe('issued');
    expect(nextInvoiceStatus('pay', 'issued')).toBe('paid');
    expect(nextInvoiceStatus('void', 'draft')).toBe('void');
    expect(nextInvoiceStatus('void', 'issued')).toBe('void');
    const refused: [Parameters<typeof mayInvoice>[0], Parameters<typeof mayInvoice>[1]][] = [
      ['issue', 'issued'],
      ['issue', 'paid'],
      ['issue', 'void'],
      ['pay', 'draft'],
      ['pay', 'paid'],
      ['pay', 'void'],
      ['void', 'paid'],
      ['void', 'void'],
    ];
    for (const [action, from] of refused) {
      expect(mayInvoice(action, from), `${action} ${from}`).toBe(false);
      const error = (() => {
        try {
          nextInvoiceStatus(action, from);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ rule: 'invoice-state', invoiceStatus: from });
    }
  });

  it('derives overdue from the due date at read time: issued and past due, never stored', () => {
    expect(viewStatus('issued', '2026-01-31', '2026-02-01')).toBe('overdue');
    expect(viewStatus('issued', '2026-01-31', '2026-01-31')).toBe('issued');
    expect(viewStatus('issued', '2026-01-31', '2026-01-30')).toBe('issued');
    expect(viewStatus('paid', '2026-01-31', '2027-01-01')).toBe('paid');
    expect(viewStatus('draft', '2026-01-31', '2027-01-01')).toBe('draft');
    expect(viewStatus('void', '2026-01-31', '2027-01-01')).toBe('void');
  });
});

describe('calendar dates', () => {
  it('accepts real dates of the supported years only', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-1', '1999-12-31', '3000-01-01', '2026-01-01T00:00:00Z', '']) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(todayUtc(new Date('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
  });
});

describe('price book rules', () => {
  it('refuses overlapping periods of one SKU and currency, naming the later entry', () => {
    const faults = priceBookFaults([
      entry('M365', '2026-01-01', '2026-06-30'),
      entry('M365', '2026-06-30', null),
      entry('M365', '2026-01-01', null, 1200, 'USD'),
      entry('BACKUP', '2026-01-01', '2026-03-31'),
      entry('BACKUP', '2026-04-01', null),
      entry('EDR', '2026-05-01', '2026-04-30'),
    ]);

    expect(faults).toEqual([
      { path: '5.effectiveTo', message: 'must not be before effectiveFrom' },
      { path: '1.effectiveFrom', message: 'overlaps entries.0: one M365 price in EUR per day' },
    ]);
  });

  it('finds the one price in force on a day, inclusive at both ends', () => {
    const book = [entry('M365', '2026-01-01', '2026-06-30', 1000), entry('M365', '2026-07-01', null, 1100)];

    expect(priceInForce(book, 'M365', 'EUR', '2026-06-30')?.unitPrice).toBe(1000);
    expect(priceInForce(book, 'M365', 'EUR', '2026-07-01')?.unitPrice).toBe(1100);
    expect(priceInForce(book, 'M365', 'EUR', '2099-01-01')?.unitPrice).toBe(1100);
    expect(priceInForce(book, 'M365', 'EUR', '2025-12-31')).toBeUndefined();
    expect(priceInForce(book, 'M365', 'USD', '2026-03-01')).toBeUndefined();
  });
});

describe('pricing a draft', () => {
  const book = [
    entry('M365', '2026-01-01', null, 1250),
    entry('M365', '2026-01-01', null, 1400, 'USD'),
    entry('EDR', '2027-01-01', null, 300),
  ];
  const terms = { currency: 'EUR' as const, taxRatePpm: parseTaxRate('20'), invoiceDate: '2026-03-15' };

  it('prices SKU lines from the book and explicit lines as given; tax per line, totals as sums', () => {
    const priced = priceInvoice(
      [
        { sku: 'M365', quantity: 3 },
        { description: 'Onboarding', quantity: 1, unitPrice: 3, currency: 'EUR' },
      ],
      terms,
      book,
    );

    expect(priced.lines).toEqual([
      { sku: 'M365', description: 'M365 product', unit: 'user/month', quantity: 3, unitPrice: 1250, netAmount: 3750, taxAmount: 750 },
      // 20% of 0.03 is 0.006: rounded half up on the line, to 0.01.
      { sku: null, description: 'Onboarding', unit: null, quantity: 1, unitPrice: 3, netAmount: 3, taxAmount: 1 },
    ]);
    expect(priced).toMatchObject({ subtotal: 3753, taxTotal: 751, total: 4504 });
  });

  it('refuses a SKU priced only in another currency, and one not priced on the invoice date', () => {
    const inUsd = () => priceInvoice([{ sku: 'M365', quantity: 1 }], { ...terms, currency: 'GBP' }, book);
    const notYet = () => priceInvoice([{ sku: 'EDR', quantity: 1 }], terms, book);

    expect(inUsd).toThrow(ConflictError);
    expect(inUsd).toThrow(/priced in EUR, USD/);
    expect(notYet).toThrow(/no price for EDR on 2026-03-15/);
  });

  it('refuses an explicit line in another currency, naming its field', () => {
    const mismatch = () => priceInvoice([{ description: 'x', quantity: 1, unitPrice: 1, currency: 'USD' }], terms, book);

    expect(mismatch).toThrow(ValidationError);
    try {
      mismatch();
    } catch (error) {
      expect((error as ValidationError).errors).toEqual([
        { path: 'body.lines.0.currency', message: "must be EUR, the invoice's currency" },
      ]);
    }
  });

  it('refuses amounts beyond Number.MAX_SAFE_INTEGER: a line, or the total', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const line = () => priceInvoice([{ description: 'x', quantity: 2, unitPrice: big, currency: 'EUR' }], { ...terms, taxRatePpm: 0 }, []);
    const total = () =>
      priceInvoice(
        [
          { description: 'x', quantity: 1, unitPrice: big, currency: 'EUR' },
          { description: 'y', quantity: 1, unitPrice: 1, currency: 'EUR' },
        ],
        { ...terms, taxRatePpm: 0 },
        [],
      );
    const withTax = () => priceInvoice([{ description: 'x', quantity: 1, unitPrice: big, currency: 'EUR' }], terms, []);

    expect(line).toThrow(ValidationError);
    expect(total).toThrow(/total is too large/);
    expect(withTax).toThrow(/total is too large/);
    expect(priceInvoice([{ description: 'x', quantity: 1, unitPrice: big, currency: 'EUR' }], { ...terms, taxRatePpm: 0 }, []).total).toBe(
      big,
    );
  });
});

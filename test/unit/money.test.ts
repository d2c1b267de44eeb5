import { describe, expect, it } from 'vitest';
import {
  addMoney,
  assertSameCurrency,
  CurrencyMismatchError,
  currencies,
  divideRoundHalfUp,
  exponentOf,
  formatMinorUnits,
  MoneyRangeError,
  money,
  multiplyMoney,
  sumMoney,
} from '#domain/billing/money';
import { formatTaxRate, parseTaxRate, taxOn } from '#domain/billing/tax';

const max = Number.MAX_SAFE_INTEGER;

describe('money in integer minor units', () => {
  it('adds and multiplies exactly, where floating point would not', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004; in cents it is 30.
    expect(addMoney(money(10, 'EUR'), money(20, 'EUR'))).toEqual({ amount: 30, currency: 'EUR' });
    expect(multiplyMoney(money(1999, 'USD'), 3)).toEqual({ amount: 5997, currency: 'USD' });
    expect(sumMoney([money(1, 'JPY'), money(2, 'JPY'), money(3, 'JPY')], 'JPY')).toEqual({ amount: 6, currency: 'JPY' });
    expect(sumMoney([], 'BHD')).toEqual({ amount: 0, currency: 'BHD' });
  });

  it('refuses to combine two currencies', () => {
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).toThrow(CurrencyMismatchError);
    expect(() => sumMoney([money(1, 'EUR')], 'GBP')).toThrow(CurrencyMismatchError);
    expect(() => assertSameCurrency('JPY', 'EUR')).toThrow(/JPY and EUR/);
    expect(() => assertSameCurrency('EUR', 'EUR')).not.toThrow();
  });

  it('refuses amounts that are not integers or lie beyond Number.MAX_SAFE_INTEGER', () => {
    expect(() => money(1.5, 'EUR')).toThrow(MoneyRangeError);
    expect(() => money(max + 1, 'EUR')).toThrow(MoneyRangeError);
    expect(money(max, 'EUR').amount).toBe(max);
    expect(() => addMoney(money(max, 'EUR'), money(1, 'EUR'))).toThrow(MoneyRangeError);
    expect(() => multiplyMoney(money(max, 'EUR'), 2)).toThrow(MoneyRangeError);
    expect(() => multiplyMoney(money(2 ** 26, 'EUR'), 2 ** 27)).toThrow(MoneyRangeError);
    expect(multiplyMoney(money(2 ** 26, 'EUR'), 2 ** 26).amount).toBe(2 ** 52);
    expect(() => multiplyMoney(money(1, 'EUR'), 0.5)).toThrow(MoneyRangeError);
  });

  it('knows each accepted currency’s number of minor digits', () => {
    expect(exponentOf('EUR')).toBe(2);
    expect(exponentOf('JPY')).toBe(0);
    expect(exponentOf('KRW')).toBe(0);
    expect(exponentOf('BHD')).toBe(3);
    expect(exponentOf('KWD')).toBe(3);
    expect(currencies).toContain('USD');
    expect(currencies).not.toContain('XXX');
  });

  it('formats minor units in major units with the currency’s decimals', () => {
    expect(formatMinorUnits(1234, 'EUR')).toBe('12.34');
    expect(formatMinorUnits(5, 'EUR')).toBe('0.05');
    expect(formatMinorUnits(0, 'USD')).toBe('0.00');
    expect(formatMinorUnits(1234, 'JPY')).toBe('1234');
    expect(formatMinorUnits(1234, 'BHD')).toBe('1.234');
    expect(formatMinorUnits(7, 'BHD')).toBe('0.007');
    expect(formatMinorUnits(-250, 'GBP')).toBe('-2.50');
    expect(formatMinorUnits(max, 'EUR')).toBe('90071992547409.91');
  });
});

describe('rounding and tax', () => {
  it('rounds halves away from zero, everything else to the nearest', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divideRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divideRoundHalfUp(25n, 10n)).toBe(3n); // half-even would give 2
    expect(divideRoundHalfUp(-25n, 10n)).toBe(-3n);
    expect(divideRoundHalfUp(-24n, 10n)).toBe(-2n);
    expect(divideRoundHalfUp(0n, 7n)).toBe(0n);
  });

  it('reads tax rates as percentages with at most four decimals', () => {
    expect(parseTaxRate('20')).toBe(200_000);
    expect(parseTaxRate('8.875')).toBe(88_750);
    expect(parseTaxRate('0')).toBe(0);
    expect(parseTaxRate('100')).toBe(1_000_000);
    expect(parseTaxRate('7.7')).toBe(77_000);
    expect(parseTaxRate('0.0001')).toBe(1);
    for (const bad of ['100.01', '101', '-1', '1e1', '8.87501', '', ' 20', '20%', '.5', '5.']) {
      expect(() => parseTaxRate(bad), bad).toThrow(RangeError);
    }
    expect(formatTaxRate(88_750)).toBe('8.875');
    expect(formatTaxRate(200_000)).toBe('20');
    expect(formatTaxRate(1)).toBe('0.0001');
  });

  it('computes tax per amount rounded half up to the minor unit', () => {
    // 20% of 1.25 EUR is 0.25 exactly; of 0.03 it is 0.006 → 0.01; of 0.02 it is 0.004 → 0.00.
    expect(taxOn(money(125, 'EUR'), parseTaxRate('20')).amount).toBe(25);
    expect(taxOn(money(3, 'EUR'), parseTaxRate('20')).amount).toBe(1);
    expect(taxOn(money(2, 'EUR'), parseTaxRate('20')).amount).toBe(0);
    // 8.875% of 1.00 USD is 0.08875 → 0.09; of 4.00 it is 0.355 → 0.36 (a half, rounded up).
    expect(taxOn(money(100, 'USD'), parseTaxRate('8.875')).amount).toBe(9);
    expect(taxOn(money(400, 'USD'), parseTaxRate('8.875')).amount).toBe(36);
    // Yen have no minor digits: 10% of ¥105 is ¥10.5 → ¥11.
    expect(taxOn(money(105, 'JPY'), parseTaxRate('10')).amount).toBe(11);
    // Dinars have three: 5% of 0.101 BHD is 0.00505 → 0.005.
    expect(taxOn(money(101, 'BHD'), parseTaxRate('5')).amount).toBe(5);
    expect(taxOn(money(max, 'EUR'), 0).amount).toBe(0);
    expect(taxOn(money(max, 'EUR'), 1_000_000).amount).toBe(max);
    expect(() => taxOn(money(1, 'EUR'), 1_000_001)).toThrow(RangeError);
  });
});

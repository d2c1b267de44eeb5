import { type Currency, divideRoundHalfUp, type Money, MoneyRangeError } from './money.ts';

/**
 * Tax rates are percentages with at most four decimals ("20", "8.875",
 * "7.7"), from 0 to 100, held as parts per million of the net amount so the
 * arithmetic stays on integers: "8.875" % → 88,750 ppm.
 */
export const taxRatePattern = /^(?:100(?:\.0{1,4})?|\d{1,2}(?:\.\d{1,4})?)$/;

const perMillion = 1_000_000n;

/** "8.875" → 88750 (parts per million). Fails on anything `taxRatePattern` refuses. */
export const parseTaxRate = (rate: string): number => {
  if (!taxRatePattern.test(rate)) throw new RangeError(`${JSON.stringify(rate)} is not a percentage from 0 to 100 with at most 4 decimals`);
  const [whole = '0', fraction = ''] = rate.split('.');
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
};

/** 88750 → "8.875": the shortest decimal percentage, as the API shows it. */
export const formatTaxRate = (ppm: number): string => {
  const whole = Math.floor(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
};

/**
 * The tax on a net amount at a rate in ppm, rounded to the currency's minor
 * unit half up (halves away from zero). Invoices apply it per line and sum
 * the lines' tax, so every line shows an exact amount and the lines add up
 * to the invoice's tax total.
 */
export const taxOn = (net: Money, ratePpm: number): Money => {
  if (!Number.isSafeInteger(ratePpm) || ratePpm < 0 || ratePpm > 1_000_000) throw new RangeError('The tax rate must be 0–1,000,000 ppm');
  const tax = divideRoundHalfUp(BigInt(net.amount) * BigInt(ratePpm), perMillion);
  if (tax > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyRangeError(`The tax exceeds ${Number.MAX_SAFE_INTEGER} minor units`);
  return { amount: Number(tax), currency: net.currency as Currency };
};

/**
 * Money as integer minor units (cents, yen, fils) of one ISO 4217 currency.
 * Amounts never pass through floating point: products and tax use BigInt and
 * every result must stay within Number.MAX_SAFE_INTEGER, beyond which a
 * JavaScript number (and JSON reader) could no longer hold it exactly.
 *
 * Only the currencies listed here are accepted, each with its number of minor
 * digits (ISO 4217 exponent): the API refuses others rather than guess how to
 * show them.
 */
export const currencyExponents = {
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PLN: 2,
  RON: 2,
  SEK: 2,
  SGD: 2,
  TND: 3,
  USD: 2,
  ZAR: 2,
} as const;

export type Currency = keyof typeof currencyExponents;

export const currencies = Object.keys(currencyExponents) as Currency[];

export const isCurrency = (value: string): value is Currency => Object.hasOwn(currencyExponents, value);

export const exponentOf = (currency: Currency): number => currencyExponents[currency];

export interface Money {
  /** Minor units: an integer. */
  amount: number;
  currency: Currency;
}

/** Two amounts of different currencies met in one sum or comparison. */
export class CurrencyMismatchError extends Error {
  override readonly name = 'CurrencyMismatchError';
  constructor(
    readonly expected: Currency,
    readonly actual: Currency,
  ) {
    super(`Amounts in ${expected} and ${actual} cannot be combined`);
  }
}

/** An amount that is not an integer, or whose magnitude exceeds Number.MAX_SAFE_INTEGER. */
export class MoneyRangeError extends Error {
  override readonly name = 'MoneyRangeError';
}

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

const toSafeNumber = (value: bigint, what: string): number => {
  if (value > maxSafe || value < -maxSafe) throw new MoneyRangeError(`${what} exceeds ${Number.MAX_SAFE_INTEGER} minor units`);
  return Number(value);
};

/** Fails unless `amount` is an integer number of minor units within the safe range. */
export const assertMinorUnits = (amount: number, what = 'The amount'): number => {
  if (!Number.isSafeInteger(amount))
    throw new MoneyRangeError(`${what} must be an integer of at most ${Number.MAX_SAFE_INTEGER} minor units`);
  return amount;
};

export const money = (amount: number, currency: Currency): Money => ({ amount: assertMinorUnits(amount), currency });

export const zero = (currency: Currency): Money => ({ amount: 0, currency });

const sameCurrency = (a: Money, b: Money): void => {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
};

/** a + b, in one currency. */
export const addMoney = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return { amount: toSafeNumber(BigInt(a.amount) + BigInt(b.amount), 'The sum'), currency: a.currency };
};

/** The sum of amounts in one currency (`currency` names it when the list is empty). */
export const sumMoney = (amounts: readonly Money[], currency: Currency): Money =>
  amounts.reduce((total, amount) => addMoney(total, amount), zero(currency));

/** A unit price times a whole quantity, exactly. */
export const multiplyMoney = (unitPrice: Money, quantity: number): Money => {
  if (!Number.isSafeInteger(quantity)) throw new MoneyRangeError('The quantity must be a whole number');
  return { amount: toSafeNumber(BigInt(unitPrice.amount) * BigInt(quantity), 'The line amount'), currency: unitPrice.currency };
};

/** Fails on an amount of another currency (a payment, say). */
export const assertSameCurrency = (expected: Currency, actual: Currency): void => {
  if (expected !== actual) throw new CurrencyMismatchError(expected, actual);
};

/**
 * `numerator / denominator` rounded to the nearest integer, halves away from
 * zero ("half up" for the non-negative amounts invoices hold): the rounding
 * rule of tax (tax.ts). Exact, on BigInt.
 */
export const divideRoundHalfUp = (numerator: bigint, denominator: bigint): bigint => {
  if (denominator <= 0n) throw new RangeError('The denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const rounded = (magnitude % denominator) * 2n >= denominator ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
};

/** Minor units as a decimal string in major units, with the currency's digits: 1234 EUR → "12.34", 1234 JPY → "1234", 1234 BHD → "1.234". */
export const formatMinorUnits = (amount: number, currency: Currency): string => {
  assertMinorUnits(amount);
  const digits = exponentOf(currency);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount));
  if (digits === 0) return `${sign}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
};

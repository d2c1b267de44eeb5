import { ConflictError, ValidationError } from '../shared/errors.ts';
import {
  assertSameCurrency,
  type Currency,
  CurrencyMismatchError,
  type Money,
  MoneyRangeError,
  money,
  multiplyMoney,
  sumMoney,
} from './money.ts';
import { type PriceBookEntry, pricedOn, priceInForce } from './price-book-rules.ts';
import { taxOn } from './tax.ts';

/** A line priced from the issuer's price book, or priced explicitly. */
export type InvoiceLineInput =
  | { sku: string; quantity: number }
  | { description: string; quantity: number; unitPrice: number; currency: Currency };

export interface PricedLine {
  sku: string | null;
  description: string;
  unit: string | null;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
  netAmount: number;
  taxAmount: number;
}

export interface PricedInvoice {
  lines: PricedLine[];
  subtotal: number;
  taxTotal: number;
  total: number;
}

export interface InvoiceTerms {
  currency: Currency;
  taxRatePpm: number;
  /** The day whose prices apply. */
  invoiceDate: string;
}

const linePath = (index: number, field?: string) => `body.lines.${index}${field ? `.${field}` : ''}`;

const unitPriceOf = (line: InvoiceLineInput, index: number, terms: InvoiceTerms, book: readonly PriceBookEntry[]) => {
  if (!('sku' in line)) {
    try {
      assertSameCurrency(terms.currency, line.currency);
    } catch (error) {
      if (!(error instanceof CurrencyMismatchError)) throw error;
      throw new ValidationError('Every line must be in the invoice’s currency', {
        errors: [{ path: linePath(index, 'currency'), message: `must be ${terms.currency}, the invoice's currency` }],
      });
    }
    return { sku: null, description: line.description, unit: null, unitPrice: money(line.unitPrice, line.currency) };
  }
  const entry = priceInForce(book, line.sku, terms.currency, terms.invoiceDate);
  if (entry) return { sku: entry.sku, description: entry.name, unit: entry.unit, unitPrice: money(entry.unitPrice, entry.currency) };
  const elsewhere = pricedOn(book, line.sku, terms.invoiceDate);
  if (elsewhere.length > 0) {
    throw new ConflictError(
      `${line.sku} is priced in ${elsewhere.map((other) => other.currency).join(', ')} on ${terms.invoiceDate}, not in ${terms.currency}`,
      { extensions: { rule: 'currency-mismatch', line: index, sku: line.sku } },
    );
  }
  throw new ConflictError(`The issuer's price book has no price for ${line.sku} on ${terms.invoiceDate}`, {
    extensions: { rule: 'sku-not-priced', line: index, sku: line.sku },
  });
};

/**
 * Prices a draft's lines: SKU lines at the issuer's price in force on the
 * invoice date in the invoice's currency, explicit lines at their own price
 * (which must be in the invoice's currency). Per line: net = quantity × unit
 * price, tax = net × rate rounded half up to the minor unit; the invoice's
 * subtotal, tax and total are the sums of its lines'. All in integer minor
 * units; an amount beyond Number.MAX_SAFE_INTEGER is refused (400).
 */
export const priceInvoice = (lines: readonly InvoiceLineInput[], terms: InvoiceTerms, book: readonly PriceBookEntry[]): PricedInvoice => {
  const priced: PricedLine[] = [];
  const nets: Money[] = [];
  const taxes: Money[] = [];
  for (const [index, line] of lines.entries()) {
    const { sku, description, unit, unitPrice } = unitPriceOf(line, index, terms, book);
    try {
      const net = multiplyMoney(unitPrice, line.quantity);
      const tax = taxOn(net, terms.taxRatePpm);
      nets.push(net);
      taxes.push(tax);
      priced.push({
        sku,
        description,
        unit,
        quantity: line.quantity,
        unitPrice: unitPrice.amount,
        netAmount: net.amount,
        taxAmount: tax.amount,
      });
    } catch (error) {
      if (!(error instanceof MoneyRangeError)) throw error;
      throw new ValidationError('A line amount is too large', { errors: [{ path: linePath(index, 'quantity'), message: error.message }] });
    }
  }
  try {
    const subtotal = sumMoney(nets, terms.currency);
    const taxTotal = sumMoney(taxes, terms.currency);
    const total = sumMoney([subtotal, taxTotal], terms.currency);
    return { lines: priced, subtotal: subtotal.amount, taxTotal: taxTotal.amount, total: total.amount };
  } catch (error) {
    if (!(error instanceof MoneyRangeError)) throw error;
    throw new ValidationError('The invoice total is too large', { errors: [{ path: 'body.lines', message: error.message }] });
  }
};

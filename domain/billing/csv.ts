/**
 * CSV as RFC 4180 writes it: CRLF between records, a field quoted when it
 * holds a comma, a quote, CR or LF (or leading/trailing spaces, which some
 * readers would trim), quotes inside doubled.
 *
 * Spreadsheet formula injection (CWE-1236): a cell that starts with `=`,
 * `+`, `-`, `@`, a tab or a CR is run as a formula by Excel, LibreOffice and
 * Google Sheets. Such a value is prefixed with a single quote `'`, which
 * spreadsheets show as text and never evaluate; a CSV parser reads the
 * quote as part of the value. Amounts are written as plain decimals that
 * never start so (invoice amounts are never negative).
 */
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]|^\s|\s$/;

export const csvField = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const csvRecord = (fields: readonly (string | number | null | undefined)[]): string => `${fields.map(csvField).join(',')}\r\n`;

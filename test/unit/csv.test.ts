import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '#domain/billing/csv';
import { parseCsv } from '../support/csv-parse.ts';

describe('CSV fields (RFC 4180, formula-safe)', () => {
  it('quotes fields holding commas, quotes, CR, LF or edge spaces, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvRecord(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('a=b')).toBe('a=b');
  });

  it('reads back exactly what it wrote', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\r\nlines', ' x ', '', 'é ü 漢字', '"', ',,,'];
    const text = csvRecord(values) + csvRecord(['1', '2']);

    expect(parseCsv(text)).toEqual([values, ['1', '2']]);
  });
});

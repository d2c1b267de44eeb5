/**
 * A strict RFC 4180 reader for tests: records end in CRLF, quoted fields may
 * hold commas, CR, LF and doubled quotes. Throws on anything else (a stray
 * quote, a bare LF between records), so a test reading an export back also
 * checks it is well-formed.
 */
export const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      if (field !== '') throw new Error(`A quote inside an unquoted field at ${i}`);
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('An unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`Text after a quoted field at ${i}`);
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      continue;
    }
    if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`A CR without LF at ${i}`);
      endField();
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    if (c === '\n') throw new Error(`A bare LF at ${i}`);
    field += c;
    i++;
  }
  if (field !== '' || record.length > 0) throw new Error('The last record does not end in CRLF');
  return records;
};

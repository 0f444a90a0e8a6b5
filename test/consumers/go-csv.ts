/**
 * A port of Go's `encoding/csv` `Reader.ReadAll` (Go 1.22, `src/encoding/csv/reader.go`), so
 * tests parse the files we emit for Go programs exactly as those programs do. Implements the
 * options dcgm-exporter and similar readers use: `Comma`, `Comment`, `LazyQuotes`,
 * `TrimLeadingSpace` and `FieldsPerRecord` (0: every record must have as many fields as the
 * first). Errors carry Go's messages (`ErrBareQuote`, `ErrQuote`, `ErrFieldCount`).
 */
export interface GoCsvOptions {
  readonly comma?: string;
  readonly comment?: string;
  readonly lazyQuotes?: boolean;
  readonly trimLeadingSpace?: boolean;
  /** Go's FieldsPerRecord: > 0 exact count, 0 the first record's count, < 0 any. @default 0 */
  readonly fieldsPerRecord?: number;
}

/** A parse error as Go reports it: `record on line L: wrong number of fields` etc. */
export class GoCsvError extends Error {
  constructor(
    readonly line: number,
    readonly kind: string,
  ) {
    super(`parse error on line ${line}: ${kind}`);
  }
}

const ERR_BARE_QUOTE = 'bare " in non-quoted-field';
const ERR_QUOTE = 'extraneous or missing " in quoted-field';
const ERR_FIELD_COUNT = 'wrong number of fields';

/** Go's `Reader.ReadAll`: all records, or throws the first error. */
export function goCsvReadAll(text: string, opts: GoCsvOptions = {}): string[][] {
  const comma = opts.comma ?? ',';
  const comment = opts.comment ?? '';
  let fieldsPerRecord = opts.fieldsPerRecord ?? 0;
  // Go reads line by line, normalising a trailing \r\n to \n.
  const lines: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const i = rest.indexOf('\n');
    const line = i < 0 ? rest : rest.slice(0, i + 1);
    rest = i < 0 ? '' : rest.slice(i + 1);
    lines.push(line.endsWith('\r\n') ? line.slice(0, -2) + '\n' : line);
  }
  const records: string[][] = [];
  let li = 0;
  while (li < lines.length) {
    const recordLine = li + 1;
    let line = lines[li++];
    if (comment !== '' && line.startsWith(comment)) continue;
    if (line === '\n') continue; // Go skips empty lines
    const fields: string[] = [];
    let pos = 0;
    for (;;) {
      if (opts.trimLeadingSpace) {
        while (pos < line.length && /\s/.test(line[pos]) && line[pos] !== '\n') pos++;
      }
      if (pos >= line.length || line[pos] !== '"') {
        // Non-quoted field.
        const end = line.indexOf(comma, pos);
        const field = end >= 0 ? line.slice(pos, end) : line.slice(pos).replace(/\n$/, '');
        if (!opts.lazyQuotes && field.includes('"')) throw new GoCsvError(recordLine, ERR_BARE_QUOTE);
        fields.push(field);
        if (end >= 0) {
          pos = end + comma.length;
          continue;
        }
        break;
      }
      // Quoted field.
      pos++;
      let value = '';
      for (;;) {
        const q = line.indexOf('"', pos);
        if (q >= 0) {
          value += line.slice(pos, q);
          pos = q + 1;
          const next = line[pos];
          if (next === '"') {
            value += '"';
            pos++;
          } else if (line.startsWith(comma, pos)) {
            pos += comma.length;
            fields.push(value);
            value = '\u0000continue';
            break;
          } else if (pos >= line.length || next === '\n') {
            fields.push(value);
            value = '\u0000end';
            break;
          } else if (opts.lazyQuotes) {
            value += '"';
          } else {
            throw new GoCsvError(recordLine, ERR_QUOTE);
          }
        } else if (line.length > 0 && li < lines.length) {
          // The quoted field spans a line break.
          value += line.slice(pos);
          line = lines[li++];
          pos = 0;
        } else {
          if (!opts.lazyQuotes) throw new GoCsvError(recordLine, ERR_QUOTE);
          fields.push(value + line.slice(pos));
          value = '\u0000end';
          break;
        }
      }
      if (value === '\u0000continue') continue;
      break;
    }
    if (fieldsPerRecord > 0) {
      if (fields.length !== fieldsPerRecord) throw new GoCsvError(recordLine, ERR_FIELD_COUNT);
    } else if (fieldsPerRecord === 0) {
      fieldsPerRecord = fields.length;
    }
    records.push(fields);
  }
  return records;
}

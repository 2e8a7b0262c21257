// Reads CSV records with csv-parse, streaming, each with the physical line where it starts.
import { Readable, pipeline } from "node:stream";
import { CsvError, Parser } from "csv-parse";

export type CsvInput = Readable | Buffer | string;

export interface CsvRecord {
  /** Physical line where the record starts, counting `\r\n`, `\n` and `\r` as one break each. */
  line: number;
  fields: string[];
}

/** The bytes are not CSV that can be read (an unclosed quote, a record too long to be real). */
export class MalformedCsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "MalformedCsvError";
  }
}

/** Longer records are refused: a real row is well under 1 KB, and a quote left open swallows the rest. */
export const MAX_RECORD_CHARS = 65_536;

// Buffers and strings are fed in slices so that a caller who stops early (row limit) stops the
// parsing too: csv-parse parses a whole chunk at a time.
const CHUNK_BYTES = 64 * 1024;

const LINE_BREAK = /\r\n|\r|\n/g;

function* slices(bytes: Buffer): Generator<Buffer> {
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    yield bytes.subarray(start, start + CHUNK_BYTES);
  }
}

function toReadable(input: CsvInput): Readable {
  if (input instanceof Readable) return input;
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  return Readable.from(slices(bytes), { objectMode: false });
}

function countLineBreaks(fields: string[]): number {
  let breaks = 0;
  for (const field of fields) breaks += field.match(LINE_BREAK)?.length ?? 0;
  return breaks;
}

/**
 * Blank lines reach the reader as one-field records (csv-parse's `skip_empty_lines` is off so
 * that the line tracker sees them); a line of spaces is blank too.
 */
export function isBlankRecord(fields: string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === "";
}

function describe(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field starts on this line and is never closed: a quote is missing";
    case "CSV_MAX_RECORD_SIZE":
      return `the record starting on this line is longer than ${MAX_RECORD_CHARS.toLocaleString("en")} characters: is a quote left open?`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return 'a quoted field must end with a quote followed by a comma or the end of the line (write a quote inside a quoted field as "")';
    default:
      return `the file is not valid CSV (${error.message})`;
  }
}

/**
 * Line numbers: csv-parse's own `info.lines` counts a `\r\n` inside a quoted field as two lines,
 * so the start line is tracked here instead, from the line breaks inside each record's fields
 * (only quoted fields can hold them, since every kind of break ends a record). Blank lines reach
 * the tracker as one-field records, so no line is missed.
 */
class LineTracker {
  nextLine = 1;

  startOf(fields: string[]): number {
    const line = this.nextLine;
    this.nextLine = line + countLineBreaks(fields) + 1;
    return line;
  }
}

/**
 * Numbers each record as csv-parse emits it, in file order, so that the line where an error
 * happens is known even though the consumer reads behind the parser. (Overriding `push` rather
 * than using csv-parse's `on_record`, which builds an info object per record and costs 40 % of
 * the parsing time.)
 */
class NumberingParser extends Parser {
  readonly lines = new LineTracker();

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (!Array.isArray(chunk)) return super.push(chunk, encoding);
    const record: CsvRecord = { line: this.lines.startOf(chunk), fields: chunk };
    return super.push(record, encoding);
  }
}

/** Yields every non-blank record; throws MalformedCsvError, never a CsvError. */
export async function* readCsvRecords(input: CsvInput): AsyncGenerator<CsvRecord> {
  const parser = new NumberingParser({
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    // A quote inside an unquoted field (`He said "no"`) is kept as written.
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const source = toReadable(input);
  // Errors of the source reach the parser and end the loop below.
  pipeline(source, parser, () => {});
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      // A NUL is never text, and PostgreSQL cannot store it: the file is binary or corrupt.
      if (record.fields.some((field) => field.includes("\0"))) {
        throw new MalformedCsvError(
          record.line,
          `line ${record.line}: the file holds a NUL character: it is not a text CSV file`,
        );
      }
      if (!isBlankRecord(record.fields)) yield record;
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = parser.lines.nextLine;
    throw new MalformedCsvError(line, `line ${line}: ${describe(error)}`);
  } finally {
    // At once, not on pipeline's next tick: a caller who stopped early stops the source too.
    source.destroy();
  }
}

// The row limit stops reading early; malformed and hostile files give a failure, never a throw.
import { Readable } from "node:stream";
import { expect, test } from "vitest";
import { MAX_IMPORT_ROWS, parseBlocklist } from "../../server/imports/parse.js";
import {
  generatedBlocklistStream,
  generatedBlocklistText,
} from "../support/blocklist-generator.js";

const HEADER = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

test("a 60,000-row file stops with too_many_rows soon after row 50,000", async () => {
  const generated = generatedBlocklistStream(60_000);
  const result = await parseBlocklist(generated.stream);
  expect(result).toEqual({
    ok: false,
    code: "too_many_rows",
    line: MAX_IMPORT_ROWS + 2,
    message: "the file has more than 50,000 rows: split it into smaller files",
  });
  // Streams buffer a little ahead of the parser, but the last 10,000 rows are never made.
  expect(generated.rowsProduced()).toBeGreaterThan(MAX_IMPORT_ROWS);
  expect(generated.rowsProduced()).toBeLessThan(MAX_IMPORT_ROWS + 2_000);
  expect(generated.stream.destroyed).toBe(true);
});

test("a 60,000-row Buffer stops at the limit too", async () => {
  const result = await parseBlocklist(Buffer.from(generatedBlocklistText(60_000)));
  expect(result).toMatchObject({ ok: false, code: "too_many_rows", line: 50_002 });
});

test("exactly 50,000 rows are read", async () => {
  const result = await parseBlocklist(generatedBlocklistText(MAX_IMPORT_ROWS));
  expect(result).toMatchObject({ ok: true, rows: MAX_IMPORT_ROWS, problems: [] });
  if (result.ok) expect(result.entries).toHaveLength(MAX_IMPORT_ROWS);
});

test("maxRows is an option; blank lines and the header do not count", async () => {
  const text = `${HEADER}\n\na.example\n\nb.example\n   \n`;
  expect(await parseBlocklist(text, { maxRows: 2 })).toMatchObject({ ok: true, rows: 2 });
  expect(await parseBlocklist(`${text}c.example\n`, { maxRows: 2 })).toMatchObject({
    ok: false,
    code: "too_many_rows",
    line: 7,
    message: "the file has more than 2 rows: split it into smaller files",
  });
});

test("an unterminated quote is a malformed_csv failure on the line where it opens", async () => {
  const text = `${HEADER}\na.example,suspend,false,false,ok,false\n\nb.example,suspend,false,false,"never closed\nc.example,suspend\n`;
  expect(await parseBlocklist(text)).toEqual({
    ok: false,
    code: "malformed_csv",
    line: 4,
    message: "line 4: a quoted field starts on this line and is never closed: a quote is missing",
  });
});

test("a 5 MB quoted field is refused as malformed, without throwing", async () => {
  const text = `${HEADER}\nbomb.example,suspend,false,false,"${"x".repeat(5_000_000)}",false\n`;
  expect(await parseBlocklist(text)).toEqual({
    ok: false,
    code: "malformed_csv",
    line: 2,
    message: expect.stringContaining("longer than 65,536 characters"),
  });
});

test("10,000 columns in a row is one field_count problem", async () => {
  const text = `${HEADER}\nwide.example${",x".repeat(10_000)}\nnarrow.example,noop,,,,\n`;
  const result = await parseBlocklist(text);
  expect(result).toMatchObject({ ok: true, rows: 2 });
  if (!result.ok) return;
  expect(result.problems.map(({ line, code }) => [line, code])).toEqual([[2, "field_count"]]);
  expect(result.entries.map((entry) => entry.domain)).toEqual(["narrow.example"]);
});

test("10,000 columns without a header are reported as ignored, once", async () => {
  const result = await parseBlocklist(`wide.example,suspend${",x".repeat(10_000)}\n`);
  expect(result).toMatchObject({ ok: true, rows: 1, ignoredColumns: ["columns 3-10002"] });
});

test("a quote inside an unquoted comment is kept as written", async () => {
  const result = await parseBlocklist(
    `${HEADER}\na.example,suspend,false,false,He said "no",false\n`,
  );
  expect(result).toMatchObject({ ok: true, rows: 1 });
  if (result.ok) expect(result.entries[0]!.publicComment).toBe('He said "no"');
});

test("an error of the input stream rejects: it is not the file's fault", async () => {
  const failing = new Readable({
    read() {
      this.destroy(new Error("connection reset"));
    },
  });
  await expect(parseBlocklist(failing)).rejects.toThrow("connection reset");
});

test("an empty file and a header alone have no rows", async () => {
  expect(await parseBlocklist("")).toMatchObject({ ok: true, rows: 0, entries: [] });
  expect(await parseBlocklist(`${HEADER}\r\n`)).toMatchObject({
    ok: true,
    hasHeader: true,
    rows: 0,
  });
});

// `line` is the physical line where a record starts, whatever the line endings.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { parseBlocklist } from "../../server/imports/parse.js";
import type { ParsedBlocklist } from "../../server/imports/report.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/blocklists/", import.meta.url));

async function parsed(input: string | Buffer): Promise<ParsedBlocklist> {
  const result = await parseBlocklist(input);
  if (!result.ok) throw new Error(`not read: ${result.message}`);
  return result;
}

test.each(["multiline-comment.csv", "multiline-comment-crlf.csv"])(
  "%s: lines count the comment's own lines and the blank line",
  async (file) => {
    const { entries } = await parsed(readFileSync(`${FIXTURES}${file}`));
    expect(entries.map(({ line, domain }) => [line, domain])).toEqual([
      [2, "multi-one.example"],
      [5, "multi-two.example"],
      [7, "multi-three.example"],
      [9, "multi-four.example"],
    ]);
    const eol = file.endsWith("crlf.csv") ? "\r\n" : "\n";
    expect(entries[0]!.publicComment).toBe(
      `first line${eol}second line with a "quote", and a comma${eol}third line`,
    );
  },
);

test("a problem after a multi-line comment has the right line, with CRLF", async () => {
  const text = '#domain,#public_comment\r\na.example,"one\r\ntwo\r\nthree"\r\n\r\nbad domain,x\r\n';
  const { problems } = await parsed(text);
  expect(problems.map(({ line, code }) => [line, code])).toEqual([[6, "invalid_domain"]]);
});

test("CR, LF and CRLF each end a line, even mixed in one file", async () => {
  const { entries } = await parsed("#domain\na.example\r\nb.example\rc.example\n\n\r\nd.example");
  expect(entries.map(({ line, domain }) => [line, domain])).toEqual([
    [2, "a.example"],
    [3, "b.example"],
    [4, "c.example"],
    [7, "d.example"],
  ]);
});

test("a CRLF split across two chunks is one line break", async () => {
  const header = "#domain,#public_comment\r\n";
  const filler = "y".repeat(64 * 1024 - header.length - "a.example,".length - 1);
  const text = `${header}a.example,${filler}\r\nb.example,"q\r\nr"\r\nc.example,z\r\n`;
  expect(Buffer.byteLength(text.slice(0, text.indexOf("\n", header.length)))).toBe(64 * 1024);
  const { entries } = await parsed(text);
  expect(entries.map((entry) => entry.line)).toEqual([2, 3, 5]);
});

test("a byte order mark is not part of the header", async () => {
  const { hasHeader, entries } = await parsed(readFileSync(`${FIXTURES}bom.csv`));
  expect(hasHeader).toBe(true);
  expect(entries.map(({ line, domain }) => [line, domain])).toEqual([
    [2, "bom-one.example"],
    [3, "bom-two.example"],
  ]);
});

test("a BOM before a header-less first row does not reach the domain", async () => {
  const { entries } = await parsed(Buffer.from("\uFEFFfirst.example,suspend\n"));
  expect(entries.map(({ line, domain }) => [line, domain])).toEqual([[1, "first.example"]]);
});

test("blank and spaces-only lines are not rows but still count as lines", async () => {
  const { rows, entries } = await parsed(readFileSync(`${FIXTURES}blank-lines.csv`));
  expect(rows).toBe(3);
  expect(entries.map((entry) => entry.line)).toEqual([2, 5, 7]);
});

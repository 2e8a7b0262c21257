// Passwords in database URLs never reach a log line (issue 10).
import { expect, test } from "vitest";
import { createLogger, redactUrl } from "../../server/log.js";

test.each([
  ["postgresql://fediblock:secret@db:5432/x", "postgresql://fediblock:***@db:5432/x"],
  [
    "postgres://u:p%40ss@127.0.0.1/x?sslmode=require",
    "postgres://u:***@127.0.0.1/x?sslmode=require",
  ],
  ["postgresql://fediblock@db/x", "postgresql://fediblock@db/x"],
  ["file:./data/fediblock.db", "file:./data/fediblock.db"],
  [
    "see https://a:b@x.example and postgresql://c:d@y/z",
    "see https://a:***@x.example and postgresql://c:***@y/z",
  ],
])("%s", (text, redacted) => {
  expect(redactUrl(text)).toBe(redacted);
});

test("a log line and its fields, errors included, lose the password", () => {
  const lines: string[] = [];
  const log = createLogger("debug", (line) => {
    lines.push(line);
    return true;
  });
  log.info("opening postgresql://fediblock:secret@db/x", {
    url: "postgresql://fediblock:secret@db/x",
    error: new Error("connect to postgresql://fediblock:secret@db/x failed"),
  });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain("secret");
  expect(lines[0]).toContain("postgresql://fediblock:***@db/x");
});

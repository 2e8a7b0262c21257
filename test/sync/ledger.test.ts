// The ownership ledger on its own (server/sync/ledger.ts): announced writes settled by what the
// server holds, hosts gone from the server forgotten, dry runs that write nothing, broken files.
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import type { BlockFields } from "../../server/sync/block.js";
import { Ledger, LEDGER_FILE, LedgerError } from "../../server/sync/ledger.js";
import { tempDir } from "./harness.js";

const dir = tempDir();
afterEach(() => fs.rmSync(path.join(dir, LEDGER_FILE), { force: true }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const suspend: BlockFields = {
  severity: "suspend",
  reject_media: false,
  reject_reports: false,
  public_comment: "",
  obfuscate: false,
};
const silence: BlockFields = { ...suspend, severity: "silence" };

describe("the ownership ledger", () => {
  test.each([
    [
      "a create that landed becomes the sync's",
      null,
      suspend,
      new Map([["a.example", suspend]]),
      "M1",
    ],
    ["a create that did not land is forgotten", null, suspend, new Map(), undefined],
    [
      "an update that landed takes its marker",
      silence,
      suspend,
      new Map([["a.example", suspend]]),
      "M1",
    ],
    [
      "an update that did not land keeps the old marker",
      silence,
      suspend,
      new Map([["a.example", silence]]),
      "M0",
    ],
    ["a removal that landed forgets the host", suspend, null, new Map(), undefined],
    [
      "a removal that did not land keeps the host",
      suspend,
      null,
      new Map([["a.example", suspend]]),
      "M0",
    ],
  ] as const)("after a run that died mid-write: %s", (_, before, wanted, server, marker) => {
    const ledger = Ledger.load(dir, "t.example");
    if (before) {
      ledger.intend("a.example", before, "M0");
      ledger.confirm("a.example");
    }
    ledger.intend("a.example", wanted, wanted ? "M1" : null);
    const next = Ledger.load(dir, "t.example");
    next.reconcile(server);
    expect(next.marker("a.example")).toBe(marker);
    expect(Ledger.load(dir, "t.example").marker("a.example")).toBe(marker);
  });

  test("a host gone from the server is forgotten; a missing ledger is written at once", () => {
    const ledger = Ledger.load(dir, "t.example");
    expect(ledger.status).toBe("missing");
    ledger.reconcile(new Map());
    expect(fs.existsSync(path.join(dir, LEDGER_FILE))).toBe(true);
    ledger.adopt("a.example", suspend, "M");
    ledger.reconcile(new Map([["b.example", suspend]]));
    expect(Ledger.load(dir, "t.example").hosts()).toEqual([]);
  });

  test("a read-only ledger (a dry run) never writes", () => {
    const ledger = Ledger.load(dir, "t.example", { readOnly: true });
    ledger.reconcile(new Map());
    ledger.adopt("a.example", suspend, "M");
    expect(ledger.marker("a.example")).toBe("M");
    expect(fs.existsSync(path.join(dir, LEDGER_FILE))).toBe(false);
  });

  test.each([
    ["not JSON", "{", /is not JSON/],
    [
      "another version",
      JSON.stringify({ version: 9, target: "t.example", hosts: {} }),
      /version 1/,
    ],
    [
      "another target",
      JSON.stringify({ version: 1, target: "x.example", hosts: {} }),
      /is for x\.example/,
    ],
    [
      "a broken entry",
      JSON.stringify({ version: 1, target: "t.example", hosts: { "a.example": { marker: 1 } } }),
      /unreadable entry for a\.example/,
    ],
  ])("a file that is %s is refused, never overwritten", (_, text, message) => {
    fs.writeFileSync(path.join(dir, LEDGER_FILE), text);
    expect(() => Ledger.load(dir, "t.example")).toThrow(LedgerError);
    expect(() => Ledger.load(dir, "t.example")).toThrow(message);
    expect(fs.readFileSync(path.join(dir, LEDGER_FILE), "utf8")).toBe(text);
  });
});

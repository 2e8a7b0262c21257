import { describe, expect, test } from "vitest";
import { meetsThreshold, toThresholdPercent } from "../../server/lists/policy.js";
import {
  chooseSeverity,
  severityChoice,
  tallyVotes,
  verdict,
  type CastVote,
} from "../../server/proposals/tally.js";

describe("meetsThreshold: yes × 100 ≥ threshold × 100 × (yes + no), exactly", () => {
  test.each([
    [1, 1, 0.5, true],
    [1, 1, 0.51, false],
    [2, 1, 0.66, true],
    [2, 1, 0.67, false],
    [3, 1, 0.75, true],
    [2, 1, 0.75, false],
    [0, 0, 0.66, true],
    [1, 0, 1, true],
    [9, 1, 1, false],
    [33, 17, 0.66, true],
    [33, 18, 0.66, false],
  ])("%i yes, %i no at %d → %s", (yes, no, threshold, expected) => {
    expect(meetsThreshold(yes, no, toThresholdPercent(threshold))).toBe(expected);
  });

  test("two-decimal thresholds convert without floating-point drift", () => {
    for (let percent = 1; percent <= 100; percent++) {
      expect(toThresholdPercent(percent / 100)).toBe(percent);
    }
  });
});

describe("verdict", () => {
  const opened = new Date("2026-03-01T00:00:00Z");
  const terms = {
    quorum: 3,
    thresholdPercent: 66,
    minOpenHours: 24,
    openedAt: opened,
    closesAt: new Date(opened.getTime() + 14 * 86_400_000),
  };
  const at = (hours: number) => new Date(opened.getTime() + hours * 3_600_000);

  test.each([
    ["quorum and threshold met, after minOpenHours", { yes: 2, no: 1, abstain: 0 }, 25, "passes"],
    ["quorum and threshold met, before minOpenHours", { yes: 3, no: 0, abstain: 0 }, 23, "open"],
    [
      "quorum and threshold met at exactly minOpenHours",
      { yes: 3, no: 0, abstain: 0 },
      24,
      "passes",
    ],
    ["abstentions do not count toward the quorum", { yes: 2, no: 0, abstain: 5 }, 48, "open"],
    ["threshold missed", { yes: 1, no: 2, abstain: 0 }, 48, "open"],
    ["window closed without passing", { yes: 1, no: 2, abstain: 0 }, 14 * 24, "rejected"],
    [
      "window closed with the votes: still passes",
      { yes: 3, no: 0, abstain: 0 },
      14 * 24,
      "passes",
    ],
    [
      "settled long after the window closed, with the votes cast in it: passes",
      { yes: 3, no: 0, abstain: 0 },
      30 * 24,
      "passes",
    ],
    [
      "settled long after the window closed, without the votes: rejected",
      { yes: 2, no: 0, abstain: 0 },
      30 * 24,
      "rejected",
    ],
  ] as const)("%s → %s", (_name, tally, hours, expected) => {
    expect(verdict(terms, tally, at(hours))).toBe(expected);
  });

  describe("a minOpenHours that reaches the end of the window", () => {
    const carried = { yes: 3, no: 0, abstain: 0 };
    const window = 14 * 24;

    test.each([
      ["just before the end: held back", window - 1, "open"],
      ["at the end: decided by the votes cast before it", window, "passes"],
      ["after the end", window + 100, "passes"],
    ] as const)("equal to the window, %s → %s", (_name, hours, expected) => {
      expect(verdict({ ...terms, minOpenHours: window }, carried, at(hours))).toBe(expected);
    });

    test.each([
      ["at the end", window],
      ["when passable", window + 1],
      ["long after", window + 1000],
    ] as const)(
      "beyond the window (never passable in it), %s: rejected, never passes",
      (_name, hours) => {
        expect(verdict({ ...terms, minOpenHours: window + 1 }, carried, at(hours))).toBe(
          "rejected",
        );
      },
    );
  });
});

describe("chooseSeverity", () => {
  const yes = (severity: CastVote["severity"]): CastVote => ({ vote: "yes", severity });
  const no = (severity: CastVote["severity"]): CastVote => ({ vote: "no", severity });

  test.each([
    [
      "majority of yes votes",
      "suspend",
      [yes("silence"), yes("silence"), yes("suspend")],
      "majority",
      "silence",
    ],
    [
      "a yes without severity counts for the proposed one",
      "suspend",
      [yes(null), yes(null), yes("silence")],
      "majority",
      "suspend",
    ],
    ["ties go to the stricter", "silence", [yes("silence"), yes("suspend")], "majority", "suspend"],
    [
      "no votes are not counted",
      "silence",
      [yes("silence"), no("suspend"), no("suspend")],
      "majority",
      "silence",
    ],
    ["strictest", "noop", [yes("noop"), yes("noop"), yes("silence")], "strictest", "silence"],
    ["no yes votes: the proposed severity", "silence", [no("suspend")], "majority", "silence"],
  ] as const)("%s", (_name, proposed, votes, rule, expected) => {
    expect(chooseSeverity(proposed, [...votes], rule)).toBe(expected);
  });
});

describe("severityChoice says when a majority tied", () => {
  const yes = (severity: CastVote["severity"]): CastVote => ({ vote: "yes", severity });

  test("a tie names the tied severities, least strict first, and the stricter wins", () => {
    expect(
      severityChoice("silence", [yes("suspend"), yes("silence"), yes("noop")], "majority"),
    ).toEqual({ severity: "suspend", tiedWith: ["noop", "silence", "suspend"] });
    expect(severityChoice("noop", [yes("silence"), yes(null), yes(null)], "majority")).toEqual({
      severity: "noop",
      tiedWith: null,
    });
  });

  test("no tie without a majority rule or with a clear winner", () => {
    expect(severityChoice("noop", [yes("silence"), yes("suspend")], "strictest")).toEqual({
      severity: "suspend",
      tiedWith: null,
    });
    expect(severityChoice("noop", [], "majority")).toEqual({ severity: "noop", tiedWith: null });
  });
});

test("tallyVotes counts each kind", () => {
  expect(
    tallyVotes([{ vote: "yes" }, { vote: "no" }, { vote: "abstain" }, { vote: "yes" }]),
  ).toEqual({ yes: 2, no: 1, abstain: 1 });
});

import { describe, expect, test } from "vitest";
import type { BlockFields, DesiredBlock, Severity, TargetBlock } from "../../server/sync/block.js";
import { markPrivateComment, type MarkerScope } from "../../server/sync/marker.js";
import {
  planSync,
  type PlanContext,
  type PlanNote,
  type SyncAction,
  type SyncPlan,
} from "../../server/sync/plan.js";

const HOST = "lists.example.org";
const SCOPE: MarkerScope = {
  key: Buffer.alloc(32, 7),
  targetHost: "social.example.net",
  serverHost: HOST,
};
const context: PlanContext = {
  serverHost: HOST,
  marker: SCOPE,
  protectedDomains: ["social.example.net", HOST],
  deleteRetracted: true,
};

function fields(severity: Severity, extra: Partial<BlockFields> = {}): BlockFields {
  return {
    severity,
    reject_media: false,
    reject_reports: false,
    public_comment: "",
    obfuscate: false,
    ...extra,
  };
}

function want(domain: string, severity: Severity, extra: Partial<BlockFields> = {}): DesiredBlock {
  return { domain, ...fields(severity, extra) };
}

let nextId = 1;
function block(domain: string, current: BlockFields, privateComment: string): TargetBlock {
  return { id: String(nextId++), domain, ...current, private_comment: privateComment };
}
/** A block the sync wrote and nobody touched since. */
function managed(
  domain: string,
  severity: Severity,
  extra: Partial<BlockFields> = {},
): TargetBlock {
  const written = fields(severity, extra);
  return block(domain, written, markPrivateComment("", SCOPE, domain, written));
}
/** A block the sync wrote as `written`, then an admin changed to `now`. */
function edited(domain: string, written: Severity, now: Severity): TargetBlock {
  return block(domain, fields(now), markPrivateComment("", SCOPE, domain, fields(written)));
}
function handMade(
  domain: string,
  severity: Severity,
  extra: Partial<BlockFields> = {},
): TargetBlock {
  return block(domain, fields(severity, extra), "blocked after a report");
}

function describeAction(action: SyncAction): string {
  if (action.kind === "create") return `create ${action.domain} ${action.fields.severity}`;
  if (action.kind === "update")
    return `update ${action.domain} ${action.before.severity}→${action.fields.severity}`;
  return `delete ${action.domain}`;
}
function describeNote(note: PlanNote): string {
  return `${note.reason} ${note.domain}`;
}
function summary(plan: SyncPlan) {
  return { actions: plan.actions.map(describeAction), notes: plan.notes.map(describeNote) };
}

describe("planSync decides per domain", () => {
  test.each<[string, DesiredBlock[], TargetBlock[], string[], string[]]>([
    ["nothing wanted, nothing there", [], [], [], []],
    ["missing → create", [want("a.example", "suspend")], [], ["create a.example suspend"], []],
    [
      "managed and the same → nothing",
      [want("a.example", "silence")],
      [managed("a.example", "silence")],
      [],
      [],
    ],
    [
      "managed, new severity → update",
      [want("a.example", "suspend")],
      [managed("a.example", "silence")],
      ["update a.example silence→suspend"],
      [],
    ],
    [
      "managed, new reason → update",
      [want("a.example", "silence", { public_comment: "new" })],
      [managed("a.example", "silence")],
      ["update a.example silence→silence"],
      [],
    ],
    [
      "managed, new flag → update",
      [want("a.example", "noop", { reject_media: true })],
      [managed("a.example", "noop")],
      ["update a.example noop→noop"],
      [],
    ],
    [
      "managed, obfuscated now → update",
      [want("a.example", "noop", { obfuscate: true })],
      [managed("a.example", "noop")],
      ["update a.example noop→noop"],
      [],
    ],
    [
      "managed, gone from the feed → delete",
      [],
      [managed("a.example", "suspend")],
      ["delete a.example"],
      [],
    ],
    [
      "hand-made and the same → nothing",
      [want("a.example", "suspend")],
      [handMade("a.example", "suspend")],
      [],
      [],
    ],
    [
      "hand-made and different → reported, never changed",
      [want("a.example", "suspend")],
      [handMade("a.example", "silence")],
      [],
      ["hand_made a.example"],
    ],
    ["hand-made, not on the list → nothing", [], [handMade("a.example", "suspend")], [], []],
    [
      "edited by an admin, list differs → reported",
      [want("a.example", "suspend", { public_comment: "x" })],
      [edited("a.example", "suspend", "silence")],
      [],
      ["edited a.example"],
    ],
    [
      "edited by an admin, retracted → reported, not deleted",
      [],
      [edited("a.example", "suspend", "silence")],
      [],
      ["edited a.example"],
    ],
    [
      "edited to what the list now says → nothing",
      [want("a.example", "silence")],
      [edited("a.example", "suspend", "silence")],
      [],
      [],
    ],
    [
      "a marker from another list server is not ours",
      [],
      [
        block(
          "a.example",
          fields("suspend"),
          markPrivateComment(
            "",
            { ...SCOPE, serverHost: "other.example" },
            "a.example",
            fields("suspend"),
          ),
        ),
      ],
      [],
      [],
    ],
  ])("%s", (_, desired, existing, actions, notes) => {
    expect(summary(planSync(desired, existing, context))).toEqual({ actions, notes });
  });
});

describe("planSync and parent domains (Mastodon's stricter_than?)", () => {
  test.each<[string, DesiredBlock[], TargetBlock[], string[], string[]]>([
    [
      "under a suspended parent → covered",
      [want("a.evil.example", "silence")],
      [handMade("evil.example", "suspend")],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "suspend under a suspended parent → covered (equally strict: it would only repeat it)",
      [want("a.evil.example", "suspend")],
      [handMade("evil.example", "suspend")],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "silence under a silenced parent → covered (equally strict)",
      [want("a.evil.example", "silence")],
      [handMade("evil.example", "silence")],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "silence under noop + reject media → covered (it would drop the media rejection)",
      [want("a.evil.example", "silence")],
      [handMade("evil.example", "noop", { reject_media: true })],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "silence + reject media under noop + reject media → create",
      [want("a.evil.example", "silence", { reject_media: true })],
      [handMade("evil.example", "noop", { reject_media: true })],
      ["create a.evil.example silence"],
      [],
    ],
    [
      "noop + both rejects under a silenced parent → covered (severity comes first)",
      [want("a.evil.example", "noop", { reject_media: true, reject_reports: true })],
      [handMade("evil.example", "silence")],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "silence + reject media under a silenced parent → create",
      [want("a.evil.example", "silence", { reject_media: true })],
      [handMade("evil.example", "silence")],
      ["create a.evil.example silence"],
      [],
    ],
    [
      "silence + reject reports under silence + reject media → covered",
      [want("a.evil.example", "silence", { reject_reports: true })],
      [handMade("evil.example", "silence", { reject_media: true })],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "silence + both rejects under silence + reject media → create",
      [want("a.evil.example", "silence", { reject_media: true, reject_reports: true })],
      [handMade("evil.example", "silence", { reject_media: true })],
      ["create a.evil.example silence"],
      [],
    ],
    [
      "noop under silence + reject media → covered",
      [want("a.evil.example", "noop", { reject_media: true })],
      [handMade("evil.example", "silence", { reject_media: true })],
      [],
      ["covered_by_parent a.evil.example"],
    ],
    [
      "suspend under a silenced parent → create",
      [want("a.evil.example", "suspend")],
      [handMade("evil.example", "silence")],
      ["create a.evil.example suspend"],
      [],
    ],
    [
      "under a TLD block → covered",
      [want("spam.cf", "silence")],
      [handMade("cf", "suspend")],
      [],
      ["covered_by_parent spam.cf"],
    ],
    [
      "under a parent created by the same plan → the parent first, then what it does not cover",
      [
        want("b.evil.example", "suspend"),
        want("evil.example", "suspend"),
        want("a.b.evil.example", "silence"),
        want("c.evil.example", "suspend"),
        want("d.evil.example", "silence", { reject_media: true }),
      ],
      [handMade("d.evil.example", "silence")],
      ["create evil.example suspend"],
      [
        "covered_by_parent b.evil.example",
        "covered_by_parent c.evil.example",
        "hand_made d.evil.example",
        "covered_by_parent a.b.evil.example",
      ],
    ],
    [
      "under a parent the plan deletes → create",
      [want("a.evil.example", "silence")],
      [managed("evil.example", "suspend")],
      ["delete evil.example", "create a.evil.example silence"],
      [],
    ],
    [
      "under a parent the plan weakens → create",
      [want("evil.example", "noop"), want("a.evil.example", "silence")],
      [managed("evil.example", "suspend")],
      ["update evil.example suspend→noop", "create a.evil.example silence"],
      [],
    ],
    [
      "the nearest parent decides",
      [want("a.b.evil.example", "silence")],
      [handMade("evil.example", "suspend"), handMade("b.evil.example", "noop")],
      ["create a.b.evil.example silence"],
      [],
    ],
    [
      "an existing managed child of a new parent stays",
      [want("evil.example", "suspend"), want("a.evil.example", "suspend")],
      [managed("a.evil.example", "suspend")],
      ["create evil.example suspend"],
      [],
    ],
  ])("%s", (_, desired, existing, actions, notes) => {
    expect(summary(planSync(desired, existing, context))).toEqual({ actions, notes });
  });
});

describe("planSync never blocks protected domains", () => {
  test.each<[string, DesiredBlock[], TargetBlock[], string[], string[]]>([
    [
      "the target's own domain",
      [want("social.example.net", "suspend")],
      [],
      [],
      ["protected social.example.net"],
    ],
    [
      "a parent of the target's domain",
      [want("example.net", "suspend")],
      [],
      [],
      ["protected example.net"],
    ],
    ["the TLD of the target's domain", [want("net", "suspend")], [], [], ["protected net"]],
    ["the list server's host", [want(HOST, "suspend")], [], [], [`protected ${HOST}`]],
    [
      "a managed block of a protected domain goes",
      [want("social.example.net", "suspend")],
      [managed("social.example.net", "suspend")],
      ["delete social.example.net"],
      ["protected social.example.net"],
    ],
    [
      "a sibling is fine",
      [want("other.example.net", "suspend")],
      [],
      ["create other.example.net suspend"],
      [],
    ],
  ])("%s", (_, desired, existing, actions, notes) => {
    expect(summary(planSync(desired, existing, context))).toEqual({ actions, notes });
  });
});

describe("planSync options and order", () => {
  test("--no-delete keeps retracted managed blocks, reported", () => {
    const plan = planSync([], [managed("a.example", "suspend")], {
      ...context,
      deleteRetracted: false,
    });
    expect(summary(plan)).toEqual({ actions: [], notes: ["kept a.example"] });
  });

  test("deletes come first, then updates, then creates with parents before subdomains", () => {
    const plan = planSync(
      [
        want("z.example", "suspend"),
        want("x.a.example", "suspend"),
        want("b.example", "suspend"),
        want("u.example", "suspend"),
      ],
      [managed("gone.example", "silence"), managed("u.example", "silence")],
      context,
    );
    expect(plan.actions.map(describeAction)).toEqual([
      "delete gone.example",
      "update u.example silence→suspend",
      "create b.example suspend",
      "create z.example suspend",
      "create x.a.example suspend",
    ]);
  });

  test("counts managed blocks (edited ones too) for the brake", () => {
    const plan = planSync(
      [want("a.example", "suspend")],
      [
        managed("a.example", "suspend"),
        edited("b.example", "suspend", "noop"),
        handMade("c.example", "suspend"),
      ],
      context,
    );
    expect(plan.counts).toEqual({
      desired: 1,
      existing: 3,
      managed: 2,
      unchanged: 1,
      create: 0,
      update: 0,
      delete: 0,
      remark: 0,
    });
  });

  test("writes the marker of the new fields, keeping an admin's note before it", () => {
    const current = managed("a.example", "silence");
    current.private_comment = `ticket 7 ${current.private_comment}`;
    const [update] = planSync([want("a.example", "suspend")], [current], context).actions;
    expect(update).toMatchObject({
      kind: "update",
      id: current.id,
      privateComment: markPrivateComment("ticket 7", SCOPE, "a.example", fields("suspend")),
    });
  });
});

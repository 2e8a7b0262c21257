// applyPlan against the fake Mastodon, with actions built by hand to reach the cases a plan
// only meets in a race with an admin: the domain got blocked meanwhile, the block got deleted.
import { afterEach, describe, expect, test } from "vitest";
import { applyPlan } from "../../server/sync/apply.js";
import type { BlockFields } from "../../server/sync/block.js";
import { HttpClient } from "../../server/sync/http.js";
import { markPrivateComment } from "../../server/sync/marker.js";
import type { SyncAction } from "../../server/sync/plan.js";
import { MastodonTarget } from "../../server/sync/targets/mastodon.js";
import { MASTODON_ADMIN_TOKEN, startFakeMastodon, type FakeMastodon } from "../fakes/mastodon.js";
import { FAST_HTTP } from "./harness.js";

const suspend: BlockFields = {
  severity: "suspend",
  reject_media: false,
  reject_reports: false,
  public_comment: "",
  obfuscate: false,
};

function create(domain: string, fields = suspend): SyncAction {
  return {
    kind: "create",
    domain,
    fields,
    privateComment: markPrivateComment(
      "",
      { key: Buffer.alloc(32, 1), targetHost: "127.0.0.1", serverHost: "lists.example.org" },
      domain,
      fields,
    ),
  };
}

let fake: FakeMastodon;
afterEach(async () => {
  await fake.close();
});

function target(token = MASTODON_ADMIN_TOKEN) {
  return new MastodonTarget(new URL(fake.url), token, new HttpClient(FAST_HTTP));
}

describe("applyPlan", () => {
  test("a create answered 422 (blocked meanwhile, or under a parent) is skipped with Mastodon's reason", async () => {
    fake = await startFakeMastodon();
    fake.seed({ domain: "taken.example", severity: "silence" });
    fake.seed({ domain: "parent.example", severity: "suspend" });
    const { results } = await applyPlan(
      [
        create("taken.example"),
        create("a.parent.example", { ...suspend, severity: "silence" }),
        create("free.example"),
      ],
      target(),
    );
    expect(results.map(({ status, message }) => ({ status, message }))).toEqual([
      { status: "skipped", message: "You have already imposed stricter limits on taken.example." },
      { status: "skipped", message: "You have already imposed stricter limits on parent.example." },
      { status: "applied", message: undefined },
    ]);
  });

  test("deleting a block that is already gone counts as done", async () => {
    fake = await startFakeMastodon();
    const action: SyncAction = {
      kind: "delete",
      domain: "gone.example",
      id: "123",
      before: suspend,
    };
    const { results } = await applyPlan([action], target());
    expect(results).toEqual([{ action, status: "applied", message: "already gone" }]);
  });

  test("updating a block that is gone fails, so the next run creates it", async () => {
    fake = await startFakeMastodon();
    const action: SyncAction = {
      kind: "update",
      domain: "gone.example",
      id: "123",
      before: suspend,
      fields: suspend,
      privateComment: "",
    };
    const { results } = await applyPlan([action], target());
    expect(results).toEqual([
      {
        action,
        status: "failed",
        message: "PUT /api/v1/admin/domain_blocks/123 answered 404: Record not found",
      },
    ]);
  });

  test("stops after three failures in a row, leaving the rest not attempted", async () => {
    fake = await startFakeMastodon();
    // Every request fails, the unrelated read that checks the server too: a server-wide failure.
    fake.failNext(100, 500);
    const actions = ["a", "b", "c", "d", "e"].map((name) => create(`${name}.example`));
    const { results } = await applyPlan(actions, target());
    expect(results.map((result) => result.status)).toEqual([
      "failed",
      "failed",
      "failed",
      "not_attempted",
      "not_attempted",
    ]);
    expect(fake.writeRequests()).toHaveLength(9);
  });

  test("stops at the first refused write", async () => {
    fake = await startFakeMastodon();
    const outcome = await applyPlan(
      [create("a.example"), create("b.example")],
      target("unknown-token"),
    );
    expect(outcome.refused?.status).toBe(401);
    expect(outcome.results.map((result) => result.status)).toEqual(["failed", "not_attempted"]);
    expect(fake.writeRequests()).toHaveLength(1);
  });
});

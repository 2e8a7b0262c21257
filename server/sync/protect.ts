// --protect-follows N (opt-in, Mastodon only): before the sync creates a suspension, or upgrades
// a block to one, it asks the target how many follows tie its users to the domain; above N it
// writes `silence` instead, or holds the block (--protect-follows-action hold). A suspension
// severs every follow and deletes the cached accounts and media, and lifting it restores nothing;
// a silence keeps the follows. What was protected is recorded in protect-follows.json so the next
// run does not "upgrade" it back (docs/sync.md, section 4).
//
// Mastodon answers `POST /api/v1/admin/measures` with the keys instance_follows (local accounts
// following the domain's) and instance_followers (the domain's following local ones). It needs
// the token's whole `admin:read` scope and the role's View Dashboard permission, counts the exact
// domain unless `include_subdomains` is given (then each subdomain the server knows too; versions
// before that parameter ignore it and count the exact domain only), and caches each answer for
// 5 minutes.
import type { DesiredBlock, TargetBlock } from "./block.js";
import { blockFields } from "./block.js";
import { SyncFailure, targetFailure } from "./errors.js";
import { EXIT } from "./exit-codes.js";
import { endpoint, HttpError, WaitBudgetError, type HttpClient } from "./http.js";
import type { SyncAction } from "./plan.js";
import { readState, STATE_FILES, writeState } from "./state.js";
import { parseJson, TargetDataError } from "./targets/read.js";

export type ProtectAction = "silence" | "hold";
export const PROTECT_ACTIONS: readonly ProtectAction[] = ["silence", "hold"];

export interface Relationships {
  follows: number;
  followers: number;
}

export interface ProtectedDomain extends Relationships {
  /** `suspend`: measured at or below the threshold, so the suspension may go (for an hour). */
  action: ProtectAction | "suspend";
  threshold: number;
  recordedAt: string;
}

/** protect-follows.json: the domains kept from a suspension, by domain. */
export type ProtectedDomains = Record<string, ProtectedDomain>;

export interface ProtectedReport extends ProtectedDomain {
  action: ProtectAction;
  domain: string;
  /** True when this run measured it; false when an earlier run's record was kept. */
  measuredNow: boolean;
}

const MEASURES_HINT =
  "--protect-follows reads POST /api/v1/admin/measures: the target token needs the whole admin:read scope (admin:read:domain_blocks is not enough) and its account a role with the View Dashboard permission. Create a token with admin:read, admin:read:domain_blocks and admin:write:domain_blocks, or run without --protect-follows";

/** Would this action write a suspension where there was none? */
export function suspends(action: SyncAction): boolean {
  if (action.kind === "create") return action.fields.severity === "suspend";
  if (action.kind === "update")
    return action.fields.severity === "suspend" && action.before.severity !== "suspend";
  return false;
}

/** The follows between the target's users and `domain` and its subdomains the target knows. */
export async function measureRelationships(
  http: HttpClient,
  base: URL,
  token: string,
  domain: string,
  now: Date,
): Promise<Relationships> {
  const params = { domain, include_subdomains: true };
  // Totals do not depend on the range; a one-day range keeps the daily series short.
  const json = {
    keys: ["instance_follows", "instance_followers"],
    start_at: new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10),
    end_at: now.toISOString().slice(0, 10),
    instance_follows: params,
    instance_followers: params,
  };
  let body: string;
  try {
    body = (await http.request("POST", endpoint(base, "api/v1/admin/measures"), { token, json }))
      .body;
  } catch (error) {
    // The run's waiting budget ran out: the caller holds what is left unmeasured.
    if (error instanceof WaitBudgetError) throw error;
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      throw new SyncFailure(
        EXIT.config,
        "protect_follows_forbidden",
        `the target refused the measures of ${domain} (${error.message}); ${MEASURES_HINT}; nothing was written`,
        { cause: error },
      );
    }
    throw targetFailure(
      `could not read the follows of ${domain} for --protect-follows (${(error as Error).message}); nothing was written`,
      error,
    );
  }
  const parsed = parseJson(body, "the measures");
  const total = (key: string): number => {
    const measure = Array.isArray(parsed)
      ? (parsed as unknown[]).find(
          (item) => !!item && typeof item === "object" && (item as { key?: unknown }).key === key,
        )
      : undefined;
    const value = Number((measure as { total?: unknown } | undefined)?.total);
    if (!Number.isInteger(value) || value < 0) {
      throw new TargetDataError(
        `the target's measures have no ${key} total for ${domain} (a Mastodon before 3.5 has none)`,
      );
    }
    return value;
  };
  try {
    return { follows: total("instance_follows"), followers: total("instance_followers") };
  } catch (error) {
    throw new SyncFailure(
      EXIT.config,
      "protect_follows_unsupported",
      `${(error as Error).message}; run without --protect-follows`,
    );
  }
}

/**
 * A measure at or below the threshold is kept an hour, so that a run stopped by its waiting
 * budget does not measure the same domains again before it writes them.
 */
const MEASURE_KEPT_MS = 60 * 60 * 1000;

export interface ProtectSettings {
  threshold: number;
  action: ProtectAction;
  stateDir: string;
  dryRun: boolean;
  measure: (domain: string) => Promise<Relationships>;
  now: Date;
}

/**
 * The feed's entries as this run may write them: a suspension of a protected domain becomes a
 * silence (with the feed's other fields), or, held, stays what the target has (nothing when it has
 * nothing). `plan` plans the entries; each plan's new suspensions are measured first, until none
 * is left unmeasured (a held parent can uncover its children's creates).
 */
export async function protectFollows(
  desired: readonly DesiredBlock[],
  blocks: readonly TargetBlock[],
  plan: (entries: DesiredBlock[]) => SyncAction[],
  settings: ProtectSettings,
): Promise<{
  desired: DesiredBlock[];
  report: ProtectedReport[];
  /** Set when the waiting budget ran out before every suspension was measured. */
  outOfTime?: string;
  /** `create x` / `update x` of the suspensions held this run for want of a measure. */
  unmeasured: string[];
}> {
  const suspended = new Set(
    desired.filter((entry) => entry.severity === "suspend").map((e) => e.domain),
  );
  // A record lasts while the feed suspends the domain: a later suspension is measured anew.
  const recorded = readState<ProtectedDomains>(settings.stateDir, STATE_FILES.protectFollows, {});
  const kept: ProtectedDomains = {};
  const fresh = settings.now.getTime() - MEASURE_KEPT_MS;
  for (const [domain, entry] of Object.entries(recorded)) {
    if (!suspended.has(domain)) continue;
    if (entry.action === "suspend" && Date.parse(entry.recordedAt) < fresh) continue;
    kept[domain] = entry;
  }
  const unmeasured = new Map<string, string>();
  let outOfTime: string | undefined;
  const measuredNow = new Set<string>();
  const measured = new Set<string>();
  const onTarget = new Map(blocks.map((block) => [block.domain, block]));

  const shaped = (): DesiredBlock[] =>
    desired.flatMap((entry) => {
      if (entry.severity !== "suspend") return [entry];
      const action = unmeasured.has(entry.domain) ? "hold" : kept[entry.domain]?.action;
      if (action === undefined || action === "suspend") return [entry];
      if (action === "silence") return [{ ...entry, severity: "silence" }];
      const existing = onTarget.get(entry.domain);
      return existing ? [{ domain: entry.domain, ...blockFields(existing) }] : [];
    });

  for (let round = 0; round < 10; round++) {
    const pending = plan(shaped()).filter(
      (action) => suspends(action) && !measured.has(action.domain) && !kept[action.domain],
    );
    if (pending.length === 0) break;
    for (const action of pending) {
      measured.add(action.domain);
      let counts: Relationships | null = null;
      if (outOfTime === undefined) {
        try {
          counts = await settings.measure(action.domain);
        } catch (error) {
          if (!(error instanceof WaitBudgetError)) throw error;
          outOfTime = error.message;
        }
      }
      if (counts === null) {
        unmeasured.set(action.domain, `${action.kind} ${action.domain}`);
        continue;
      }
      const above = counts.follows > settings.threshold || counts.followers > settings.threshold;
      kept[action.domain] = {
        ...counts,
        action: above ? settings.action : "suspend",
        threshold: settings.threshold,
        recordedAt: settings.now.toISOString(),
      };
      if (above) measuredNow.add(action.domain);
    }
  }
  if (!settings.dryRun && JSON.stringify(kept) !== JSON.stringify(recorded)) {
    writeState(settings.stateDir, STATE_FILES.protectFollows, kept);
  }
  const report = Object.entries(kept)
    .flatMap(([domain, entry]) =>
      entry.action === "suspend"
        ? []
        : [{ domain, ...entry, action: entry.action, measuredNow: measuredNow.has(domain) }],
    )
    .sort((a, b) => (a.domain < b.domain ? -1 : 1));
  const result = { desired: shaped(), report, unmeasured: [...unmeasured.values()] };
  return outOfTime === undefined ? result : { ...result, outOfTime };
}

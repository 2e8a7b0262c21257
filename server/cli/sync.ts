// `fediblock sync`: declares the command, its options and its help. The implementation is
// imported only when the command runs, so `fediblock sync --help` stays fast.
import type { Command } from "commander";
import type { SyncFlags } from "../sync/options.js";

const HELP_AFTER = `
Every option can also be set in the environment (flags win):
  FEDIBLOCK_SERVER, FEDIBLOCK_TOKEN, FEDIBLOCK_TOKEN_FILE, FEDIBLOCK_TARGET,
  FEDIBLOCK_TARGET_URL, FEDIBLOCK_TARGET_TOKEN, FEDIBLOCK_TARGET_TOKEN_FILE,
  FEDIBLOCK_MAX_CHANGES, FEDIBLOCK_STATE, FEDIBLOCK_ALLOW_BROAD, FEDIBLOCK_MARKER_KEY_FILE,
  FEDIBLOCK_MAX_WAIT, FEDIBLOCK_PROTECT_FOLLOWS, FEDIBLOCK_PROTECT_FOLLOWS_ACTION,
  and FEDIBLOCK_DRY_RUN, FEDIBLOCK_NO_DELETE, FEDIBLOCK_FORCE,
  FEDIBLOCK_JSON, FEDIBLOCK_ADOPT, FEDIBLOCK_INSECURE_HTTP (true or false).
Keep tokens in files (--token-file, --target-token-file) so they never show in ps.

Only blocks whose private comment carries the keyed marker [fediblock <list host> k1 <mac>]
are ever updated or deleted (the key is marker.key in the state folder: back it up); blocks
made by hand, or edited since the sync wrote them, are left alone and reported. GoToSocial
targets receive only the list's suspensions.

A block on a public suffix or TLD (com, co.uk, github.io) stops the run even with --force
(exit 3) until approved with --allow-broad DOMAIN after a dry run.

The safety brake stops a run that would create, update or delete more than --max-changes
blocks (default: 20, or 10 % of the managed blocks, whichever is larger), and every first
sync onto a server with no managed blocks: review it with --dry-run, then run with --force.

Exit codes:
  0  every change applied, nothing to change, or a dry run
  1  some changes failed, or the target could not be read (the next run retries)
  2  bad configuration, or the list server or the target refused the token (also the
     measures --protect-follows needs)
  3  the safety brake stopped the run before any write (review with --dry-run, then --force),
     or a public suffix awaits --allow-broad
  4  the feed could not be fetched or is invalid; nothing was written
  5  another sync for the same list server and target is running
  130, 143  stopped by SIGINT or SIGTERM: the lock is released, the next run converges

Example (cron, every 30 minutes; the command locks itself):
  */30 * * * *  fediblock sync --server https://blocklists.example.org \\
    --token-file /etc/fediblock/token --target mastodon \\
    --target-url https://mastodon.example --target-token-file /etc/fediblock/mastodon-token
`;

export function registerSyncCommand(program: Command): Command {
  const command = program
    .command("sync")
    .description(
      "Apply the blocklists this instance subscribes to onto its Mastodon, GoToSocial, Misskey, Akkoma or Lemmy server, safely.",
    )
    .option(
      "--server <url>",
      "the list server, e.g. https://blocklists.example.org (env: FEDIBLOCK_SERVER)",
    )
    .option(
      "--token <token>",
      "this instance's API token on the list server (env: FEDIBLOCK_TOKEN)",
    )
    .option("--token-file <file>", "read --token from a file (env: FEDIBLOCK_TOKEN_FILE)")
    .option(
      "--target <kind>",
      "mastodon, gotosocial, misskey (sharkey), akkoma (pleroma) or lemmy (env: FEDIBLOCK_TARGET)",
    )
    .option(
      "--target-url <url>",
      "your server, e.g. https://mastodon.example (env: FEDIBLOCK_TARGET_URL)",
    )
    .option(
      "--target-token <token>",
      "an admin token with admin:read:domain_blocks and admin:write:domain_blocks (env: FEDIBLOCK_TARGET_TOKEN)",
    )
    .option(
      "--target-token-file <file>",
      "read --target-token from a file (env: FEDIBLOCK_TARGET_TOKEN_FILE)",
    )
    .option("--dry-run", "print the plan, write nothing (env: FEDIBLOCK_DRY_RUN)")
    .option("--no-delete", "keep managed blocks that left the list (env: FEDIBLOCK_NO_DELETE)")
    .option(
      "--max-changes <n>",
      "safety brake: stop before writing when more blocks would change (default: 20 or 10 % of the managed blocks) (env: FEDIBLOCK_MAX_CHANGES)",
    )
    .option(
      "--force",
      "apply past the safety brake: more than --max-changes, or a first sync (env: FEDIBLOCK_FORCE)",
    )
    .option(
      "--state <dir>",
      "state directory (default: $XDG_STATE_HOME/fediblock or ~/.local/state/fediblock) (env: FEDIBLOCK_STATE)",
    )
    .option("--json", "print the report as one JSON document (env: FEDIBLOCK_JSON)")
    .option(
      "--allow-broad <domain>",
      "approve a block on this public suffix or TLD after reviewing the dry run; repeatable, kept in the state folder (env: FEDIBLOCK_ALLOW_BROAD, comma-separated)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--adopt",
      "take over blocks carrying this list server's marker that the key does not verify (a lost key); review with --dry-run --adopt first (env: FEDIBLOCK_ADOPT)",
    )
    .option(
      "--marker-key-file <file>",
      "the marker's secret key (default: marker.key in the state folder) (env: FEDIBLOCK_MARKER_KEY_FILE)",
    )
    .option(
      "--max-wait <seconds>",
      "the run's total budget for waiting on rate limits and retries (default: 300); the next run carries on (env: FEDIBLOCK_MAX_WAIT)",
    )
    .option(
      "--protect-follows <n>",
      "Mastodon only: before suspending a domain, count the follows to and from it (POST /api/v1/admin/measures; the token then needs admin:read and View Dashboard); above n write a silence instead, kept in the state folder (env: FEDIBLOCK_PROTECT_FOLLOWS)",
    )
    .option(
      "--protect-follows-action <action>",
      "what --protect-follows does above n: silence (default) or hold (env: FEDIBLOCK_PROTECT_FOLLOWS_ACTION)",
    )
    .option(
      "--insecure-http",
      "allow http:// to hosts other than loopback: the tokens travel in the clear (env: FEDIBLOCK_INSECURE_HTTP)",
    )
    .addHelpText("after", HELP_AFTER)
    .action(async (options: SyncFlags & { delete?: boolean }, self: Command) => {
      const { syncCommand } = await import("../sync/command.js");
      const { delete: keepRetracted, ...flags } = options;
      // Commander sets `delete` to true by default; only a `--no-delete` actually typed counts.
      if (self.getOptionValueSource("delete") === "cli" && keepRetracted === false) {
        flags.noDelete = true;
      }
      process.exitCode = await syncCommand(flags, process.env, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    });
  // A usage error (unknown option, missing value) is bad configuration: exit 2, not commander's 1.
  command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });
  return command;
}

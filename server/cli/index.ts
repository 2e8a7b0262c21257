// The `fediblock` program (SPEC §6). Each command loads its implementation only when it runs,
// so `fediblock sync` never loads the database layer and `--help` answers at once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { packageRoot } from "../paths.js";
import { registerSyncCommand } from "./sync.js";

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  version: string;
};

const program = new Command("fediblock")
  .description("Fediblock Commons: shared fediverse blocklists, voted by their members.")
  .version(version)
  .showHelpAfterError()
  // A usage error (a missing required option, an unknown command) is bad configuration: exit 2,
  // as for every other configuration problem, not commander's 1. Subcommands inherit this.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .addHelpText(
    "after",
    `
Configuration comes from flags or the environment (DATABASE_URL, PORT, FEDIBLOCK_*); see the README.
Run \`fediblock <command> --help\` for a command's options.`,
  );

const database = () =>
  new Option("--database <url>", "database URL: file:PATH or postgresql://… (env: DATABASE_URL)");

program
  .command("serve")
  .description("start the service (migrates the database; creates `admin` on first start)")
  .addOption(new Option("--port <port>", "port to listen on (env: PORT; default 3000)"))
  .addOption(
    new Option("--host <host>", "address to listen on (env: FEDIBLOCK_HOST; default 127.0.0.1)"),
  )
  .addOption(database())
  .action(async (options) => (await import("./serve.js")).serve(options));

program
  .command("migrate")
  .description("apply the database migrations this version needs, and exit")
  .addOption(database())
  .action(async (options) => (await import("./database.js")).migrateCommand(options));

program
  .command("backup")
  .description("copy the SQLite database to FILE while the service keeps running")
  .argument("<file>", "where to write the copy (must not exist)")
  .addOption(database())
  .action(async (file: string, options) =>
    (await import("./database.js")).backupCommand(file, options),
  );

program
  .command("check-text")
  .description(
    "list stored text that a spreadsheet would run as a formula (changes nothing; exit 1 if any)",
  )
  .addOption(database())
  .action(async (options) => (await import("./formula.js")).checkTextCommand(options));

const json = () => new Option("--json", "print JSON instead of a table");

const account = program.command("account").description("manage accounts");
account
  .command("ls")
  .alias("list")
  .description("every account: role, instance, state")
  .addOption(json())
  .addOption(database())
  .action(async (options) => (await import("./accounts.js")).accountLs(options));
account
  .command("create")
  .description("create an account (and its instance, if new); prints a one-time password")
  .argument("<username>", "1 to 30 letters, digits, '.', '_' or '-'")
  .option(
    "--instance <domain>",
    "the member instance the account belongs to (votes are per instance)",
  )
  .requiredOption("--role <role>", "admin, curator or member")
  .addOption(database())
  .action(async (username: string, options) =>
    (await import("./accounts.js")).accountCreate(username, options),
  );
account
  .command("reset-password")
  .description("issue a new one-time password and end the account's sessions")
  .argument("<username>")
  .addOption(database())
  .action(async (username: string, options) =>
    (await import("./accounts.js")).accountResetPassword(username, options),
  );
account
  .command("disable")
  .description("disable an account: its sessions and tokens stop working")
  .argument("<username>")
  .addOption(database())
  .action(async (username: string, options) =>
    (await import("./accounts.js")).accountDisable(username, options),
  );
account
  .command("enable")
  .description("enable a disabled account again")
  .argument("<username>")
  .addOption(database())
  .action(async (username: string, options) =>
    (await import("./accounts.js")).accountEnable(username, options),
  );
account
  .command("set-role")
  .description("change an account's role")
  .argument("<username>")
  .argument("<role>", "admin, curator or member")
  .addOption(database())
  .action(async (username: string, role: string, options) =>
    (await import("./accounts.js")).accountSetRole(username, role, options),
  );
account
  .command("set-instance")
  .description("move an account to another member instance (its votes count for that one)")
  .argument("<username>")
  .argument("<domain>", "an existing member instance, or `none` (admins only)")
  .addOption(database())
  .action(async (username: string, domain: string, options) =>
    (await import("./accounts.js")).accountSetInstance(username, domain, options),
  );

const token = program.command("token").description("manage API tokens");
token
  .command("ls")
  .alias("list")
  .description("live API tokens (never their secrets): id, account, scopes, last use")
  .option("--account <username>", "only this account's tokens")
  .addOption(json())
  .addOption(database())
  .action(async (options) => (await import("./accounts.js")).tokenLs(options));
token
  .command("revoke")
  .description("revoke a token at once (any account's)")
  .argument("<id>", "the token's id, as `token ls` shows it")
  .addOption(database())
  .action(async (id: string, options) => (await import("./accounts.js")).tokenRevoke(id, options));
token
  .command("create")
  .description("create an API token for an account and print it (shown only once)")
  .requiredOption("--account <username>", "the account the token acts as")
  .option("--scopes <scopes>", "comma-separated: read, write, admin", "read")
  .option("--name <name>", "a name to recognise the token by", "command line")
  .addOption(database())
  .action(async (options) => (await import("./accounts.js")).tokenCreate(options));

const instance = program.command("instance").description("manage member instances");
instance
  .command("ls")
  .alias("list")
  .description("the member instances and how many accounts each has")
  .addOption(json())
  .addOption(database())
  .action(async (options) => (await import("./accounts.js")).instanceLs(options));
instance
  .command("create")
  .description("add a member instance (its admins vote as one)")
  .argument("<domain>", "the instance's domain, e.g. alpha.example")
  .option("--name <name>", "a display name (default: the domain)")
  .addOption(database())
  .action(async (domain: string, options) =>
    (await import("./accounts.js")).instanceCreate(domain, options),
  );

const list = program.command("list").description("manage lists");
list
  .command("ls")
  .alias("list")
  .description("every list, members-only ones included: entries, open proposals, revision")
  .addOption(json())
  .addOption(database())
  .action(async (options) => (await import("./lists.js")).listLs(options));
list
  .command("show")
  .description("a list's settings, voting rules and counts")
  .argument("<slug>")
  .addOption(json())
  .addOption(database())
  .action(async (slug: string, options) => (await import("./lists.js")).listShow(slug, options));
list
  .command("create")
  .description("create a list with its voting policy")
  .argument("<slug>", "1 to 63 lowercase letters, digits or '-' (in URLs: /lists/SLUG.csv)")
  .requiredOption("--name <name>", "the list's name")
  .option("--description <text>", "what the list is for")
  .option("--visibility <visibility>", "public (anyone can read and download) or members", "public")
  .option("--quorum <n>", "minimum yes + no votes for a proposal to pass (default 3)")
  .option("--threshold <x>", "minimum share of yes among yes + no, two decimals (default 0.66)")
  .option("--voting-days <n>", "how long a proposal is open (default 14)")
  .option("--min-open-hours <n>", "no proposal passes by votes before this (default 24)")
  .option("--severity-rule <rule>", "majority (default) or strictest")
  .option("--public-evidence", "show evidence links to anonymous readers")
  .option("--allow-broad", "allow entries on a bare TLD or public suffix (they pass only by vote)")
  .addOption(database())
  .action(async (slug: string, options) => (await import("./lists.js")).listCreate(slug, options));
list
  .command("edit")
  .description("change a list's name, description, visibility or voting policy (not its slug)")
  .argument("<slug>")
  .option("--name <name>", "the list's name")
  .option("--description <text>", "what the list is for")
  .option("--visibility <visibility>", "public or members")
  .option("--quorum <n>", "minimum yes + no votes for a proposal to pass")
  .option("--threshold <x>", "minimum share of yes among yes + no, two decimals")
  .option("--voting-days <n>", "how long a proposal is open")
  .option("--min-open-hours <n>", "no proposal passes by votes before this")
  .option("--severity-rule <rule>", "majority or strictest")
  .option("--public-evidence", "show evidence links to anonymous readers")
  .option("--no-public-evidence", "show evidence links to members only")
  .option("--allow-broad", "allow entries on a bare TLD or public suffix (by vote only)")
  .option("--no-allow-broad", "refuse entries on a bare TLD or public suffix")
  .addOption(database())
  .action(async (slug: string, options, self: Command) => {
    // Commander gives negatable flags a default; only what was typed is a change.
    for (const flag of ["publicEvidence", "allowBroad"] as const) {
      if (self.getOptionValueSource(flag) !== "cli") delete options[flag];
    }
    return (await import("./lists.js")).listEdit(slug, options);
  });

program
  .command("import")
  .description("import a blocklist CSV into a list: a report, then proposals or (--direct) entries")
  .argument(
    "<file>",
    "a CSV file (Mastodon export, FediBlockHole, with or without header; ≤ 10 MB, ≤ 50,000 rows)",
  )
  .requiredOption("--list <slug>", "the list to import into")
  .option(
    "--direct",
    "write new and changed rows as entries at once, as one revision (for seeding a list)",
  )
  .option("--dry-run", "print the report only; write nothing")
  .option(
    "--columns <names>",
    "for a file without a header, the name of each column, comma-separated (an empty name skips one), e.g. domain,severity,reject_media,reject_reports,obfuscate",
  )
  .addOption(
    new Option(
      "--merge <how>",
      "with --direct, how a row meets the entry already listed: max (the default into a list with entries) keeps the stricter severity and flags and a comment the file leaves empty; replace writes the file's cells; min keeps the milder",
    ).choices(["max", "replace", "min"]),
  )
  .option(
    "--account <username>",
    "open the proposals in this account's (and its instance's) name: needed without --direct, except with --dry-run",
  )
  .option("--json", "print the whole report as JSON")
  .addOption(database())
  .action(async (file: string, options) =>
    (await import("./imports.js")).importCommand(file, options),
  );

program
  .command("export")
  .description("print a list's export (what /lists/SLUG.csv serves)")
  .requiredOption("--list <slug>", "the list")
  .option("--format <format>", "csv, json or txt", "csv")
  .option(
    "--min-severity <severity>",
    "only entries at least this strict: suspend, silence or noop",
  )
  .option("--tag <tag...>", "only entries with any of these tags")
  .option("--part <n>", "part N of 20,000 rows (Mastodon refuses larger files)")
  .option("--output <file>", "write to a file instead of standard output")
  .addOption(database())
  .action(async (options) => (await import("./lists.js")).exportList(options));

registerSyncCommand(program);

await program.parseAsync(process.argv);

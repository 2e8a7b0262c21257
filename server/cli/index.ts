// The `fediblock` program (SPEC §6). Each command loads its implementation only when it runs,
// so `fediblock sync` never loads the database layer and `--help` answers at once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { packageRoot } from "../paths.js";

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  version: string;
};

const program = new Command("fediblock")
  .description("Fediblock Commons: shared fediverse blocklists, voted by their members.")
  .version(version)
  .showHelpAfterError()
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

const account = program.command("account").description("manage accounts");
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

program
  .command("token")
  .description("manage API tokens")
  .command("create")
  .description("create an API token for an account and print it (shown only once)")
  .requiredOption("--account <username>", "the account the token acts as")
  .option("--scopes <scopes>", "comma-separated: read, write, admin", "read")
  .option("--name <name>", "a name to recognise the token by", "command line")
  .addOption(database())
  .action(async (options) => (await import("./accounts.js")).tokenCreate(options));

await program.parseAsync(process.argv);

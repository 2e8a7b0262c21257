// The `fediblock sync` action, loaded only when the command runs: options, then the sync.
import { EXIT, type ExitCode, type SignalExitCode } from "./exit-codes.js";
import {
  resolveSyncOptions,
  SyncConfigError,
  wantsJson,
  type Env,
  type SyncFlags,
} from "./options.js";
import { runSync, type SyncIo } from "./run.js";

export async function syncCommand(
  flags: SyncFlags,
  env: Env,
  io: SyncIo,
): Promise<ExitCode | SignalExitCode> {
  let options;
  try {
    options = resolveSyncOptions(flags, env);
  } catch (error) {
    if (!(error instanceof SyncConfigError)) throw error;
    if (wantsJson(flags, env)) {
      const problem = { code: "config", message: error.message, problems: error.problems };
      io.stdout(
        `${JSON.stringify({ outcome: "failed", exitCode: EXIT.config, error: problem }, null, 2)}\n`,
      );
    }
    const list = error.problems.map((problem) => `  ${problem}`).join("\n");
    io.stderr(`fediblock sync: bad configuration:\n${list}\nSee fediblock sync --help.\n`);
    return EXIT.config;
  }
  return runSync(options, io);
}

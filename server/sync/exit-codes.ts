// The exit codes of `fediblock sync` (SPEC §7), which cron jobs and scripts rely on.
export const EXIT = {
  /**
   * Every planned change was applied or skipped as already there (or there was nothing to do, or
   * it was a dry run).
   */
  ok: 0,
  /** Some changes failed, or the target could not be read; a re-run converges. */
  partial: 1,
  /** Bad configuration, or the list server or the target refused the credentials. */
  config: 2,
  /** The plan changes more blocks than --max-changes allows; nothing was written. */
  brake: 3,
  /** The feed could not be fetched or is not valid; nothing was written. */
  feed: 4,
  /** Another sync for the same list server and target holds the lock. */
  locked: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A run stopped by a signal releases its lock and exits 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export type SignalExitCode = (typeof SIGNAL_EXIT)[keyof typeof SIGNAL_EXIT];

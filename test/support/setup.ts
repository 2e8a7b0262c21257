// Loaded before every test file (vitest.config.ts).
process.env.FEDIBLOCK_LOG_LEVEL ??= "silent";

// Loaded before every test file (vitest.config.ts).
import { useFastPasswordHashingForTests } from "../../server/accounts/password.js";

process.env.FEDIBLOCK_LOG_LEVEL ??= "silent";
useFastPasswordHashingForTests();

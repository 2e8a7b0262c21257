// Loaded before every test file (vitest.config.ts).
import { afterAll } from "vitest";
import { collectGarbage } from "../../server/db/collect-garbage.js";

process.env.FEDIBLOCK_LOG_LEVEL ??= "silent";

// Tests also open SQLite files directly: finalize their statements before the worker exits
// (Node 24 aborts a process whose teardown finalizes one; see server/db/collect-garbage.ts).
afterAll(() => collectGarbage());

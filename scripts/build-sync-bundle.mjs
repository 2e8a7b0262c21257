#!/usr/bin/env node
// Builds dist/fediblock-sync.mjs, the sync client as one file with no runtime dependencies
// (docs/decisions/0019-sync-client-bundle.md), and keeps release/fediblock-sync.mjs.sha256 honest:
//   node scripts/build-sync-bundle.mjs            build, then check the recorded checksum
//   node scripts/build-sync-bundle.mjs --record   build, then record its checksum
//   node scripts/build-sync-bundle.mjs --out F    build to F instead (tests), no checksum step
// The same sources and lockfile give the same bytes: no timestamps, paths relative to the
// checkout, no minification that could differ between esbuild builds of one version.
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const BUNDLE = join(root, "dist/fediblock-sync.mjs");
export const CHECKSUM = join(root, "release/fediblock-sync.mjs.sha256");

/** Bundles the sync client to `outfile` and returns its SHA-256 (hex). */
export async function buildSyncBundle(outfile = BUNDLE) {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["server/sync/standalone.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    write: false,
    outfile,
    legalComments: "eof",
    charset: "utf8",
    banner: {
      js:
        `#!/usr/bin/env node\n// fediblock-sync ${version}: built from Fediblock Commons' server/sync by scripts/build-sync-bundle.mjs.\n` +
        // commander is CommonJS: its require() of Node's own modules needs a real require.
        'import { createRequire as fediblockCreateRequire } from "node:module";\n' +
        "const require = fediblockCreateRequire(import.meta.url);",
    },
    define: { FEDIBLOCK_SYNC_VERSION: JSON.stringify(version) },
    logLevel: "warning",
  });
  const [file] = result.outputFiles;
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, file.contents);
  chmodSync(outfile, 0o755);
  return createHash("sha256").update(file.contents).digest("hex");
}

/** The checksum recorded in the repository, or null. */
export function recordedChecksum() {
  try {
    return readFileSync(CHECKSUM, "utf8").split(/\s+/)[0] || null;
  } catch {
    return null;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.indexOf("--out");
  if (out !== -1) {
    console.log(await buildSyncBundle(resolve(args[out + 1])));
  } else {
    const sum = await buildSyncBundle();
    if (args.includes("--record")) {
      writeFileSync(CHECKSUM, `${sum}  fediblock-sync.mjs\n`);
      console.log(`recorded ${sum} in release/fediblock-sync.mjs.sha256`);
    } else if (recordedChecksum() !== sum) {
      // Not an error for the build: the test suite fails on it, with this same advice.
      console.warn(
        `dist/fediblock-sync.mjs (${sum}) differs from release/fediblock-sync.mjs.sha256: ` +
          "the sync's sources changed; run `node scripts/build-sync-bundle.mjs --record` and commit it.",
      );
    }
  }
}

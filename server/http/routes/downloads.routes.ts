// The sync client's mirror (docs/sync.md): the service serves the dist/fediblock-sync.mjs it was
// built with, and that file's SHA-256. A convenience only: a compromised list server could serve
// a different file with a matching checksum, so admins check the download against the checksum
// in the repository (release/fediblock-sync.mjs.sha256 at the release they run) and pin it.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../../errors.js";
import { packageRoot } from "../../paths.js";
import { RESPONDED, route } from "../route.js";

const BUNDLE = "fediblock-sync.mjs";

async function bundle(): Promise<{ bytes: Buffer; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(packageRoot, "dist", BUNDLE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new AppError(
      404,
      "not_built",
      `This server has no ${BUNDLE}: it is built by npm run build (dist/${BUNDLE}). Build it from a checkout of the repository instead (docs/sync.md).`,
    );
  }
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

export const downloadRoutes = [
  route({
    method: "get",
    path: `/downloads/${BUNDLE}`,
    tag: "system",
    summary:
      "The standalone sync client this server was built with (a mirror: verify it against release/fediblock-sync.mjs.sha256 in the repository, never against this server's own checksum)",
    access: "public",
    produces: ["text/javascript"],
    async handler({ res }) {
      const { bytes, sha256 } = await bundle();
      res
        .type("text/javascript; charset=utf-8")
        .set({
          "Content-Disposition": `attachment; filename="${BUNDLE}"`,
          "Repr-Digest": `sha-256=:${Buffer.from(sha256, "hex").toString("base64")}:`,
          "Cache-Control": "no-cache",
          ETag: `"${sha256}"`,
        })
        .send(bytes);
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: `/downloads/${BUNDLE}.sha256`,
    tag: "system",
    summary:
      "The SHA-256 of the mirrored sync client, in sha256sum's format (for comparing with the repository's release/fediblock-sync.mjs.sha256)",
    access: "public",
    produces: ["text/plain"],
    async handler({ res }) {
      const { sha256 } = await bundle();
      res.type("text/plain; charset=utf-8").send(`${sha256}  ${BUNDLE}\n`);
      return RESPONDED;
    },
  }),
];

// The Session table keeps only the SHA-256 of each session id (docs/security.md): whoever reads
// a backup cannot present a stored id as a cookie, signed or not.
import { createHash } from "node:crypto";

/** What the Session table stores for the session id `sid` (the cookie's value, unsigned). */
export const storedSessionId = (sid: string): string =>
  createHash("sha256").update(sid, "utf8").digest("hex");

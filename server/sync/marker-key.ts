// The secret key of the ownership marker's HMAC (ADR 0012): 32 random bytes, kept as 64 hex
// digits in `marker.key` in the pair's state folder (0600), or in the file --marker-key-file
// names. The key is created only by `createMarkerKey`, which the sync calls on a first run and
// never when the target already carries keyed markers: a lost key is reported, not replaced.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { STATE_FILES } from "./state.js";

export interface MarkerKey {
  key: Buffer;
  file: string;
}

export class MarkerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MarkerKeyError";
  }
}

const KEY_BYTES = 32;
const KEY_TEXT = /^[0-9a-f]{64}$/;

/** Where the key lives: the given file, else `marker.key` in the pair's state folder. */
export function markerKeyFile(stateDir: string, keyFile?: string): string {
  return keyFile ?? path.join(stateDir, STATE_FILES.markerKey);
}

/**
 * The key, or null when its file does not exist. A file that exists but is not 64 hex digits,
 * or cannot be read, is an error (never silently replaced).
 */
export function loadMarkerKey(stateDir: string, keyFile?: string): MarkerKey | null {
  const file = markerKeyFile(stateDir, keyFile);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim().toLowerCase();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw new MarkerKeyError(`cannot read the marker key ${file} (${code ?? String(error)})`);
  }
  if (!KEY_TEXT.test(text)) {
    throw new MarkerKeyError(`the marker key ${file} is not 64 hexadecimal digits`);
  }
  return { key: Buffer.from(text, "hex"), file };
}

/** A new random key, written 0600 (never over an existing file). */
export function createMarkerKey(stateDir: string, keyFile?: string): MarkerKey {
  const file = markerKeyFile(stateDir, keyFile);
  const key = randomBytes(KEY_BYTES);
  fs.writeFileSync(file, `${key.toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return { key, file };
}

/** A key for a dry run that must not write one: the same length, thrown away afterwards. */
export function ephemeralMarkerKey(stateDir: string, keyFile?: string): MarkerKey {
  return { key: randomBytes(KEY_BYTES), file: markerKeyFile(stateDir, keyFile) };
}

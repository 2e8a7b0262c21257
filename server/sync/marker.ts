// The marker that makes a block *managed*: `[fediblock <server host> <hash>]` at the end of the
// block's private comment, where the hash covers the fields the sync wrote. A block whose fields
// no longer match its hash was edited by an admin, and the sync leaves it alone.
import { hash } from "node:crypto";
import type { BlockFields } from "./block.js";

export interface Marker {
  serverHost: string;
  hash: string;
}

const HASH_LENGTH = 16;
const MARKER = /\s*\[fediblock (\S+) ([0-9a-f]{16})\]\s*$/;

/** 16 hex digits of SHA-256 over a canonical serialization of the fields the sync writes. */
export function hashFields(fields: BlockFields): string {
  const canonical = JSON.stringify([
    fields.severity,
    fields.reject_media,
    fields.reject_reports,
    fields.public_comment,
    fields.obfuscate,
  ]);
  return hash("sha256", canonical, "hex").slice(0, HASH_LENGTH);
}

export function formatMarker(marker: Marker): string {
  return `[fediblock ${marker.serverHost} ${marker.hash}]`;
}

export function parseMarker(privateComment: string): Marker | null {
  const match = MARKER.exec(privateComment);
  return match ? { serverHost: match[1]!, hash: match[2]! } : null;
}

/**
 * The private comment to write: whatever an admin wrote before the marker stays, the marker is
 * replaced (or appended) with one for `fields`.
 */
export function markPrivateComment(
  privateComment: string,
  serverHost: string,
  fields: BlockFields,
): string {
  const note = privateComment.replace(MARKER, "").trimEnd();
  const marker = formatMarker({ serverHost, hash: hashFields(fields) });
  return note === "" ? marker : `${note} ${marker}`;
}

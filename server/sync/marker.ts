// The marker that makes a block *managed* (ADR 0008, keyed by ADR 0012):
// `[fediblock <server host> k1 <mac>]` at the end of the block's private comment, where the mac
// is an HMAC-SHA256, under the subscriber's secret key, over the target's host, the domain, the
// list server's host and the fields the sync wrote. Nobody without the key can make a hand-made
// block look managed, or move a marker to another domain or server. A block whose fields no
// longer match its mac was edited by an admin, and the sync leaves it alone.
//
// The old, unkeyed marker `[fediblock <server host> <16 hex of SHA-256 over the fields>]` is
// still read, for the one-time upgrade (run.ts): after it, an old marker counts as hand-made.
import { createHmac, hash, timingSafeEqual } from "node:crypto";
import type { BlockFields } from "./block.js";

export type Marker =
  | { version: "legacy"; serverHost: string; hash: string }
  | { version: "k1"; serverHost: string; mac: string };

/** What a keyed marker is computed for. */
export interface MarkerScope {
  key: Buffer;
  /** The target server's host (`mastodon.example`), as the admin gave it. */
  targetHost: string;
  /** The list server's host, as it appears in the marker. */
  serverHost: string;
}

const LEGACY_HASH_LENGTH = 16;
const MAC_LENGTH = 32;
const MARKER = /\s*\[fediblock (\S+) (?:(k1) ([0-9a-f]{32})|([0-9a-f]{16}))\]\s*$/;

function canonicalFields(fields: BlockFields): unknown[] {
  return [
    fields.severity,
    fields.reject_media,
    fields.reject_reports,
    fields.public_comment,
    fields.obfuscate,
  ];
}

/** The old marker's hash: 16 hex digits of SHA-256 over the fields (no key, no domain). */
export function hashFields(fields: BlockFields): string {
  return hash("sha256", JSON.stringify(canonicalFields(fields)), "hex").slice(
    0,
    LEGACY_HASH_LENGTH,
  );
}

/** 32 hex digits (128 bits) of HMAC-SHA256 over (target host, domain, server host, fields). */
export function macFields(scope: MarkerScope, domain: string, fields: BlockFields): string {
  const message = JSON.stringify([
    "fediblock-marker-k1",
    scope.targetHost,
    domain,
    scope.serverHost,
    ...canonicalFields(fields),
  ]);
  return createHmac("sha256", scope.key).update(message).digest("hex").slice(0, MAC_LENGTH);
}

export function formatMarker(marker: Marker): string {
  return marker.version === "k1"
    ? `[fediblock ${marker.serverHost} k1 ${marker.mac}]`
    : `[fediblock ${marker.serverHost} ${marker.hash}]`;
}

export function parseMarker(privateComment: string): Marker | null {
  const match = MARKER.exec(privateComment);
  if (!match) return null;
  return match[2] === "k1"
    ? { version: "k1", serverHost: match[1]!, mac: match[3]! }
    : { version: "legacy", serverHost: match[1]!, hash: match[4]! };
}

export function sameMarker(a: Marker | null, b: Marker | null): boolean {
  return a !== null && b !== null && formatMarker(a) === formatMarker(b);
}

/** Whether a keyed marker verifies for this domain and these fields (in constant time). */
export function verifiesKeyed(
  marker: Marker,
  scope: MarkerScope,
  domain: string,
  fields: BlockFields,
): boolean {
  if (marker.version !== "k1" || marker.serverHost !== scope.serverHost) return false;
  const expected = Buffer.from(macFields(scope, domain, fields), "hex");
  return timingSafeEqual(expected, Buffer.from(marker.mac, "hex"));
}

/** Whether an old, unkeyed marker of this list server matches the fields. */
export function verifiesLegacy(marker: Marker, serverHost: string, fields: BlockFields): boolean {
  return (
    marker.version === "legacy" &&
    marker.serverHost === serverHost &&
    marker.hash === hashFields(fields)
  );
}

/** The private comment without any marker: what an admin wrote. */
export function stripMarker(privateComment: string): string {
  return privateComment.replace(MARKER, "").trimEnd();
}

/**
 * The private comment to write: whatever an admin wrote before the marker stays, the marker is
 * replaced (or appended) with a keyed one for this domain and `fields`.
 */
export function markPrivateComment(
  privateComment: string,
  scope: MarkerScope,
  domain: string,
  fields: BlockFields,
): string {
  const note = stripMarker(privateComment);
  const marker = formatMarker({
    version: "k1",
    serverHost: scope.serverHost,
    mac: macFields(scope, domain, fields),
  });
  return note === "" ? marker : `${note} ${marker}`;
}

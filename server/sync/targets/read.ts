// Reading the JSON the servers answer, without trusting its shape.
import { isSeverity, type Severity, type TargetBlock } from "../block.js";
import { endpoint, type HttpClient } from "../http.js";

export class TargetDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetDataError";
  }
}

export function parseJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new TargetDataError(`${what} is not JSON`);
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * A domain block as Mastodon or GoToSocial serialize it. GoToSocial blocks have no severity or
 * reject flags: they are suspensions, so `defaultSeverity` fills the gap.
 */
export function readBlock(value: unknown, defaultSeverity?: Severity): TargetBlock {
  if (!value || typeof value !== "object")
    throw new TargetDataError("a domain block is not an object");
  const raw = value as Record<string, unknown>;
  const severity = raw.severity ?? defaultSeverity;
  if (typeof raw.id !== "string" && typeof raw.id !== "number") {
    throw new TargetDataError("a domain block has no id");
  }
  if (typeof raw.domain !== "string" || raw.domain === "") {
    throw new TargetDataError(`domain block ${raw.id} has no domain`);
  }
  if (!isSeverity(severity)) {
    throw new TargetDataError(
      `domain block ${raw.domain} has an unknown severity ${String(severity)}`,
    );
  }
  return {
    id: String(raw.id),
    domain: raw.domain.toLowerCase(),
    severity,
    reject_media: raw.reject_media === true,
    reject_reports: raw.reject_reports === true,
    public_comment: text(raw.public_comment),
    private_comment: text(raw.private_comment),
    obfuscate: raw.obfuscate === true,
  };
}

export function readBlocks(body: string, defaultSeverity?: Severity): TargetBlock[] {
  const parsed = parseJson(body, "the list of domain blocks");
  if (!Array.isArray(parsed))
    throw new TargetDataError("the list of domain blocks is not an array");
  return parsed.map((value) => readBlock(value, defaultSeverity));
}

/**
 * The domains an instance endpoint names: `domain` (Mastodon v2 shape), `uri` (v1: a domain on
 * Mastodon, sometimes a URL) and GoToSocial's `account_domain`, which may differ from its host.
 */
export function readInstanceDomains(body: string): string[] {
  const parsed = parseJson(body, "the instance");
  if (!parsed || typeof parsed !== "object") return [];
  const raw = parsed as Record<string, unknown>;
  const domains: string[] = [];
  for (const value of [raw.domain, raw.uri, raw.account_domain]) {
    if (typeof value !== "string" || value === "") continue;
    try {
      domains.push(new URL(value.includes("://") ? value : `https://${value}`).hostname);
    } catch {
      // not a host name: ignore it
    }
  }
  return [...new Set(domains)];
}

/**
 * The domains the target server says are its own (`GET /api/v1/instance`, same on Mastodon and
 * GoToSocial), never to be blocked; none when it does not answer.
 */
export async function fetchInstanceDomains(
  http: HttpClient,
  base: URL,
  token: string,
): Promise<string[]> {
  try {
    const url = endpoint(base, "api/v1/instance");
    return readInstanceDomains((await http.request("GET", url, { token })).body);
  } catch {
    return [];
  }
}

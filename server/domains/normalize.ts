// The one place where a domain typed by a person or read from a file becomes the domain we
// store (SPEC §2): trimmed, without a trailing dot, lowercase, punycode (UTS 46 through the
// WHATWG host parser that Node ships), and a valid hostname, or a refusal that says why.
import { domainToASCII, domainToUnicode } from "node:url";

export type DomainProblemCode = "empty_domain" | "invalid_domain" | "obfuscated";
export type DomainWarningCode = "wildcard" | "defanged";

export type NormalizedDomain =
  | { ok: true; domain: string; warnings: DomainWarningCode[] }
  | { ok: false; code: DomainProblemCode; message: string };

const MAX_NAME_BYTES = 253;
const MAX_LABEL_BYTES = 63;

// Characters nobody can see: controls, format characters (zero-width space and joiners, soft
// hyphen, bidi marks, BOM), every kind of space, and the other default-ignorable code points
// (variation selectors, the combining grapheme joiner, Hangul fillers). UTS 46 deletes many of
// them silently, so `occultist\u200B.space` would otherwise pass as `occultist.space`.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/u;

// The full stops UTS 46 reads as label separators (ideographic, fullwidth, halfwidth): written
// as "." before the trailing-dot and empty-label checks, so `example.com。` is `example.com`.
const IDEOGRAPHIC_DOTS = /[\u3002\uFF0E\uFF61]/gu;

function refuse(code: DomainProblemCode, message: string): NormalizedDomain {
  return { ok: false, code, message };
}

function describeCodePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Why the raw text is not a bare host name, or null when it may be one. */
function shapeProblem(text: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return "is a URL: give only the host name (example.com)";
  }
  const invisible = INVISIBLE.exec(text);
  if (invisible) {
    return `contains an invisible or space character (${describeCodePoint(invisible[0])})`;
  }
  if (text.includes("/") || text.includes("\\")) return "contains a path: give only the host name";
  if (text.includes("@")) return "is an account address, not a domain";
  if (text.includes(":")) return "contains a port or scheme: give only the host name";
  if (/[?#%]/.test(text)) return "contains characters that cannot appear in a host name (? # %)";
  return null;
}

/**
 * An A-label (`xn--…`) is valid when it decodes to something else and encodes back to itself.
 * Node 20's domainToASCII refuses invalid punycode, Node 24's passes it through unchanged, so
 * the check cannot be left to it.
 */
function isValidALabel(label: string): boolean {
  const unicode = domainToUnicode(label);
  return unicode !== "" && unicode !== label && domainToASCII(unicode) === label;
}

function labelProblem(label: string): string | null {
  if (label.length === 0) return "has an empty label (two dots in a row)";
  if (label.length > MAX_LABEL_BYTES) {
    return `has a label longer than ${MAX_LABEL_BYTES} bytes (${label.length})`;
  }
  if (!/^[a-z0-9-]+$/.test(label)) {
    return `has a label with characters a host name cannot contain ("${label}")`;
  }
  if (label.startsWith("-") || label.endsWith("-")) {
    return `has a label that starts or ends with a hyphen ("${label}")`;
  }
  if (label.startsWith("xn--") && !isValidALabel(label)) {
    return `is not a valid internationalized domain name (IDNA): "${label}" is not valid punycode`;
  }
  return null;
}

/**
 * Normalizes one domain. `*.example.com` becomes `example.com` (Mastodon blocks subdomains with
 * their parent) with a `wildcard` warning; `example[.]com` becomes `example.com` with a
 * `defanged` warning; any other `*` is an obfuscated name or a pattern that cannot be resolved.
 */
export function normalizeDomain(input: string): NormalizedDomain {
  let text = input.trim().replace(IDEOGRAPHIC_DOTS, ".");
  if (text === "") return refuse("empty_domain", "the domain is empty");

  const warnings: DomainWarningCode[] = [];
  if (text.includes("[.]")) {
    text = text.replaceAll("[.]", ".");
    warnings.push("defanged");
  }
  if (text.startsWith("*.")) {
    text = text.slice(2);
    warnings.push("wildcard");
  }
  if (text.includes("*")) {
    return refuse(
      "obfuscated",
      `"${input.trim()}" is obfuscated or a pattern: only a whole leading "*." label can be read`,
    );
  }

  const problem = shapeProblem(text);
  if (problem) return refuse("invalid_domain", `"${input.trim()}" ${problem}`);

  if (text.endsWith(".")) text = text.slice(0, -1);
  // ".cf" in a blocklist means the whole TLD `cf`.
  if (text.startsWith(".")) text = text.slice(1);
  if (text === "") return refuse("invalid_domain", `"${input.trim()}" has no name, only dots`);

  const ascii = domainToASCII(text.toLowerCase());
  if (ascii === "") {
    return refuse(
      "invalid_domain",
      `"${input.trim()}" is not a valid internationalized domain name (IDNA)`,
    );
  }
  if (ascii.length > MAX_NAME_BYTES) {
    return refuse(
      "invalid_domain",
      `"${input.trim()}" is longer than ${MAX_NAME_BYTES} bytes once encoded (${ascii.length})`,
    );
  }
  const labels = ascii.split(".");
  for (const label of labels) {
    const why = labelProblem(label);
    if (why) return refuse("invalid_domain", `"${input.trim()}" ${why}`);
  }
  if (/^[0-9]+$/.test(labels.at(-1)!)) {
    return refuse("invalid_domain", `"${input.trim()}" is an IP address, not a domain`);
  }
  return { ok: true, domain: ascii, warnings };
}

/** True when `domain` is already exactly what normalizeDomain would store. */
export function isNormalizedDomain(domain: string): boolean {
  const result = normalizeDomain(domain);
  return result.ok && result.domain === domain && result.warnings.length === 0;
}

/** Every parent of a domain, nearest first: `a.b.example.com` → `b.example.com`, `example.com`, `com`. */
export function parentDomains(domain: string): string[] {
  const parents: string[] = [];
  let rest = domain;
  for (let dot = rest.indexOf("."); dot !== -1; dot = rest.indexOf(".")) {
    rest = rest.slice(dot + 1);
    parents.push(rest);
  }
  return parents;
}

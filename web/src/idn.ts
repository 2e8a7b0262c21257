// Internationalized domain names: the service stores and exports every domain in its ASCII
// (punycode) form, `xn--bcher-kva.example`; the UI shows the Unicode form beside it. Browsers
// convert only to ASCII (the URL API), so the decoding (RFC 3492) is here, checked against the
// URL API: a label that does not convert back to itself is shown as it is.

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 22; // 0-9 → 26-35
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 97; // a-z
  return -1;
}

/** The Unicode of one punycode label (without `xn--`), or null if it is not valid punycode. */
function decodeLabel(input: string): string | null {
  const output: number[] = [];
  const basic = Math.max(input.lastIndexOf("-"), 0);
  for (let j = 0; j < basic; j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x80) return null;
    output.push(code);
  }
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let index = basic > 0 ? basic + 1 : 0; index < input.length;) {
    const old = i;
    let weight = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= input.length) return null;
      const value = digit(input.charCodeAt(index++));
      if (value < 0) return null;
      i += value * weight;
      if (i > 0x7fffffff) return null;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (value < t) break;
      weight *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - old, length, old === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) return null;
    output.splice(i, 0, n);
    i += 1;
  }
  return String.fromCodePoint(...output);
}

/** `xn--bcher-kva.example` → `bücher.example`; null when the domain has no (valid) IDN label. */
export function unicodeDomain(domain: string): string | null {
  const labels = domain.split(".");
  if (!labels.some((label) => /^xn--/i.test(label))) return null;
  const decoded = labels.map((label) =>
    /^xn--/i.test(label) ? decodeLabel(label.slice(4)) : label,
  );
  if (decoded.some((label) => label === null)) return null;
  const unicode = decoded.join(".");
  try {
    // The check: the URL API converts the Unicode form back to the stored one.
    if (new URL(`http://${unicode}/`).hostname !== domain.toLowerCase()) return null;
  } catch {
    return null;
  }
  return unicode;
}

/** A domain as the UI shows it: `xn--bcher-kva.example (bücher.example)`. */
export function domainLabel(domain: string): string {
  const unicode = unicodeDomain(domain);
  return unicode ? `${domain} (${unicode})` : domain;
}

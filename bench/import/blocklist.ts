// Realistic Mastodon-format blocklists for the benchmarks, made on the fly from a seed: made-up
// instance names on the TLDs and prefixes the fediverse uses, a few Unicode (IDN) names, a
// severity mix like real shared lists, and comments with commas, quotes and the odd line break.
// Every row is valid and distinct, so `rows` rows give `rows` entries; the order is random, as
// in a real file (a sorted file would flatter the index inserts).
import { GENERATED_HEADER } from "../../test/support/blocklist-generator.js";

const SYLLABLES = [
  "ka", "lo", "mi", "ra", "tek", "vor", "nu", "sel", "dra", "quo", "fen", "bri", "zo", "ul",
  "pan", "gri", "mas", "to", "don", "pix", "fed", "ver", "sky", "neo", "lux", "ark", "bel",
  "cy", "der", "ex", "fro", "gal", "hy", "io", "jun", "kri", "lam", "mor", "nix", "ost",
]; // prettier-ignore
const ACCENTED = ["ü", "é", "ø", "ñ", "å", "ç"];
const WORDS = [
  "social", "free", "speech", "chan", "truth", "patriot", "meme", "based", "crypto", "nft",
  "bot", "spam", "zone", "club", "hub", "town", "cafe", "space", "net", "land", "world",
]; // prettier-ignore
const TLDS = [
  "social", "com", "net", "org", "xyz", "online", "club", "site", "de", "fr", "uk", "io",
  "space", "cloud", "lol", "party", "ru", "jp", "nl", "info", "zone", "town", "cafe",
]; // prettier-ignore
const PREFIXES = ["mastodon.", "social.", "mas.", "pleroma.", "misskey.", "fedi.", "ap."];
const COMMENTS = [
  "",
  "",
  "spam",
  "harassment",
  "hate speech, harassment",
  "racism, antisemitism, transphobia",
  "no moderation; bots spamming replies",
  'Hosts "free speech" absolutists, no moderation',
  'Admin said: "we will never remove anything"',
  "CSAM",
  "crypto scams, phishing (see report #4411)",
  "Harassment campaigns against members, doxxing",
  'Spam wave, 2024-03; "verified" bot accounts',
  "Werbung, Spam – «kein Moderationsteam»",
  "ban evasion\nsee the thread on the curators' board",
];

/** A small, fast, seeded generator (mulberry32): the same seed gives the same file. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface GeneratedList {
  /** The file: Mastodon's header, one row per entry, LF. */
  text: string;
  rows: number;
}

/** A blocklist of `rows` distinct, valid, realistic rows. */
export function realisticBlocklist(rows: number, seed = 1): GeneratedList {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const word = () => {
    let text = "";
    const syllables = 2 + Math.floor(random() * 3);
    for (let i = 0; i < syllables; i += 1) text += pick(SYLLABLES);
    return text;
  };
  const name = () => {
    const roll = random();
    let base =
      roll < 0.45
        ? word()
        : roll < 0.75
          ? `${word()}${pick(["-", ""])}${pick(WORDS)}`
          : `${pick(WORDS)}${pick(["-", ""])}${word()}`;
    if (random() < 0.01) base = base.replace(/[aeou]/, pick(ACCENTED));
    const prefix = random() < 0.15 ? pick(PREFIXES) : "";
    return `${prefix}${base}.${pick(TLDS)}`;
  };

  const seen = new Set<string>();
  const lines = [GENERATED_HEADER];
  for (let index = 0; index < rows; index += 1) {
    let domain = name();
    while (seen.has(domain)) domain = `${word()}${index}.${pick(TLDS)}`;
    seen.add(domain);
    const roll = random();
    const severity = roll < 0.6 ? "suspend" : roll < 0.9 ? "silence" : "noop";
    const rejectMedia = severity !== "suspend" && random() < 0.5;
    const rejectReports = random() < 0.2;
    const obfuscate = random() < 0.05;
    lines.push(
      [domain, severity, rejectMedia, rejectReports, csvField(pick(COMMENTS)), obfuscate].join(","),
    );
  }
  return { text: `${lines.join("\n")}\n`, rows };
}

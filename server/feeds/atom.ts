// A small Atom (RFC 4287) writer: a feed with its required elements (id, title, updated, an
// author, a self link) and entries with theirs (id, title, updated, a link or content). Text is
// escaped here, once; callers pass plain strings.
export interface AtomEntry {
  id: string;
  title: string;
  updated: Date;
  link: string;
  summary: string;
  /** Atom categories (the outcome, the kind). */
  categories?: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  updated: Date;
  /** The feed's own URL. */
  self: string;
  /** The page it mirrors. */
  alternate: string;
  author: string;
  entries: AtomEntry[];
}

export const ATOM_TYPE = "application/atom+xml; charset=utf-8";

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const element = (name: string, text: string) => `<${name}>${escapeXml(text)}</${name}>`;
const link = (rel: string, href: string, type?: string) =>
  `<link rel="${rel}" href="${escapeXml(href)}"${type ? ` type="${type}"` : ""}/>`;

export function renderAtom(feed: AtomFeed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  ${element("id", feed.id)}`,
    `  ${element("title", feed.title)}`,
    ...(feed.subtitle ? [`  ${element("subtitle", feed.subtitle)}`] : []),
    `  ${element("updated", feed.updated.toISOString())}`,
    `  ${link("self", feed.self, "application/atom+xml")}`,
    `  ${link("alternate", feed.alternate, "text/html")}`,
    `  <author>${element("name", feed.author)}</author>`,
    "  <generator>Fediblock Commons</generator>",
  ];
  for (const entry of feed.entries) {
    lines.push(
      "  <entry>",
      `    ${element("id", entry.id)}`,
      `    ${element("title", entry.title)}`,
      `    ${element("updated", entry.updated.toISOString())}`,
      `    ${link("alternate", entry.link, "text/html")}`,
      ...(entry.categories ?? []).map((term) => `    <category term="${escapeXml(term)}"/>`),
      `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
      "  </entry>",
    );
  }
  lines.push("</feed>", "");
  return lines.join("\n");
}

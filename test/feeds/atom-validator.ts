// Checks an Atom document with a real XML parser (@xmldom/xmldom, which refuses anything that
// is not well-formed) against RFC 4287's required elements: atom:feed with exactly one atom:id,
// atom:title and atom:updated, an atom:author (or one in every entry), and a rel="self" link
// (RFC 4287 §4.1.1 "SHOULD"); each atom:entry with exactly one id, title and updated, and a
// rel="alternate" link or content. Dates must be RFC 3339 (§3.3). Answers the entries.
import { DOMParser, onErrorStopParsing, type Element } from "@xmldom/xmldom";

export const ATOM_NS = "http://www.w3.org/2005/Atom";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface ParsedEntry {
  id: string;
  title: string;
  updated: string;
  link: string;
  summary: string;
  categories: string[];
}

const children = (parent: Element, name: string): Element[] =>
  Array.from(parent.childNodes).filter(
    (node): node is Element =>
      node.nodeType === 1 &&
      (node as Element).namespaceURI === ATOM_NS &&
      (node as Element).localName === name,
  );

function exactlyOne(parent: Element, name: string, where: string): string {
  const found = children(parent, name);
  if (found.length !== 1) throw new Error(`${where} has ${found.length} atom:${name}, not 1`);
  return found[0]!.textContent ?? "";
}

function date(text: string, where: string): string {
  if (!RFC3339.test(text)) throw new Error(`${where}: ${text} is not an RFC 3339 date`);
  return text;
}

export function parseAtom(xml: string): { title: string; id: string; entries: ParsedEntry[] } {
  const document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(
    xml,
    "application/xml",
  );
  const feed = document.documentElement;
  if (!feed || feed.namespaceURI !== ATOM_NS || feed.localName !== "feed") {
    throw new Error("the root element is not atom:feed");
  }
  const id = exactlyOne(feed, "id", "the feed");
  new URL(id);
  const title = exactlyOne(feed, "title", "the feed");
  date(exactlyOne(feed, "updated", "the feed"), "the feed's updated");
  const entryElements = children(feed, "entry");
  const feedAuthor = children(feed, "author");
  if (feedAuthor.length === 0 && entryElements.some((e) => children(e, "author").length === 0)) {
    throw new Error("neither the feed nor every entry has an atom:author");
  }
  for (const author of feedAuthor) exactlyOne(author, "name", "an author");
  if (!children(feed, "link").some((l) => l.getAttribute("rel") === "self")) {
    throw new Error('the feed has no rel="self" link');
  }
  const entries = entryElements.map((entry, index) => {
    const where = `entry ${index + 1}`;
    const entryId = exactlyOne(entry, "id", where);
    new URL(entryId);
    const alternate = children(entry, "link").find(
      (l) => (l.getAttribute("rel") ?? "alternate") === "alternate",
    );
    if (!alternate && children(entry, "content").length === 0) {
      throw new Error(`${where} has neither an alternate link nor content`);
    }
    return {
      id: entryId,
      title: exactlyOne(entry, "title", where),
      updated: date(exactlyOne(entry, "updated", where), `${where}'s updated`),
      link: alternate?.getAttribute("href") ?? "",
      summary: children(entry, "summary")[0]?.textContent ?? "",
      categories: children(entry, "category").map((c) => c.getAttribute("term") ?? ""),
    };
  });
  if (new Set(entries.map((e) => e.id)).size !== entries.length) {
    throw new Error("two entries share an atom:id");
  }
  return { title, id, entries };
}

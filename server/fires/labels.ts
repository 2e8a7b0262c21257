// The entry tag vocabulary (server/entries/vocabulary.ts) as FIRES labels, in English. Every
// tag is one label; its id is a URL of its own, which answers the label (the conformance suite
// of fedimod/fires fetches each label's id and expects a `fires:Label`).
import { TAGS, type Tag } from "../entries/vocabulary.js";

export const LABEL_TEXT: Record<Tag, { name: string; summary: string }> = {
  "hate-speech": {
    name: "Hate speech",
    summary: "Hosts or tolerates content attacking people for who they are.",
  },
  harassment: {
    name: "Harassment",
    summary: "Its users harass people elsewhere, or it shelters those who do.",
  },
  spam: { name: "Spam", summary: "Sends unsolicited bulk messages or advertising." },
  csam: { name: "CSAM", summary: "Hosts or distributes child sexual abuse material." },
  disinformation: {
    name: "Disinformation",
    summary: "Spreads deliberately false or misleading information.",
  },
  "no-moderation": {
    name: "No moderation",
    summary: "Does not act on reports or moderate its users.",
  },
  corporate: {
    name: "Corporate",
    summary: "Run by a large company whose practices members decided not to federate with.",
  },
  other: { name: "Other", summary: "A reason given in the entry's public comment." },
};

export const LABELS: readonly Tag[] = TAGS;

export function isTag(value: string): value is Tag {
  return (TAGS as readonly string[]).includes(value);
}

// JSON-LD as FIRES speaks it (fedimod/fires components/fires-server/app/utils/jsonld.ts): the
// context every document names, dates without fractions, and which of the two media types a
// caller asked for.

/** The `@context` of every FIRES document, exactly. */
export const FIRES_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  "https://fires.fedimod.org/context/fires.jsonld",
] as const;

/** fires-server's XSDDateFormat, `yyyy-MM-dd'T'HH:mm:ss'Z'`: UTC, whole seconds. */
export function xsdDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export type FiresMediaType = "application/ld+json" | "application/json";

/**
 * `application/ld+json` when the Accept header asks for it at least as much as for plain JSON
 * (any parameters, such as an ActivityStreams profile, are allowed), `application/json`
 * otherwise, including when there is no Accept header.
 */
export function chooseMediaType(accept: string | undefined): FiresMediaType {
  if (!accept) return "application/json";
  let ldQuality = 0;
  let jsonQuality = 0;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith("q="));
    const quality = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(quality)) continue;
    if (type === "application/ld+json") ldQuality = Math.max(ldQuality, quality);
    else if (type === "application/json") jsonQuality = Math.max(jsonQuality, quality);
  }
  return ldQuality > 0 && ldQuality >= jsonQuality ? "application/ld+json" : "application/json";
}

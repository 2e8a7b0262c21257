// zod schemas shared by several routes. Bodies are strict objects: unknown fields are a 400.
import { z } from "zod";
import { ROLES, SCOPES, USERNAME_PATTERN, USERNAME_RULE } from "../accounts/actor.js";
import { normalizeDomain } from "../domains/normalize.js";
import { MAX_ID } from "../paging.js";

export const username = z.string().trim().toLowerCase().regex(USERNAME_PATTERN, USERNAME_RULE);

export const role = z.enum(ROLES, { error: `expected one of ${ROLES.join(", ")}` });
export const scope = z.enum(SCOPES, { error: `expected one of ${SCOPES.join(", ")}` });

export const domainText = z
  .string({ error: "expected a domain such as example.social" })
  .max(1000, "too long for a domain");

/** A domain in a path, as people write it (`tröt.eu`, `Example.com.`): looked up normalized. A
 * name that cannot be normalized cannot be listed either, so it is kept as given (a 404). */
export const domainInPath = z
  .string()
  .max(253)
  .transform((text) => {
    const normalized = normalizeDomain(text);
    return normalized.ok ? normalized.domain : text;
  });

/** `?cursor=&limit=` of paged collections, answered as `{items, nextCursor}`. */
export const pageQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(1, "must be at least 1")
    .max(500, "must be at most 500")
    .default(100),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A numeric record id in a path (`/proposals/:id`), within the database's integer range. */
export const recordId = (what: string) =>
  z.coerce
    .number({ error: `expected a ${what} number` })
    .int(`expected a ${what} number`)
    .positive(`expected a ${what} number`)
    .max(MAX_ID, `no ${what} has this number`);

// A list's slug: its name in URLs (`/lists/SLUG.csv`), checked the same way by the API and the
// command line.
import { z } from "zod";

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const SLUG_RULE =
  "use 1 to 63 lowercase letters, digits or '-', starting with a letter or digit";

export const slug = z.string().regex(SLUG_PATTERN, SLUG_RULE);

// Cursors of paged collections ordered by id: the last id of a page, as text.
import { invalid } from "./errors.js";

/** The largest id a database integer column holds (PostgreSQL's `integer`). */
export const MAX_ID = 2_147_483_647;

/** Reads an id cursor; a value this server could not have given out is a 400. */
export function idCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const id = Number(cursor);
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID + 1) {
    throw invalid("The cursor is not one this server gave out.", [
      { field: "query.cursor", message: "unknown cursor" },
    ]);
  }
  return id;
}

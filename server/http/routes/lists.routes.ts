import { z } from "zod";
import { changesSince, editEntry, getEntry, listEntries } from "../../lists/entries.service.js";
import { createList, getList, listLists, updateList } from "../../lists/lists.service.js";
import { entryView } from "../../entries/entry.schema.js";
import {
  changeFeedView,
  entryHistoryView,
  entryPage,
  listTextFields,
  listView,
  visibility,
} from "../../lists/list.schema.js";
import { policyInput } from "../../lists/policy.js";
import { slug } from "../../lists/slug.js";
import { confirmReview } from "../../reviews/reviews.service.js";
import { SEVERITIES } from "../../lists/vocabulary.js";
import { comment, evidenceUrl, tag } from "../../proposals/input.js";
import { route } from "../route.js";
import { domainInPath, pageQuery } from "../schemas.js";

export { slug };
const slugParams = z.object({ slug });
const { name, description } = listTextFields;

export const listRoutes = [
  route({
    method: "get",
    path: "/api/v1/lists",
    tag: "lists",
    summary: "Lists: the public ones, and members-only ones for signed-in callers",
    access: "public",
    response: z.object({ items: z.array(listView) }),
    async handler({ ctx, actor }) {
      return { items: await listLists(ctx, actor) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/lists",
    tag: "lists",
    summary: "Create a list with its voting policy",
    access: "admin",
    status: 201,
    body: z.strictObject({
      slug,
      name,
      description: description.optional(),
      visibility: visibility.optional(),
      policy: policyInput.optional(),
    }),
    response: listView,
    async handler({ ctx, actor, body }) {
      return createList(ctx, actor, body);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/lists/:slug",
    tag: "lists",
    summary: "One list, with counts and revision",
    access: "public",
    params: slugParams,
    response: listView,
    async handler({ ctx, actor, params }) {
      return getList(ctx, actor, params.slug);
    },
  }),
  route({
    method: "patch",
    path: "/api/v1/lists/:slug",
    tag: "lists",
    summary:
      "Edit a list (not its slug), or archive or unarchive it; open proposals keep the policy they were opened under",
    access: "admin",
    params: slugParams,
    body: z.strictObject({
      name: name.optional(),
      description: description.optional(),
      visibility: visibility.optional(),
      policy: policyInput.optional(),
      archived: z
        .boolean({ error: "expected true or false" })
        .optional()
        .describe("true archives the list (read-only; no open proposals), false unarchives it"),
    }),
    response: listView,
    async handler({ ctx, actor, params, body }) {
      return updateList(ctx, actor, params.slug, body);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/lists/:slug/entries",
    tag: "entries",
    summary: "A list's entries, by domain; search with q, filter by severity or tag",
    access: "public",
    params: slugParams,
    query: z.object({
      q: z.string().max(253).optional(),
      severity: z.enum(SEVERITIES, { error: "expected suspend, silence or noop" }).optional(),
      tag: tag.optional(),
      ...pageQuery,
    }),
    response: entryPage,
    async handler({ ctx, actor, params, query }) {
      return listEntries(ctx, actor, params.slug, query);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/lists/:slug/entries/:domain",
    tag: "entries",
    summary: "One entry and its history (outcomes and counts; never who voted)",
    access: "public",
    params: z.object({ slug, domain: domainInPath }),
    response: entryHistoryView,
    async handler({ ctx, actor, params }) {
      return getEntry(ctx, actor, params.slug, params.domain);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/lists/:slug/entries/:domain/review",
    tag: "entries",
    summary:
      "Confirm the entry still holds: its review date starts again (recorded, audited; a new revision, since exports carry the date)",
    access: "account",
    params: z.object({ slug, domain: domainInPath }),
    response: entryHistoryView,
    async handler({ ctx, actor, params }) {
      await confirmReview(ctx, actor, params.slug, params.domain);
      return getEntry(ctx, actor, params.slug, params.domain);
    },
  }),
  route({
    method: "patch",
    path: "/api/v1/lists/:slug/entries/:domain",
    tag: "entries",
    summary:
      "A curator's direct edit of an entry's comments, tags or evidence (audited; a new revision)",
    access: "curator",
    params: z.object({ slug, domain: domainInPath }),
    body: z.strictObject({
      publicComment: comment(2000).optional(),
      privateComment: comment(5000).optional(),
      tags: z
        .array(tag)
        .transform((tags) => [...new Set(tags)].sort())
        .optional(),
      evidence: z.array(evidenceUrl).max(20, "at most 20 links").optional(),
    }),
    response: entryView,
    async handler({ ctx, actor, params, body }) {
      return editEntry(ctx, actor, params.slug, params.domain, body);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/lists/:slug/changes",
    tag: "entries",
    summary: "The change feed: every change after revision `since`, removals included",
    access: "public",
    params: slugParams,
    query: z.object({
      since: z.coerce
        .number({ error: "expected a revision number" })
        .int("expected a revision number")
        .min(0, "must be 0 or more")
        .default(0),
    }),
    response: changeFeedView,
    async handler({ ctx, actor, params, query }) {
      return changesSince(ctx, actor, params.slug, query.since);
    },
  }),
];

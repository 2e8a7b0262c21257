// A list's upstream sources (docs/decisions/0029): members read them, curators manage them.
import { z } from "zod";
import { slug } from "../../lists/slug.js";
import { sourceInput, sourceUpdate, sourceView } from "../../sources/source.schema.js";
import {
  addSource,
  getSource,
  listSources,
  pollSourceNow,
  removeSource,
  updateSource,
} from "../../sources/sources.service.js";
import { route } from "../route.js";
import { recordId } from "../schemas.js";

const listParams = z.object({ slug });
const sourceParams = z.object({ slug, id: recordId("source") });

export const sourceRoutes = [
  route({
    method: "get",
    path: "/api/v1/lists/:slug/sources",
    tag: "sources",
    summary:
      "The upstream sources the list follows, each with its state and the proposals it opened",
    access: "account",
    params: listParams,
    response: z.object({ items: z.array(sourceView) }),
    async handler({ ctx, actor, params }) {
      return { items: await listSources(ctx, actor, params.slug) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/lists/:slug/sources",
    tag: "sources",
    summary:
      "Follow an upstream source: a FIRES dataset URL, or a blocklist file (Mastodon CSV, FediBlockHole export, plain TXT). It is polled at once and every pollMinutes after",
    access: "curator",
    status: 201,
    params: listParams,
    body: sourceInput,
    response: sourceView,
    async handler({ ctx, actor, params, body }) {
      return addSource(ctx, actor, params.slug, body);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/lists/:slug/sources/:id",
    tag: "sources",
    summary: "One source: its state and the proposals it opened",
    access: "account",
    params: sourceParams,
    response: sourceView,
    async handler({ ctx, actor, params }) {
      return getSource(ctx, actor, params.slug, params.id);
    },
  }),
  route({
    method: "patch",
    path: "/api/v1/lists/:slug/sources/:id",
    tag: "sources",
    summary: "Change a source's maximum severity, tags, cap or polling interval",
    access: "curator",
    params: sourceParams,
    body: sourceUpdate,
    response: sourceView,
    async handler({ ctx, actor, params, body }) {
      return updateSource(ctx, actor, params.slug, params.id, body);
    },
  }),
  route({
    method: "delete",
    path: "/api/v1/lists/:slug/sources/:id",
    tag: "sources",
    summary: "Stop following a source (the proposals it opened stay, for the members to decide)",
    access: "curator",
    status: 204,
    params: sourceParams,
    async handler({ ctx, actor, params }) {
      await removeSource(ctx, actor, params.slug, params.id);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/lists/:slug/sources/:id/poll",
    tag: "sources",
    summary:
      "Poll a source now; answers its state with the poll's report (409 while it is being polled)",
    access: "curator",
    params: sourceParams,
    response: sourceView,
    async handler({ ctx, actor, params }) {
      return pollSourceNow(ctx, actor, params.slug, params.id);
    },
  }),
];

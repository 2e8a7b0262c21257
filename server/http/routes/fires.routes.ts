// The FIRES provider's routes (server/fires/, docs/subscribers.md): NodeInfo discovery, then
// labels and datasets, each dataset's changes, records and snapshot. Anyone may read them;
// members-only lists answer 404 to anonymous callers and, like their exports, accept a token
// (also as HTTP Basic's password).
import type { Request, Response } from "express";
import { z } from "zod";
import type { FiresAnswer } from "../../fires/fires.service.js";
import {
  changesCollection,
  changesPage,
  datasetCollection,
  datasetDocument,
  labelCollection,
  labelDocument,
  nodeInfo,
  nodeInfoDiscovery,
  recordDocument,
  snapshot,
} from "../../fires/fires.schema.js";
import { chooseMediaType } from "../../fires/jsonld.js";
import { isRecordId } from "../../fires/record-ids.js";
import { RESPONDED, route, type AnyRoute } from "../route.js";
import { slug } from "./lists.routes.js";

const LD_TYPES = ["application/json", "application/ld+json"];

function writeFires(res: Response, answer: FiresAnswer): void {
  res.status(answer.status);
  res.setHeader("Content-Type", answer.contentType);
  res.setHeader("ETag", answer.etag);
  if (answer.lastModified) res.setHeader("Last-Modified", answer.lastModified);
  res.setHeader("Vary", answer.isPrivate ? "Accept, Authorization, Cookie" : "Accept");
  res.setHeader("Cache-Control", answer.isPrivate ? "private, no-cache" : "public, max-age=60");
  if (!answer.isPrivate) res.setHeader("Access-Control-Allow-Origin", "*");
  if (answer.status === 304 || !answer.body) {
    res.end();
    return;
  }
  res.setHeader("Content-Length", answer.body.length);
  res.end(answer.body);
}

const conditional = (req: Request) => ({
  ifNoneMatch: req.get("if-none-match"),
  ifModifiedSince: req.get("if-modified-since"),
});

const mediaType = (req: Request) => chooseMediaType(req.get("accept"));

const recordIdText = z
  .string()
  .refine(isRecordId, "expected a FIRES record id: a lowercase UUIDv7 from this feed");

const datasetParams = z.object({ slug });

export const firesRoutes: AnyRoute[] = [
  route({
    method: "get",
    path: "/.well-known/nodeinfo",
    tag: "fires",
    access: "public",
    summary: "NodeInfo discovery: links to the NodeInfo 2.1 document",
    response: nodeInfoDiscovery,
    async handler({ ctx, req, res }) {
      writeFires(res, ctx.fires.nodeInfoDiscovery(conditional(req)));
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/nodeinfo/2.1",
    tag: "fires",
    access: "public",
    summary: "NodeInfo 2.1: protocols [fires], metadata.fires.datasets and .labels",
    response: nodeInfo,
    async handler({ ctx, req, res }) {
      writeFires(res, ctx.fires.nodeInfo(conditional(req)));
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/labels",
    tag: "fires",
    access: "public",
    summary: "FIRES labels: the entry tag vocabulary, in English",
    response: labelCollection,
    produces: LD_TYPES,
    async handler({ ctx, req, res }) {
      writeFires(res, ctx.fires.labels(mediaType(req), conditional(req)));
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/labels/:tag",
    tag: "fires",
    access: "public",
    summary: "One FIRES label",
    params: z.object({ tag: z.string().max(100) }),
    response: labelDocument,
    produces: LD_TYPES,
    async handler({ ctx, params, req, res }) {
      writeFires(res, ctx.fires.label(params.tag, mediaType(req), conditional(req)));
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/datasets",
    tag: "fires",
    access: "public",
    summary: "FIRES datasets: every public list",
    response: datasetCollection,
    produces: LD_TYPES,
    async handler({ ctx, req, res }) {
      writeFires(res, await ctx.fires.datasets(mediaType(req), conditional(req)));
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/datasets/:slug",
    tag: "fires",
    access: "public",
    basicAuth: true,
    summary: "One list as a FIRES dataset",
    params: datasetParams,
    response: datasetDocument,
    produces: LD_TYPES,
    async handler({ ctx, actor, params, req, res }) {
      const answer = await ctx.fires.dataset(
        params.slug,
        actor !== null,
        mediaType(req),
        conditional(req),
      );
      writeFires(res, answer);
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/datasets/:slug/changes",
    tag: "fires",
    access: "public",
    basicAuth: true,
    summary:
      "A dataset's changes: the OrderedCollection, or with `since` (a record id, or the genesis id) a page of up to 100 records after it, oldest first",
    params: datasetParams,
    query: z.object({ since: recordIdText.optional() }),
    response: z.union([changesCollection, changesPage]),
    produces: LD_TYPES,
    async handler({ ctx, actor, params, query, req, res }) {
      const answer = await ctx.fires.changes(
        params.slug,
        query.since ?? null,
        actor !== null,
        mediaType(req),
        conditional(req),
      );
      writeFires(res, answer);
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/datasets/:slug/changes/:id",
    tag: "fires",
    access: "public",
    basicAuth: true,
    summary: "One FIRES record of a dataset",
    params: z.object({ slug, id: recordIdText }),
    response: recordDocument,
    produces: LD_TYPES,
    async handler({ ctx, actor, params, req, res }) {
      const answer = await ctx.fires.record(
        params.slug,
        params.id,
        actor !== null,
        mediaType(req),
        conditional(req),
      );
      writeFires(res, answer);
      return RESPONDED;
    },
  }),
  route({
    method: "get",
    path: "/fires/datasets/:slug/snapshot",
    tag: "fires",
    access: "public",
    basicAuth: true,
    summary: "A dataset's snapshot: the latest record of every domain, newest first",
    params: datasetParams,
    response: snapshot,
    produces: LD_TYPES,
    async handler({ ctx, actor, params, req, res }) {
      const answer = await ctx.fires.snapshot(
        params.slug,
        actor !== null,
        mediaType(req),
        conditional(req),
      );
      writeFires(res, answer);
      return RESPONDED;
    },
  }),
];

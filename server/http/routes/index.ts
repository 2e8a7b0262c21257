// The route table of the service: every route, in one list.
import { z } from "zod";
import { route, type AnyRoute } from "../route.js";
import { accountRoutes } from "./accounts.routes.js";
import { appealRoutes } from "./appeals.routes.js";
import { auditRoutes } from "./audit.routes.js";
import { downloadRoutes } from "./downloads.routes.js";
import { exportRoutes } from "./exports.routes.js";
import { firesRoutes } from "./fires.routes.js";
import { feedRoutes } from "./feeds.routes.js";
import { importRoutes } from "./imports.routes.js";
import { subscriptionRoutes } from "./subscriptions.routes.js";
import { sourceRoutes } from "./sources.routes.js";
import { listRoutes } from "./lists.routes.js";
import { proposalRoutes } from "./proposals.routes.js";
import { authRoutes } from "./auth.routes.js";
import { instanceRoutes } from "./instances.routes.js";
import { meRoutes } from "./me.routes.js";
import { systemRoutes } from "./system.routes.js";
import { tokenRoutes } from "./tokens.routes.js";
import { webhookRoutes } from "./webhooks.routes.js";

const serviceRoutes: AnyRoute[] = [
  ...authRoutes,
  ...meRoutes,
  ...tokenRoutes,
  ...instanceRoutes,
  ...accountRoutes,
  ...listRoutes,
  ...proposalRoutes,
  ...appealRoutes,
  ...auditRoutes,
  ...importRoutes,
  ...exportRoutes,
  ...subscriptionRoutes,
  ...firesRoutes,
  ...webhookRoutes,
  ...feedRoutes,
  ...sourceRoutes,
  ...systemRoutes,
  ...downloadRoutes,
];

const openApiRoute = route({
  method: "get",
  path: "/api/openapi.json",
  tag: "system",
  summary: "This document",
  access: "public",
  response: z.object({ openapi: z.string() }).loose(),
  async handler({ ctx }) {
    return ctx.openApi();
  },
});

export const allRoutes: AnyRoute[] = [...serviceRoutes, openApiRoute];

import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { forbidden, unauthenticated } from "../../errors.js";
import { renderDatabaseGauges } from "../metrics.js";
import { RESPONDED, route } from "../route.js";

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const systemRoutes = [
  route({
    method: "get",
    path: "/healthz",
    tag: "system",
    summary: "Liveness, with a database check (503 when the database does not answer)",
    access: "public",
    response: z.object({ status: z.literal("ok"), database: z.literal("ok") }),
    async handler({ ctx, res }) {
      try {
        await ctx.db.prisma.$queryRawUnsafe("SELECT 1");
      } catch (error) {
        ctx.log.error("health check: database unavailable", { error });
        res.status(503).json({ status: "error", database: "unavailable" });
        return RESPONDED;
      }
      return { status: "ok", database: "ok" };
    },
  }),
  route({
    method: "get",
    path: "/metrics",
    tag: "system",
    summary: "Prometheus metrics: an admin token, or Bearer FEDIBLOCK_METRICS_TOKEN",
    access: "public",
    ownSecret: true,
    produces: ["text/plain"],
    async handler({ ctx, actor, req, res }) {
      const presented = req.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
      const metricsToken = ctx.config.metricsToken;
      const allowed =
        (actor?.role === "admin" && actor.scopes.has("admin")) ||
        (metricsToken !== undefined && sameSecret(presented, metricsToken));
      if (!allowed) {
        if (!actor)
          throw unauthenticated(
            "Send an admin token or FEDIBLOCK_METRICS_TOKEN as a bearer token.",
          );
        throw forbidden("Metrics need an admin token with the admin scope.");
      }
      res
        .type("text/plain; version=0.0.4")
        .send(ctx.metrics.render() + (await renderDatabaseGauges(ctx)));
      return RESPONDED;
    },
  }),
];

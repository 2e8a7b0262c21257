// The Express application: security headers, sessions, the route table, the web UI's static
// files, and problem+json for every error.
import { existsSync } from "node:fs";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { join } from "node:path";
import express, { type Express } from "express";
import session from "express-session";
import helmet from "helmet";
import { DatabaseSessionStore } from "../accounts/session-store.js";
import type { AppContext } from "../context.js";
import { AppError, notFound } from "../errors.js";
import { webDistDir } from "../paths.js";
import { ListExports } from "../exports/list-exports.js";
import { FiresDocuments } from "../fires/fires.service.js";
import { MergedFeeds } from "../subscriptions/merged-feed.js";
import { createPassport } from "./auth.js";
import { createRequestHandler } from "./fast-exports.js";
import { HttpMetrics } from "./metrics.js";
import { mountRoutes } from "./mount.js";
import { openApiDocument } from "./openapi.js";
import { problemMiddleware, sendProblem } from "./problem.js";
import { warnOnUntrustedProxy } from "./proxy-warning.js";
import type { RouteContext } from "./route.js";
import { allRoutes } from "./routes/index.js";
import { sessionSecret } from "./session-secret.js";

export const SESSION_COOKIE = "fediblock.sid";
const SESSION_DAYS = 14;

export interface App {
  app: Express;
  sessions: DatabaseSessionStore;
  exports: ListExports;
  /** The HTTP request listener: the export fast path, then the Express app. */
  handler: RequestListener<typeof IncomingMessage, typeof ServerResponse>;
}

export async function createApp(ctx: AppContext): Promise<App> {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.trustProxy);
  app.set("query parser", "simple");
  app.use(warnOnUntrustedProxy(ctx));
  const metrics = new HttpMetrics();
  const exports = new ListExports(ctx);
  let openApi: object | undefined;
  const routeCtx: RouteContext = {
    ...ctx,
    exports,
    fires: new FiresDocuments(ctx, exports),
    mergedFeeds: new MergedFeeds(ctx),
    metrics,
    openApi: () => (openApi ??= openApiDocument(allRoutes, ctx.config.publicUrl)),
  };

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: ctx.config.publicUrl.startsWith("https:"),
    }),
  );
  app.use(metrics.middleware());

  const sessions = new DatabaseSessionStore(ctx);
  app.use(
    session({
      name: SESSION_COOKIE,
      store: sessions,
      secret: await sessionSecret(ctx),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: "lax",
        secure: "auto",
        maxAge: SESSION_DAYS * 86_400_000,
      },
    }),
  );
  const passport = createPassport(ctx);
  app.use(passport.initialize());
  app.use(passport.session());

  const router = express.Router();
  mountRoutes(router, routeCtx, passport, allRoutes);
  app.use(router);

  app.use(["/api", "/auth", "/fires"], (req, _res, next) => {
    next(new AppError(404, "not_found", `No route ${req.method} ${req.originalUrl}.`));
  });

  if (existsSync(join(webDistDir, "index.html"))) {
    app.use(express.static(webDistDir, { index: false, maxAge: "1h" }));
    // Client-side routes of the web UI all answer its index page.
    app.get(/^\/(?!api\/|auth\/|fires\/).*/, (_req, res) => {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(join(webDistDir, "index.html"));
    });
  } else {
    app.get("/", (_req, res) => {
      res
        .type("text/plain")
        .send("Fediblock Commons is running. The web UI is not built: run `npm run build`.\n");
    });
  }

  app.use((req, res) => sendProblem(res, notFound(`${req.method} ${req.path}`)));
  app.use(problemMiddleware(ctx.log));
  const handler = createRequestHandler(
    ctx,
    app as unknown as RequestListener,
    exports,
    passport,
    metrics,
  );
  return { app, sessions, exports, handler };
}

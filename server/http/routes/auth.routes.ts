import { z } from "zod";
import { describeActor } from "../../accounts/accounts.service.js";
import { forbidden, unauthenticated } from "../../errors.js";
import { passwordLogin, signIn, signOut } from "../auth.js";
import { meView } from "../../accounts/account.schema.js";
import { route } from "../route.js";

const session = meView.extend({ csrfToken: z.string() });

export const authRoutes = [
  route({
    method: "post",
    path: "/auth/login",
    tag: "auth",
    summary: "Sign in: sets the session cookie and answers the CSRF token for unsafe requests",
    access: "public",
    body: z.strictObject({
      username: z.string().max(100),
      password: z.string().max(1000),
    }),
    response: session,
    async handler({ ctx, body, req, res, passport }) {
      const origin = req.get("origin");
      const own = [new URL(ctx.config.publicUrl).origin, `${req.protocol}://${req.get("host")}`];
      if (origin && !own.includes(origin)) {
        throw forbidden("Cross-origin sign-in refused.", "csrf");
      }
      const address = req.ip ?? "unknown";
      const attempt = await ctx.loginThrottle.begin(body.username, address);
      const actor = await passwordLogin(passport, req, res);
      if (!actor) throw unauthenticated("Wrong user name or password, or the account is disabled.");
      await attempt.succeeded();
      const csrfToken = await signIn(req, actor);
      return { ...(await describeActor(ctx, actor)), csrfToken };
    },
  }),
  route({
    method: "get",
    path: "/auth/session",
    tag: "auth",
    summary:
      "The web UI's probe of who is signed in: 200 with `account: null` when no one is (GET /api/v1/me answers 401)",
    access: "public",
    beforePasswordChange: true,
    response: z.union([
      session.extend({ csrfToken: z.string().optional() }),
      z.object({ account: z.null(), instance: z.null() }),
    ]),
    async handler({ ctx, actor, req }) {
      if (!actor) return { account: null, instance: null };
      const me = await describeActor(ctx, actor);
      const csrfToken = actor.via === "session" ? req.session.csrfToken : undefined;
      return csrfToken ? { ...me, csrfToken } : me;
    },
  }),
  route({
    method: "post",
    path: "/auth/logout",
    tag: "auth",
    summary: "Sign out: ends the session",
    access: "account",
    beforePasswordChange: true,
    status: 204,
    async handler({ req }) {
      if (req.user) await signOut(req);
    },
  }),
];

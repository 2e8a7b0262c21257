// Authentication (SPEC §3): a session cookie from passport's local strategy for the web UI, a
// bearer token through passport's bearer strategy for scripts, and, on exports only, HTTP
// Basic with the token as password (GoToSocial's subscriptions can send nothing else).
// Authorization for a route: its access level, the token's scopes and, for cookie-authenticated
// writes, CSRF protection (a per-session token in X-CSRF-Token and a same-origin Origin).
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { Passport } from "passport";
import { Strategy as BearerStrategy } from "passport-http-bearer";
import { Strategy as LocalStrategy } from "passport-local";
import type { Actor } from "../accounts/actor.js";
import { actorForSession, verifyLogin } from "../accounts/accounts.service.js";
import { authenticateToken } from "../accounts/tokens.service.js";
import type { AppContext } from "../context.js";
import { AppError, forbidden, unauthenticated } from "../errors.js";
import { requiredScope, type AnyRoute } from "./route.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}

declare module "express-session" {
  interface SessionData {
    csrfToken?: string;
  }
}

export function createPassport(ctx: AppContext): InstanceType<typeof Passport> {
  const passport = new Passport();
  passport.use(
    new LocalStrategy((username, password, done) => {
      verifyLogin(ctx, username, password).then(
        (actor) => done(null, actor ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  passport.use(
    new BearerStrategy((token, done) => {
      authenticateToken(ctx, token).then(
        (actor) => done(null, actor ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  passport.serializeUser((actor, done) => done(null, actor.accountId));
  passport.deserializeUser((id: number, done) => {
    actorForSession(ctx, id).then(
      (actor) => done(null, actor ?? false),
      (error: unknown) => done(error),
    );
  });
  return passport;
}

export type PassportInstance = ReturnType<typeof createPassport>;

/** The account whose user name and password are in the request body (passport's local
 * strategy), or null when they do not match an enabled account. */
export function passwordLogin(
  passport: PassportInstance,
  req: Request,
  res: Response,
): Promise<Actor | null> {
  return new Promise((resolve, reject) => {
    const next = (error?: unknown) => reject(error);
    passport.authenticate("local", { session: false }, (error: unknown, actor: Actor | false) => {
      if (error) return reject(error);
      resolve(actor || null);
    })(req, res, next as NextFunction);
  });
}

function bearer(passport: PassportInstance, req: Request, res: Response): Promise<Actor> {
  return new Promise((resolve, reject) => {
    const next = (error?: unknown) => reject(error);
    passport.authenticate("bearer", { session: false }, (error: unknown, actor: Actor | false) => {
      if (error) return reject(error);
      if (!actor) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="fediblock", error="invalid_token"');
        return reject(unauthenticated("The API token is malformed, unknown or revoked."));
      }
      resolve(actor);
    })(req, res, next as NextFunction);
  });
}

async function basic(ctx: AppContext, header: string): Promise<Actor> {
  const decoded = Buffer.from(header.slice("basic ".length).trim(), "base64").toString("utf8");
  const password = decoded.slice(decoded.indexOf(":") + 1);
  const actor = await authenticateToken(ctx, password);
  if (!actor)
    throw unauthenticated("The API token given as the Basic password is unknown or revoked.");
  return actor;
}

/** The caller of a request: token first (bearer, or basic where the route allows it), then session. */
export async function resolveActor(
  ctx: AppContext,
  passport: PassportInstance,
  route: Pick<AnyRoute, "basicAuth">,
  req: Request,
  res: Response,
): Promise<Actor | null> {
  const header = req.headers.authorization;
  if (header) {
    const scheme = header.split(" ", 1)[0]!.toLowerCase();
    if (scheme === "bearer") return bearer(passport, req, res);
    if (scheme === "basic" && route.basicAuth) return basic(ctx, header);
    throw unauthenticated(
      route.basicAuth
        ? "Send the API token as `Authorization: Bearer …` or as the Basic password."
        : "Send the API token as `Authorization: Bearer …`.",
    );
  }
  return req.user ?? null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function sameOrigin(ctx: AppContext, req: Request, origin: string): boolean {
  const own = new Set([
    new URL(ctx.config.publicUrl).origin,
    `${req.protocol}://${req.get("host")}`,
  ]);
  return own.has(origin);
}

export function assertCsrf(ctx: AppContext, req: Request): void {
  const expected = req.session?.csrfToken;
  const presented = req.get("x-csrf-token");
  if (!expected || !presented) {
    throw forbidden("Missing X-CSRF-Token: send the token from your sign-in answer.", "csrf");
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw forbidden("The X-CSRF-Token does not match this session.", "csrf");
  }
  const origin = req.get("origin");
  if (!origin || !sameOrigin(ctx, req, origin)) {
    throw forbidden("Cross-origin request refused: the Origin header must be this site.", "csrf");
  }
}

/** Checks that `actor` may call `route`; throws 401 or 403 otherwise. */
export function authorize(
  ctx: AppContext,
  route: AnyRoute,
  actor: Actor | null,
  req: Request,
): void {
  if (!actor) {
    if (route.access === "public") return;
    throw unauthenticated();
  }
  const scope = requiredScope(route);
  if (actor.via === "token" && !actor.scopes.has(scope)) {
    throw forbidden(`This token lacks the \`${scope}\` scope needed here.`, "insufficient_scope");
  }
  if (
    actor.via === "session" &&
    actor.mustChangePassword &&
    route.access !== "public" &&
    !route.beforePasswordChange
  ) {
    throw forbidden(
      "Choose your own password first: this account signed in with a one-time password (POST /api/v1/me/password).",
      "password_change_required",
    );
  }
  if (route.access === "admin" && actor.role !== "admin") {
    throw forbidden("Only admins may do this.");
  }
  if (route.access === "curator" && actor.role === "member") {
    throw forbidden("Only curators and admins may do this.");
  }
  if (actor.via === "session" && UNSAFE.has(req.method)) assertCsrf(ctx, req);
}

export const newCsrfToken = () => randomBytes(24).toString("base64url");

/** Signs a verified account in: a fresh session (no fixation) with its own CSRF token. */
export function signIn(req: Request, actor: Actor): Promise<string> {
  return new Promise((resolve, reject) => {
    req.logIn(actor, (error) => {
      if (error)
        return reject(
          error instanceof Error ? error : new AppError(500, "internal", "sign-in failed"),
        );
      const token = newCsrfToken();
      req.session.csrfToken = token;
      resolve(token);
    });
  });
}

export function signOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logOut((error) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      req.session.destroy(() => resolve());
    });
  });
}

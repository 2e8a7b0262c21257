// A route is declared once, as data: method, path, who may call it, the zod schemas of its
// input, and a handler that calls a service. The same table mounts the routes on Express,
// generates the OpenAPI document (so it cannot drift) and drives the authorization matrix test.
import type { Request, Response } from "express";
import type { z } from "zod";
import type { Actor } from "../accounts/actor.js";
import type { AppContext } from "../context.js";
import type { ListExports } from "../exports/list-exports.js";
import type { FiresDocuments } from "../fires/fires.service.js";
import type { MergedFeeds } from "../subscriptions/merged-feed.js";
import type { PassportInstance } from "./auth.js";
import type { HttpMetrics } from "./metrics.js";

/**
 * Who may call a route:
 * - `public`: anyone; services still hide members-only lists from anonymous callers (404).
 * - `account`: any signed-in, enabled account ("members" in SPEC §3).
 * - `curator`: curators and admins.
 * - `admin`: admins; a token also needs the `admin` scope.
 */
export type Access = "public" | "account" | "curator" | "admin";
export type Method = "get" | "post" | "put" | "patch" | "delete";

type ActorFor<A extends Access> = A extends "public" ? Actor | null : Actor;

/**
 * What a route's handler is given besides the request: the service's context and the services
 * of this HTTP application (one per `createApp`), typed, instead of `app.set`.
 */
export interface RouteContext extends AppContext {
  readonly exports: ListExports;
  readonly fires: FiresDocuments;
  readonly mergedFeeds: MergedFeeds;
  readonly metrics: HttpMetrics;
  /** The OpenAPI document of this application (its server URL is this app's public URL). */
  openApi(): object;
}

export interface HandlerInput<A extends Access, P, Q, B> {
  ctx: RouteContext;
  actor: ActorFor<A>;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  /** Authentication strategies, for the one route that checks a password (sign-in). */
  passport: PassportInstance;
}

/** What a handler returns when it wrote the response itself (exports, 304s). */
export const RESPONDED = Symbol("responded");

export interface RouteSpec<A extends Access = Access, P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Express path, e.g. `/api/v1/lists/:slug`. */
  path: string;
  summary: string;
  /** OpenAPI tag: the resource the route belongs to. */
  tag: string;
  access: A;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** How the body arrives: JSON (default), CSV text or a multipart upload (`file`). */
  bodyType?: "json" | "csv-upload";
  /** Success status; 204 sends no body. Default 200. */
  status?: 200 | 201 | 204;
  /** Documented response body (OpenAPI only). */
  response?: z.ZodType;
  /** Extra documented content types of a 200 answer (exports). */
  produces?: string[];
  /** Exports also accept HTTP Basic with the token as password (GoToSocial). */
  basicAuth?: boolean;
  /** A credential that is not an API token leaves the caller anonymous instead of a 401; the
   * handler checks its own secret (GET /metrics and FEDIBLOCK_METRICS_TOKEN). */
  ownSecret?: boolean;
  /** Open to a web session that must still change its one-time password (who am I, change it,
   * sign out). */
  beforePasswordChange?: boolean;
  handler(input: HandlerInput<A, P, Q, B>): Promise<unknown>;
}

export type AnyRoute = RouteSpec<Access, unknown, unknown, unknown>;

/** Declares a route with its types inferred from its schemas. */
export function route<
  A extends Access,
  P = Record<string, never>,
  Q = Record<string, never>,
  B = undefined,
>(spec: RouteSpec<A, P, Q, B>): AnyRoute {
  return spec as unknown as AnyRoute;
}

/** The token scope a route needs: `admin` for admin routes, else `read` for GET, `write` otherwise. */
export function requiredScope(
  route: Pick<AnyRoute, "access" | "method">,
): "read" | "write" | "admin" {
  if (route.access === "admin") return "admin";
  return route.method === "get" ? "read" : "write";
}

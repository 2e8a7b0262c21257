// Shared by the hardening tests: the route table turned into concrete requests, a raw HTTP
// client that sends exactly the bytes it is given, and a probe that tells whether a request
// wrote anything to the database.
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import Sqlite from "better-sqlite3";
import type { AppContext } from "../../server/context.js";
import { sqliteFilePath } from "../../server/db/client.js";
import type { AnyRoute } from "../../server/http/route.js";

// ---------------------------------------------------------------------------------------------
// The route table as requests

/** The names of a route's path parameters, in order: `/lists/:slug.csv` → `["slug"]`. */
export function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1]!);
}

/**
 * What a parameter stands for, named by the path segment before it: `lists/:slug`,
 * `entries/:domain`, `proposals/:id`. Two `:id`s of different resources get different keys.
 */
export function paramKey(path: string, name: string): string {
  const before = path
    .slice(0, path.indexOf(`:${name}`))
    .split("/")
    .filter(Boolean)
    .at(-1);
  return `${before ?? ""}/:${name}`;
}

export const routeLabel = (route: Pick<AnyRoute, "method" | "path">) =>
  `${route.method.toUpperCase()} ${route.path}`;

/** Values (already URL-encoded) for each parameter key, optionally overridden per route. */
export interface ParamValues {
  byKey: Record<string, string[]>;
  /** `"DELETE /api/v1/tokens/:id"` → `{ id: [...] }` */
  byRoute?: Record<string, Record<string, string[]>>;
}

function valuesFor(route: AnyRoute, name: string, values: ParamValues): string[] | undefined {
  return values.byRoute?.[routeLabel(route)]?.[name] ?? values.byKey[paramKey(route.path, name)];
}

/** The parameters of the route table that have no values: a new route must be given some. */
export function unfilledParams(routes: AnyRoute[], values: ParamValues): string[] {
  return routes.flatMap((route) =>
    paramNames(route.path)
      .filter((name) => (valuesFor(route, name, values) ?? []).length === 0)
      .map((name) => `${routeLabel(route)}: no values for ${paramKey(route.path, name)}`),
  );
}

/** Every concrete path of a route: the product of its parameters' values. */
export function concretePaths(route: AnyRoute, values: ParamValues): string[] {
  let paths = [route.path];
  for (const name of paramNames(route.path)) {
    const options = valuesFor(route, name, values);
    if (!options || options.length === 0) {
      throw new Error(
        `${routeLabel(route)}: no values for ${paramKey(route.path, name)}; add some to the test`,
      );
    }
    paths = paths.flatMap((path) => options.map((value) => path.replace(`:${name}`, value)));
  }
  return paths;
}

/** The route's path with one parameter replaced by `raw` and the others by their first value. */
export function pathWith(
  route: AnyRoute,
  values: ParamValues,
  replaced: string,
  raw: string,
): string {
  let path = route.path;
  for (const name of paramNames(route.path)) {
    path = path.replace(`:${name}`, name === replaced ? raw : valuesFor(route, name, values)![0]!);
  }
  return path;
}

export const isWrite = (route: AnyRoute) => route.method !== "get";

// ---------------------------------------------------------------------------------------------
// Raw HTTP

export interface RawRequest {
  method: string;
  /** Sent as is: already encoded, never normalized. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends one request byte for byte. A server that answers before reading the whole body (413)
 * may reset the connection while the body is still being written: the answer counts.
 */
export function send(baseUrl: string, req: RawRequest, attempt = 1): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(
      {
        agent,
        host: hostname,
        port,
        method: req.method.toUpperCase(),
        path: req.path,
        headers: {
          ...(body ? { "Content-Length": String(body.length) } : {}),
          ...req.headers,
        },
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: bytes,
            text: bytes.toString("utf8"),
          });
        });
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error("no answer within 30 s")));
    outgoing.on("error", (error) => {
      if (answered) return;
      // A kept-alive socket the server closed (idle past its keepAliveTimeout) just as this
      // request reused it: Node's documented race; the request never reached the server.
      const reset = (error as NodeJS.ErrnoException).code === "ECONNRESET";
      if (reset && outgoing.reusedSocket && attempt === 1) {
        resolve(send(baseUrl, req, 2));
        return;
      }
      reject(error);
    });
    outgoing.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Did anything get written?

export interface DatabaseState {
  /** Rows per table. */
  counts: Record<string, number>;
  /** Each list's revision. */
  revisions: Record<string, number>;
  /** SQLite's `data_version` as this probe's own connection sees it: it changes whenever any
   * other connection commits, so it catches updates that leave the counts alone. */
  commits: number | null;
}

export interface DatabaseProbe {
  state(): Promise<DatabaseState>;
  close(): void;
}

const INTERNAL_TABLE = /^(sqlite_|_fediblock_|_prisma)/;

/** Reads the test database through its own connection (SQLite) or through Prisma (PostgreSQL). */
export async function openProbe(ctx: AppContext): Promise<DatabaseProbe> {
  if (ctx.db.dialect === "sqlite") {
    const db = new Sqlite(sqliteFilePath(ctx.db.url), { readonly: true, fileMustExist: true });
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    )
      .map((row) => row.name)
      .filter((name) => !INTERNAL_TABLE.test(name));
    const countAll = db.prepare(
      tables
        .map((name) => `SELECT '${name}' AS name, count(*) AS n FROM "${name}"`)
        .join(" UNION ALL "),
    );
    const revisions = db.prepare(`SELECT slug, revision FROM "List"`);
    // Prepared once: `db.pragma()` would prepare (and drop) a statement per call, and Node 24
    // aborts when better-sqlite3 12 finalizes one at an unlucky moment (server/db/collect-garbage.ts).
    const dataVersion = db.prepare("PRAGMA data_version").pluck();
    return {
      async state() {
        return {
          counts: Object.fromEntries(
            (countAll.all() as { name: string; n: number }[]).map((row) => [row.name, row.n]),
          ),
          revisions: Object.fromEntries(
            (revisions.all() as { slug: string; revision: number }[]).map((row) => [
              row.slug,
              row.revision,
            ]),
          ),
          commits: dataVersion.get() as number,
        };
      },
      close: () => db.close(),
    };
  }
  const prisma = ctx.db.prisma;
  const tables = (
    await prisma.$queryRawUnsafe<{ name: string }[]>(
      "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema()",
    )
  )
    .map((row) => row.name)
    .filter((name) => !INTERNAL_TABLE.test(name));
  return {
    async state() {
      const counts: Record<string, number> = {};
      for (const name of tables) {
        const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
          `SELECT count(*) AS n FROM "${name}"`,
        );
        counts[name] = Number(row!.n);
      }
      const lists = await prisma.list.findMany({ select: { slug: true, revision: true } });
      return {
        counts,
        revisions: Object.fromEntries(lists.map((list) => [list.slug, list.revision])),
        commits: null,
      };
    },
    close: () => {},
  };
}

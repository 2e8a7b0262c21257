// Configuration of the service: flags win over environment variables, which win over defaults.
// Validated once at start; a bad value stops the process with a message that names it.
import { z } from "zod";
import type { LogLevel } from "./log.js";

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  /** The URL people and servers use to reach the service (origin checks, export links). */
  publicUrl: string;
  trustProxy: boolean | number;
  adminInstance: string | undefined;
  adminPassword: string | undefined;
  sessionSecret: string | undefined;
  metricsToken: string | undefined;
  logLevel: LogLevel;
  /** What the server itself may fetch (server/net/outbound.ts). */
  outbound: { allowPrivate: boolean };
  /** Where an appealing domain serves its token (FEDIBLOCK_VERIFICATION_BASE, `{domain}` replaced). */
  verificationBase: string;
}

export class ConfigError extends Error {
  /** Every invalid setting, one sentence each: all of them are reported at once. */
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(list.join("\n"));
    this.name = "ConfigError";
    this.problems = list;
  }
}

export const DEFAULT_DATABASE_URL = "file:./data/fediblock.db";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const port = z.coerce
  .number({ error: "expected a whole number from 1 to 65535" })
  .int("expected a whole number from 1 to 65535")
  .min(1, "expected a whole number from 1 to 65535")
  .max(65535, "expected a whole number from 1 to 65535");

const databaseUrl = z
  .string()
  .trim()
  .refine((value) => /^(file:|postgres(ql)?:\/\/)/.test(value), {
    message: "expected file:PATH (SQLite) or postgresql://USER:PASSWORD@HOST:PORT/DB",
  });

const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (["", "false", "0", "no"].includes(value.toLowerCase())) return false;
    if (["true", "yes"].includes(value.toLowerCase())) return true;
    const hops = Number(value);
    if (Number.isInteger(hops) && hops > 0) return hops;
    ctx.addIssue({ code: "custom", message: "expected true, false or a number of proxy hops" });
    return z.NEVER;
  });

const url = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, "expected an http(s) URL such as https://blocklists.example.org");

const yesNo = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (["", "false", "0", "no"].includes(value.toLowerCase())) return false;
    if (["true", "1", "yes"].includes(value.toLowerCase())) return true;
    ctx.addIssue({ code: "custom", message: "expected true or false" });
    return z.NEVER;
  });

export const DEFAULT_VERIFICATION_BASE = "https://{domain}";

/** A URL with `{domain}` in it: the appealing domain goes there (server/appeals/verification.ts). */
const verificationBase = z
  .string()
  .trim()
  .refine(
    (value) => value.includes("{domain}"),
    "expected a URL with {domain} in it, such as https://{domain}",
  )
  .refine((value) => {
    try {
      const url = new URL(value.replaceAll("{domain}", "example.org"));
      return ["http:", "https:"].includes(url.protocol) && url.search === "" && url.hash === "";
    } catch {
      return false;
    }
  }, "expected an http(s) URL without a query, such as https://{domain} or http://127.0.0.1:8080/{domain}")
  .transform((value) => value.replace(/\/+$/, ""));

const logLevel = z.enum(["debug", "info", "warn", "error", "silent"], {
  error: "expected one of debug, info, warn, error, silent",
});

export interface ConfigFlags {
  port?: string | number | undefined;
  host?: string | undefined;
  database?: string | undefined;
}

/** Reads settings, naming where each came from; the problems of all of them are kept. */
function settingsReader() {
  const problems: string[] = [];
  function read<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const reason = result.error.issues[0]?.message ?? "invalid value";
    problems.push(`${name}=${JSON.stringify(value)} is not valid: ${reason}`);
    return undefined as T;
  }
  return { read, problems };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  const { read, problems } = settingsReader();
  const portValue = read(
    port,
    flags.port ?? env.PORT ?? 3000,
    flags.port !== undefined ? "--port" : "PORT",
  );
  const host = read(
    z.string().trim().min(1, "expected a host name or address"),
    flags.host ?? env.FEDIBLOCK_HOST ?? "127.0.0.1",
    flags.host !== undefined ? "--host" : "FEDIBLOCK_HOST",
  );
  const publicUrl = read(
    url.optional(),
    env.FEDIBLOCK_PUBLIC_URL || undefined,
    "FEDIBLOCK_PUBLIC_URL",
  );
  const adminPassword = read(
    optionalText.refine((value) => value === undefined || value.length >= 12, {
      message: "expected at least 12 characters",
    }),
    env.FEDIBLOCK_ADMIN_PASSWORD,
    "FEDIBLOCK_ADMIN_PASSWORD",
  );
  const sessionSecret = read(
    optionalText.refine((value) => value === undefined || value.length >= 32, {
      message: "expected at least 32 characters (e.g. `openssl rand -hex 32`)",
    }),
    env.FEDIBLOCK_SESSION_SECRET,
    "FEDIBLOCK_SESSION_SECRET",
  );
  const metricsToken = read(
    optionalText.refine((value) => value === undefined || value.length >= 16, {
      message: "expected at least 16 characters",
    }),
    env.FEDIBLOCK_METRICS_TOKEN,
    "FEDIBLOCK_METRICS_TOKEN",
  );
  const config: Config = {
    databaseUrl: read(
      databaseUrl,
      flags.database ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
      flags.database !== undefined ? "--database" : "DATABASE_URL",
    ),
    port: portValue,
    host,
    publicUrl: (publicUrl ?? `http://localhost:${portValue ?? 3000}`).replace(/\/+$/, ""),
    trustProxy: read(trustProxy, env.FEDIBLOCK_TRUST_PROXY ?? "false", "FEDIBLOCK_TRUST_PROXY"),
    adminInstance: read(optionalText, env.FEDIBLOCK_ADMIN_INSTANCE, "FEDIBLOCK_ADMIN_INSTANCE"),
    adminPassword,
    sessionSecret,
    metricsToken,
    logLevel: read(logLevel, env.FEDIBLOCK_LOG_LEVEL ?? "info", "FEDIBLOCK_LOG_LEVEL"),
    outbound: {
      allowPrivate: read(
        yesNo,
        env.FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE ?? "false",
        "FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE",
      ),
    },
    verificationBase: read(
      verificationBase,
      env.FEDIBLOCK_VERIFICATION_BASE || DEFAULT_VERIFICATION_BASE,
      "FEDIBLOCK_VERIFICATION_BASE",
    ),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

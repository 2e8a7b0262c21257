// The one HTTP client for every URL the server itself fetches (upstream sources, webhooks,
// appeal verification; docs/security.md "outbound requests", ADR 0015). Its rules:
// - `https` only;
// - the name is resolved once and the connection goes to the address that was checked (the
//   socket's `lookup` is this module's), so a name cannot resolve to a public address for the
//   check and to 127.0.0.1 for the connection (DNS rebinding); loopback, private, link-local,
//   CGNAT, metadata, multicast and reserved addresses, IPv4 and IPv6, are refused;
// - a redirect is followed only to the same scheme, host and port (at most MAX_REDIRECTS), and
//   its address is checked again;
// - a size limit on the body and one time limit on the whole exchange (a server that stalls or
//   trickles is cut off);
// - no credentials: a URL with a user or password is refused, no cookies are kept, and only the
//   caller's headers are sent — never to another host, since none is followed.
// `FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true` (tests, closed networks) lifts the address rule and
// allows `http`; the service logs it at start.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export interface OutboundPolicy {
  /** FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: any address, and `http` too. */
  allowPrivate: boolean;
}

export interface OutboundRequest {
  method?: "GET" | "POST" | "HEAD";
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The longest body accepted, in bytes (default 5 MB). */
  maxBytes?: number;
  /** The whole exchange, redirects included, in milliseconds (default 10 s). */
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after same-host redirects). */
  url: string;
}

export type OutboundErrorCode =
  | "outbound_url"
  | "outbound_address"
  | "outbound_redirect"
  | "outbound_too_large"
  | "outbound_timeout"
  | "outbound_failed";

/** Why an outbound request was refused or failed; `message` says which rule and what to fix. */
export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

export const OUTBOUND_DEFAULTS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 10_000 } as const;
export const MAX_REDIRECTS = 3;

/** Resolves a name to its addresses (the system resolver; tests pass their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

const refused = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  refused.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["100::", 64], // discard
  ["2001::", 32], // Teredo
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (embeds an IPv4 address)
  ["fc00::", 7], // unique local, AWS metadata (fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  refused.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped, IPv4-compatible or NAT64), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const match =
    /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(
      lower,
    );
  if (!match) return null;
  if (match[1]) return match[1];
  const high = parseInt(match[2]!, 16);
  const low = parseInt(match[3]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** Whether the server may connect to `address` under the address rule. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !refused.check(address, "ipv4");
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4 !== null) return isIP(v4) === 4 && !refused.check(v4, "ipv4");
  return !refused.check(address, "ipv6");
}

/**
 * The socket's lookup: resolves once, refuses the name if any of its addresses is refused
 * (so that which one the socket picks cannot matter), and hands the socket the checked address.
 */
function checkedLookup(
  policy: OutboundPolicy,
  resolve: Resolver,
  checked: string[],
): LookupFunction {
  return (hostname, options, callback) => {
    const literal = isIP(hostname.replace(/^\[|\]$/g, ""));
    const addresses: Promise<LookupAddress[]> = literal
      ? Promise.resolve([
          { address: hostname.replace(/^\[|\]$/g, ""), family: literal } as LookupAddress,
        ])
      : resolve(hostname);
    addresses.then(
      (found) => {
        const usable = found.filter((entry) => entry.family === 4 || entry.family === 6);
        if (usable.length === 0) {
          return callback(
            new OutboundError("outbound_failed", `${hostname} has no address`),
            "",
            4,
          );
        }
        const bad = usable.find((entry) => !policy.allowPrivate && !isPublicAddress(entry.address));
        if (bad) {
          return callback(
            new OutboundError(
              "outbound_address",
              `${hostname} resolves to ${bad.address}, a loopback, private, link-local or reserved address the server does not connect to (FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true allows it on a closed network)`,
            ),
            "",
            4,
          );
        }
        const chosen = usable[0]!;
        checked.push(chosen.address);
        if ((options as { all?: boolean }).all) {
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [chosen]);
        }
        callback(null, chosen.address, chosen.family);
      },
      (error: Error) =>
        callback(
          new OutboundError("outbound_failed", `${hostname} cannot be resolved: ${error.message}`),
          "",
          4,
        ),
    );
  };
}

/** The rules a URL must meet before anything is resolved; throws OutboundError. */
export function checkUrl(text: string, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundError("outbound_url", `${text} is not a URL`);
  }
  const schemes = policy.allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(url.protocol)) {
    throw new OutboundError(
      "outbound_url",
      `${url.protocol.replace(/:$/, "")} URLs are not fetched: use https://`,
    );
  }
  if (url.username || url.password) {
    throw new OutboundError(
      "outbound_url",
      "a URL with a user or password is not fetched: the server forwards no credentials",
    );
  }
  // An address in the URL is never looked up, so the socket's lookup would not see it.
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !policy.allowPrivate && !isPublicAddress(literal)) {
    throw new OutboundError(
      "outbound_address",
      `${literal} is a loopback, private, link-local or reserved address the server does not connect to`,
    );
  }
  return url;
}

const sameOrigin = (a: URL, b: URL) => a.protocol === b.protocol && a.host === b.host;

/** Fetches `url` under the outbound policy; throws OutboundError when a rule stops it. */
export async function outboundFetch(
  url: string,
  policy: OutboundPolicy,
  request: OutboundRequest = {},
  /** Tests only (a name that resolves to 127.0.0.1); never reachable from configuration. */
  resolve: Resolver = systemResolver,
): Promise<OutboundResponse> {
  const maxBytes = request.maxBytes ?? OUTBOUND_DEFAULTS.maxBytes;
  const timeoutMs = request.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs;
  const deadline = Date.now() + timeoutMs;
  const first = checkUrl(url, policy);
  let current = first;
  for (let redirects = 0; ; redirects += 1) {
    const answer = await exchange(current, policy, request, resolve, maxBytes, deadline, timeoutMs);
    const location = answer.headers.location;
    if (answer.status < 300 || answer.status >= 400 || answer.status === 304 || !location) {
      return { ...answer, url: current.toString() };
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new OutboundError("outbound_redirect", `${current} redirects to a bad URL`);
    }
    if (!sameOrigin(next, first)) {
      throw new OutboundError(
        "outbound_redirect",
        `${current} redirects to ${next.origin}: a redirect to another host or scheme is not followed (use the final URL)`,
      );
    }
    if (redirects >= MAX_REDIRECTS) {
      throw new OutboundError(
        "outbound_redirect",
        `${first} redirects more than ${MAX_REDIRECTS} times`,
      );
    }
    current = checkUrl(next.toString(), policy);
  }
}

function exchange(
  url: URL,
  policy: OutboundPolicy,
  request: OutboundRequest,
  resolve: Resolver,
  maxBytes: number,
  deadline: number,
  timeoutMs: number,
): Promise<Omit<OutboundResponse, "url">> {
  return new Promise((done, fail) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const checked: string[] = [];
    let settled = false;
    const finish = (error: Error | null, value?: Omit<OutboundResponse, "url">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        outgoing.destroy();
        fail(
          error instanceof OutboundError
            ? error
            : new OutboundError("outbound_failed", `${url.origin}: ${error.message}`),
        );
      } else done(value!);
    };
    const outgoing = send(url, {
      method: request.method ?? "GET",
      headers: request.headers ?? {},
      lookup: checkedLookup(policy, resolve, checked),
      // One connection per request: no pooled socket to a host whose address was checked earlier.
      agent: false,
    });
    const timer = setTimeout(
      () =>
        finish(
          new OutboundError(
            "outbound_timeout",
            `${url.origin} did not answer in full within ${timeoutMs} ms`,
          ),
        ),
      Math.max(0, deadline - Date.now()),
    );
    outgoing.on("error", (error) => finish(error));
    outgoing.on("response", (response) => {
      const declared = Number(response.headers["content-length"] ?? 0);
      const tooLarge = () =>
        new OutboundError(
          "outbound_too_large",
          `${url.origin} sent more than ${maxBytes} bytes (the limit of this request)`,
        );
      if (declared > maxBytes) return finish(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish(tooLarge());
        chunks.push(chunk);
      });
      response.on("error", (error) => finish(error));
      response.on("end", () =>
        finish(null, {
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    outgoing.end(request.body);
  });
}

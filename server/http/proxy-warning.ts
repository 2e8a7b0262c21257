// Behind a TLS-terminating proxy that sets X-Forwarded-For, a service with trust-proxy off sees
// every client as the proxy's address: the sign-in throttle's per-address limits then count every
// visitor as one, and one attacker can hold everyone back. Say so once, where the operator reads.
import type { RequestHandler } from "express";
import type { AppContext } from "../context.js";

export function warnOnUntrustedProxy(ctx: AppContext): RequestHandler {
  const applies = ctx.config.publicUrl.startsWith("https:") && ctx.config.trustProxy === false;
  let warned = false;
  return (req, _res, next) => {
    if (applies && !warned && req.headers["x-forwarded-for"] !== undefined) {
      warned = true;
      ctx.log.warn(
        "requests carry X-Forwarded-For but FEDIBLOCK_TRUST_PROXY is off: every client is seen as the proxy's address, so sign-in limits per address count all clients as one. Set FEDIBLOCK_TRUST_PROXY=1 (or the number of proxies) behind a reverse proxy.",
      );
    }
    next();
  };
}

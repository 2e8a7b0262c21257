// A listed domain's web server, as an appeal's verification sees it: it serves (or not)
// `/.well-known/fediblock-verification` for each domain under `/{domain}`, as the service's
// FEDIBLOCK_VERIFICATION_BASE=http://127.0.0.1:PORT/{domain} fetches it. The file itself is
// this service's own convention (docs/appeals.md, modelled on ACME's http-01 challenge, RFC
// 8555 §8.3: the token as the whole body of a plain-text 200), so there is no upstream server
// to follow; what a real web server may do instead is here as a setting per domain.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type WellKnownReply =
  | { status: number; body: string }
  /** The connection is closed without an answer (a server that is down, a firewall). */
  | "drop";

export class FakeWellKnown {
  readonly requests: { domain: string; path: string }[] = [];
  readonly #replies = new Map<string, WellKnownReply>();
  readonly #server = http.createServer((req, res) => {
    const [, domain = "", ...rest] = (req.url ?? "/").split("/");
    const path = `/${rest.join("/")}`;
    this.requests.push({ domain, path });
    const reply =
      path === "/.well-known/fediblock-verification" ? this.#replies.get(domain) : undefined;
    if (reply === "drop") return req.socket.destroy();
    const { status, body } = reply ?? { status: 404, body: "Not Found" };
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  });

  /** `domain` serves `reply` at its well-known path (every other path answers 404). */
  serve(domain: string, reply: WellKnownReply): void {
    this.#replies.set(domain, reply);
  }

  /** `domain` serves `token` as a web server serves a text file: with a trailing newline. */
  serveToken(domain: string, token: string): void {
    this.serve(domain, { status: 200, body: `${token}\n` });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  /** FEDIBLOCK_VERIFICATION_BASE for this server. */
  get base(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/{domain}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

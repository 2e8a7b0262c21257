// The outbound-fetch policy (server/net/outbound.ts, ADR 0015) against local servers: one that
// redirects, one that stalls, one that sends too much, and a public-looking name that resolves
// to 127.0.0.1. Every server here is on 127.0.0.1, so the tests that reach them allow private
// addresses (FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true); those that check the address rule do not.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../server/config.js";
import {
  isPublicAddress,
  outboundFetch,
  OutboundError,
  type Resolver,
} from "../../server/net/outbound.js";

const open = { allowPrivate: true };
const strict = { allowPrivate: false };

let server: Server;
let base: string;
let other: string;
const seen: { path: string; headers: Record<string, unknown> }[] = [];

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const created = createServer(handler);
    created.listen(0, "127.0.0.1", () => resolve(created));
  });
}

let otherServer: Server;
beforeAll(async () => {
  otherServer = await listen((_req, res) => res.end("other host"));
  other = `http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`;
  server = await listen((req, res) => {
    seen.push({ path: req.url!, headers: req.headers });
    switch (req.url) {
      case "/ok":
        return res.end("hello");
      case "/same-host":
        res.writeHead(302, { Location: "/ok" });
        return res.end();
      case "/loop":
        res.writeHead(302, { Location: "/loop" });
        return res.end();
      case "/other-host":
        res.writeHead(301, { Location: `${other}/` });
        return res.end();
      case "/stall":
        res.writeHead(200);
        return res.write("a"); // and never ends
      case "/huge":
        res.writeHead(200);
        for (let i = 0; i < 40; i += 1) res.write(Buffer.alloc(64 * 1024, "x"));
        return res.end();
      case "/declared-huge":
        res.writeHead(200, { "Content-Length": String(100 * 1024 * 1024) });
        return res.write("x");
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  otherServer.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => otherServer.close(resolve));
});

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

describe("with FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true (a local server)", () => {
  test("an answer, and the caller's headers only", async () => {
    const answer = await outboundFetch(`${base}/ok`, open, { headers: { Accept: "text/plain" } });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe("hello");
    const request = seen.at(-1)!;
    expect(request.headers.accept).toBe("text/plain");
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
  });

  test("a redirect to the same host is followed", async () => {
    const answer = await outboundFetch(`${base}/same-host`, open);
    expect(answer.body.toString()).toBe("hello");
    expect(answer.url).toBe(`${base}/ok`);
  });

  test("a redirect to another host is refused, and the other host is never asked", async () => {
    const error = await refusal(outboundFetch(`${base}/other-host`, open));
    expect(error.code).toBe("outbound_redirect");
    expect(error.message).toContain(`redirects to ${other}`);
  });

  test("endless redirects stop after 3", async () => {
    const before = seen.length;
    const error = await refusal(outboundFetch(`${base}/loop`, open));
    expect(error.code).toBe("outbound_redirect");
    expect(seen.length - before).toBe(4);
  });

  test("a server that stalls is cut off at the time limit", async () => {
    const started = Date.now();
    const error = await refusal(outboundFetch(`${base}/stall`, open, { timeoutMs: 300 }));
    expect(error.code).toBe("outbound_timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("a body past the size limit is cut off, declared or not", async () => {
    const sent = await refusal(outboundFetch(`${base}/huge`, open, { maxBytes: 1024 * 1024 }));
    expect(sent.code).toBe("outbound_too_large");
    const declared = await refusal(outboundFetch(`${base}/declared-huge`, open));
    expect(declared.code).toBe("outbound_too_large");
  });

  test("a URL with credentials is refused", async () => {
    const error = await refusal(outboundFetch(`http://user:secret@127.0.0.1:1/`, open));
    expect(error.code).toBe("outbound_url");
  });
});

describe("without it (the default)", () => {
  test("http is refused: https only", async () => {
    const error = await refusal(outboundFetch(`${base}/ok`, strict));
    expect(error.code).toBe("outbound_url");
    expect(error.message).toMatch(/use https/);
  });

  test("a public-looking name that resolves to 127.0.0.1 is refused before connecting", async () => {
    const resolved: string[] = [];
    const toLoopback: Resolver = async (name) => {
      resolved.push(name);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const before = seen.length;
    const error = await refusal(
      outboundFetch("https://blocklist.example/feed.csv", strict, {}, toLoopback),
    );
    expect(error.code).toBe("outbound_address");
    expect(error.message).toContain("blocklist.example resolves to 127.0.0.1");
    expect(resolved).toEqual(["blocklist.example"]);
    expect(seen.length).toBe(before);
  });

  test("a name with one public and one private address is refused (the socket may pick either)", async () => {
    const mixed: Resolver = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "::1", family: 6 },
    ];
    const error = await refusal(outboundFetch("https://mixed.example/", strict, {}, mixed));
    expect(error.code).toBe("outbound_address");
  });

  test("the checked address is the one connected to: the name resolves once", async () => {
    // Resolves to the local server once; a second lookup (a rebinding) would fail the test.
    let calls = 0;
    const once: Resolver = async () => {
      calls += 1;
      if (calls > 1) throw new Error("resolved twice");
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const port = (server.address() as AddressInfo).port;
    const answer = await outboundFetch(`http://rebind.example:${port}/ok`, open, {}, once);
    expect(answer.body.toString()).toBe("hello");
    expect(calls).toBe(1);
  });

  test.each([
    "https://127.0.0.1/",
    "https://[::1]/",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.1.2.3/",
    "https://[::ffff:127.0.0.1]/",
  ])("%s: an address in the URL is checked too", async (url) => {
    const error = await refusal(outboundFetch(url, strict));
    expect(error.code).toBe("outbound_address");
  });

  test.each([
    ["127.0.0.1", false],
    ["10.0.0.1", false],
    ["172.16.5.4", false],
    ["192.168.1.1", false],
    ["100.64.0.1", false],
    ["169.254.169.254", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["::1", false],
    ["::", false],
    ["fe80::1", false],
    ["fd00:ec2::254", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:7f00:1", false],
    ["64:ff9b::a00:1", false],
    ["93.184.215.14", true],
    ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", true],
    ["not an address", false],
  ])("%s public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe("configuration", () => {
  test("FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: off by default, true allows, nonsense is named", () => {
    expect(loadConfig({}).outbound).toEqual({ allowPrivate: false });
    expect(loadConfig({ FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" }).outbound).toEqual({
      allowPrivate: true,
    });
    expect(() => loadConfig({ FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "maybe" })).toThrow(
      /FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE="maybe" is not valid/,
    );
  });
});

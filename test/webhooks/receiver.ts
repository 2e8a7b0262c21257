// A local webhook receiver, as a receiver is told to write one (docs/members.md "Webhooks"): it
// checks X-Fediblock-Signature against the secret in constant time, that the body's timestamp
// is the header's, and records every delivery. `answer` decides each response (a status, or
// "hang" to never answer).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> & { id: string; event: string; timestamp: string };
  /** The signature matched the secret, and the timestamps agree. */
  verified: boolean;
}

export interface Receiver {
  url: string;
  /** The webhook's secret, once its POST answered it. */
  secret: string;
  received: Received[];
  answer: (nth: number) => number | "hang";
  /** Resolves once `count` deliveries have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export function verifySignature(secret: string, body: string, header: string | undefined) {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    secret: "",
    received: [],
    answer: () => 204,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`only ${receiver.received.length} of ${count} deliveries arrived`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return receiver.received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = JSON.parse(text) as Received["body"];
      const stamp = Number(req.headers["x-fediblock-timestamp"]);
      const verified =
        verifySignature(receiver.secret, text, req.headers["x-fediblock-signature"] as string) &&
        Math.floor(new Date(body.timestamp).getTime() / 1000) === stamp;
      receiver.received.push({ headers: req.headers, body, verified });
      const answer = receiver.answer(receiver.received.length);
      if (answer === "hang") return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

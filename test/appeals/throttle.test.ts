// Verification attempts are throttled per domain and per address (issue 18), in the database
// so that every service process counts the same attempts: past a limit, 429 with Retry-After at
// once, and no fetch; an hour later the oldest attempts have aged out.
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEFAULT_VERIFICATION_LIMITS } from "../../server/appeals/throttle.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy } from "../support/members.js";
import { seedEntries } from "../support/seed.js";
import { FakeWellKnown } from "../fakes/well-known.js";

let app: TestApp;
let wellKnown: FakeWellKnown;
const { perDomain, perAddress, windowMs } = DEFAULT_VERIFICATION_LIMITS;
const domains = Array.from(
  { length: Math.ceil(perAddress / (perDomain - 1)) + 2 },
  (_, i) => `d${i}.example`,
);

beforeAll(async () => {
  wellKnown = new FakeWellKnown();
  await wellKnown.listen();
  app = await startTestApp({
    env: { FEDIBLOCK_VERIFICATION_BASE: wellKnown.base, FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" },
  });
  const admin = await addMember(app, "operator", "operator.example", "admin");
  await admin.api.post("/api/v1/lists", { slug: "shared", name: "Shared", policy: policy() });
  await seedEntries(
    app.ctx,
    "shared",
    domains.map((domain) => ({ domain })),
  );
});
afterAll(async () => {
  await app.close();
  await wellKnown.close();
});

async function newAppeal(domain: string): Promise<number> {
  const created = await request(app.url)
    .post(`/api/v1/lists/shared/entries/${domain}/appeals`)
    .send({ rebuttal: "Not us." });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

const verify = (id: number) => request(app.url).post(`/api/v1/appeals/${id}/verify`);

test("per domain: past the limit a 429 with Retry-After, without fetching; allowed again after the window", async () => {
  const id = await newAppeal(domains[0]!);
  for (let i = 0; i < perDomain; i += 1) {
    expect((await verify(id)).body.code).toBe("verification_not_found");
  }
  const fetched = wellKnown.requests.length;
  const refused = await verify(id);
  expect([refused.status, refused.body.code]).toEqual([429, "throttled"]);
  expect(refused.body.detail).toContain(domains[0]);
  expect(Number(refused.headers["retry-after"])).toBe(windowMs / 1000);
  expect(wellKnown.requests.length).toBe(fetched);

  app.clock.advance(windowMs);
  expect((await verify(id)).body.code).toBe("verification_not_found");
});

test("per address: attempts on many domains add up", async () => {
  app.clock.advance(windowMs);
  let made = 0;
  for (const domain of domains.slice(1)) {
    // A domain with attempts to spare: only the address's limit can refuse it.
    const id = await newAppeal(domain);
    if (made === perAddress) {
      const refused = await verify(id);
      expect([refused.status, refused.body.code]).toEqual([429, "throttled"]);
      expect(refused.body.detail).toMatch(/from this address/);
      return;
    }
    for (let i = 0; i < perDomain - 1 && made < perAddress; i += 1, made += 1) {
      expect((await verify(id)).status).toBe(422);
    }
  }
  throw new Error("the per-address limit was never reached");
});

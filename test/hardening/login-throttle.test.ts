// SPEC §9: sign-in is throttled per account (5 failures in 15 minutes) and per address (20).
// The per-account limit is what stops guessing from many addresses, so every spelling of a user
// name that signs in as the same account must count against the same account.
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { addAccount, startTestApp, type TestApp, type TestAccount } from "../support/app.js";

let app: TestApp;
let victim: TestAccount;

beforeAll(async () => {
  // Behind a proxy that names the client's address, so that each attempt can come from its own.
  app = await startTestApp({ env: { FEDIBLOCK_TRUST_PROXY: "1" } });
  victim = await addAccount(app.ctx, "victim", "member", "victim.example");
});
afterAll(() => app.close());

const login = (username: string, password: string, address: string) =>
  request(app.url)
    .post("/auth/login")
    // Each attempt from its own address, as a botnet would: only the per-account limit applies.
    .set("X-Forwarded-For", address)
    .send({ username, password });

test("padding or recasing the user name does not buy fresh attempts against an account", async () => {
  // Each of these signs in as `victim` with the right password (the name is trimmed and
  // lowercased), so each must share victim's five attempts.
  const spellings = [
    "victim",
    " victim",
    "victim ",
    "VICTIM",
    "\tvictim",
    "victim\n",
    "\u00A0victim",
  ];
  for (const [index, spelling] of spellings.slice(0, 5).entries()) {
    const response = await login(spelling, `wrong-password-${index}`, `203.0.113.${index}`);
    expect(response.status, JSON.stringify(spelling)).toBe(401);
  }
  for (const spelling of spellings) {
    const response = await login(spelling, victim.password, "198.51.100.7");
    expect(response.status, JSON.stringify(spelling)).toBe(429);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe("throttled");
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(14 * 60);
  }

  app.clock.advance(15 * 60_000 + 1);
  const after = await login(" Victim ", victim.password, "198.51.100.7");
  expect(after.status).toBe(200);
});

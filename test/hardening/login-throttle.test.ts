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

test("a burst of parallel guesses is throttled like the same guesses one after another", async () => {
  const burst = await addAccount(app.ctx, "burst", "member", "burst.example");
  // 40 wrong passwords at once from one address: each attempt counts from the moment it
  // starts, so only the first 5 reach the password check and the rest are refused with 429.
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, index) => login("burst", `guess-${index}`, "192.0.2.40")),
  );
  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 401)).toHaveLength(5);
  expect(statuses.filter((status) => status === 429)).toHaveLength(35);

  // The right password is refused as well until the window has passed.
  expect((await login("burst", burst.password, "192.0.2.41")).status).toBe(429);
  app.clock.advance(15 * 60_000 + 1);
  expect((await login("burst", burst.password, "192.0.2.41")).status).toBe(200);
});

test("a successful sign-in does not count against its address", async () => {
  const accounts = await Promise.all(
    Array.from({ length: 3 }, (_, index) =>
      addAccount(app.ctx, `office${index}`, "member", `office${index}.example`),
    ),
  );
  // 30 right passwords from one office address, more than the 20 failures an address may
  // have: none of them is a failure, so none is refused.
  for (let round = 0; round < 10; round += 1) {
    for (const account of accounts) {
      const answer = await login(account.username, account.password, "192.0.2.50");
      expect(answer.status).toBe(200);
    }
  }
});

// SPEC §9 and issue 12: sign-in is throttled per (account, address) (5 failures in 15 minutes),
// per address (20, IPv6 per /64) and per account from every address (a soft limit of 10, past
// which an address that has failed waits a Retry-After that doubles). An address that has not
// failed always reaches the password check, so nobody can lock an account out by failing in its
// name. Every spelling of a user name that signs in as the same account counts as that account.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
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
  request(app.url).post("/auth/login").set("X-Forwarded-For", address).send({ username, password });

const WINDOW_MS = 15 * 60_000;

/** Lets every failure so far age out, so that each test starts from no failures. */
function forgetFailures() {
  app.clock.advance(WINDOW_MS + 1);
}

test("padding or recasing the user name does not buy fresh attempts from one address", async () => {
  forgetFailures();
  // Each of these signs in as `victim` (the name is trimmed and lowercased), so all share the
  // five attempts the account has from this address.
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
    const response = await login(spelling, `wrong-password-${index}`, "203.0.113.9");
    expect(response.status, JSON.stringify(spelling)).toBe(401);
  }
  for (const spelling of spellings) {
    const response = await login(spelling, victim.password, "203.0.113.9");
    expect(response.status, JSON.stringify(spelling)).toBe(429);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe("throttled");
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(14 * 60);
  }

  app.clock.advance(WINDOW_MS + 1);
  const after = await login(" Victim ", victim.password, "203.0.113.9");
  expect(after.status).toBe(200);
});

test("a burst of parallel guesses is throttled like the same guesses one after another", async () => {
  forgetFailures();
  const burst = await addAccount(app.ctx, "burst", "member", "burst.example");
  // 40 wrong passwords at once from one address: each attempt counts from the moment it
  // starts, so only the first 5 reach the password check and the rest are refused with 429.
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, index) => login("burst", `guess-${index}`, "192.0.2.40")),
  );
  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 401)).toHaveLength(5);
  expect(statuses.filter((status) => status === 429)).toHaveLength(35);

  // From that address the right password waits for the window too …
  expect((await login("burst", burst.password, "192.0.2.40")).status).toBe(429);
  // … but the owner's own address, which has not failed, signs in at once.
  expect((await login("burst", burst.password, "192.0.2.41")).status).toBe(200);
  app.clock.advance(WINDOW_MS + 1);
  expect((await login("burst", burst.password, "192.0.2.40")).status).toBe(200);
});

test("a successful sign-in does not count against its address", async () => {
  forgetFailures();
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

describe("an account guessed at from many addresses", () => {
  test("past the soft limit an address that failed waits ever longer; a clean address signs in", async () => {
    forgetFailures();
    const curator = await addAccount(app.ctx, "curator", "curator", "curator.example");
    // Ten addresses, one wrong password each: the account's soft limit.
    for (let index = 0; index < 10; index += 1) {
      expect((await login("curator", `guess-${index}`, `198.51.100.${index}`)).status).toBe(401);
    }
    // An address that has failed must now wait, and is told how long.
    const held = await login("curator", "guess-again", "198.51.100.3");
    expect(held.status).toBe(429);
    expect(held.body.code).toBe("throttled");
    const firstWait = Number(held.headers["retry-after"]);
    expect(firstWait).toBe(30);

    // The owner, from an address that has not failed, signs in while the attack goes on.
    expect((await login("curator", curator.password, "192.0.2.77")).status).toBe(200);

    // A fresh address still reaches the password check (and fails), so the wait doubles.
    expect((await login("curator", "guess-fresh", "198.51.100.200")).status).toBe(401);
    const longer = await login("curator", "guess-again", "198.51.100.3");
    expect(longer.status).toBe(429);
    expect(Number(longer.headers["retry-after"])).toBe(60);

    // Waiting it out lets one more attempt through from a failed address, no more.
    app.clock.advance(60_000);
    expect((await login("curator", "guess-late", "198.51.100.3")).status).toBe(401);
    const after = await login("curator", "guess-later", "198.51.100.4");
    expect(after.status).toBe(429);
    expect(Number(after.headers["retry-after"])).toBe(120);
  });
});

test("an address that fails for many accounts is held back for all of them", async () => {
  forgetFailures();
  for (let index = 0; index < 20; index += 1) {
    expect((await login(`nobody${index}`, "guess", "203.0.113.50")).status).toBe(401);
  }
  const refused = await login("victim", victim.password, "203.0.113.50");
  expect(refused.status).toBe(429);
  expect(refused.body.detail).toMatch(/from this address/);
  // Another address is not affected.
  expect((await login("victim", victim.password, "203.0.113.51")).status).toBe(200);
});

test("IPv6 addresses are counted per /64", async () => {
  forgetFailures();
  for (let index = 1; index <= 5; index += 1) {
    const address = `2001:db8:aa:bb::${index.toString(16)}`;
    expect((await login("victim", `guess-${index}`, address)).status).toBe(401);
  }
  // Another address in the same /64 shares its count …
  expect((await login("victim", victim.password, "2001:db8:aa:bb:ffff::1")).status).toBe(429);
  // … one in the next /64 does not.
  expect((await login("victim", victim.password, "2001:db8:aa:bc::1")).status).toBe(200);
});

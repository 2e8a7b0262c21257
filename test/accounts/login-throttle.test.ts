// The sign-in throttle's counts live in the database, so every service process sharing it sees
// the same attempts (issue 12); IPv6 addresses are counted per /64.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addressKey, LoginThrottle } from "../../server/accounts/login-throttle.js";
import { ManualClock } from "../../server/clock.js";
import { openDatabase, type Database } from "../../server/db/client.js";
import { migrate } from "../../server/db/migrate.js";
import { freshDatabaseUrl } from "../support/database.js";

describe("addressKey", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8::1", "2001:0db8:0000:0000::/64"],
    ["2001:db8:0:0:ffff:1:2:3", "2001:0db8:0000:0000::/64"],
    ["2001:DB8:aa:bb:cc::", "2001:0db8:00aa:00bb::/64"],
    ["::1", "0000:0000:0000:0000::/64"],
    ["fe80::1:2", "fe80:0000:0000:0000::/64"],
    ["unknown", "unknown"],
  ])("%s → %s", (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe("two processes on one database", () => {
  let url: string;
  let drop: () => Promise<void>;
  let first: Database;
  let second: Database;
  const clock = new ManualClock();

  beforeAll(async () => {
    ({ url, drop } = await freshDatabaseUrl());
    await migrate(url);
    first = await openDatabase(url);
    second = await openDatabase(url);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await drop();
  });

  test("failures counted by one are refused by the other, and a success through either forgives", async () => {
    const onA = new LoginThrottle(first, clock);
    const onB = new LoginThrottle(second, clock);
    for (let index = 0; index < 5; index += 1) {
      await (index % 2 === 0 ? onA : onB).begin("Alice", "192.0.2.1");
    }
    await expect(onB.begin("alice", "192.0.2.1")).rejects.toMatchObject({
      status: 429,
      code: "throttled",
    });
    await expect(onA.begin("alice ", "192.0.2.1")).rejects.toMatchObject({ status: 429 });

    // A clean address signs in through A; its success is seen by B as no failure of its own.
    const attempt = await onA.begin("alice", "192.0.2.2");
    await attempt.succeeded();
    const rows = await second.prisma.signInFailure.findMany({ where: { account: "alice" } });
    expect(rows.map((row) => row.address)).toEqual(Array(5).fill("192.0.2.1"));
  });
});

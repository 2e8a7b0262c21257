// Passwords are hashed with scrypt (SPEC §9). The stored form carries its parameters, so the
// cost can be raised later without invalidating existing hashes.
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const KEY_LENGTH = 32;
/** scrypt's cost as log2(N): 2^15 for the service. */
export const DEFAULT_PASSWORD_COST = 15;
/** The test suite's cost, where thousands of hashes are made (never for real passwords). */
export const TEST_PASSWORD_COST = 10;
const r = 8;
const p = 1;

const maxmem = (N: number, r: number) => 256 * N * r;

/** Hashes with scrypt at `cost` (log2 N); the stored form names the parameters it used. */
export async function hashPassword(
  password: string,
  cost = DEFAULT_PASSWORD_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: maxmem(N, r) });
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const N = Number(n);
  const R = Number(r);
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N,
    r: R,
    p: Number(p),
    maxmem: maxmem(N, R),
  });
  return timingSafeEqual(actual, expected);
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** A hash that never matches, to spend the same time on unknown user names. */
  decoy(): Promise<string>;
}

/** The service's hashing at one cost, fixed when the context is built. */
export function passwordHasher(cost = DEFAULT_PASSWORD_COST): PasswordHasher {
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => hashPassword(password, cost),
    verify: verifyPassword,
    decoy: () => (decoy ??= hashPassword(randomBytes(16).toString("hex"), cost)),
  };
}

const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A one-time password that is easy to read aloud and type: four groups of five. */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}

export const MIN_PASSWORD_LENGTH = 12;

// What an account, the caller (`/me`, sign-in) and an API token look like in an answer (SPEC
// §3), defined once: the routes document them, the route-table test checks real answers against
// them (test/http/authorization-matrix.test.ts), the services' return types and the web's types
// are inferred from them. Layer-neutral: zod and the account vocabulary only.
import { z } from "zod";
import { ROLES, SCOPES } from "./actor.js";

export const instanceRef = z.object({ domain: z.string(), name: z.string() });
export type InstanceRef = z.output<typeof instanceRef>;

export const accountView = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  instance: instanceRef.nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type AccountAnswer = z.output<typeof accountView>;

/** Who am I: the account and its instance (and a web session's CSRF token). */
export const meView = z.object({
  account: accountView.pick({ username: true, role: true, mustChangePassword: true }),
  instance: instanceRef.nullable(),
  csrfToken: z.string().optional(),
});
export type MeAnswer = z.output<typeof meView>;

export const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type TokenAnswer = z.output<typeof tokenView>;

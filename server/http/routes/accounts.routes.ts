import { z } from "zod";
import { createAccount, listAccounts, updateAccount } from "../../accounts/accounts.service.js";
import { accountView } from "../../accounts/account.schema.js";
import { route } from "../route.js";
import { domainText, role, username } from "../schemas.js";

export const accountRoutes = [
  route({
    method: "get",
    path: "/api/v1/accounts",
    tag: "accounts",
    summary: "All accounts",
    access: "admin",
    response: z.object({ items: z.array(accountView) }),
    async handler({ ctx }) {
      return { items: await listAccounts(ctx) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/accounts",
    tag: "accounts",
    summary: "Create an account; answers its one-time password (shown once)",
    access: "admin",
    status: 201,
    body: z.strictObject({
      username,
      role,
      instance: domainText.nullable(),
    }),
    response: accountView.extend({ password: z.string() }),
    async handler({ ctx, actor, body }) {
      return createAccount(ctx, actor, body);
    },
  }),
  route({
    method: "patch",
    path: "/api/v1/accounts/:username",
    tag: "accounts",
    summary: "Change an account's role or instance, disable or enable it, or reset its password",
    access: "admin",
    params: z.object({ username: z.string().max(100) }),
    body: z.strictObject({
      role: role.optional(),
      disabled: z.boolean().optional(),
      resetPassword: z.literal(true, { error: "expected true" }).optional(),
      instance: domainText.nullable().optional(),
    }),
    response: accountView.extend({ password: z.string().optional() }),
    async handler({ ctx, actor, params, body }) {
      return updateAccount(ctx, actor, params.username, body);
    },
  }),
];

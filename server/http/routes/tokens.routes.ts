import { z } from "zod";
import { createOwnToken, listOwnTokens, revokeOwnToken } from "../../accounts/tokens.service.js";
import { plainText } from "../../proposals/input.js";
import { route } from "../route.js";
import { scope } from "../schemas.js";
import { tokenView } from "../../accounts/account.schema.js";

export const tokenRoutes = [
  route({
    method: "get",
    path: "/api/v1/tokens",
    tag: "tokens",
    summary: "Your API tokens (never their secrets)",
    access: "account",
    response: z.object({ items: z.array(tokenView) }),
    async handler({ ctx, actor }) {
      return { items: await listOwnTokens(ctx, actor) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/tokens",
    tag: "tokens",
    summary: "Create an API token; the answer is the only time its secret is shown",
    access: "account",
    status: 201,
    body: z.strictObject({
      name: plainText(z.string().trim().min(1, "give the token a name").max(100)),
      scopes: z
        .array(scope)
        .min(1, "choose at least one scope")
        .transform((scopes) => [...new Set(scopes)]),
    }),
    response: tokenView.extend({ token: z.string() }),
    async handler({ ctx, actor, body }) {
      return createOwnToken(ctx, actor, body);
    },
  }),
  route({
    method: "delete",
    path: "/api/v1/tokens/:id",
    tag: "tokens",
    summary: "Revoke one of your tokens",
    access: "account",
    status: 204,
    params: z.object({ id: z.string().max(64) }),
    async handler({ ctx, actor, params }) {
      await revokeOwnToken(ctx, actor, params.id);
    },
  }),
];

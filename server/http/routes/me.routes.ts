import { z } from "zod";
import { changeOwnPassword, describeActor } from "../../accounts/accounts.service.js";
import { meView } from "../../accounts/account.schema.js";
import { route } from "../route.js";

export const meRoutes = [
  route({
    method: "get",
    path: "/api/v1/me",
    tag: "accounts",
    summary: "Who am I: the account and its instance (and the CSRF token of a web session)",
    access: "account",
    beforePasswordChange: true,
    response: meView,
    async handler({ ctx, actor, req }) {
      const me = await describeActor(ctx, actor);
      const csrfToken = actor.via === "session" ? req.session.csrfToken : undefined;
      return csrfToken ? { ...me, csrfToken } : me;
    },
  }),
  route({
    method: "post",
    path: "/api/v1/me/password",
    tag: "accounts",
    summary: "Change your own password (other sessions of the account are signed out)",
    access: "account",
    beforePasswordChange: true,
    status: 204,
    body: z.strictObject({
      currentPassword: z.string().max(1000),
      newPassword: z.string().max(1000),
    }),
    async handler({ ctx, actor, body, req }) {
      await changeOwnPassword(
        ctx,
        actor,
        body,
        actor.via === "session" ? req.sessionID : undefined,
      );
    },
  }),
];

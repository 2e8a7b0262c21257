import { z } from "zod";
import {
  createInstance,
  listInstances,
  listedMembers,
  setInstanceListed,
} from "../../instances/instances.service.js";
import { instanceView, listedMemberView } from "../../instances/instance.schema.js";
import { plainText } from "../../proposals/input.js";
import { route } from "../route.js";
import { domainInPath, domainText } from "../schemas.js";

export const instanceRoutes = [
  route({
    method: "get",
    path: "/api/v1/instances",
    tag: "instances",
    summary: "The member directory",
    access: "account",
    response: z.object({ items: z.array(instanceView) }),
    async handler({ ctx }) {
      return { items: await listInstances(ctx) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/instances",
    tag: "instances",
    summary: "Add a member instance",
    access: "admin",
    status: 201,
    body: z.strictObject({
      domain: domainText,
      name: plainText(z.string().trim().max(200)).optional(),
    }),
    response: instanceView,
    async handler({ ctx, actor, body }) {
      return createInstance(ctx, actor, body);
    },
  }),
  route({
    method: "patch",
    path: "/api/v1/instances/:domain",
    tag: "instances",
    summary:
      "Opt an instance in to (or out of) the public members page: its own accounts, or an admin",
    access: "account",
    params: z.object({ domain: domainInPath }),
    body: z.strictObject({ listed: z.boolean({ error: "expected true or false" }) }),
    response: instanceView,
    async handler({ ctx, actor, params, body }) {
      return setInstanceListed(ctx, actor, params.domain, body.listed);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/members",
    tag: "instances",
    summary:
      "The public members page: the member instances that opted in (none by default), and only those",
    access: "public",
    response: z.object({
      items: z.array(listedMemberView),
    }),
    async handler({ ctx }) {
      return { items: await listedMembers(ctx) };
    },
  }),
];

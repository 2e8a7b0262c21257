import { z } from "zod";
import { createInstance, listInstances } from "../../instances/instances.service.js";
import { instanceView } from "../../instances/instance.schema.js";
import { plainText } from "../../proposals/input.js";
import { route } from "../route.js";
import { domainText } from "../schemas.js";

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
];

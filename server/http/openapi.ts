// The OpenAPI 3.1 document, generated from the route table and its zod schemas.
import { z } from "zod";
import { problemSchema } from "./problem.js";
import type { AnyRoute } from "./route.js";

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });

const outputSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "output", unrepresentable: "any", target: "draft-2020-12" });

function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (object.required ?? []).includes(name),
    schema: property,
  }));
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

function security(route: AnyRoute) {
  const signedIn = [{ session: [] }, { bearer: [] }, ...(route.basicAuth ? [{ basic: [] }] : [])];
  return route.access === "public" ? [{}, ...signedIn] : signedIn;
}

function operation(route: AnyRoute) {
  const status = String(route.status ?? 200);
  const success: Record<string, unknown> = { description: route.summary };
  if (status !== "204") {
    const content: Record<string, unknown> = {};
    if (route.response) content["application/json"] = { schema: outputSchema(route.response) };
    for (const type of route.produces ?? []) content[type] = { schema: { type: "string" } };
    if (Object.keys(content).length > 0) success.content = content;
  }
  const body =
    route.bodyType === "csv-upload"
      ? {
          required: true,
          content: {
            "text/csv": { schema: { type: "string" } },
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { file: { type: "string", contentMediaType: "text/csv" } },
              },
            },
          },
        }
      : route.body
        ? { required: true, content: { "application/json": { schema: jsonSchema(route.body) } } }
        : undefined;
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
    ...(body ? { requestBody: body } : {}),
    security: security(route),
    responses: {
      [status]: success,
      ...(route.body || route.query || route.params ? { 400: problem("Invalid input") } : {}),
      ...(route.access !== "public" ? { 401: problem("No or bad credentials") } : {}),
      ...(route.access !== "public" || route.method !== "get"
        ? { 403: problem("Not allowed (role, token scope or CSRF)") }
        : {}),
    },
  };
}

export function openApiDocument(routes: AnyRoute[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Fediblock Commons",
      version: "1",
      description:
        "Shared fediverse blocklists: propose, vote, publish. Errors are application/problem+json (RFC 9457) with a stable `code`.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema) },
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "fediblock.sid" },
        bearer: { type: "http", scheme: "bearer", bearerFormat: "fbk_<id>_<secret>" },
        basic: {
          type: "http",
          scheme: "basic",
          description: "Exports only: any user name, the API token as password",
        },
      },
    },
  };
}

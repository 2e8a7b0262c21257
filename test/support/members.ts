// Member instances with one signed-in account each, for tests that vote.
import request from "supertest";
import { addAccount, signIn, tokenFor, type Browser, type TestApp } from "./app.js";

export interface Member {
  username: string;
  instance: string;
  browser: Browser;
  token: string;
  /** A bearer-authenticated request helper. */
  api: {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    put(path: string, body?: object): request.Test;
    patch(path: string, body?: object): request.Test;
    delete(path: string): request.Test;
  };
}

export function bearerApi(app: TestApp, token: string): Member["api"] {
  const auth = (test: request.Test) => test.set("Authorization", `Bearer ${token}`);
  return {
    get: (path) => auth(request(app.url).get(path)),
    post: (path, body) => auth(request(app.url).post(path)).send(body ?? {}),
    put: (path, body) => auth(request(app.url).put(path)).send(body ?? {}),
    patch: (path, body) => auth(request(app.url).patch(path)).send(body ?? {}),
    delete: (path) => auth(request(app.url).delete(path)),
  };
}

export async function addMember(
  app: TestApp,
  username: string,
  instance: string,
  role: "member" | "curator" | "admin" = "member",
): Promise<Member> {
  const account = await addAccount(app.ctx, username, role, instance);
  const token = await tokenFor(
    app.ctx,
    username,
    role === "admin" ? ["read", "write", "admin"] : ["read", "write"],
  );
  return {
    username,
    instance,
    browser: await signIn(app, account),
    token,
    api: bearerApi(app, token),
  };
}

export const policy = (overrides: Record<string, unknown> = {}) => ({
  quorum: 3,
  threshold: 0.66,
  votingDays: 14,
  minOpenHours: 0,
  ...overrides,
});

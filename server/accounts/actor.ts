// Who is making a request, once authenticated by a session cookie or an API token.
import { forbidden } from "../errors.js";

export const ROLES = ["admin", "curator", "member"] as const;
export type Role = (typeof ROLES)[number];

/** A user name: what people type at sign-in, so short and plain. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,29}$/;
export const USERNAME_RULE =
  "use 1 to 30 letters, digits, '.', '_' or '-', starting with a letter or digit";

export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export interface ActorInstance {
  id: number;
  domain: string;
  name: string;
}

export interface Actor {
  accountId: number;
  username: string;
  role: Role;
  instance: ActorInstance | null;
  via: "session" | "token";
  /** A session may do everything its role allows; a token only what its scopes allow too. */
  scopes: ReadonlySet<Scope>;
  tokenId?: string;
  /** Signed in with a one-time password that must be changed before anything else. */
  mustChangePassword: boolean;
}

/** Curators decide proposals and edit entries on every list; admins may do all a curator can. */
export const isCurator = (actor: Actor | null): boolean =>
  actor?.role === "curator" || actor?.role === "admin";

export const isAdmin = (actor: Actor | null): boolean => actor?.role === "admin";

/**
 * The caller's member instance, for what only an instance may do (propose, vote, subscribe,
 * import as proposals); else a 403 `no_instance` that ends with `consequence` (", so it cannot
 * vote: votes are per instance."). The operator's command line ("system") has no instance.
 */
export function requireInstance(actor: Actor | "system", consequence: string): ActorInstance {
  if (actor === "system" || !actor.instance) {
    throw forbidden(`Your account belongs to no member instance${consequence}`, "no_instance");
  }
  return actor.instance;
}

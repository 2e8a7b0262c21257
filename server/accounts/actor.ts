// Who is making a request, once authenticated by a session cookie or an API token.
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

// Who is signed in: read once from GET /auth/session, set by sign-in, cleared by sign-out or by any
// request that answers 401. Holds the CSRF token the API client sends on unsafe requests.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import { ApiError, api, onUnauthorized, request, setCsrfToken } from "./api/client.js";
import type { Me } from "./api/types.js";

interface SessionValue {
  /** undefined while the first /me is on its way, null when signed out. */
  me: Me | null | undefined;
  signIn(username: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
  /** True when the last session ended without the user signing out (expired, revoked). */
  expired: boolean;
  /** True right after the user signed out here. */
  signedOut: boolean;
  /**
   * The one-time password the user has just signed in with, so that choosing their own does not
   * ask for it again. Kept in memory only: gone on reload, sign-out or once changed.
   */
  oneTimePassword: string | null;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [oneTimePassword, setOneTimePassword] = useState<string | null>(null);

  const accept = useCallback((answer: Me | null) => {
    setCsrfToken(answer?.csrfToken ?? null);
    setMe(answer);
    if (!answer?.account.mustChangePassword) setOneTimePassword(null);
  }, []);

  const refresh = useCallback(async () => {
    // The probe answers 200 with no account when signed out, so a signed-out visitor's browser
    // logs no failed request (GET /api/v1/me answers API clients 401).
    try {
      const answer = await request<Me | { account: null }>("GET", "/auth/session", {
        quiet401: true,
      });
      accept(answer.account ? (answer as Me) : null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) accept(null);
      else throw error;
    }
  }, [accept]);

  useEffect(() => {
    refresh().catch(() => accept(null));
    onUnauthorized(() => {
      setExpired(true);
      accept(null);
    });
    return () => onUnauthorized(null);
  }, [refresh, accept]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      expired,
      signedOut,
      oneTimePassword,
      refresh,
      async signIn(username, password) {
        const answer = await request<Me>("POST", "/auth/login", {
          json: { username, password },
          quiet401: true,
        });
        setExpired(false);
        setSignedOut(false);
        accept(answer);
        if (answer.account.mustChangePassword) setOneTimePassword(password);
        return answer;
      },
      async signOut() {
        try {
          await api.post("/auth/logout");
        } finally {
          setExpired(false);
          setSignedOut(true);
          accept(null);
        }
      },
    }),
    [me, expired, signedOut, oneTimePassword, refresh, accept],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

export const isCurator = (me: Me | null | undefined) =>
  me?.account.role === "curator" || me?.account.role === "admin";
export const isAdmin = (me: Me | null | undefined) => me?.account.role === "admin";

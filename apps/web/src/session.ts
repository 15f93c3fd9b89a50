// Who is browsing: a personal access token entered once and kept for the browser session
// (sessionStorage: gone when the tab closes), or nobody (anonymous, public projects only).

import { type Client, createClient } from "@buildsim/client";
import type { UserEntityV4 } from "@buildsim/core";
import { createContext } from "preact";
import { useContext } from "preact/hooks";

const TOKEN_KEY = "buildsim.token";

/** The signed-in user as `GET /user` returns it (admins carry `is_admin`). */
export type CurrentUser = UserEntityV4 & { is_admin?: boolean };

/** What every page reads: the API client, and who it acts as. */
export interface Session {
  client: Client;
  token: string | null;
  user: CurrentUser | null;
  signIn(token: string): void;
  signOut(): void;
}

/** The token kept for this browser session, if any. */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Keeps (or, with null, forgets) the token for this browser session. */
export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** A client for this server (same origin), with the token when there is one. */
export function clientFor(token: string | null): Client {
  return createClient({ baseUrl: location.origin, ...(token ? { token } : {}) });
}

export const SessionContext = createContext<Session | null>(null);

/** The session; only pages inside the app call it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionContext");
  return session;
}

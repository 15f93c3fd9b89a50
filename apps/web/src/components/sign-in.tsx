// Sign in with a personal access token (kept for this browser session) or sign out.

import { useState } from "preact/hooks";
import { useSession } from "../session.js";

/** The header's sign-in form, or who is signed in. */
export function SignIn({ error }: { error: string | null }) {
  const session = useSession();
  const [value, setValue] = useState("");
  if (session.token) {
    return (
      <div class="signin">
        <span data-testid="signed-in-as">{session.user ? `@${session.user.username}` : "…"}</span>
        <button type="button" class="btn btn-small" onClick={() => session.signOut()}>
          Sign out
        </button>
      </div>
    );
  }
  return (
    <form
      class="signin"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) session.signIn(value.trim());
      }}
    >
      {error && (
        <span class="signin-error" role="alert">
          {error}
        </span>
      )}
      <label for="token-input">Access token</label>
      <input
        id="token-input"
        type="password"
        autocomplete="off"
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button type="submit" class="btn btn-small">
        Sign in
      </button>
    </form>
  );
}

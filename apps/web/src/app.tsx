// The app shell: session (token kept for the browser session), the header with navigation and sign-in,
// and the page for the current path. Links inside the app navigate without reloading.

import { useEffect, useMemo, useState } from "preact/hooks";
import { SignIn } from "./components/sign-in.js";
import { JobPage } from "./pages/job-page.js";
import { PipelinePage } from "./pages/pipeline-page.js";
import { PipelinesPage } from "./pages/pipelines-page.js";
import { ProjectsPage } from "./pages/projects-page.js";
import { RunnersPage } from "./pages/runners-page.js";
import { navigate, parseRoute, type Route } from "./route.js";
import {
  type CurrentUser,
  clientFor,
  type Session,
  SessionContext,
  storedToken,
  storeToken,
} from "./session.js";

function page(route: Route) {
  switch (route.page) {
    case "projects":
      return <ProjectsPage />;
    case "runners":
      return <RunnersPage />;
    case "pipelines":
      return <PipelinesPage project={route.project} />;
    case "pipeline":
      return <PipelinePage project={route.project} id={route.id} key={route.id} />;
    case "job":
      return <JobPage project={route.project} id={route.id} key={route.id} />;
    default:
      return (
        <main id="content">
          <h1>Page not found</h1>
          <p>This page does not exist here.</p>
        </main>
      );
  }
}

/** Same-origin, plain left clicks on links become in-app navigation. */
function onDocumentClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  const link = (event.target as Element | null)?.closest?.("a");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname === location.pathname && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** The whole UI. */
export function App() {
  const [location_, setLocation] = useState(() => location.pathname + location.search);
  const [token, setToken] = useState(storedToken);
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [authError, setAuthError] = useState<string | null>(null);
  const client = useMemo(() => clientFor(token), [token]);

  useEffect(() => {
    const onPop = () => setLocation(location.pathname + location.search);
    addEventListener("popstate", onPop);
    document.addEventListener("click", onDocumentClick);
    return () => {
      removeEventListener("popstate", onPop);
      document.removeEventListener("click", onDocumentClick);
    };
  }, []);

  useEffect(() => {
    setUser(null);
    if (!token) return;
    const controller = new AbortController();
    client.v4.user({ signal: controller.signal }).then(
      (u) => {
        setUser(u as CurrentUser);
        setAuthError(null);
      },
      (e: Error) => {
        if (controller.signal.aborted) return;
        // A token the API refuses is dropped, with the API's own words.
        setAuthError(e.message);
        storeToken(null);
        setToken(null);
      },
    );
    return () => controller.abort();
  }, [client, token]);

  const session: Session = {
    client,
    token,
    user,
    // A new token is checked before any page uses it: a refused one never reaches the pages, so the
    // API's refusal shows once, in the sign-in form, and the pages keep what they showed.
    signIn: (t) => {
      clientFor(t)
        .v4.user()
        .then(
          () => {
            setAuthError(null);
            storeToken(t);
            setToken(t);
          },
          (e: Error) => setAuthError(e.message),
        );
    },
    signOut: () => {
      storeToken(null);
      setToken(null);
    },
  };
  const route = parseRoute(location_.split("?")[0]!);
  return (
    <SessionContext.Provider value={session}>
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <header class="topbar">
        <nav aria-label="Main">
          <a class="brand" href="/">
            buildsim
          </a>
          <a href="/">Projects</a>
          <a href="/admin/runners">Runners</a>
        </nav>
        <SignIn error={authError} />
      </header>
      {/* Pages render at once: actions appear when the user behind the token is known, never before. */}
      {page(route)}
    </SessionContext.Provider>
  );
}

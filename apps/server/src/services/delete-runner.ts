// Removes a runner (GitLab's `Ci::Runners::UnregisterRunnerService`), whether it unregistered itself with
// its token or a user deleted it: the row goes, and once committed its connected sockets are told to close.

import type { App } from "../app.js";

/** Deletes runner `runnerId`; listeners of `runnerDeleted` close its sessions after the commit. */
export function deleteRunner(app: Pick<App, "store" | "events">, runnerId: number): void {
  app.store.transaction(() => {
    app.store.runners.delete(runnerId);
    app.store.onCommit(() => app.events.emit("runnerDeleted", runnerId));
  });
}

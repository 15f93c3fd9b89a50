// An API refusal shown as GitLab shows it: a red alert carrying the API's own message ("403 Forbidden").

import { isClientError } from "@buildsim/client";

/** The alert for `error`, or nothing. */
export function ApiAlert({ error, action }: { error: unknown; action?: string }) {
  if (!error) return null;
  const message = isClientError(error) || error instanceof Error ? error.message : String(error);
  return (
    <div class="alert alert-danger" role="alert" data-testid="api-error">
      {action ? `${action}: ` : ""}
      {message}
    </div>
  );
}

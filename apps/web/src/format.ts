// How times and durations read on the pages (GitLab's short forms: "1m 05s", "3 minutes ago").

/** Seconds as GitLab shows a duration: `42s`, `1m 05s`, `2h 03m 10s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m ${pad(rest)}s`;
  if (m > 0) return `${m}m ${pad(rest)}s`;
  return `${rest}s`;
}

/** A past time relative to now: `just now`, `5 minutes ago`, `2 days ago`. */
export function timeAgo(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return "";
  const s = Math.max(0, (nowMs - Date.parse(iso)) / 1000);
  const units: [number, string][] = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(s / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** The first 8 characters of a commit sha, as GitLab's short id. */
export const shortSha = (sha: string): string => sha.slice(0, 8);

// Instance settings (e.g. the `web_url` users' links are built on), kept across restarts.

import type { Db } from "./sql-db.js";

/** Reads and writes string settings by key. */
export interface SettingsRepo {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** {@link SettingsRepo} on SQLite. */
export function createSettingsRepo(db: Db): SettingsRepo {
  const get = db.prepare("SELECT value FROM settings WHERE key = ?");
  const set = db.prepare(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  return {
    get(key: string): string | undefined {
      return (get.get(key) as { value: string } | undefined)?.value;
    },
    set(key: string, value: string): void {
      set.run(key, value);
    },
  };
}

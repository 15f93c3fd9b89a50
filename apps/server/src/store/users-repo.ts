// Users and their personal access tokens.

import type { User } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface UserRow {
  id: number;
  username: string;
  name: string;
  email: string;
  state: string;
  is_admin: number;
  avatar_url: string | null;
  created_at: string;
  bio: string | null;
  location: string | null;
  skype: string;
  linkedin: string;
  twitter: string;
  website_url: string;
  organization: string | null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  name: r.name,
  email: r.email,
  state: r.state as User["state"],
  isAdmin: r.is_admin === 1,
  avatarUrl: r.avatar_url,
  createdAt: r.created_at,
  bio: r.bio,
  location: r.location,
  skype: r.skype,
  linkedin: r.linkedin,
  twitter: r.twitter,
  websiteUrl: r.website_url,
  organization: r.organization,
});

/** Reads and writes users; tokens map to exactly one user. */
export interface UsersRepo {
  get(id: number): User | undefined;
  getByUsername(username: string): User | undefined;
  getByToken(token: string): User | undefined;
  insert(user: User): void;
  /** Inserts `user`, or overwrites the user with its id (tokens are left as they are). */
  upsert(user: User): void;
  addToken(userId: number, token: string): void;
  tokenOf(userId: number): string | undefined;
  /** Every user, by id (a state export). */
  listAll(): User[];
  /** Every token of a user, oldest first. */
  tokensOf(userId: number): string[];
  firstAdmin(): User | undefined;
  nextId(): number;
}

/** {@link UsersRepo} on SQLite. */
export function createUsersRepo(db: Db): UsersRepo {
  const byId = db.prepare("SELECT * FROM users WHERE id = ?");
  const byUsername = db.prepare("SELECT * FROM users WHERE username = ?");
  const byToken = db.prepare(
    "SELECT u.* FROM personal_tokens t JOIN users u ON u.id = t.user_id WHERE t.token = ?",
  );
  const insert = db.prepare(
    `INSERT INTO users (id, username, name, email, state, is_admin, avatar_url, created_at, bio, location, skype, linkedin, twitter, website_url, organization)
     VALUES (@id, @username, @name, @email, @state, @isAdmin, @avatarUrl, @createdAt, @bio, @location, @skype, @linkedin, @twitter, @websiteUrl, @organization)`,
  );
  const upsert = db.prepare(
    `INSERT INTO users (id, username, name, email, state, is_admin, avatar_url, created_at, bio, location, skype, linkedin, twitter, website_url, organization)
     VALUES (@id, @username, @name, @email, @state, @isAdmin, @avatarUrl, @createdAt, @bio, @location, @skype, @linkedin, @twitter, @websiteUrl, @organization)
     ON CONFLICT (id) DO UPDATE SET username = excluded.username, name = excluded.name, email = excluded.email,
       state = excluded.state, is_admin = excluded.is_admin, avatar_url = excluded.avatar_url, created_at = excluded.created_at,
       bio = excluded.bio, location = excluded.location, skype = excluded.skype, linkedin = excluded.linkedin,
       twitter = excluded.twitter, website_url = excluded.website_url, organization = excluded.organization`,
  );
  const insertToken = db.prepare("INSERT INTO personal_tokens (token, user_id) VALUES (?, ?)");
  const firstToken = db.prepare("SELECT token FROM personal_tokens WHERE user_id = ? ORDER BY rowid LIMIT 1");
  const firstAdmin = db.prepare(
    "SELECT * FROM users WHERE is_admin = 1 AND state = 'active' ORDER BY id LIMIT 1",
  );
  const maxId = db.prepare("SELECT COALESCE(MAX(id), 0) AS m FROM users");
  const all = db.prepare("SELECT * FROM users ORDER BY id");
  const tokens = db.prepare("SELECT token FROM personal_tokens WHERE user_id = ? ORDER BY rowid").pluck();

  return {
    get(id: number): User | undefined {
      const r = byId.get(id) as UserRow | undefined;
      return r && toUser(r);
    },
    getByUsername(username: string): User | undefined {
      const r = byUsername.get(username) as UserRow | undefined;
      return r && toUser(r);
    },
    getByToken(token: string): User | undefined {
      const r = byToken.get(token) as UserRow | undefined;
      return r && toUser(r);
    },
    insert(user: User): void {
      insert.run({ ...user, isAdmin: user.isAdmin ? 1 : 0 });
    },
    upsert(user: User): void {
      upsert.run({ ...user, isAdmin: user.isAdmin ? 1 : 0 });
    },
    addToken(userId: number, token: string): void {
      insertToken.run(token, userId);
    },
    listAll(): User[] {
      return (all.all() as UserRow[]).map(toUser);
    },
    tokensOf(userId: number): string[] {
      return tokens.all(userId) as string[];
    },
    tokenOf(userId: number): string | undefined {
      return (firstToken.get(userId) as { token: string } | undefined)?.token;
    },
    firstAdmin(): User | undefined {
      const r = firstAdmin.get() as UserRow | undefined;
      return r && toUser(r);
    },
    nextId(): number {
      return (maxId.get() as { m: number }).m + 1;
    },
  };
}

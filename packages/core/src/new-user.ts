// A complete user record from its identity; the profile fields take GitLab's empty defaults.

import type { Timestamp, User } from "./domain.js";

export type NewUserFields = Pick<User, "id" | "username"> & { createdAt: Timestamp } & Partial<User>;

/** An active, non-admin user named after `username`, with an empty profile. */
export function newUser(fields: NewUserFields): User {
  return {
    name: fields.username,
    email: `${fields.username}@example.com`,
    state: "active",
    isAdmin: false,
    avatarUrl: null,
    bio: null,
    location: null,
    skype: "",
    linkedin: "",
    twitter: "",
    websiteUrl: "",
    organization: null,
    ...fields,
  };
}

import { describe, expect, it } from "vitest";
import { newUser } from "./new-user.js";

describe("newUser", () => {
  it("fills GitLab's empty profile around the identity, and keeps what is given", () => {
    expect(newUser({ id: 3, username: "ada", createdAt: "2026-01-01T00:00:00.000Z", isAdmin: true })).toEqual(
      {
        id: 3,
        username: "ada",
        name: "ada",
        email: "ada@example.com",
        state: "active",
        isAdmin: true,
        avatarUrl: null,
        createdAt: "2026-01-01T00:00:00.000Z",
        bio: null,
        location: null,
        skype: "",
        linkedin: "",
        twitter: "",
        websiteUrl: "",
        organization: null,
      },
    );
  });
});

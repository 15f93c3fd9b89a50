// gravatarUrl: GitLab's identicon URL for a user without an avatar, the same whether computed or remembered.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { gravatarUrl } from "./present-build-v3.js";

// GitLab 8.17 app/services/gravatar_service.rb: Digest::MD5.hexdigest(email.strip.downcase) in the
// default plain_url "http://www.gravatar.com/avatar/%{hash}?s=%{size}&d=identicon" (size 80 in the API).
const expected = (email: string) =>
  `http://www.gravatar.com/avatar/${createHash("md5").update(email.trim().toLowerCase()).digest("hex")}?s=80&d=identicon`;

describe("gravatarUrl", () => {
  it("hashes the trimmed, lower-cased email as GitLab does", () => {
    expect(gravatarUrl("admin@example.com")).toBe(
      "http://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon",
    );
    expect(gravatarUrl("  Admin@Example.COM ")).toBe(gravatarUrl("admin@example.com"));
  });

  it("answers the same URL for an email asked again, and a different one for another email", () => {
    const first = gravatarUrl("someone@example.com");
    expect(gravatarUrl("someone@example.com")).toBe(first);
    expect(gravatarUrl("someone-else@example.com")).not.toBe(first);
    expect(gravatarUrl("someone-else@example.com")).toBe(expected("someone-else@example.com"));
  });

  it("stays right for every email after more distinct emails than it remembers", () => {
    const emails = Array.from({ length: 12_000 }, (_, i) => `user${i}@example.com`);
    for (const e of emails) gravatarUrl(e);
    for (const e of [emails[0]!, emails[5_000]!, emails[11_999]!]) expect(gravatarUrl(e)).toBe(expected(e));
  });
});

import { describe, expect, it } from "vitest";
import { defaultServiceAliases, imageNameWithoutTag, serviceAliases } from "./service-aliases.js";

// GitLab Runner's default service aliases: https://docs.gitlab.com/ci/services/#accessing-the-services
// ("tutum/wordpress:latest" → "tutum-wordpress" and "tutum__wordpress"; the tag is dropped).
describe("service aliases", () => {
  it.each([
    ["postgres:15", ["postgres"]],
    ["tutum/wordpress:latest", ["tutum__wordpress", "tutum-wordpress"]],
    ["reg.example.com/grp/svc:1", ["reg.example.com__grp__svc", "reg.example.com-grp-svc"]],
    ["redis@sha256:0123", ["redis"]],
  ])("gives %s the default aliases %j", (image, aliases) => {
    expect(defaultServiceAliases(image)).toEqual(aliases);
  });

  it("keeps a registry port apart from the tag", () => {
    expect(imageNameWithoutTag("localhost:5000/grp/svc:1.2")).toBe("localhost:5000/grp/svc");
    expect(imageNameWithoutTag("localhost:5000/svc")).toBe("localhost:5000/svc");
  });

  it("adds every alias: entry after the defaults, once each", () => {
    expect(serviceAliases("postgres:15", ["db", "postgres", "pg"])).toEqual(["postgres", "db", "pg"]);
  });
});

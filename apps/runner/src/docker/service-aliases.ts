// GitLab Runner's names for a service on the job's network: its default aliases plus the ones `alias:` lists.
// https://docs.gitlab.com/ci/services/#accessing-the-services

/** The image name without its tag or digest: `reg.example.com:5000/grp/svc:1@sha256:…` → `reg.example.com:5000/grp/svc`. */
export function imageNameWithoutTag(image: string): string {
  const withoutDigest = image.split("@")[0]!;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * Runner's default aliases: the name without tag with `/` turned into `__`, and into `-`
 * (`postgres:15` → `postgres`; `reg.example.com/grp/svc:1` → `reg.example.com__grp__svc`,
 * `reg.example.com-grp-svc`). A registry port's `:` is not valid in a host name, so it goes too.
 */
export function defaultServiceAliases(image: string): string[] {
  const name = imageNameWithoutTag(image).replaceAll(":", "-");
  return [...new Set([name.replaceAll("/", "__"), name.replaceAll("/", "-")])];
}

/** Every alias a service answers to: the defaults, then `alias:` entries, without repeats. */
export function serviceAliases(image: string, explicit: readonly string[]): string[] {
  return [...new Set([...defaultServiceAliases(image), ...explicit])];
}

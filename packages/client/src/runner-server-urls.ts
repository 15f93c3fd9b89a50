// The servers a runner connection may use, in the order it tries them, and which one it uses now.
//
// GitLab Runner's config.toml takes one `url` per [[runners]] entry (docs.gitlab.com/runner/configuration/
// advanced-configuration/#the-runners-section); high availability there is a load balancer in front of
// GitLab. A list of URLs is buildsim's addition for its multi-server mode (several servers on one
// database): a runner whose link is lost tries the next server, and any of them can resume its builds.

import { runnerSocketUrl } from "./runner-socket.js";

/** The server URLs of a connection and the one it uses now; it moves on only when a link is lost. */
export class RunnerServerUrls {
  /** Base URLs as given (deduplicated), in the order they are tried. */
  readonly baseUrls: readonly string[];
  private readonly socketUrls: readonly string[];
  private index = 0;

  /**
   * Reads `url` then `urls` (duplicates dropped). Throws a TypeError naming the bad entry when one is not
   * an http(s) or ws(s) URL, or when there is none: that is the caller's mistake, said once, at creation.
   */
  constructor(options: { url?: string | undefined; urls?: readonly string[] | undefined }) {
    const given = [...(options.url === undefined ? [] : [options.url]), ...(options.urls ?? [])];
    if (given.length === 0) throw new TypeError("a runner connection needs a server URL (`url` or `urls`)");
    given.forEach((url, i) => {
      if (!isServerUrl(url)) {
        const where = options.url === undefined ? `urls[${i}]` : i === 0 ? "url" : `urls[${i - 1}]`;
        throw new TypeError(`${where} must be an http(s) or ws(s) URL, got "${url}"`);
      }
    });
    this.baseUrls = [...new Set(given)];
    this.socketUrls = this.baseUrls.map(runnerSocketUrl);
  }

  /** The base URL in use (or about to be tried). */
  get current(): string {
    return this.baseUrls[this.index]!;
  }

  /** The runner endpoint of the server in use. */
  get currentSocketUrl(): string {
    return this.socketUrls[this.index]!;
  }

  /** After a lost link or a failed attempt: the next server in the list, wrapping around. */
  advance(): void {
    this.index = (this.index + 1) % this.baseUrls.length;
  }
}

/** Whether `text` is an absolute http(s) or ws(s) URL. */
export function isServerUrl(text: string): boolean {
  return URL.canParse(text) && /^(https?|wss?):$/.test(new URL(text).protocol);
}

// Whether the server at the other end of a runner socket still answers. A killed server's socket closes
// (1006, ECONNREFUSED on the next attempt); a hung or unplugged one leaves it open and silent, so the
// runner would wait on it forever while another server could resume its builds.
//
//   open ──hello──▶ no welcome within welcomeTimeoutMs ────────────────▶ cut the link, try the next server
//   welcome ──▶ at a heartbeat: ping ──▶ at a later heartbeat, nothing heard since (message or pong)
//               for more than serverSilenceTimeoutMs ────────────────▶ cut the link, try the next server
//
// Pings are WebSocket control frames (RFC 6455 §5.5.2), answered by the server's WebSocket library even
// when the application is busy; a socket without `ping` (a browser's) is only watched until its welcome.

import type { Clock } from "@buildsim/core";
import type { RunnerSocket } from "./runner-socket.js";

/** Watches one socket; the connection feeds it what it hears and asks it at each heartbeat. */
export class ServerLiveness {
  /** When the unanswered ping went out; null when the server was heard since the last ping. */
  private awaitingSinceMs: number | null = null;
  private welcomeTimer: unknown = null;

  constructor(
    private readonly socket: RunnerSocket,
    private readonly clock: Clock,
    private readonly silenceTimeoutMs: number,
  ) {
    socket.on?.("pong", () => this.heard());
  }

  /** Something came from the server: it is alive now. */
  heard(): void {
    this.awaitingSinceMs = null;
  }

  /** Calls `onSilent` unless the welcome arrives (`welcomed()`) within `timeoutMs`; 0 waits for ever. */
  awaitWelcome(timeoutMs: number, onSilent: () => void): void {
    if (timeoutMs > 0) this.welcomeTimer = this.clock.setTimeout(onSilent, timeoutMs);
  }

  welcomed(): void {
    this.stop();
    this.heard();
  }

  /**
   * At each heartbeat: how long the server has left a ping unanswered when that is past the limit (the
   * caller cuts the link), else null. A server heard since the last ping is pinged again, so an idle but
   * healthy one always has something to answer; measuring from the ping, not from the last message, keeps
   * a heartbeat period longer than the limit from taking an idle server for a silent one.
   */
  check(): number | null {
    if (!(this.silenceTimeoutMs > 0) || typeof this.socket.ping !== "function") return null;
    const now = this.clock.now();
    if (this.awaitingSinceMs !== null) {
      const silentMs = now - this.awaitingSinceMs;
      return silentMs > this.silenceTimeoutMs ? silentMs : null;
    }
    if (this.socket.readyState === 1) {
      this.socket.ping();
      this.awaitingSinceMs = now;
    }
    return null;
  }

  /** Clears the welcome timer (the socket closed, or the welcome came). */
  stop(): void {
    if (this.welcomeTimer !== null) this.clock.clearTimeout(this.welcomeTimer);
    this.welcomeTimer = null;
  }
}

/** Drops a link at once: `ws`'s terminate, else a normal close (a browser socket has no terminate). */
export function cutLink(socket: RunnerSocket): void {
  if (typeof socket.terminate === "function") socket.terminate();
  else socket.close(1000, "server not answering");
}

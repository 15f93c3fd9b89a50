// Masks secrets in a trace that is sent as it grows: bytes at the end that could be the start of a secret
// are held back until the next bytes show whether they are, so a secret split across two chunks is
// masked like one inside a chunk (GitLab's `Ci::MaskSecret` on the live log, the runner's `[MASKED]`).
//
// Tokens become as many `x` (same length); a masked variable's value becomes `[MASKED]`, which is never
// longer (GitLab requires 8 characters or more). So offsets are counted twice: `rawReleased` in the
// stored trace, `released` in what watchers are sent.

import { secretMasker, type TraceSecrets } from "../services/traces.js";

/** How many trailing bytes of `tail` are a proper prefix of one of `secrets` (the longest such). */
export function secretPrefixAtEnd(tail: Buffer, secrets: readonly Buffer[]): number {
  // Runs for every trace message of every watched build: compared in place, no slice allocated, and
  // a start byte that differs rules a length out at once.
  const end = tail.byteLength;
  let held = 0;
  for (const s of secrets) {
    const first = s[0];
    for (let k = Math.min(s.byteLength - 1, end); k > held; k--) {
      if (tail[end - k] === first && s.compare(tail, end - k, end, 0, k) === 0) {
        held = k;
        break;
      }
    }
  }
  return held;
}

const NOTHING_HELD = Buffer.alloc(0);

/** The masked, releasable view of one build's growing trace. */
export class MaskedTrace {
  private readonly secrets: TraceSecrets;
  private readonly secretBytes: Buffer[];
  private readonly mask: (trace: Buffer) => Buffer;
  /** Masked bytes released so far: everything below is final and may be sent. */
  released = 0;
  /** Stored (unmasked) bytes the released part covers. */
  private rawReleased = 0;
  /** Unmasked bytes after `rawReleased`, held because they may start a secret. */
  private held: Buffer = NOTHING_HELD;

  constructor(secrets: TraceSecrets, stored: Buffer) {
    this.secrets = {
      tokens: secrets.tokens.filter((s) => s.length > 0),
      masked: secrets.masked.filter((s) => s.length > 0),
    };
    this.secretBytes = [...this.secrets.tokens, ...this.secrets.masked].map((s) => Buffer.from(s));
    this.mask = secretMasker(this.secrets);
    this.reset(stored);
  }

  /** The secrets masked. */
  get secretList(): TraceSecrets {
    return this.secrets;
  }

  /** Stored bytes seen (released + held): where the next append must start. */
  get length(): number {
    return this.rawReleased + this.held.byteLength;
  }

  /** Starts over from the stored trace (after an erase, or a gap in what was heard). */
  reset(stored: Buffer): void {
    const keep = secretPrefixAtEnd(stored, this.secretBytes);
    this.rawReleased = stored.byteLength - keep;
    this.released = this.mask(stored.subarray(0, this.rawReleased)).byteLength;
    this.held = Buffer.from(stored.subarray(this.rawReleased));
  }

  /** The stored trace masked, up to what is released: what a new watcher may be sent. */
  releasedPart(stored: Buffer): Buffer {
    // No secret straddles `rawReleased` (its start would have been held), so masking the prefix is exact.
    return this.mask(stored.subarray(0, Math.min(this.rawReleased, stored.byteLength)));
  }

  /** Adds stored bytes at the end; returns the newly released masked bytes and where they start. */
  append(data: Buffer): { offset: number; data: Buffer } {
    const region = this.held.byteLength === 0 ? data : Buffer.concat([this.held, data]);
    const keep = secretPrefixAtEnd(region, this.secretBytes);
    const offset = this.released;
    const out = this.mask(keep === 0 ? region : region.subarray(0, region.byteLength - keep));
    // A copy: `data` may be a view of a buffer its sender reuses.
    this.held = keep === 0 ? NOTHING_HELD : Buffer.from(region.subarray(region.byteLength - keep));
    this.rawReleased += region.byteLength - keep;
    this.released += out.byteLength;
    return { offset, data: out };
  }

  /** Releases whatever is held (the build is complete: nothing more can follow). */
  flush(): { offset: number; data: Buffer } {
    const offset = this.released;
    const out = this.mask(this.held);
    this.rawReleased += this.held.byteLength;
    this.released += out.byteLength;
    this.held = NOTHING_HELD;
    return { offset, data: out };
  }
}

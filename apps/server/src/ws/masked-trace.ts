// Masks secrets in a trace that is sent as it grows: bytes at the end that could be the start of a secret
// are held back until the next bytes show whether they are, so a secret split across two chunks is
// masked like one inside a chunk (GitLab's `Ci::MaskSecret` on the live log).

import { maskSecrets } from "../services/traces.js";

/** How many trailing bytes of `tail` are a proper prefix of one of `secrets` (the longest such). */
export function secretPrefixAtEnd(tail: Buffer, secrets: readonly Buffer[]): number {
  let held = 0;
  for (const s of secrets) {
    for (let k = Math.min(s.byteLength - 1, tail.byteLength); k > held; k--) {
      if (tail.subarray(tail.byteLength - k).equals(s.subarray(0, k))) {
        held = k;
        break;
      }
    }
  }
  return held;
}

/** The masked, releasable view of one build's growing trace. */
export class MaskedTrace {
  private readonly secrets: string[];
  private readonly secretBytes: Buffer[];
  /** Bytes released so far (masked); everything below is final. */
  released = 0;
  /** Unmasked bytes after `released`, held because they may start a secret. */
  private held: Buffer = Buffer.alloc(0);

  constructor(secrets: readonly string[], stored: Buffer) {
    this.secrets = secrets.filter((s) => s.length > 0);
    this.secretBytes = this.secrets.map((s) => Buffer.from(s));
    this.reset(stored);
  }

  /** The secrets masked. */
  get secretList(): readonly string[] {
    return this.secrets;
  }

  /** Total bytes seen (released + held). */
  get length(): number {
    return this.released + this.held.byteLength;
  }

  /** Starts over from the stored trace (after an erase, or a gap in what was heard). */
  reset(stored: Buffer): void {
    const keep = secretPrefixAtEnd(stored, this.secretBytes);
    this.released = stored.byteLength - keep;
    this.held = Buffer.from(stored.subarray(this.released));
  }

  /** The stored trace masked, up to what is released: what a new watcher may be sent. */
  releasedPart(stored: Buffer): Buffer {
    return maskSecrets(stored, this.secrets).subarray(0, Math.min(this.released, stored.byteLength));
  }

  /** Adds bytes at the end; returns the newly released masked bytes and where they start. */
  append(data: Buffer): { offset: number; data: Buffer } {
    const region = this.held.byteLength === 0 ? data : Buffer.concat([this.held, data]);
    const keep = secretPrefixAtEnd(region, this.secretBytes);
    const offset = this.released;
    const out = maskSecrets(region, this.secrets).subarray(0, region.byteLength - keep);
    this.held = Buffer.from(region.subarray(region.byteLength - keep));
    this.released += out.byteLength;
    return { offset, data: out };
  }

  /** Releases whatever is held (the build is complete: nothing more can follow). */
  flush(): { offset: number; data: Buffer } {
    const offset = this.released;
    const out = maskSecrets(this.held, this.secrets);
    this.released += out.byteLength;
    this.held = Buffer.alloc(0);
    return { offset, data: out };
  }
}

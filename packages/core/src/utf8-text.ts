// Bytes as text only when they are UTF-8: seed files write a trace or an archive as text then, and as
// base64 otherwise, so no byte is lost on the way (a lenient decode would swap bad bytes for U+FFFD).

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` decoded when they are valid UTF-8, else undefined. */
export function utf8TextOf(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

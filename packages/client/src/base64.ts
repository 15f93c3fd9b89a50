// Base64 → bytes with `atob`, which Node 20 and every browser have (no Buffer on the browser path).

/** Decodes standard base64 into bytes; throws on characters outside the alphabet. */
export function decodeBase64(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Encodes bytes as standard base64 with `btoa` (for tests and tools that speak the trace protocol). */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunked so large traces do not overflow the argument limit of String.fromCharCode.
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

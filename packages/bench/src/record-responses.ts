// Records buildsim's answers (status, headers, bytes) so the bare baseline can replay them exactly.

/** One recorded response. */
export interface RecordedResponse {
  status: number;
  /** Flat `[name, value, …]` without the per-connection headers. */
  headers: string[];
  bodyBase64: string;
}

/** Recorded responses keyed by `METHOD url` (`*` answers anything else). */
export type RecordedResponses = Record<string, RecordedResponse>;

const PER_CONNECTION = new Set(["content-length", "date", "connection", "keep-alive", "transfer-encoding"]);

/** Sends one request to `baseUrl` and records the answer; throws unless it is 2xx. */
export async function recordResponse(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
): Promise<{ recorded: RecordedResponse; body: Buffer; headers: Headers }> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { "PRIVATE-TOKEN": token } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path} answered ${res.status}: ${body.toString().slice(0, 200)}`);
  const headers: string[] = [];
  res.headers.forEach((v, k) => {
    if (!PER_CONNECTION.has(k)) headers.push(k, v);
  });
  return {
    recorded: { status: res.status, headers, bodyBase64: body.toString("base64") },
    body,
    headers: res.headers,
  };
}

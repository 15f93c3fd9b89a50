// A job log's bytes, as they arrive in chunks, turned into whole lines (UTF-8 kept across chunk edges,
// `\r\n` endings trimmed); the last unterminated line comes out when the log ends.

/** Lines of one job's log. */
export interface TraceLines {
  push(bytes: Uint8Array): void;
  /** The log is over: hands out the unterminated last line, if any. */
  end(): void;
  /** True once `end` ran. */
  readonly ended: boolean;
}

/** Calls `onLine` for each complete line pushed. */
export function createTraceLines(onLine: (line: string) => void): TraceLines {
  const decoder = new TextDecoder();
  let partial = "";
  let ended = false;
  const emit = (text: string) => {
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) onLine(line.replace(/\r$/, ""));
  };
  return {
    push(bytes) {
      emit(partial + decoder.decode(bytes, { stream: true }));
    },
    end() {
      if (ended) return;
      ended = true;
      emit(partial + decoder.decode());
      if (partial) onLine(partial.replace(/\r$/, ""));
      partial = "";
    },
    get ended() {
      return ended;
    },
  };
}

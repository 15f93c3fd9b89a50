// A job log as lines for display: bytes in (any chunking), ANSI turned into HTML by ansi_up, GitLab's
// `section_start`/`section_end` markers turned into collapsible sections with durations, and `\r`
// progress rewrites resolved as a terminal would. Pure data: the view reads it, nothing here touches the DOM.

import { AnsiUp } from "ansi_up";

/** One displayed line. `header` is the section it opens; `section` the innermost one it belongs to. */
export interface LogLine {
  html: string;
  section: number;
  header: number;
}

/** A collapsible section, as GitLab's runner marks them. */
export interface LogSection {
  name: string;
  parent: number;
  headerLine: number;
  startS: number;
  /** Seconds from start to end, when it has ended. */
  durationS: number | null;
  collapsed: boolean;
}

// `section_start:1700000000:name[collapsed=true]\r\e[0K` and `section_end:1700000000:name\r\e[0K`.
const ESC = String.fromCharCode(27);
const MARKER = new RegExp(
  `section_(start|end):(\\d+):([A-Za-z0-9_.-]+)(?:\\[([^\\]]*)\\])?\r${ESC}\\[0K`,
  "g",
);
const ERASE_LINE = new RegExp(`${ESC}\\[0?K`, "g");

/** Lines parsed from a trace, growing as bytes arrive. */
export class TraceModel {
  readonly lines: LogLine[] = [];
  readonly sections: LogSection[] = [];
  /** Indices into `lines` of the lines not hidden in a collapsed section. */
  visible: number[] = [];
  /** The line still being written (no newline yet), shown after the others. */
  partialHtml = "";
  /** Bytes taken in so far. */
  bytes = 0;
  readonly #decoder = new TextDecoder();
  readonly #ansi = new AnsiUp();
  #partial = "";
  #open = -1;

  constructor() {
    this.#ansi.use_classes = true;
  }

  /** Takes the next bytes of the trace (in order); returns how many lines were completed. */
  append(bytes: Uint8Array): number {
    this.bytes += bytes.byteLength;
    return this.appendText(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Takes decoded text; lines end with `\n`. */
  appendText(text: string): number {
    const parts = (this.#partial + text).split("\n");
    this.#partial = parts.pop() ?? "";
    for (const raw of parts) this.#addLine(raw);
    this.partialHtml =
      this.#partial === "" ? "" : new AnsiUp().ansi_to_html(resolveCarriageReturns(this.#partial));
    return parts.length;
  }

  /** Collapses or expands a section; recomputes which lines show. */
  toggle(section: number): void {
    const s = this.sections[section];
    if (!s) return;
    s.collapsed = !s.collapsed;
    this.visible = [];
    for (let i = 0; i < this.lines.length; i++) if (this.#isVisible(this.lines[i]!)) this.visible.push(i);
  }

  #isVisible(line: LogLine): boolean {
    let s = line.header >= 0 ? this.sections[line.header]!.parent : line.section;
    while (s >= 0) {
      const section = this.sections[s]!;
      if (section.collapsed) return false;
      s = section.parent;
    }
    return true;
  }

  #addLine(raw: string): void {
    let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    let header = -1;
    let ended = false;
    MARKER.lastIndex = 0;
    if (text.includes("section_")) {
      for (const m of text.matchAll(MARKER)) {
        const [, kind, time, name, options] = m;
        if (kind === "start") {
          header = this.sections.length;
          this.sections.push({
            name: name!,
            parent: this.#open,
            headerLine: this.lines.length,
            startS: Number(time),
            durationS: null,
            collapsed: /collapsed=true/.test(options ?? ""),
          });
          this.#open = header;
        } else {
          ended = this.#close(name!, Number(time)) || ended;
        }
      }
      text = text.replace(MARKER, "");
    }
    text = resolveCarriageReturns(text).replace(ERASE_LINE, "");
    // A line that only closed a section shows nothing, as in GitLab's log.
    if (header < 0 && ended && text === "") return;
    const line: LogLine = {
      html: this.#ansi.ansi_to_html(text),
      section: header >= 0 ? this.sections[header]!.parent : this.#open,
      header,
    };
    this.lines.push(line);
    if (this.#isVisible(line)) this.visible.push(this.lines.length - 1);
  }

  #close(name: string, timeS: number): boolean {
    // Close the named section and any left open inside it.
    for (let s = this.#open; s >= 0; s = this.sections[s]!.parent) {
      const section = this.sections[s]!;
      if (section.name !== name) continue;
      section.durationS = Math.max(0, timeS - section.startS);
      this.#open = section.parent;
      return true;
    }
    return false;
  }
}

/**
 * What a progress-printing line leaves on screen: each `\r` returns to the line start and the next
 * text replaces what was there, so the last non-empty segment is what shows (GitLab's log does the same).
 */
export function resolveCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  const segments = text.split("\r");
  for (let i = segments.length - 1; i >= 0; i--) if (segments[i] !== "") return segments[i]!;
  return "";
}

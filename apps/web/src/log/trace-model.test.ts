// The log model: lines from arbitrary chunks, ANSI through ansi_up, GitLab's collapsible sections
// (https://docs.gitlab.com/ee/ci/jobs/job_logs.html#custom-collapsible-sections) and `\r` rewrites.

import { describe, expect, it } from "vitest";
import { resolveCarriageReturns, TraceModel } from "./trace-model.js";

const ESC = "\u001b";
const start = (t: number, name: string, opts = "") => `section_start:${t}:${name}${opts}\r${ESC}[0K`;
const end = (t: number, name: string) => `section_end:${t}:${name}\r${ESC}[0K`;
const text = (m: TraceModel) => m.visible.map((i) => m.lines[i]!.html);

describe("TraceModel", () => {
  it("splits lines across any chunking, even inside a multi-byte character", () => {
    const m = new TraceModel();
    const bytes = new TextEncoder().encode("héllo\nwörld\nrest");
    for (const b of bytes) m.append(new Uint8Array([b]));
    expect(text(m)).toEqual(["héllo", "wörld"]);
    expect(m.partialHtml).toBe("rest");
    expect(m.bytes).toBe(bytes.byteLength);
  });

  it("renders ANSI colours as ansi_up classes and escapes HTML", () => {
    const m = new TraceModel();
    m.appendText(`${ESC}[32mok${ESC}[0m <b>\n`);
    expect(m.lines[0]!.html).toBe('<span class="ansi-green-fg">ok</span> &lt;b&gt;');
  });

  it("turns section markers into a header line with a duration, and collapses its body", () => {
    const m = new TraceModel();
    m.appendText(`${start(100, "build")}Building\nstep 1\nstep 2\n${end(107, "build")}\nafter\n`);
    expect(text(m)).toEqual(["Building", "step 1", "step 2", "after"]);
    expect(m.sections[0]).toMatchObject({ name: "build", headerLine: 0, durationS: 7, collapsed: false });
    m.toggle(0);
    expect(text(m)).toEqual(["Building", "after"]);
    m.toggle(0);
    expect(text(m)).toHaveLength(4);
  });

  it("starts a section collapsed when the marker says so, and nests sections", () => {
    const m = new TraceModel();
    m.appendText(
      `${start(1, "outer", "[collapsed=true]")}Outer\n${start(2, "inner")}Inner\nx\n${end(3, "inner")}\n${end(4, "outer")}\nend\n`,
    );
    expect(text(m)).toEqual(["Outer", "end"]);
    expect(m.sections[1]).toMatchObject({ name: "inner", parent: 0, durationS: 1 });
    m.toggle(0);
    expect(text(m)).toEqual(["Outer", "Inner", "x", "end"]);
  });

  it("shows what a progress line leaves after carriage returns", () => {
    expect(resolveCarriageReturns("10%\r50%\r100%")).toBe("100%");
    expect(resolveCarriageReturns("done\r")).toBe("done");
    const m = new TraceModel();
    m.appendText("a\r\nb\n");
    expect(text(m)).toEqual(["a", "b"]);
  });
});

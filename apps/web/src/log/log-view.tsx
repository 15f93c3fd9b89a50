// The job log: a virtualized list of parsed lines (only rows in view are in the DOM), with line numbers
// that link to `#L<n>`, collapsible sections with their durations, and follow mode that keeps the newest
// line in view while the job runs until the reader scrolls up.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { formatDuration } from "../format.js";
import type { TraceModel } from "./trace-model.js";

/** Row height in px; rows never wrap (long lines scroll sideways), so positions are exact. */
export const LINE_HEIGHT_PX = 20;
const OVERSCAN_ROWS = 20;

interface LogViewProps {
  model: TraceModel;
  /** Changes whenever the model gained lines (the view re-renders then). */
  version: number;
  running: boolean;
}

function lineFromHash(): number | null {
  const m = /^#L(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

/** The log viewport. */
export function LogView({ model, version, running }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [follow, setFollow] = useState(lineFromHash() === null);
  const [toggles, setToggles] = useState(0);
  const [target, setTarget] = useState<number | null>(lineFromHash());
  const programmatic = useRef(false);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // A scrollable log must be reachable by keyboard (axe: scrollable-region-focusable).
    el.tabIndex = 0;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    const onHash = () => {
      const n = lineFromHash();
      setTarget(n);
      if (n !== null) setFollow(false);
    };
    addEventListener("hashchange", onHash);
    return () => {
      observer.disconnect();
      removeEventListener("hashchange", onHash);
    };
  }, []);

  const rows = model.visible.length + (model.partialHtml ? 1 : 0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (target !== null) {
      const row = model.visible.indexOf(target - 1);
      if (row >= 0) {
        programmatic.current = true;
        el.scrollTop = Math.max(0, row * LINE_HEIGHT_PX - el.clientHeight / 3);
      }
    } else if (follow) {
      programmatic.current = true;
      el.scrollTop = el.scrollHeight;
    }
  }, [version, follow, target, toggles]);

  const onScroll = () => {
    const el = scroller.current!;
    setScrollTop(el.scrollTop);
    if (programmatic.current) {
      programmatic.current = false;
      return;
    }
    // Scrolling up leaves follow mode; reaching the bottom again re-enters it.
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT_PX * 2;
    setFollow(atBottom);
  };

  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT_PX) - OVERSCAN_ROWS);
  const last = Math.min(rows, Math.ceil((scrollTop + height) / LINE_HEIGHT_PX) + OVERSCAN_ROWS);
  const items = [];
  for (let row = first; row < last; row++) {
    const index = model.visible[row];
    const top = row * LINE_HEIGHT_PX;
    if (index === undefined) {
      items.push(
        <div class="log-line" style={{ top }} key="partial">
          <span class="log-number" aria-hidden="true" />
          <span class="log-text" dangerouslySetInnerHTML={{ __html: model.partialHtml }} />
        </div>,
      );
      continue;
    }
    const line = model.lines[index]!;
    const n = index + 1;
    const section = line.header >= 0 ? model.sections[line.header]! : null;
    items.push(
      <div
        class={`log-line${target === n ? " log-target" : ""}${section ? " log-section" : ""}`}
        style={{ top }}
        key={n}
        id={`L${n}`}
      >
        <a class="log-number" href={`#L${n}`}>
          {n}
        </a>
        {section && (
          <button
            type="button"
            class="log-toggle"
            aria-expanded={!section.collapsed}
            aria-label={`${section.collapsed ? "Expand" : "Collapse"} section ${section.name}`}
            onClick={() => {
              model.toggle(line.header);
              setToggles((t) => t + 1);
            }}
          >
            {section.collapsed ? "▸" : "▾"}
          </button>
        )}
        <span class="log-text" dangerouslySetInnerHTML={{ __html: line.html }} />
        {section && section.durationS !== null && (
          <span class="log-duration">{formatDuration(section.durationS)}</span>
        )}
      </div>,
    );
  }

  return (
    <div class="log-wrap">
      <div class="log-toolbar">
        <span>
          {model.lines.length.toLocaleString("en")} lines{running ? " · running" : ""}
        </span>
        <button
          type="button"
          class="btn btn-small"
          aria-pressed={follow}
          onClick={() => {
            setTarget(null);
            setFollow(!follow);
          }}
        >
          {follow ? "Following" : "Follow log"}
        </button>
      </div>
      <div
        class="log"
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label="Job log"
        data-testid="job-log"
      >
        <div class="log-spacer" style={{ height: rows * LINE_HEIGHT_PX }}>
          {items}
        </div>
      </div>
    </div>
  );
}

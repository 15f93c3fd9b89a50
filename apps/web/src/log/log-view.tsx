// The job log: a virtualized list of parsed lines (only rows in view are in the DOM), with line numbers
// that link to `#L<n>`, collapsible sections with their durations, and follow mode that keeps the newest
// line in view while the job runs until the reader scrolls up. A frame's work stays small however fast
// the job prints: one render per frame, rows reused in place, plain lines set as text (no HTML parsing),
// and no layout read back from the DOM while following.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { formatDuration } from "../format.js";
import type { TraceModel } from "./trace-model.js";

/** Row height in px; rows never wrap (long lines scroll sideways), so positions are exact. */
export const LINE_HEIGHT_PX = 20;
/**
 * Rows rendered beyond the viewport, so a quick scroll shows no gap. Fewer while following (every row
 * changes every frame then): enough for two wheel notches up, and none below the bottom.
 */
const OVERSCAN_ROWS = 20;
const FOLLOW_OVERSCAN_ROWS = 10;
/** ansi_up's output needs the HTML parser only when it has markup or an entity. */
const NEEDS_HTML = /[<&]/;

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
  /** The scrollTop this view last set itself: a scroll event landing there is not the reader's. */
  const ownScrollTop = useRef(-1);

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
  const following = follow && target === null;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let want: number | null = null;
    if (target !== null) {
      const row = model.visible.indexOf(target - 1);
      if (row >= 0) want = Math.max(0, row * LINE_HEIGHT_PX - height / 3);
    } else if (follow) {
      // The bottom, from the row count: reading scrollHeight would force a second layout each frame.
      want = Math.max(0, rows * LINE_HEIGHT_PX - height);
    }
    if (want === null || Math.abs(el.scrollTop - want) < 1) return;
    el.scrollTop = want;
    ownScrollTop.current = el.scrollTop;
  }, [version, follow, target, toggles, height]);

  const onScroll = () => {
    const el = scroller.current!;
    const top = el.scrollTop;
    if (Math.abs(top - ownScrollTop.current) < 1) {
      // Our own scroll, heard once (the reader may come back to the same place later): while following,
      // the rows already come from the bottom, so no second render.
      ownScrollTop.current = -1;
      if (!following) setScrollTop(top);
      return;
    }
    setScrollTop(top);
    // Scrolling up leaves follow mode; reaching the bottom again re-enters it.
    const atBottom = el.scrollHeight - top - el.clientHeight < LINE_HEIGHT_PX * 2;
    setFollow(atBottom);
  };

  // While following, the window is the last rows: the scroll event that moves there comes a frame later.
  const viewTop = following ? Math.max(0, rows * LINE_HEIGHT_PX - height) : scrollTop;
  const overscan = following ? FOLLOW_OVERSCAN_ROWS : OVERSCAN_ROWS;
  const first = Math.max(0, Math.floor(viewTop / LINE_HEIGHT_PX) - overscan);
  const last = Math.min(rows, Math.ceil((viewTop + height) / LINE_HEIGHT_PX) + overscan);
  const items = [];
  for (let row = first; row < last; row++) {
    const index = model.visible[row];
    const top = row * LINE_HEIGHT_PX;
    if (index === undefined) {
      items.push(
        // Keyed by position: the same elements are reused as the window moves, updated in place.
        <div class="log-line" style={{ top }} key={row - first}>
          <span class="log-number" aria-hidden="true" />
          {lineText(model.partialHtml)}
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
        key={row - first}
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
        {lineText(line.html)}
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
            setScrollTop(scroller.current?.scrollTop ?? 0);
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
          {/*
           * Text in the log's fonts from the start: the browser resolves a font family by synchronous
           * calls to its font service, which on a busy machine stalled a live job's first lines by 70 ms.
           */}
          <span class="log-font-probe" aria-hidden="true">
            0<b>0</b>
          </span>
          {items}
        </div>
      </div>
    </div>
  );
}

/** A line's text: a text node when it has no markup (cheap to update), parsed HTML when it has. */
function lineText(html: string) {
  // Different keys, so a reused row switching kind gets a fresh span rather than mixed children.
  return NEEDS_HTML.test(html) ? (
    <span class="log-text" key="html" dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    <span class="log-text" key="text">
      {html}
    </span>
  );
}

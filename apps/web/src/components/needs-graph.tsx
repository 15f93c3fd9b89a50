// The `needs` view of a pipeline: jobs in columns by how deep they sit in the DAG, with a line from
// each job to every job it needs (drawn in SVG once the cards are laid out).

import type { JobEntity, JobNeedsEntity } from "@buildsim/core";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { JobAction } from "./job-actions.js";
import { JobCard } from "./job-card.js";

interface NeedsGraphProps {
  project: string;
  jobs: JobEntity[];
  needs: JobNeedsEntity[];
  stages: string[];
  canUpdate: boolean;
  onAction: (job: JobEntity, action: JobAction) => void;
}

/** Column of each job: 0 for `needs: []`, one past its deepest need, else its stage's index. */
export function needsColumns(needs: JobNeedsEntity[], stages: string[]): Map<string, number> {
  const byName = new Map(needs.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const visit = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const entry = byName.get(name);
    const needed = entry?.needs;
    let d = 0;
    if (entry && needed === null) d = Math.max(0, stages.indexOf(entry.stage));
    else if (needed && needed.length > 0 && !seen.has(name)) {
      seen.add(name);
      d = 1 + Math.max(...needed.map((n) => (byName.has(n) ? visit(n, seen) : -1)));
    }
    depth.set(name, d);
    return d;
  };
  for (const n of needs) visit(n.name, new Set());
  return depth;
}

interface Line {
  from: string;
  to: string;
  d: string;
}

/** The needs view. */
export function NeedsGraph({ project, jobs, needs, stages, canUpdate, onAction }: NeedsGraphProps) {
  const cards = useRef(new Map<string, HTMLElement>());
  const box = useRef<HTMLDivElement>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const columns = needsColumns(needs, stages);
  const width = Math.max(0, ...columns.values()) + 1;
  const grouped: JobEntity[][] = Array.from({ length: width }, () => []);
  for (const job of jobs) grouped[columns.get(job.name) ?? 0]?.push(job);

  useLayoutEffect(() => {
    const root = box.current?.getBoundingClientRect();
    if (!root) return;
    const next: Line[] = [];
    for (const entry of needs) {
      const to = cards.current.get(entry.name)?.getBoundingClientRect();
      for (const need of entry.needs ?? []) {
        const from = cards.current.get(need)?.getBoundingClientRect();
        if (!from || !to) continue;
        const x1 = from.right - root.left;
        const y1 = from.top + from.height / 2 - root.top;
        const x2 = to.left - root.left;
        const y2 = to.top + to.height / 2 - root.top;
        const mid = (x1 + x2) / 2;
        next.push({ from: need, to: entry.name, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
      }
    }
    setLines(next);
  }, [jobs, needs]);

  return (
    <div class="needs-graph" ref={box} data-testid="needs-graph">
      <svg class="needs-lines" aria-hidden="true">
        {lines.map((l) => (
          <path key={`${l.from}->${l.to}`} d={l.d} data-from={l.from} data-to={l.to} />
        ))}
      </svg>
      {grouped.map((column, i) => (
        <ul class="stage-jobs" key={i} aria-label={`Needs level ${i + 1}`}>
          {column.map((job) => (
            <JobCard
              key={job.id}
              project={project}
              job={job}
              retried={false}
              canUpdate={canUpdate}
              onAction={onAction}
              cardRef={(el) => {
                if (el) cards.current.set(job.name, el);
                else cards.current.delete(job.name);
              }}
            />
          ))}
        </ul>
      ))}
    </div>
  );
}

// What `buildsim record` saw, and the seed document it makes of it. Answers passing through the proxy
// are noted as they come (jobs, pipelines, projects, traces, artifact archives); `finish` fetches from
// the target, with @buildsim/client, whatever a loadable seed needs besides (a job's pipeline, project,
// commit, trace and archive), and writes ids as they were and no token of the target's.

import type { Client } from "@buildsim/client";
import { utf8TextOf } from "@buildsim/core";
import { type SeedParts, seedDocument } from "./seed-document.js";
import { type Json, jobRecord, pipelineRecord, projectRecord } from "./seed-records.js";

/** A job the recording saw, by id. */
interface SeenJob {
  /** The project as the request named it (an id or a URL-encoded path). */
  project: string | number;
  entity?: Json;
  trace?: Uint8Array;
  artifacts?: Uint8Array;
}

/** What `finish` reports beside the document. */
export interface RecordingNotes {
  /** Traces and archives cut to the byte limit, as `job N trace`/`job N artifacts`. */
  truncated: string[];
}

const JOB = /^\/api\/v4\/projects\/([^/]+)\/jobs\/(\d+)$/;
const JOB_TRACE = /^\/api\/v4\/projects\/([^/]+)\/jobs\/(\d+)\/trace$/;
const JOB_ARTIFACTS = /^\/api\/v4\/projects\/([^/]+)\/jobs\/(\d+)\/artifacts$/;
const JOB_ACTION = /^\/api\/v4\/projects\/([^/]+)\/jobs\/(\d+)\/(?:retry|cancel|play|erase)$/;
const JOB_LIST = /^\/api\/v4\/projects\/([^/]+)\/(?:pipelines\/\d+\/)?jobs$/;
const PIPELINE = /^\/api\/v4\/projects\/([^/]+)\/pipelines\/(\d+)$/;
const PIPELINE_LIST = /^\/api\/v4\/projects\/([^/]+)\/pipelines$/;
const PROJECT = /^\/api\/v4\/projects\/([^/]+)$/;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const refOf = (raw: string): string | number => (/^\d+$/.test(raw) ? Number(raw) : decodeURIComponent(raw));

/** Collects what passes through the proxy, then completes it into a seed document. */
export class FixtureRecorder {
  private readonly jobs = new Map<number, SeenJob>();
  private readonly pipelines = new Map<number, { project: string | number; entity?: Json }>();
  private readonly projects = new Map<number, Json>();

  constructor(
    private readonly client: Client,
    /** Trace and archive bytes kept per job; longer traces are cut, larger archives keep their size only. */
    private readonly maxBytes: number,
  ) {}

  /** Notes one answered request (`path` without the query). Answers it cannot use are ignored. */
  observe(method: string, path: string, status: number, contentType: string, body: Uint8Array): void {
    if (status < 200 || status >= 300) return;
    let m = JOB_TRACE.exec(path);
    if (m && method === "GET") {
      this.job(m[1]!, Number(m[2])).trace = body;
      return;
    }
    m = JOB_ARTIFACTS.exec(path);
    if (m && method === "GET") {
      this.job(m[1]!, Number(m[2])).artifacts = body;
      return;
    }
    if (!contentType.includes("json")) return;
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(body).toString("utf8"));
    } catch {
      return;
    }
    const one = isObject(data) ? [data] : [];
    const many = Array.isArray(data) ? data.filter(isObject) : [];
    const routes: Array<[RegExp, Json[], (project: string, entity: Json) => void]> = [
      [JOB, one, (p, j) => this.noteJob(p, j)],
      [JOB_ACTION, one, (p, j) => this.noteJob(p, j)],
      [JOB_LIST, many, (p, j) => this.noteJob(p, j)],
      [PIPELINE, one, (p, x) => this.notePipeline(p, x)],
      [PIPELINE_LIST, many, (p, x) => this.notePipeline(p, x)],
      [PROJECT, one, (_, x) => typeof x.id === "number" && this.projects.set(x.id, x)],
    ];
    for (const [pattern, entities, note] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      for (const entity of entities) note(match[1]!, entity);
      return;
    }
  }

  /** Adds project `ref`'s latest pipelines (one page of `perPage`) and all their jobs. */
  async addProject(ref: string | number, perPage = 20): Promise<void> {
    const project = (await this.client.v4.projects.get(ref)) as Json;
    this.projects.set(project.id as number, project);
    const { items } = await this.client.v4.pipelines.list(ref, { perPage }).fetchPage();
    for (const p of items) {
      this.notePipeline(ref, p as unknown as Json);
      const jobs = this.client.v4.jobs.listForPipeline(ref, p.id, { perPage: 100 });
      for await (const j of jobs) this.noteJob(ref, j as unknown as Json);
    }
  }

  private job(project: string | number, id: number): SeenJob {
    let seen = this.jobs.get(id);
    if (!seen) {
      seen = { project: typeof project === "string" ? refOf(project) : project };
      this.jobs.set(id, seen);
    }
    return seen;
  }

  private noteJob(project: string | number, j: Json): void {
    if (typeof j.id !== "number" || !("pipeline" in j)) return;
    this.job(project, j.id).entity = j;
  }

  private notePipeline(project: string | number, p: Json): void {
    if (typeof p.id !== "number") return;
    const seen = this.pipelines.get(p.id);
    // A list shows the basic entity: it does not replace a full one seen before.
    if (seen?.entity && "detailed_status" in seen.entity && !("detailed_status" in p)) return;
    this.pipelines.set(p.id, { project: typeof project === "string" ? refOf(project) : project, entity: p });
  }

  /** Fetches what is missing and makes the seed document; `token` becomes the recording user's. */
  async finish(token: string): Promise<{ document: Json; notes: RecordingNotes }> {
    const { v4 } = this.client;
    const me = (await v4.user()) as unknown as Json;
    const truncated: string[] = [];
    for (const [id, seen] of this.jobs) {
      seen.entity ??= (await v4.jobs.get(seen.project, id)) as unknown as Json;
      const projectId = (seen.entity.pipeline as Json).project_id as number;
      seen.project = projectId;
      const pipelineId = (seen.entity.pipeline as Json).id as number;
      if (!this.pipelines.has(pipelineId)) this.pipelines.set(pipelineId, { project: projectId });
      seen.trace ??= await this.optional(() => v4.jobs.traceBytes(projectId, id));
      if (seen.entity.artifacts_file && !seen.artifacts)
        seen.artifacts = await this.optional(() => v4.jobs.artifacts(projectId, id));
    }
    for (const [id, seen] of this.pipelines) {
      // The full entity has what a list leaves out (before_sha, times, the user).
      if (!seen.entity || !("detailed_status" in seen.entity))
        seen.entity = (await v4.pipelines.get(seen.project, id)) as unknown as Json;
      const projectId = seen.entity.project_id as number;
      if (!this.projects.has(projectId))
        this.projects.set(projectId, (await v4.projects.get(projectId)) as unknown as Json);
    }
    const parts: SeedParts = {
      me,
      token,
      projects: [...this.projects.values()].map((p) => ({
        entity: p,
        record: projectRecord(p),
      })),
      pipelines: [...this.pipelines.values()].map((p) => ({
        entity: p.entity!,
        record: pipelineRecord(p.entity!),
      })),
      jobs: [...this.jobs.entries()].map(([id, seen]) => {
        const record = jobRecord(seen.entity!);
        if (seen.trace) {
          const kept = seen.trace.subarray(0, this.maxBytes);
          if (kept.byteLength < seen.trace.byteLength) truncated.push(`job ${id} trace`);
          const text = utf8TextOf(kept);
          if (text === undefined) record.trace_base64 = Buffer.from(kept).toString("base64");
          else record.trace = text;
        }
        const file = seen.entity!.artifacts_file as Json | undefined;
        if (file && seen.artifacts) {
          const expireAt = seen.entity!.artifacts_expire_at;
          record.artifacts = {
            filename: file.filename,
            ...(typeof expireAt === "string" ? { expire_at: expireAt } : {}),
            ...(seen.artifacts.byteLength <= this.maxBytes
              ? { contents_base64: Buffer.from(seen.artifacts).toString("base64") }
              : { size: seen.artifacts.byteLength }),
          };
          if (seen.artifacts.byteLength > this.maxBytes) truncated.push(`job ${id} artifacts`);
        }
        return { entity: seen.entity!, record };
      }),
    };
    return { document: await seedDocument(this.client, parts), notes: { truncated } };
  }

  /** The result of `read`, or undefined when the target has none (404, 403). */
  private async optional(read: () => Promise<Uint8Array>): Promise<Uint8Array | undefined> {
    try {
      return await read();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "not_found" || code === "forbidden") return undefined;
      throw e;
    }
  }
}

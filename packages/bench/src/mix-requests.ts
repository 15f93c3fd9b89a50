// The mixed benchmark's traffic: 100 distinct GETs a dashboard and clients would send (v3/v4 lists with
// pages and scopes, pipeline job lists, single builds and jobs) and v4 job retries as the writes.

import type { MixRequest } from "./load-generator.js";

const get = (path: string): MixRequest => ({ method: "GET", path });

/** Status of build `id` in the populated database (populate-bench-db's STATUSES by id % 6). */
const retryable = (id: number) => id % 6 <= 3; // success, failed, canceled, success

/** 100 distinct GETs over a database of `builds` builds in pipelines of 20 (ids 1…builds). */
export function mixReads(builds: number): MixRequest[] {
  const out: MixRequest[] = [];
  const v3 = "/api/v3/projects/1/builds";
  const v4 = "/api/v4/projects/1/jobs";
  // 13 v3 list pages: unscoped pages 1–5, scopes, a bigger page.
  for (let page = 1; page <= 5; page++) out.push(get(`${v3}?page=${page}`));
  for (let page = 1; page <= 3; page++) out.push(get(`${v3}?scope=success&page=${page}`));
  for (let page = 1; page <= 2; page++) out.push(get(`${v3}?scope=running&page=${page}`));
  for (let page = 1; page <= 2; page++) out.push(get(`${v3}?scope[]=failed&scope[]=canceled&page=${page}`));
  out.push(get(`${v3}?per_page=50`));
  // 13 v4 list pages, the same spread with v4's scope[] form.
  for (let page = 1; page <= 5; page++) out.push(get(`${v4}?page=${page}`));
  for (let page = 1; page <= 3; page++) out.push(get(`${v4}?scope[]=success&page=${page}`));
  for (let page = 1; page <= 2; page++) out.push(get(`${v4}?scope[]=running&page=${page}`));
  out.push(get(`${v4}?scope[]=pending`));
  out.push(get(`${v4}?scope[]=failed&scope[]=canceled&page=2`));
  out.push(get(`${v4}?per_page=50`));
  // 6 pipeline job lists, recent pipelines.
  const pipelines = Math.ceil(builds / 20);
  for (let i = 0; i < 6; i++) out.push(get(`/api/v4/projects/1/pipelines/${pipelines - i * 3}/jobs`));
  // 30 v3 builds and 38 v4 jobs, spread over the newest thousand and the rest.
  // Ids past a smaller database (the PostgreSQL run's) wrap around into it; 100,000 builds keep them all.
  const id = (n: number) => ((n - 1) % builds) + 1;
  for (let i = 0; i < 30; i++) out.push(get(`${v3}/${id(i < 20 ? builds - i * 37 : 1 + i * 997)}`));
  for (let i = 0; i < 38; i++) out.push(get(`${v4}/${id(i < 25 ? builds - 5 - i * 29 : 7 + i * 1301)}`));
  if (new Set(out.map((r) => r.path)).size !== 100) throw new Error("the mix must hold 100 distinct GETs");
  return out;
}

/** v4 job retries of finished jobs among the newest 2,000 (each makes a new pending job). */
export function mixWrites(builds: number): MixRequest[] {
  const out: MixRequest[] = [];
  for (let id = builds; id > builds - 2000 && out.length < 200; id -= 7)
    if (retryable(id)) out.push({ method: "POST", path: `/api/v4/projects/1/jobs/${id}/retry` });
  return out;
}

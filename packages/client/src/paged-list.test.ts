import { afterEach, describe, expect, it } from "vitest";
import { createHttpTransport } from "./http-transport.js";
import { PagedList, parseLinkHeader, parsePagination } from "./paged-list.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// A GitLab-style list of `total` numbered items: all seven headers and a Link that keeps the filters.
async function serveList(total: number, options: { linkHeader?: boolean } = {}): Promise<TestServer> {
  server = await startTestServer({
    http: (request: RecordedRequest) => {
      const url = new URL(request.url, "http://host");
      const page = Number(url.searchParams.get("page") ?? "1");
      const perPage = Number(url.searchParams.get("per_page") ?? "20");
      const totalPages = Math.ceil(total / perPage);
      const items = Array.from({ length: total }, (_, i) => ({ id: total - i })).slice(
        (page - 1) * perPage,
        page * perPage,
      );
      const link = (p: number) => {
        const next = new URL(url);
        next.searchParams.set("page", String(p));
        next.searchParams.set("per_page", String(perPage));
        return `<http://${request.headers.host}${next.pathname}${next.search}>`;
      };
      const links = [
        page > 1 ? `${link(page - 1)}; rel="prev"` : null,
        page < totalPages ? `${link(page + 1)}; rel="next"` : null,
        `${link(1)}; rel="first"`,
        `${link(totalPages)}; rel="last"`,
      ].filter(Boolean);
      return {
        status: 200,
        body: items,
        headers: {
          "x-total": String(total),
          "x-total-pages": String(totalPages),
          "x-per-page": String(perPage),
          "x-page": String(page),
          "x-next-page": page < totalPages ? String(page + 1) : "",
          "x-prev-page": page > 1 ? String(page - 1) : "",
          ...(options.linkHeader === false ? {} : { link: links.join(", ") }),
        },
      };
    },
  });
  return server;
}

describe("parseLinkHeader", () => {
  it("reads every rel of a GitLab Link header", () => {
    const header =
      '<http://h/api/v4/projects/1/jobs?page=1&per_page=3>; rel="prev", <http://h/api/v4/projects/1/jobs?page=3&per_page=3>; rel="next", ' +
      '<http://h/api/v4/projects/1/jobs?page=1&per_page=3>; rel="first", <http://h/api/v4/projects/1/jobs?page=3&per_page=3>; rel="last"';
    expect(parseLinkHeader(header)).toEqual({
      prev: "http://h/api/v4/projects/1/jobs?page=1&per_page=3",
      next: "http://h/api/v4/projects/1/jobs?page=3&per_page=3",
      first: "http://h/api/v4/projects/1/jobs?page=1&per_page=3",
      last: "http://h/api/v4/projects/1/jobs?page=3&per_page=3",
    });
  });

  it("returns nothing for a missing header", () => {
    expect(parseLinkHeader(null)).toEqual({});
  });
});

describe("parsePagination", () => {
  it("turns empty X-Next-Page and X-Prev-Page into null", () => {
    const headers = new Headers({
      "x-total": "5",
      "x-page": "1",
      "x-next-page": "",
      "x-prev-page": "",
      "x-per-page": "20",
    });
    expect(parsePagination(headers)).toEqual({
      total: 5,
      totalPages: null,
      perPage: 20,
      page: 1,
      nextPage: null,
      prevPage: null,
      links: {},
    });
  });
});

describe("PagedList", () => {
  it("iterates every item by following rel=next, keeping the filters in the query", async () => {
    const { url, requests } = await serveList(8);
    const transport = createHttpTransport({ baseUrl: url });
    const list = new PagedList<{ id: number }>(
      transport,
      { path: "/api/v4/projects/1/jobs", query: { scope: ["failed", "success"] } },
      { perPage: 3 },
    );
    const ids: number[] = [];
    for await (const item of list) ids.push(item.id);
    expect(ids).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(requests.map((r) => new URL(r.url, "http://h").searchParams.get("page"))).toEqual([
      null,
      "2",
      "3",
    ]);
    for (const request of requests) expect(request.url).toContain("scope%5B%5D=failed&scope%5B%5D=success");
  });

  it("fetches one page with its parsed headers", async () => {
    const { url, requests } = await serveList(8);
    const page = await new PagedList<{ id: number }>(
      createHttpTransport({ baseUrl: url }),
      { path: "/l" },
      { page: 2, perPage: 3 },
    ).fetchPage();
    expect(page.items.map((i) => i.id)).toEqual([5, 4, 3]);
    expect(page.pagination).toMatchObject({
      total: 8,
      totalPages: 3,
      perPage: 3,
      page: 2,
      nextPage: 3,
      prevPage: 1,
    });
    expect(page.pagination.links.next).toMatch(/page=3/);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe("/l?page=2&per_page=3");
  });

  it("stops after maxPages", async () => {
    const { url, requests } = await serveList(10);
    const items = await new PagedList(
      createHttpTransport({ baseUrl: url }),
      { path: "/l" },
      { perPage: 2, maxPages: 2 },
    ).toArray();
    expect(items).toHaveLength(4);
    expect(requests).toHaveLength(2);
  });

  it("returns page 1 only when the server sends no Link, as GitLab's clients do", async () => {
    const { url, requests } = await serveList(8, { linkHeader: false });
    const items = await new PagedList(
      createHttpTransport({ baseUrl: url }),
      { path: "/l" },
      { perPage: 3 },
    ).toArray();
    expect(items).toHaveLength(3);
    expect(requests).toHaveLength(1);
  });

  it("yields page objects from pages()", async () => {
    const { url } = await serveList(5);
    const pages = [];
    for await (const page of new PagedList(
      createHttpTransport({ baseUrl: url }),
      { path: "/l" },
      { perPage: 2 },
    ).pages()) {
      pages.push(page.pagination.page);
    }
    expect(pages).toEqual([1, 2, 3]);
  });
});

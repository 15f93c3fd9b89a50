// The PostgreSQL connections behind the synchronous store (see sync-pg-connection.ts): one worker thread per
// process owning one `pg` client per connection. The store's thread posts a query on the connection's port
// and sleeps on its shared flag; this thread runs it, posts the answer and wakes it. Plain JavaScript so
// it loads the same from src/ (tests) and dist/.
//
// A lost connection (PostgreSQL restarted, a network cut) fails the query that saw it with SQLSTATE class
// 08 and is opened again for the next one, retrying for up to RECONNECT_MS: the server outlives a
// PostgreSQL restart without a restart of its own.
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort } from "node:worker_threads";
import pg from "pg";

const RECONNECT_MS = 30_000;

// The store reads numbers and SQLite-style 0/1 booleans: 64-bit counts and ids as numbers (they stay far
// below 2^53), NUMERIC as numbers, booleans as 1/0.
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return (v) => (v === null ? null : Number(v));
    if (oid === 16) return (v) => (v === null ? null : v === "t" ? 1 : 0);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * Whether `e` means PostgreSQL could not be reached or went away (a socket error, SQLSTATE class 08,
 * 57P01-57P03: shutting down, starting up), rather than an answer it gave.
 */
function unreachable(e) {
  const code = e?.code;
  return (
    typeof code !== "string" ||
    !/^[0-9A-Z]{5}$/.test(code) ||
    code.startsWith("08") ||
    /^57P0[1-3]$/.test(code)
  );
}

// Each `open` brings a connection: its port, its flag, where to connect.
parentPort.on("message", ({ port, flag, url, schema }) => serve(port, flag, url, schema));

/** Answers one connection's requests, in order (the store's thread waits for each answer). */
function serve(port, flag, url, schema) {
  /** The open client, or undefined when there is none (not yet opened, or lost). */
  let client;

  async function open() {
    const next = new pg.Client({ connectionString: url, types });
    next.on("error", () => {
      if (client === next) client = undefined;
    });
    await next.connect();
    if (schema) {
      await next.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await next.query(`SET search_path TO "${schema}"`);
    }
    client = next;
  }

  /** Opens a client, retrying while PostgreSQL is not reachable yet (a restart in progress). */
  async function ensureOpen(patienceMs) {
    const deadline = Date.now() + patienceMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        if (!client) await open();
        return;
      } catch (e) {
        // PostgreSQL answered with a refusal of its own (a bad schema name, a wrong password): final.
        if (!unreachable(e)) throw e;
        if (Date.now() + delay > deadline) throw lost(e);
        await sleep(delay);
      }
    }
  }

  /** A connection-level failure, as the SQLSTATE class PostgreSQL uses for them. */
  function lost(e) {
    return Object.assign(new Error(`connection to PostgreSQL lost: ${e?.message ?? e}`), { code: "08006" });
  }

  /** Posts the answer to request `id`, then wakes the store's thread with that number. */
  function answer(id, message) {
    port.postMessage({ ...message, id });
    Atomics.store(flag, 0, id);
    Atomics.notify(flag, 0);
  }

  function failure(e) {
    return { error: { message: e?.message ?? String(e), code: e?.code, detail: e?.detail } };
  }

  port.on("message", async (request) => {
    try {
      if (request.op === "connect") {
        await ensureOpen(0);
        answer(request.id, { ok: true });
        return;
      }
      if (request.op === "close") {
        await client?.end().catch(() => {});
        client = undefined;
        answer(request.id, { ok: true });
        port.close();
        return;
      }
      await ensureOpen(RECONNECT_MS);
      const used = client;
      let result;
      try {
        // The transaction's BEGIN, sent with its first statement (pg-db.ts): one round trip of the bridge.
        if (request.begin) await used.query(request.begin);
        result = await used.query({
          // A named statement is parsed and planned once per connection, then only bound and executed.
          ...(request.name ? { name: request.name } : {}),
          text: request.sql,
          values: request.params,
          ...(request.rowMode === "array" ? { rowMode: "array" } : {}),
        });
      } catch (e) {
        // The connection itself failed: drop it so the next query opens a new one.
        if (unreachable(e)) {
          if (client === used) client = undefined;
          used.end().catch(() => {});
          throw lost(e);
        }
        throw e;
      }
      // A multi-statement text (exec) answers an array of results; only the last one's rows matter.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      answer(request.id, { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 });
    } catch (e) {
      answer(request.id, failure(e));
    }
  });
}

// Tests of where the benchmark children keep their data.

import { describe, expect, it } from "vitest";
import { storeTarget } from "./store-target.js";

describe("a benchmark child's data location", () => {
  it("is PostgreSQL for a postgres:// or postgresql:// URL, with the artifacts directory out of the working one", () => {
    for (const url of ["postgres://u@h:5432/db?schema=mix", "postgresql://u@h/db"]) {
      const target = storeTarget(url);
      expect("postgres" in target && target.postgres).toBe(url);
      expect(target.dataDir).not.toBe(".buildsim");
    }
  });

  it("is an SQLite data directory for anything else", () => {
    expect(storeTarget("/tmp/bench/data")).toEqual({ dataDir: "/tmp/bench/data" });
  });
});

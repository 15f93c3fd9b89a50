import { describe, expect, it } from "vitest";
import { bindArguments, translateSql } from "./translate-sql.js";

describe("translating the store's SQL for PostgreSQL", () => {
  it("numbers ? parameters in order", () => {
    expect(translateSql("SELECT * FROM builds WHERE project_id = ? AND status = ? LIMIT ?")).toEqual({
      text: "SELECT * FROM builds WHERE project_id = $1 AND status = $2 LIMIT $3",
      names: undefined,
    });
  });

  it("gives each distinct @name one number and binds an object by those names", () => {
    const t = translateSql("SELECT 1 FROM t WHERE a = @id AND b <= @from AND c = @id");
    expect(t.text).toBe("SELECT 1 FROM t WHERE a = $1 AND b <= $2 AND c = $1");
    expect(bindArguments(t, [{ from: 5, id: 7, unused: 1 }])).toEqual([7, 5]);
  });

  it("leaves question marks and at signs inside literals, quoted names and comments alone", () => {
    const t = translateSql(`SELECT '?', 'it''s @x', "we?ird" FROM t -- why? @y\nWHERE a = ?`);
    expect(t.text).toBe(`SELECT '?', 'it''s @x', "we?ird" FROM t -- why? @y\nWHERE a = $1`);
  });

  it("drops SQLite's INDEXED BY hints", () => {
    expect(
      translateSql("SELECT id FROM builds INDEXED BY builds_by_stage WHERE a = ? ORDER BY id").text,
    ).toBe("SELECT id FROM builds WHERE a = $1 ORDER BY id");
  });

  it("binds undefined as NULL and bigints as text, as SQLite's driver accepts them", () => {
    expect(bindArguments(translateSql("VALUES (?, ?, ?)"), [undefined, 2n ** 60n, "x"])).toEqual([
      null,
      "1152921504606846976",
      "x",
    ]);
  });

  it("refuses a statement that mixes both kinds of parameter", () => {
    expect(() => translateSql("SELECT ? , @a")).toThrow(/mixes \? and @name/);
  });
});

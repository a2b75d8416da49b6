// The audit log in source: append-only (no code in app/ or db/ updates or deletes its rows, by
// the query builder or by raw SQL), and every action the models write has a label on its page.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

const WRITES = [
  /\b(updateTable|deleteFrom|replaceInto|mergeInto)\s*\(\s*["'`]audit_log\b/,
  /\bupdate\s+["'`]?audit_log\b/i,
  /\bdelete\s+from\s+["'`]?audit_log\b/i,
  /\btruncate\s+(table\s+)?["'`]?audit_log\b/i,
  /\binsert\s+or\s+replace\s+into\s+["'`]?audit_log\b/i,
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The lines of `text` that would change or remove audit rows. */
function auditWrites(text: string): string[] {
  return text.split("\n").filter((line) => WRITES.some((pattern) => pattern.test(line)));
}

// The demo seed backdates the history it has just written through the models (a request
// decided "three months ago"), and the benchmark removes the rows its own merge wrote to its
// scratch copy of the data: tools that make data, never a path a user's action takes.
const DATA_TOOLS = new Set(["db/seed.ts", "db/bench.ts"]);

describe("the audit log", () => {
  it("is never updated or deleted by code in app/ or db/ (but the data tools)", () => {
    const files = ["app", "db"]
      .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
      .filter((file) => !DATA_TOOLS.has(path.relative(ROOT, file)));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      auditWrites(fs.readFileSync(file, "utf8")).map(
        (line) => `${path.relative(ROOT, file)}: ${line.trim()}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it("has a scan that would catch each way of changing it", () => {
    for (const line of [
      `await trx.updateTable("audit_log").set({ action: "x" }).execute();`,
      `db.deleteFrom('audit_log').where("id", "=", 1)`,
      "await sql`UPDATE audit_log SET data_json = '{}'`.execute(db);",
      'await sql`delete from "audit_log" where id = 1`.execute(db);',
      "TRUNCATE TABLE audit_log",
    ]) {
      expect(auditWrites(line), line).toHaveLength(1);
    }
    expect(auditWrites(`await trx.insertInto("audit_log").values(row).execute();`)).toEqual([]);
  });
});

describe("the audit page's actions", () => {
  it("name every action the models write, each with a label in both catalogs", async () => {
    const { AUDIT_ACTIONS } = await import("~/models/audit.server");
    // The audit page is a staff page: its labels are the staff pages' messages.
    const { staffHe: he } = await import("~/i18n/staff.he");
    const { staffEn: en } = await import("~/i18n/staff.en");
    const written = new Set<string>();
    for (const file of sourceFiles(path.join(ROOT, "app/models"))) {
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(/\baction:\s*([^,\n]+)/g))
        for (const name of match[1].matchAll(/"([a-z_]+\.[a-z_.]+)"/g)) written.add(name[1]);
    }
    expect(written.size).toBeGreaterThan(10);
    expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual(
      [],
    );
    for (const action of AUDIT_ACTIONS) {
      expect(he, action).toHaveProperty([`audit.action.${action}`]);
      expect(en, action).toHaveProperty([`audit.action.${action}`]);
    }
  });
});

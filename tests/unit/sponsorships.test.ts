// Sponsorships in source: written once, never updated or deleted (no code in app/ or db/ does,
// by the query builder or by raw SQL); and the ledger's CSV quoting.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  csvField,
  csvLines,
  csvOfSponsorships,
  type SponsorshipRow,
} from "~/models/sponsorships.server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

const WRITES = [
  /\b(updateTable|deleteFrom|replaceInto|mergeInto)\s*\(\s*["'`]sponsorships\b/,
  /\bupdate\s+(or\s+\w+\s+)?["'`]?sponsorships\b/i,
  /\bdelete\s+from\s+["'`]?sponsorships\b/i,
  /\btruncate\s+(table\s+)?["'`]?sponsorships\b/i,
  /\b(insert|replace)\s+or\s+replace\s+into\s+["'`]?sponsorships\b/i,
  /\breplace\s+into\s+["'`]?sponsorships\b/i,
  /\bdrop\s+table\s+(if\s+exists\s+)?["'`]?sponsorships\b/i,
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

function sponsorshipWrites(text: string): string[] {
  return text.split("\n").filter((line) => WRITES.some((pattern) => pattern.test(line)));
}

describe("sponsorship rows", () => {
  it("are never updated or deleted by code in app/ or db/, the data tools included", () => {
    const files = ["app", "db"].flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(50);
    expect(files.map((f) => path.relative(ROOT, f))).toContain("db/seed.ts");
    expect(files.map((f) => path.relative(ROOT, f))).toContain("db/bench.ts");
    const found = files.flatMap((file) =>
      sponsorshipWrites(fs.readFileSync(file, "utf8")).map(
        (line) => `${path.relative(ROOT, file)}: ${line.trim()}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it("has a scan that would catch each way of changing them", () => {
    for (const line of [
      `await trx.updateTable("sponsorships").set({ share_minor: 1 }).execute();`,
      `db.deleteFrom('sponsorships').where("id", "=", 1)`,
      "await sql`UPDATE sponsorships SET share_minor = 0`.execute(db);",
      'sqlite.prepare("delete from sponsorships where quote_id = ?")',
      "INSERT OR REPLACE INTO sponsorships (id) VALUES (1)",
      "TRUNCATE TABLE sponsorships",
    ]) {
      expect(sponsorshipWrites(line), line).toHaveLength(1);
    }
    expect(
      sponsorshipWrites(`await trx.insertInto("sponsorships").values(row).execute();`),
    ).toEqual([]);
    expect(sponsorshipWrites(`.selectFrom("sponsorships as s")`)).toEqual([]);
  });
});

describe("the ledger's CSV", () => {
  it("quotes fields as RFC 4180 says: commas, quotes and line breaks", () => {
    expect(csvField("Acme Ltd")).toBe("Acme Ltd");
    expect(csvField("Acme, Inc.")).toBe('"Acme, Inc."');
    expect(csvField('The "best" org')).toBe('"The ""best"" org"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r\nlf")).toBe('"cr\r\nlf"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("")).toBe("");
  });

  it("keeps Hebrew as it is, quoting it only when it needs quotes", () => {
    expect(csvField("מאפיית אברהם")).toBe("מאפיית אברהם");
    expect(csvField("חשבונית עסקה, אוטומטית")).toBe('"חשבונית עסקה, אוטומטית"');
    expect(csvField('מע"מ')).toBe('"מע""מ"');
  });

  it("stops a spreadsheet from running a name as a formula", () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("+972")).toBe("'+972");
    expect(csvField("@org")).toBe("'@org");
    expect(csvField("-5", { text: false })).toBe("-5");
  });

  it("ends every line with CRLF", () => {
    expect(
      csvLines([
        ["a", "b"],
        ["c", "d"],
      ]),
    ).toBe("a,b\r\nc,d\r\n");
  });

  const row: SponsorshipRow = {
    id: 1,
    orgId: 2,
    orgName: 'מאפיית "אברהם", בע״מ',
    orgSlug: "bakery",
    requestId: 7,
    requestTitle: "Line one\nline two",
    quoteId: 3,
    quoteVersion: 2,
    shareMinor: 1_180_050,
    netMinor: 1_000_000,
    vatMinor: 180_000,
    grossMinor: 1_180_000,
    currency: "ILS",
    status: "funded",
    acceptedAt: "2026-11-30T09:15:00.000Z",
    signerName: "Dana Cohen",
    signerEmail: "dana@acme.test",
    creditByName: true,
  };

  it("starts with a byte order mark and has headers in the reader's language", () => {
    const he = csvOfSponsorships([row], "he");
    expect(he.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(he, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header] = he.slice(1).split("\r\n");
    expect(header.split(",")[0]).toBe("נחתם");
    const en = csvOfSponsorships([row], "en");
    expect(en.slice(1).split("\r\n")[0]).toBe(
      "Signed at,Organization,Request ID,Request,Quote ID,Version,Status,Share (VAT included),Net,VAT,Gross,Currency,Signer name,Signer e-mail",
    );
  });

  it("writes amounts as decimal shekels, dates as ISO and quoted text", () => {
    const en = csvOfSponsorships([row], "en");
    expect(en.slice(1)).toContain(
      '2026-11-30T09:15:00.000Z,"מאפיית ""אברהם"", בע״מ",7,"Line one\nline two",3,2,Funded,11800.50,10000.00,1800.00,11800.00,ILS,Dana Cohen,dana@acme.test\r\n',
    );
    expect(csvOfSponsorships([], "en").split("\r\n")).toHaveLength(2);
  });
});

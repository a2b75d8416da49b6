import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { findSimilarRequests, listRequests } from "~/models/requests.server";
import {
  buildMatchQuery,
  indexRequest,
  matchRequests,
  normalizeSearchText,
  rankRequestMatches,
  searchDocument,
  withoutHebrewPrefixes,
} from "~/models/search.server";
import { makeCategory, makeCustomer, proposeRequest } from "../support/factories";

let categoryId: number;
const ids: Record<string, number> = {};

async function titlesFound(q: string) {
  const page = await listRequests({ q, categoryId, limit: 100 });
  return page.items.map((r) => r.title).sort();
}

beforeAll(async () => {
  categoryId = (await makeCategory("Search")).id;
  const author = await makeCustomer();
  const requests = {
    invoice: ["הפקת חשבונית מס אוטומטית", "כל חודש אנחנו מפיקים ידנית."],
    glued: ["שליחת והחשבונית ללקוח במייל", ""],
    accounts: ["ייצוא חשבונות לרואה החשבון", ""],
    export: ["Export invoices to Excel", "We need the **CSV** too."],
    dark: ["Dark mode for the mobile app", "Easier on the eyes at night."],
    vat: ['דו"ח מע"מ חודשי', "הדוח צריך לכלול את כל העסקאות."],
    body: ["Something unrelated in the title", "but the body mentions reconciliation"],
  };
  for (const [key, [title, bodyMd]] of Object.entries(requests)) {
    ids[key] = (await proposeRequest(author, { categoryId, title, bodyMd })).id;
  }
});

describe("search", () => {
  it("finds Hebrew words by a three-letter prefix", async () => {
    expect(await titlesFound("חשב")).toEqual(
      [
        "הפקת חשבונית מס אוטומטית",
        "ייצוא חשבונות לרואה החשבון",
        "שליחת והחשבונית ללקוח במייל",
      ].sort(),
    );
  });

  it("finds a word glued to prefix letters (ו, ה, ב, ל…) in either the text or the query", async () => {
    // "והחשבונית" in the text is found by "חשבונית"…
    expect(await titlesFound("חשבונית")).toContain("שליחת והחשבונית ללקוח במייל");
    // …and "בחשבונית" in the query finds plain "חשבונית".
    expect(await titlesFound("בחשבונית")).toEqual(
      expect.arrayContaining(["הפקת חשבונית מס אוטומטית", "שליחת והחשבונית ללקוח במייל"]),
    );
    expect(await titlesFound("ללקוח")).toEqual(["שליחת והחשבונית ללקוח במייל"]);
    expect(await titlesFound("לקוח")).toEqual(["שליחת והחשבונית ללקוח במייל"]);
  });

  it("treats final letters, niqqud and acronym quotes the same as plain text", async () => {
    // "חשבון" ends in a final nun, "חשבונות" has a regular one.
    expect(await titlesFound("חשבון")).toEqual(
      expect.arrayContaining(["ייצוא חשבונות לרואה החשבון"]),
    );
    expect(await titlesFound("חֶשְׁבּוֹנִית")).toEqual(
      expect.arrayContaining(["הפקת חשבונית מס אוטומטית"]),
    );
    for (const q of ['מע"מ', "מע״מ", "מעמ", "מע"])
      expect(await titlesFound(q), q).toEqual(['דו"ח מע"מ חודשי']);
  });

  it("finds English words by prefix, in titles and bodies, case-insensitively", async () => {
    expect(await titlesFound("expo")).toEqual(["Export invoices to Excel"]);
    expect(await titlesFound("EXCEL invoi")).toEqual(["Export invoices to Excel"]);
    expect(await titlesFound("csv")).toEqual(["Export invoices to Excel"]);
    expect(await titlesFound("reconcil")).toEqual(["Something unrelated in the title"]);
    expect(await titlesFound("dark excel")).toEqual([]);
  });

  it("reads quotes, operators and other FTS syntax in the input as plain words", async () => {
    // Nothing searchable: the board as if nothing was typed, and no suggestions.
    const everything = await titlesFound("");
    expect(everything).toHaveLength(Object.keys(ids).length);
    for (const q of ['"', '""', "'", "*", "\\", "%_", "\u0000"]) {
      expect(await titlesFound(q), q).toEqual(everything);
      expect(await findSimilarRequests(q), q).toEqual([]);
    }
    // Operator words, column filters and overlong input are words that no request contains…
    const asWords = [
      '"unbalanced',
      "chsb*",
      "^start",
      "a AND",
      "OR",
      "NOT dark",
      "dark NOT",
      "dark OR",
      "NEAR(dark mode, 2)",
      "title:dark",
      "{title body}: dark",
      "dark OR mode AND NOT app",
      "😀 emoji",
      "ש",
      "a".repeat(500),
      "חשב ".repeat(40),
      "'; drop table requests; --",
    ];
    for (const q of asWords) expect(await titlesFound(q), q).toEqual([]);
    // …and the punctuation around a word is dropped.
    for (const q of ["(dark", "dark)", "-dark", "+dark"]) {
      expect(await titlesFound(q), q).toEqual(["Dark mode for the mobile app"]);
      expect(
        (await findSimilarRequests(q)).map((s) => s.id),
        q,
      ).toEqual([ids.dark]);
    }
    expect(await titlesFound("dark mode")).toEqual(["Dark mode for the mobile app"]);
  });

  it("suggests up to five similar requests while a title is typed", async () => {
    const similar = await findSimilarRequests("ייצוא חשבוניות לאקסל");
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.length).toBeLessThanOrEqual(5);
    expect(similar.map((s) => s.id)).toEqual(expect.arrayContaining([ids.accounts]));
    expect((await findSimilarRequests("Please export my invoices")).map((s) => s.id)[0]).toBe(
      ids.export,
    );
    expect(await findSimilarRequests("")).toEqual([]);
  });

  it("ranks title hits above body hits", async () => {
    const author = await makeCustomer();
    const inBody = await proposeRequest(author, {
      categoryId,
      title: "Unrelated heading here",
      bodyMd: "zebrafish",
    });
    const inTitle = await proposeRequest(author, {
      categoryId,
      title: "Zebrafish support",
      bodyMd: "",
    });
    const ranked = await rankRequestMatches("zebrafish", { limit: 5 });
    expect(ranked.map((r) => r.id)).toEqual([inTitle.id, inBody.id]);
  });

  it("hands back a condition instead of ids when there are many hits", async () => {
    const many = await matchRequests("חשב", 1);
    expect(many.kind).toBe("many");
    if (many.kind !== "many") return;
    const rows = await getDb()
      .selectFrom("requests")
      .select("id")
      .where(many.condition("requests.id"))
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.id)).toEqual(
      [ids.invoice, ids.glued, ids.accounts].sort((a, b) => a - b),
    );
    expect(await matchRequests("!!!", 10)).toEqual({ kind: "no-query" });
  });

  it("replaces a request's index entry instead of adding a second one", async () => {
    await indexRequest(getDb(), {
      id: ids.dark,
      title: "Dark theme for the mobile app",
      bodyMd: "",
    });
    await indexRequest(getDb(), {
      id: ids.dark,
      title: "Dark theme for the mobile app",
      bodyMd: "",
    });
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from requests_fts where requests_fts match 'theme'`.execute(getDb());
    expect(rows[0].n).toBe(1);
    expect(await titlesFound("mode")).toEqual([]);
  });
});

describe("query building", () => {
  it("quotes every word, adds a prefix star to the last one and tries Hebrew words without prefixes", () => {
    expect(buildMatchQuery("dark mo")).toBe('"dark" AND "mo"*');
    expect(buildMatchQuery("והחשבונית")).toBe('("והחשבונית"* OR "החשבונית"* OR "חשבונית"*)');
    expect(buildMatchQuery('a "b" OR c*', { mode: "all" })).toBe('"a" AND "b" AND "or" AND "c"');
    expect(buildMatchQuery("the invoices to", { mode: "any" })).toBe('"invoices"');
    // A one-letter last word is matched whole: as a prefix it would match nearly everything.
    expect(buildMatchQuery("x")).toBe('"x"');
    expect(buildMatchQuery(" .,;:!? ")).toBeNull();
  });

  it("strips at most three prefix letters and keeps at least two letters", () => {
    expect(withoutHebrewPrefixes("וכשהלקוח")).toEqual(["כשהלקוח", "שהלקוח", "הלקוח"]);
    expect(withoutHebrewPrefixes("בית")).toEqual(["ית"]);
    expect(withoutHebrewPrefixes("בו")).toEqual([]);
    expect(withoutHebrewPrefixes("dark")).toEqual([]);
  });

  it("indexes normalized text and the prefix-less forms of Hebrew words", () => {
    expect(normalizeSearchText("חֶשְׁבּוֹן")).toBe("חשבונ");
    expect(searchDocument("והחשבונית", "")).toEqual({
      title: "והחשבונית",
      body: "",
      stems: "החשבונית חשבונית",
    });
  });
});

describe("searching the board with many hits", () => {
  it("pages through more hits than it looks up by id, in order, each once", async () => {
    const { id: catId } = await makeCategory("Many hits");
    const author = await makeCustomer();
    const at = new Date().toISOString();
    const expected: number[] = [];
    for (let i = 0; i < 1_010; i++) {
      const title = i % 2 === 0 ? `Warehouse barcode scanner ${i}` : `Unrelated thing ${i}`;
      const { id } = await getDb()
        .insertInto("requests")
        .values({
          title,
          category_id: catId,
          author_id: author.actor.id,
          org_id: author.orgId,
          created_at: at,
          updated_at: at,
          org_count: i % 7,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await indexRequest(getDb(), { id, title, bodyMd: "" });
      if (i % 2 === 0) expected.push(id);
    }
    const seen: { id: number; orgCount: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listRequests>> = await listRequests({
        q: "barcode scan",
        categoryId: catId,
        cursor,
        limit: 100,
      });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      expect(a.orgCount > b.orgCount || (a.orgCount === b.orgCount && a.id > b.id)).toBe(true);
    }
  });
});

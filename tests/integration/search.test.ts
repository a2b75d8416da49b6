import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { mergedNoticeParams } from "~/components/MergedNotice";
import { translateCount } from "~/i18n/messages";
import {
  findSimilarRequests,
  getMergedRequest,
  listRequests,
  SEARCH_HITS_MAX,
} from "~/models/requests.server";
import {
  buildMatchQuery,
  indexRequest,
  matchRequests,
  normalizeSearchText,
  rankRequestMatches,
  reindexStaleSearch,
  countIndexedRequests,
  writeIndexRow,
  SEARCH_INDEX_VERSION,
  SEARCH_INDEX_VERSION_KEY,
  searchDocument,
  singularsOf,
  withoutHebrewPrefixes,
} from "~/models/search.server";
import { makeCategory, makeCustomer, proposeRequest } from "../support/factories";
import { testContext } from "../support/requests";

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
      expect(await findSimilarRequests(q, null), q).toEqual([]);
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
        (await findSimilarRequests(q, null)).map((s) => s.id),
        q,
      ).toEqual([ids.dark]);
    }
    expect(await titlesFound("dark mode")).toEqual(["Dark mode for the mobile app"]);
  });

  it("suggests up to five similar requests while a title is typed", async () => {
    const similar = await findSimilarRequests("ייצוא חשבוניות לאקסל", null);
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.length).toBeLessThanOrEqual(5);
    expect(similar.map((s) => s.id)).toEqual(expect.arrayContaining([ids.accounts]));
    expect((await findSimilarRequests("Please export my invoices", null)).map((s) => s.id)[0]).toBe(
      ids.export,
    );
    expect(await findSimilarRequests("", null)).toEqual([]);
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
    expect(await matchRequests("theme", 10)).toEqual({ kind: "ids", ids: [ids.dark] });
    expect(await titlesFound("mode")).toEqual([]);
  });
});

describe("query building", () => {
  it("quotes every word, adds a prefix star to the last one and tries Hebrew words without prefixes", () => {
    expect(buildMatchQuery("dark mo")).toBe('"dark" AND "mo"*');
    expect(buildMatchQuery("והחשבונית")).toBe('("והחשבונית"* OR "החשבונית"* OR "חשבונית"*)');
    expect(buildMatchQuery('a "b" OR c*', { mode: "all" })).toBe('"a" AND "b" AND "or" AND "c"');
    expect(buildMatchQuery("the invoices to", { mode: "any" })).toBe('("invoices" OR "invoice")');
    // A one-letter last word is matched whole: as a prefix it would match nearly everything.
    expect(buildMatchQuery("x")).toBe('"x"');
    expect(buildMatchQuery(" .,;:!? ")).toBeNull();
  });

  it("strips at most three prefix letters and keeps at least three letters", () => {
    expect(withoutHebrewPrefixes("וכשהלקוח")).toEqual(["כשהלקוח", "שהלקוח", "הלקוח"]);
    expect(withoutHebrewPrefixes("הדוח")).toEqual(["דוח"]);
    // "בית" is a house, not ב + "ית".
    expect(withoutHebrewPrefixes("בית")).toEqual([]);
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
  it("pages through more hits than it looks up by id, in order, each once, and counts them as more than the maximum", async () => {
    const { id: catId } = await makeCategory("Many hits");
    const author = await makeCustomer();
    const at = new Date().toISOString();
    const expected: number[] = [];
    for (let i = 0; i < 2_020; i++) {
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
        sort: "orgs",
        categoryId: catId,
        cursor,
        limit: 100,
      });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(expected.length).toBeGreaterThan(SEARCH_HITS_MAX);
    expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      // Same votes and creation time throughout: organizations, then the id.
      expect(a.orgCount > b.orgCount || (a.orgCount === b.orgCount && a.id > b.id)).toBe(true);
    }
    const ranked = await listRequests({ q: "barcode scan", categoryId: catId, limit: 10 });
    expect(ranked.total).toEqual({ count: SEARCH_HITS_MAX, more: true });
    expect(ranked.items).toHaveLength(10);
    expect(ranked.nextCursor).not.toBeNull();
  });
});

describe("acronyms, short words and plurals", () => {
  let catId: number;
  const found = async (q: string) =>
    (await listRequests({ q, categoryId: catId, limit: 100 })).items.map((r) => r.title).sort();

  beforeAll(async () => {
    catId = (await makeCategory("Words")).id;
    const author = await makeCustomer();
    for (const [title, bodyMd] of [
      ['דיווח מע"מ לרשות המסים', ""],
      ['אישור מנכ"ל להזמנות גדולות', ""],
      ["ייצוא נתונים עם סינון לפי תאריך", "לעבוד עם אקסל"],
      ["יתרות פתיחה ללקוחות חדשים", ""],
      ["דוחות מכירה לפי סניף", ""],
      ["דוח רווח והפסד רבעוני", ""],
      ["הודעות תזכורת אוטומטיות", ""],
      ["חשבונית זיכוי ללקוח", ""],
      ["Category colors on the board", ""],
      ["Split invoices between departments", ""],
      ["Invoice numbering per branch", ""],
    ]) {
      await proposeRequest(author, { categoryId: catId, title, bodyMd });
    }
  });

  it('finds מע"מ by itself and never by עם (no prefix letter is stripped from an acronym)', async () => {
    for (const q of ['מע"מ', "מע״מ", "מעמ"])
      expect(await found(q), q).toEqual(['דיווח מע"מ לרשות המסים']);
    expect(await found("עם")).toEqual(["ייצוא נתונים עם סינון לפי תאריך"]);
    expect(buildMatchQuery('מע"מ')).toBe('"מעמ"*');
    expect(searchDocument('דיווח מע"מ', "").stems).toBe("");
    // A longer acronym: without its מ, מנכ"ל would read נכל ("fraud").
    expect(searchDocument('אישור מנכ"ל', "").stems).toBe("");
    expect(await found("נכל")).toEqual([]);
    expect(await found('מנכ"ל')).toEqual(['אישור מנכ"ל להזמנות גדולות']);
  });

  it("strips no prefix letter from a short word", async () => {
    // "בית" would otherwise also be searched as "ית*", which finds "יתרות".
    expect(await found("בית")).toEqual([]);
    // A long word still loses its prefix letters (and "ללקוחות" its plural).
    expect(await found("ללקוחות")).toEqual(["חשבונית זיכוי ללקוח", "יתרות פתיחה ללקוחות חדשים"]);
  });

  it("matches Hebrew plurals and singulars both ways, in the text and in the query", async () => {
    // A plural query finds the singular in the text, and a singular query the plural.
    expect(await found("דוחות רבעוני")).toEqual(["דוח רווח והפסד רבעוני"]);
    expect(await found("דוח מכירה")).toEqual(["דוחות מכירה לפי סניף"]);
    expect(await found("הודעה")).toEqual(["הודעות תזכורת אוטומטיות"]);
    expect(await found("חשבוניות")).toEqual(["חשבונית זיכוי ללקוח"]);
    // Prefix letters and a plural together.
    expect(await found("לדוחות")).toEqual(["דוח רווח והפסד רבעוני", "דוחות מכירה לפי סניף"]);
  });

  it("matches English -s, -es and -ies plurals both ways", async () => {
    expect(await found("categories")).toEqual(["Category colors on the board"]);
    expect(await found("invoices numbering")).toEqual(["Invoice numbering per branch"]);
    expect(await found("invoice between")).toEqual(["Split invoices between departments"]);
    expect(singularsOf("boxes")).toContain("box");
    expect(singularsOf("status")).toEqual([]);
    expect(singularsOf("address")).toEqual([]);
  });
});

describe("search results", () => {
  it("ranks a title hit above a body-only hit that the board order would put first, and counts the results", async () => {
    const { id: catId } = await makeCategory("Ranked");
    const author = await makeCustomer();
    const inBody = await proposeRequest(author, {
      categoryId: catId,
      title: "Something about the reports page",
      bodyMd: "It should also show a quokka summary.",
    });
    const inTitle = await proposeRequest(author, {
      categoryId: catId,
      title: "Quokka summary page",
    });
    // The body-only hit has far more support: by organizations it comes first.
    await getDb()
      .updateTable("requests")
      .set({ org_count: 40, vote_count: 90 })
      .where("id", "=", inBody.id)
      .execute();

    const ranked = await listRequests({ q: "quokka", categoryId: catId });
    expect(ranked.items.map((r) => r.id)).toEqual([inTitle.id, inBody.id]);
    expect(ranked.total).toEqual({ count: 2, more: false });
    const byOrgs = await listRequests({ q: "quokka", categoryId: catId, sort: "orgs" });
    expect(byOrgs.items.map((r) => r.id)).toEqual([inBody.id, inTitle.id]);
    expect(byOrgs.total).toEqual({ count: 2, more: false });
    // Relevance pages by position: one at a time, each once.
    const first = await listRequests({ q: "quokka", categoryId: catId, limit: 1 });
    const second = await listRequests({
      q: "quokka",
      categoryId: catId,
      limit: 1,
      cursor: first.nextCursor,
    });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual([inTitle.id, inBody.id]);
    expect(second.nextCursor).toBeNull();
    // Without a search there is no count, and relevance falls back to the board's order.
    expect((await listRequests({ categoryId: catId })).total).toBeNull();
    expect(
      (await listRequests({ categoryId: catId, sort: "relevance" })).items.map((r) => r.id),
    ).toEqual([inBody.id, inTitle.id]);
  });

  it("shows the count on the board in the page's language", async () => {
    const { loader } = await import("~/routes/_index");
    const author = await makeCustomer();
    const word = `wombat${Date.now()}`;
    for (let i = 0; i < 3; i++) await proposeRequest(author, { title: `${word} idea number ${i}` });
    const data = (await loader({
      request: new Request(`http://broadly.test/?q=${word}`),
      params: {},
      context: testContext(),
    })) as { total: { count: number; more: boolean } };
    expect(data.total).toEqual({ count: 3, more: false });
    expect(translateCount("en", "board.results", 3, { q: word })).toBe(`3 results for “${word}”`);
    expect(translateCount("he", "board.results", 1, { q: word })).toBe(`תוצאה אחת עבור „${word}”`);
    expect(translateCount("he", "board.results", 1200, { q: word })).toBe(
      `1,200 תוצאות עבור „${word}”`,
    );
  });

  it("finds a merged request through the request it was merged into, with a note", async () => {
    const { id: catId } = await makeCategory("Merged");
    const author = await makeCustomer();
    const target = await proposeRequest(author, {
      categoryId: catId,
      title: "Bulk edit of contacts",
    });
    const merged = await proposeRequest(author, {
      categoryId: catId,
      title: "Mass update for the axolotl list",
    });
    const unrelated = await proposeRequest(author, {
      categoryId: catId,
      title: "Axolotl themed icons",
    });
    await getDb()
      .updateTable("requests")
      .set({ status: "merged", merged_into_id: target.id })
      .where("id", "=", merged.id)
      .execute();

    const page = await listRequests({ q: "axolotl", categoryId: catId });
    expect(page.items.map((r) => [r.id, r.mergedFrom])).toEqual([
      [unrelated.id, []],
      [target.id, [merged.id]],
    ]);
    expect(page.total).toEqual({ count: 2, more: false });
    // Under its own status the merged request is listed itself.
    const asMerged = await listRequests({ q: "axolotl", categoryId: catId, status: "merged" });
    expect(asMerged.items.map((r) => [r.id, r.mergedFrom])).toEqual([[merged.id, []]]);
    // The proposing form's suggestions lead to the target too.
    expect((await findSimilarRequests("axolotl list", null)).map((r) => r.id)).toContain(target.id);
    expect((await findSimilarRequests("axolotl list", null)).map((r) => r.id)).not.toContain(
      merged.id,
    );

    // The note on the target's page after the old address redirected there.
    expect(await getMergedRequest({ id: merged.id, targetId: target.id, viewer: null })).toEqual({
      id: merged.id,
      title: "Mass update for the axolotl list",
    });
    expect(
      await getMergedRequest({ id: unrelated.id, targetId: target.id, viewer: null }),
    ).toBeNull();
    expect(
      mergedNoticeParams(new URL(`http://x/requests/${target.id}?merged=${merged.id}`)),
    ).toEqual({ id: merged.id, targetId: target.id });
    expect(mergedNoticeParams(new URL(`http://x/requests/${target.id}?merged=0x1`))).toBeNull();
  });
});

describe("reindexing", () => {
  it("rebuilds rows written by an older index version at start-up, once", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author, { title: 'דוח מע"מ לשנה שעברה' });
    // What the previous version wrote: the acronym's מ stripped into the stems column.
    await writeIndexRow(getDb(), id, { title: "דוח מעמ לשנה שעברה", body: "", stems: "עמ שנה" });
    const stale = await matchRequests("עמ", 100);
    expect(stale.kind === "ids" && stale.ids).toContain(id);

    expect(await reindexStaleSearch()).toBe(true);
    const fresh = await matchRequests("עמ", 100);
    expect(fresh.kind === "ids" && fresh.ids).not.toContain(id);
    const stamp = await getDb()
      .selectFrom("settings")
      .select("value")
      .where("key", "=", SEARCH_INDEX_VERSION_KEY)
      .executeTakeFirst();
    expect(stamp?.value).toBe(SEARCH_INDEX_VERSION);
    // Every request is in the index, each once.
    const requests = await getDb()
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(await countIndexedRequests()).toBe(requests.n);
    expect(await reindexStaleSearch()).toBe(false);
  });
});

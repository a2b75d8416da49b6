// The reading side of announcements: the changelog's keyset pages and category filter, what is
// published (not drafts, scheduled ones only from their time), the header's unread count from
// one watermark per user and when opening the changelog writes it, the request page's links,
// and the Atom feed as a real feed parser reads it.
import { parseFeed } from "@rowanmanning/feed-parser";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, now } from "~/db.server";
import {
  createAnnouncement,
  publishAnnouncement,
  updateAnnouncement,
  type AnnouncementInput,
} from "~/models/announcements.server";
import {
  countUnread,
  listChangelog,
  markAnnouncementsSeen,
  parseCursor,
  encodeCursor,
  type Reader,
} from "~/models/changelog.server";
import type { Actor } from "~/models/errors";
import { changeStatus, decideRequest } from "~/models/triage.server";
import { loader as rootLoader } from "~/root";
import { loader as changelogLoader } from "~/routes/announcements";
import { loader as permalinkLoader } from "~/routes/announcements_.$id";
import { loader as feedLoader } from "~/routes/announcements[.atom]";
import { loader as feedAliasLoader } from "~/routes/feed[.xml]";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import {
  makeCategory,
  makeCustomer,
  makeStaff,
  makeUser,
  proposeRequest,
} from "../support/factories";
import { getRequest, run, sessionCookieFor, testContext, unwrap } from "../support/requests";
import { skipOnPostgres } from "../support/engine";

// One clock for the file that only moves forward, a millisecond at least between two writes:
// "published after the watermark" compares timestamps, and two real writes can share one.
function advance(ms = 1) {
  vi.setSystemTime(Date.now() + ms);
}

let staff: Actor;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now());
  staff = await makeStaff();
});

function input(overrides: Partial<AnnouncementInput> = {}): AnnouncementInput {
  return {
    titleHe: "ייצוא לאקסל",
    bodyHe: "אפשר עכשיו **לייצא** כל דוח.",
    titleEn: "",
    bodyEn: "",
    requestIds: [],
    ...overrides,
  };
}

async function shippedRequest(categoryId?: number): Promise<number> {
  const author = await makeCustomer({ name: "Author" });
  const { id } = await proposeRequest(author, categoryId ? { categoryId } : {});
  await decideRequest({ actor: staff, requestId: id, decision: { kind: "broad" } });
  await changeStatus({ actor: staff, requestId: id, to: "in_progress" });
  await changeStatus({ actor: staff, requestId: id, to: "shipped" });
  return id;
}

async function published(overrides: Partial<AnnouncementInput> = {}, at?: string) {
  advance();
  const { id } = await createAnnouncement({ actor: staff, input: input(overrides) });
  await publishAnnouncement({ actor: staff, id, at });
  advance();
  return id;
}

async function reader(name: string) {
  const user = await makeUser({ name });
  advance();
  return user;
}

/** Every page of the changelog, walked by its cursors. */
async function walk(categoryId: number | null, limit: number) {
  const pages: number[][] = [];
  let after = null;
  for (;;) {
    const page = await listChangelog({ categoryId, after, limit });
    pages.push(page.entries.map((e) => e.id));
    if (!page.next) break;
    // Through the URL's form, as the "older" link carries it.
    after = parseCursor(encodeCursor(page.next));
    expect(after).toEqual(page.next);
    if (pages.length > 100) throw new Error("no end");
  }
  return pages;
}

async function readerOf(id: number): Promise<Reader> {
  return getDb()
    .selectFrom("users")
    .select(["id", "announcements_seen_at", "created_at"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

describe("the changelog", () => {
  it("pages newest first by (published_at, id): ties kept in order, no repeats, no gaps", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) ids.push(await published({ titleHe: `עדכון ${i}` }));
    // Groups of equal times (a bulk publication), straddling page boundaries.
    const base = Date.now() - 3_600_000;
    for (const [i, id] of ids.entries()) {
      const at = new Date(base - Math.floor(i / 4) * 60_000).toISOString();
      await getDb()
        .updateTable("announcements")
        .set({ published_at: at })
        .where("id", "=", id)
        .execute();
    }
    const expected = (
      await getDb()
        .selectFrom("announcements")
        .select("id")
        .where("published_at", "is not", null)
        .orderBy("published_at", "desc")
        .orderBy("id", "desc")
        .execute()
    ).map((r) => r.id);
    for (const limit of [3, 5, 7, 15]) {
      const pages = await walk(null, limit);
      expect(pages.flat(), `pages of ${limit}`).toEqual(expected);
      expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
    }
    // A publication between two page loads lands on the first page, not in the middle.
    const first = await listChangelog({ limit: 5 });
    const newer = await published({ titleHe: "חדש" });
    const second = await listChangelog({ after: first.next, limit: 5 });
    expect(second.entries.map((e) => e.id)).toEqual(expected.slice(5, 10));
    expect((await listChangelog({ limit: 1 })).entries[0].id).toBe(newer);
  });

  it("filters by the category of the requests an announcement covers", async () => {
    const tools = await makeCategory("Tools");
    const other = await makeCategory("Other");
    const r1 = await shippedRequest(tools.id);
    const r2 = await shippedRequest(other.id);
    const a = await published({ requestIds: [r1] });
    const b = await published({ requestIds: [r1, r2] });
    const c = await published({ requestIds: [r2] });
    await published();
    expect((await walk(tools.id, 1)).flat()).toEqual([b, a]);
    expect((await walk(other.id, 10)).flat()).toEqual([c, b]);
    const empty = await makeCategory("Empty");
    expect((await walk(empty.id, 10)).flat()).toEqual([]);
  });

  it("shows no draft, and a scheduled one only from its time", async () => {
    const { id: draft } = await createAnnouncement({ actor: staff, input: input() });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await published({ titleHe: "מתוזמן" }, later);
    const listed = async () => (await listChangelog({ limit: 200 })).entries.map((e) => e.id);
    expect(await listed()).not.toContain(draft);
    expect(await listed()).not.toContain(scheduled);
    for (const id of [draft, scheduled]) {
      const response = unwrap(
        await run(() =>
          permalinkLoader({
            request: getRequest(`/announcements/${id}`),
            params: { id: String(id) },
            context: testContext(),
          }),
        ),
      );
      expect(response.status).toBe(404);
    }
    vi.setSystemTime(Date.parse(later) + 1);
    expect((await listed())[0]).toBe(scheduled);
    const page = unwrap(
      await permalinkLoader({
        request: getRequest(`/announcements/${scheduled}`),
        params: { id: String(scheduled) },
        context: testContext(),
      }),
    );
    expect(page.data.entry.title).toBe("מתוזמן");
  });

  it("gives each entry in the reader's language, Hebrew marked when there is no English", async () => {
    const category = await makeCategory("Reports");
    const requestId = await shippedRequest(category.id);
    const both = await published({
      titleEn: "Excel export",
      bodyEn: "Export *any* report.",
      requestIds: [requestId],
    });
    const hebrewOnly = await published({ titleHe: "רק בעברית", requestIds: [requestId] });
    await updateAnnouncement({
      actor: staff,
      id: both,
      input: input({
        titleEn: "Excel export",
        bodyEn: "Export *every* report.",
        requestIds: [requestId],
      }),
    });
    const english = unwrap(
      await changelogLoader({
        request: getRequest(`/announcements?category=${category.slug}`, {
          headers: { "Accept-Language": "en" },
        }),
        params: {},
        context: testContext(),
      }),
    );
    const [h, e] = english.data.entries;
    expect(h).toMatchObject({ id: hebrewOnly, title: "רק בעברית", lang: "he", fallback: true });
    expect(e).toMatchObject({ id: both, title: "Excel export", lang: "en", fallback: false });
    expect(e.bodyHtml).toContain("<em>every</em>");
    expect(e.editedAt).not.toBeNull();
    expect(e.requests).toEqual([
      expect.objectContaining({ id: requestId, orgCount: 1, sponsors: [] }),
    ]);
    const hebrew = unwrap(
      await changelogLoader({
        request: getRequest(`/announcements?category=${category.slug}`),
        params: {},
        context: testContext(),
      }),
    );
    expect(hebrew.data.entries[1]).toMatchObject({ title: "ייצוא לאקסל", fallback: false });
    expect(hebrew.data.entries[1].bodyHtml).toContain("<strong>לייצא</strong>");
  });
});

describe("the unread count", () => {
  it("counts from sign-up, then from the last visit; a scheduled one from its time", async () => {
    await published({ titleHe: "ישן" });
    const user = await reader("Reader");
    // A new account does not start with every announcement ever published as unread.
    expect(await countUnread(await readerOf(user.id))).toEqual({ count: 0, more: false });
    const next = await published({ titleHe: "חדש" });
    expect(await countUnread(await readerOf(user.id))).toEqual({ count: 1, more: false });
    expect(await markAnnouncementsSeen(await readerOf(user.id))).toBe(true);
    expect(await countUnread(await readerOf(user.id))).toEqual({ count: 0, more: false });
    expect(next).toBeGreaterThan(0);

    const at = new Date(Date.now() + 3_600_000).toISOString();
    await published({ titleHe: "מתוזמן" }, at);
    expect(await countUnread(await readerOf(user.id))).toEqual({ count: 0, more: false });
    vi.setSystemTime(Date.parse(at) + 1);
    expect(await countUnread(await readerOf(user.id))).toEqual({ count: 1, more: false });
  });

  it("stops counting at the cap", async () => {
    const user = await reader("Away");
    for (let i = 0; i < 12; i++) await published({ titleHe: `עדכון ${i}` });
    expect(await countUnread(await readerOf(user.id))).toEqual({ count: 9, more: true });
  });

  it("is in the header for a signed-in user and cleared by opening the changelog, which writes only when needed", async () => {
    const user = await reader("Header");
    const cookie = await sessionCookieFor(user);
    const root = async (path: string) =>
      unwrap(
        await rootLoader({
          request: getRequest(path, { cookie }),
          params: {},
          context: testContext(),
        }),
      ).data.user.unreadAnnouncements;
    expect(await root("/")).toEqual({ count: 0, more: false });
    await published({ titleHe: "לכולם" });
    await published({ titleHe: "עוד אחד" });
    expect(await root("/")).toEqual({ count: 2, more: false });
    // An older page or a filtered one is not "opening the changelog": nothing moves.
    const open = (path: string) =>
      changelogLoader({
        request: getRequest(path, { cookie }),
        params: {},
        context: testContext(),
      });
    await open("/announcements?category=none");
    expect((await readerOf(user.id)).announcements_seen_at).toBeNull();
    // The first page: the badge is gone on that very page (the root reads nothing there) and
    // the watermark moves, once.
    expect(await root("/announcements")).toBeNull();
    expect(await root("/announcements.data")).toBeNull();
    await open("/announcements");
    const seen = (await readerOf(user.id)).announcements_seen_at;
    expect(seen).not.toBeNull();
    expect(await root("/")).toEqual({ count: 0, more: false });
    advance(1000);
    await open("/announcements");
    expect((await readerOf(user.id)).announcements_seen_at, "no write when nothing is unread").toBe(
      seen,
    );
    expect(await markAnnouncementsSeen(await readerOf(user.id))).toBe(false);
    // A visitor's header counts nothing.
    const visitor = unwrap(
      await rootLoader({ request: getRequest("/"), params: {}, context: testContext() }),
    );
    expect(visitor.data.user).toBeNull();
  });

  it.skipIf(skipOnPostgres)("reads the published index, never the whole table", async () => {
    const plan = await getDb()
      .selectFrom("announcements")
      .where("published_at", "is not", null)
      .where("published_at", "<=", now())
      .where("published_at", ">", "2026-01-01T00:00:00.000Z")
      .select("id")
      .limit(10)
      .compile();
    const rows = await getDb().executeQuery({
      ...plan,
      sql: `EXPLAIN QUERY PLAN ${plan.sql}`,
    });
    const detail = rows.rows.map((r) => (r as { detail: string }).detail).join("\n");
    expect(detail).toContain("announcements_published");
  });
});

describe("a request page", () => {
  it("links a shipped request to the announcements that cover it", async () => {
    const requestId = await shippedRequest();
    const id = await published({
      titleHe: "דוחות",
      titleEn: "Reports",
      bodyEn: "Reports.",
      requestIds: [requestId],
    });
    const page = unwrap(
      await requestLoader({
        request: getRequest(`/requests/${requestId}`),
        params: { id: String(requestId) },
        context: testContext(),
      }),
    );
    expect(page.data.announcements).toEqual([
      expect.objectContaining({ id, titleHe: "דוחות", titleEn: "Reports" }),
    ]);
  });
});

/** The HTML of an entry's <content type="html">, as an XML parser reads it (entities once). */
function contentOf(xml: string, id: string): string {
  const entry = xml.split("<entry").find((part) => part.includes(`<id>${id}</id>`))!;
  const escaped = /<content type="html">([^<]*)<\/content>/.exec(entry)![1];
  return escaped.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => XML_ENTITIES[name]);
}
const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };

describe("the Atom feed", () => {
  async function feed(path: string, headers: Record<string, string> = {}) {
    const loader = path.startsWith("/feed.xml") ? feedAliasLoader : feedLoader;
    return (await loader({
      request: getRequest(path, { headers }),
      params: {},
      context: testContext(),
    })) as Response;
  }

  it("is Atom a real parser reads: ids stable across a correction, absolute links, both languages, HTML escaped", async () => {
    const requestId = await shippedRequest();
    const tricky = await published({
      titleHe: "סוגריים <b> & ציטוטים",
      bodyHe: 'שורה <script>alert("x")</script> & עוד [קישור](https://example.com/?a=1&b=2)',
      titleEn: "Brackets <b> & quotes",
      bodyEn: "Line <script>alert('x')</script> & more",
      requestIds: [requestId],
    });
    const hebrewOnly = await published({ titleHe: "רק עברית", bodyHe: "גוף" });

    const response = await feed("/announcements.atom");
    expect(response.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await response.text();
    expect(xml).not.toContain("<script>");
    const he = parseFeed(xml);
    expect(he.language).toBe("he");
    expect(he.url).toBe("http://broadly.test/announcements");
    expect(he.self).toBe("http://broadly.test/announcements.atom");
    const entry = he.items.find((i) => i.url === `http://broadly.test/announcements/${tricky}`)!;
    expect(entry).toBeDefined();
    expect(entry.id).toBe(`tag:broadly.test,2026:announcement-${tricky}`);
    expect(entry.title).toBe("סוגריים <b> & ציטוטים");
    expect(entry.content).toContain(`http://broadly.test/requests/${requestId}`);
    // The parser decodes entities once more after XML has (html-entities over the element's
    // text), so its `content` cannot tell an element from escaped text: the HTML is read from
    // the element itself, XML-decoded once, as an Atom reader gets it.
    const html = contentOf(xml, entry.id!);
    expect(html).toContain("שורה &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; עוד");
    expect(html).not.toContain("<script>");
    expect(html).toContain(
      '<a href="https://example.com/?a=1&amp;b=2" rel="nofollow ugc noopener">',
    );
    expect(html).toContain(`<a href="http://broadly.test/requests/${requestId}">`);
    expect(entry.published?.toISOString()).toBeDefined();
    expect(he.items.every((i) => i.url?.startsWith("http://broadly.test/"))).toBe(true);
    expect(he.updated?.getTime()).toBeGreaterThanOrEqual(entry.updated!.getTime());

    // A correction: same id, later `updated`, new text.
    advance(5000);
    await updateAnnouncement({
      actor: staff,
      id: tricky,
      input: input({
        titleHe: "סוגריים <b> & ציטוטים (מתוקן)",
        bodyHe: "מתוקן",
        titleEn: "Brackets (corrected)",
        bodyEn: "Corrected",
        requestIds: [requestId],
      }),
    });
    const corrected = parseFeed(await (await feed("/announcements.atom")).text());
    const again = corrected.items.find((i) => i.id === entry.id)!;
    expect(again.title).toBe("סוגריים <b> & ציטוטים (מתוקן)");
    expect(again.updated!.getTime()).toBeGreaterThan(entry.updated!.getTime());
    expect(again.published!.getTime()).toBe(entry.published!.getTime());
    expect(corrected.updated!.getTime()).toBe(again.updated!.getTime());

    const enXml = await (await feed("/announcements.atom?lang=en")).text();
    const en = parseFeed(enXml);
    expect(en.language).toBe("en");
    expect(en.self).toBe("http://broadly.test/announcements.atom?lang=en");
    const enEntry = en.items.find((i) => i.url === `http://broadly.test/announcements/${tricky}`)!;
    expect(enEntry.title).toBe("Brackets (corrected)");
    // The Hebrew-only one is in the English feed as Hebrew, and says so.
    const fallback = en.items.find((i) => i.url?.endsWith(`/announcements/${hebrewOnly}`))!;
    expect(fallback.title).toBe("רק עברית");
    expect(enXml).toContain(
      `<entry xml:lang="he">\n    <id>tag:broadly.test,2026:announcement-${hebrewOnly}:en</id>`,
    );
    expect(enXml.match(/<entry xml:lang="he">/g)?.length).toBe(
      en.items.filter((i) => /[\u0590-\u05FF]/.test(i.title ?? "")).length,
    );
  });

  it("answers a conditional request with 304, and is also at /feed.xml", async () => {
    await published({ titleHe: "לזיהוי" });
    const first = await feed("/announcements.atom");
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("Last-Modified")).toMatch(/GMT$/);
    expect((await feed("/announcements.atom", { "If-None-Match": etag })).status).toBe(304);
    const english = await feed("/announcements.atom?lang=en", { "If-None-Match": etag });
    expect(english.status).toBe(200);
    const alias = await feed("/feed.xml");
    expect(await alias.text()).toBe(await first.text());
  });

  it("keeps the latest 50", async () => {
    const { items } = parseFeed(await (await feed("/announcements.atom")).text());
    const count = await getDb()
      .selectFrom("announcements")
      .where("published_at", "<=", now())
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(items.length).toBe(Math.min(50, Number(count.n)));
  });
});

// The cache of visitors' pages (app/services/public-cache.server.ts) against the production
// server: every kind of public write, made here through the models into the server's database,
// is on the visitor's very next page, although the page before it came from the cache; private
// requests, signed-in pages and pages with a one-time notice are never stored; ETags, script
// nonces and locales stay right. Needs `npm run build` first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flashToast } from "~/auth/session.server";
import { closeDb, getDb } from "~/db.server";
import { resetEnv } from "~/env.server";
import { langCookie } from "~/i18n/locale.server";
import {
  createAnnouncement,
  publishAnnouncement,
  updateAnnouncement,
  type AnnouncementInput,
} from "~/models/announcements.server";
import { renameCategory } from "~/models/categories.server";
import { addComment, editComment } from "~/models/comments.server";
import { israelDay, saveQuote } from "~/models/quotes.server";
import { setVisibility } from "~/models/request-visibility.server";
import { decideRequest, mergeRequest } from "~/models/triage.server";
import { setUserLocale, updateProfile } from "~/models/users.server";
import { toggleVote } from "~/models/votes.server";
import { fanOutAnnouncements } from "~/services/announcement-mail.server";
import {
  addMember,
  hebrewToken,
  latinToken,
  makeCategory,
  makeCustomer,
  makeStaff,
  makeStaffAdmin,
  makeUser,
  proposeRequest,
} from "../support/factories";
import { sessionCookieFor } from "../support/requests";
import { startServer, useServerDatabase, type TestServer } from "../support/server";

const SERVER_SESSION_SECRET = "browser-test-secret-0123456789abcdef";
let server: TestServer;

beforeAll(async () => {
  // Entries never age out during the run: a miss after a write is the version's doing alone.
  // The outbox worker is off, so that no write of its own (a quote's expiry, an announcement's
  // fan-out) changes a page under a test: this process does them where a test needs them.
  server = await startServer({
    env: { PUBLIC_CACHE_MAX_AGE_MS: String(60 * 60 * 1000), OUTBOX_WORKER: "off" },
  });
  // This process writes into the server's database and signs cookies with its secret.
  useServerDatabase(server);
  process.env.SESSION_SECRET = SERVER_SESSION_SECRET;
  resetEnv();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await closeDb();
});

/** One visitor's headers per check, so that every GET of a check asks for the same entry. */
const EN = { "accept-language": "en", "accept-encoding": "identity" };
const EN_GZIP = { "accept-language": "en", "accept-encoding": "gzip" };
const HE_GZIP = { "accept-encoding": "gzip" };

type Answer = {
  status: number;
  xCache: string | null;
  etag: string | null;
  csp: string | null;
  location: string | null;
  contentEncoding: string | null;
  setCookie: string[];
  text: string;
};

/** A GET as a browser without cookies sends it (Node's fetch decompresses gzip). */
async function visit(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, { headers, redirect: "manual" });
  return {
    status: response.status,
    xCache: response.headers.get("X-Cache"),
    etag: response.headers.get("ETag"),
    csp: response.headers.get("Content-Security-Policy"),
    location: response.headers.get("Location"),
    contentEncoding: response.headers.get("Content-Encoding"),
    setCookie: response.headers.getSetCookie(),
    // Without the markers React puts between adjacent texts ("2<!-- --> votes").
    text: (await response.text()).replaceAll("<!-- -->", ""),
  };
}

/** The page as the cache keeps it: asked twice, the second answer must be the stored one. */
async function cachedPage(path: string, headers: Record<string, string>): Promise<Answer> {
  await visit(path, headers);
  const page = await visit(path, headers);
  expect(page.status).toBe(200);
  expect(page.xCache).toBe("hit");
  return page;
}

/** The page right after a write: rendered again (and stored again), not the old entry. */
async function renderedPage(path: string, headers: Record<string, string>): Promise<Answer> {
  const page = await visit(path, headers);
  expect(page.status).toBe(200);
  expect(page.xCache).toBe("miss");
  return page;
}

/** Every script of the page carries the nonce its Content-Security-Policy allows. */
function expectScriptsAllowed(page: Answer) {
  const nonce = /'nonce-([^']+)'/.exec(page.csp ?? "")?.[1];
  expect(nonce).toBeTruthy();
  const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  return nonce!;
}

/** A public request of a new customer, in a category of its own so a filtered board shows it. */
async function publicRequest(title = `Request ${latinToken()}`) {
  const author = await makeCustomer({ name: `Author ${latinToken()}`, orgName: latinToken("org") });
  const category = await makeCategory(latinToken("cat"));
  const { id } = await proposeRequest(author, { title, categoryId: category.id });
  return { id, title, author, category };
}

/**
 * Fans the announcement out to its readers as the outbox worker would (the server's is off),
 * until its mail cursor has gone through everyone.
 */
async function untilMailed(announcementId: number) {
  for (let round = 0; round < 100; round++) {
    await fanOutAnnouncements();
    const row = await getDb()
      .selectFrom("announcements")
      .select("mailed_at")
      .where("id", "=", announcementId)
      .executeTakeFirstOrThrow();
    if (row.mailed_at !== null) return;
  }
  throw new Error(`announcement ${announcementId} was not mailed`);
}

function announcement(overrides: Partial<AnnouncementInput> = {}): AnnouncementInput {
  return {
    titleHe: `הודעה ${hebrewToken()}`,
    bodyHe: "גוף ההודעה.",
    titleEn: `Announcement ${latinToken()}`,
    bodyEn: "The body.",
    requestIds: [],
    ...overrides,
  };
}

/** Staff's quote for a request decided as sponsored development, offered to one organization. */
function offerQuote(
  staff: Awaited<ReturnType<typeof makeStaffAdmin>>,
  requestId: number,
  orgId: number,
) {
  return saveQuote({
    actor: staff,
    requestId,
    input: {
      pricing: "hourly",
      quarterHours: 160,
      rateMinor: 25_000,
      validUntil: israelDay(Date.now() + 30 * 86_400_000),
      deliveryWeeks: 6,
      termsMd: "Delivered as part of the product for everyone.",
      audience: "org",
      offeredOrgId: orgId,
    },
  });
}

/** A sponsored request with an open quote offered to its author's organization. */
async function quotedRequest() {
  const request = await publicRequest();
  const staff = await makeStaffAdmin();
  await decideRequest({ actor: staff, requestId: request.id, decision: { kind: "sponsored" } });
  await offerQuote(staff, request.id, request.author.orgId);
  return request;
}

/** A moment 1.5 s ahead, as stored, and a wait until it has passed. */
function momentAhead() {
  const at = Date.now() + 1500;
  return {
    iso: new Date(at).toISOString(),
    passed: () => new Promise((resolve) => setTimeout(resolve, at - Date.now() + 100)),
  };
}

describe("a visitor's next page after a public write", () => {
  it("shows a new vote", async () => {
    const { id } = await publicRequest();
    const voter = await makeCustomer({ name: "Voter", orgName: latinToken("org") });
    const path = `/requests/${id}`;
    const before = await cachedPage(path, EN);
    expect(before.text).toContain("1 vote");
    expect(before.text).toContain("1 organization");

    await toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId });

    const after = await renderedPage(path, EN);
    expect(after.text).toContain("<bdi>2</bdi> votes");
    expect(after.text).toContain("<bdi>2</bdi> organizations");
    expect((await visit(path, EN)).xCache).toBe("hit");
  });

  it("shows a new comment, on the document and in its .data", async () => {
    const { id, author } = await publicRequest();
    const body = `Comment ${latinToken()}`;
    const document = await cachedPage(`/requests/${id}`, HE_GZIP);
    const data = await cachedPage(`/requests/${id}.data`, HE_GZIP);
    expect(document.contentEncoding).toBe("gzip");
    expect(document.text).not.toContain(body);
    expect(data.text).not.toContain(body);

    const comment = await addComment({
      requestId: id,
      actor: author.actor,
      orgId: author.orgId,
      bodyMd: body,
    });

    expect((await renderedPage(`/requests/${id}`, HE_GZIP)).text).toContain(body);
    expect((await renderedPage(`/requests/${id}.data`, HE_GZIP)).text).toContain(body);

    // An edit writes the comment alone (no counter of the request changes).
    await cachedPage(`/requests/${id}`, HE_GZIP);
    const edited = `Edited ${latinToken()}`;
    await editComment({
      requestId: id,
      commentId: comment.id,
      actor: author.actor,
      bodyMd: edited,
    });
    const after = await renderedPage(`/requests/${id}`, HE_GZIP);
    expect(after.text).toContain(edited);
    expect(after.text).not.toContain(body);
  });

  it("shows a decision: the request is planned, with its note, and on the roadmap", async () => {
    const { id, title, category } = await publicRequest();
    const staff = await makeStaff();
    const note = `Note ${latinToken()}`;
    const page = await cachedPage(`/requests/${id}`, EN);
    expect(page.text).toContain("Under review");
    expect(page.text).not.toContain("Planned");
    const roadmapPath = `/roadmap?category=${category.slug}`;
    expect((await cachedPage(roadmapPath, EN)).text).not.toContain(title);

    await decideRequest({ actor: staff, requestId: id, decision: { kind: "broad", note } });

    const decided = await renderedPage(`/requests/${id}`, EN);
    expect(decided.text).toContain("Planned");
    expect(decided.text).toContain(note);
    expect((await renderedPage(roadmapPath, EN)).text).toContain(title);
  });

  it("shows a merge: the merged request's page sends to the target, which has its votes", async () => {
    const source = await publicRequest();
    const target = await publicRequest();
    const staff = await makeStaff();
    expect((await cachedPage(`/requests/${source.id}`, EN_GZIP)).text).toContain(source.title);
    expect((await cachedPage(`/requests/${target.id}`, EN_GZIP)).text).toContain("1 vote");

    await mergeRequest({ actor: staff, sourceId: source.id, targetId: target.id });

    const merged = await visit(`/requests/${source.id}`, EN_GZIP);
    expect(merged.status).toBe(302);
    expect(merged.location).toBe(`/requests/${target.id}?merged=${source.id}`);
    expect(merged.xCache).toBeNull();
    const targetPage = await renderedPage(`/requests/${target.id}`, EN_GZIP);
    expect(targetPage.text).toContain("<bdi>2</bdi> votes");
    // The notice on the page the redirect leads to names the merged request.
    expect((await renderedPage(merged.location!, EN_GZIP)).text).toContain(source.title);
  });

  it("shows a new quote", async () => {
    // A visitor sees the quote card: its title, the organization it is offered to, the amounts.
    const { id, author } = await publicRequest();
    const staff = await makeStaffAdmin();
    await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
    const before = await cachedPage(`/requests/${id}`, EN);
    expect(before.text).toContain("Sponsorship possible, quote coming");
    expect(before.text).not.toContain("Sponsored development quote");

    // Only the quotes table changes: the request's row is not written.
    await offerQuote(staff, id, author.orgId);

    const after = await renderedPage(`/requests/${id}`, EN);
    expect(after.text).toContain("Sponsored development quote");
    expect(after.text).toContain(`Offered to <bdi>${author.orgName}</bdi>`);
    expect(after.text).not.toContain("Sponsorship possible, quote coming");
  });

  it("shows a published announcement on the changelog and in both feeds, and a correction of it", async () => {
    const staff = await makeStaff();
    const input = announcement();
    const pages = [
      ["/announcements", EN],
      ["/announcements.atom?lang=en", EN_GZIP],
      ["/feed.xml", HE_GZIP],
    ] as const;
    for (const [path, headers] of pages) {
      const page = await cachedPage(path, headers);
      expect(page.text).not.toContain(input.titleEn);
      expect(page.text).not.toContain(input.titleHe);
    }

    const { id } = await createAnnouncement({ actor: staff, input });
    await publishAnnouncement({ actor: staff, id });
    // Its e-mails then go out, moving the announcement's mail cursor (no public change).
    await untilMailed(id);

    expect((await renderedPage("/announcements", EN)).text).toContain(input.titleEn);
    expect((await renderedPage("/announcements.atom?lang=en", EN_GZIP)).text).toContain(
      input.titleEn,
    );
    expect((await renderedPage("/feed.xml", HE_GZIP)).text).toContain(input.titleHe);

    // A correction changes no publication time: only the announcements table says it changed.
    const entry = await cachedPage(`/announcements/${id}`, EN);
    expect(entry.text).toContain(input.titleEn);
    const corrected = announcement();
    await updateAnnouncement({ actor: staff, id, input: corrected });
    const after = await renderedPage(`/announcements/${id}`, EN);
    expect(after.text).toContain(corrected.titleEn);
    expect(after.text).not.toContain(input.titleEn);
  });

  it("shows a renamed category on the board", async () => {
    const { title, category } = await publicRequest();
    const admin = await makeStaffAdmin();
    const path = `/?category=${category.slug}`;
    const before = await cachedPage(path, EN);
    expect(before.text).toContain(title);
    expect(before.text).toContain(category.name_en);

    const nameEn = latinToken("renamed");
    await renameCategory({
      actor: admin,
      categoryId: category.id,
      nameHe: hebrewToken(),
      nameEn,
    });

    const after = await renderedPage(path, EN);
    expect(after.text).toContain(nameEn);
    expect(after.text).not.toContain(category.name_en);
  });

  it("no longer shows a request made private: its page is not found and the board leaves it out", async () => {
    const { id, title, category } = await publicRequest();
    const staff = await makeStaff();
    const boardPath = `/?category=${category.slug}`;
    expect((await cachedPage(`/requests/${id}`, HE_GZIP)).text).toContain(title);
    expect((await cachedPage(boardPath, HE_GZIP)).text).toContain(title);

    await setVisibility({ actor: staff, requestId: id, visibility: "organization" });

    const page = await visit(`/requests/${id}`, HE_GZIP);
    expect(page.status).toBe(404);
    expect(page.xCache).toBeNull();
    expect(page.text).not.toContain(title);
    expect((await renderedPage(boardPath, HE_GZIP)).text).not.toContain(title);
  });
});

describe("a visitor's next page after a change to a person", () => {
  it("shows an author's new name, and stays cached when only their private settings change", async () => {
    const { id, author } = await publicRequest();
    const path = `/requests/${id}`;
    expect((await cachedPage(path, EN)).text).toContain(author.name);

    // Users' other columns are not on any public page: the entry stays.
    await setUserLocale(author.actor.id, "en");
    expect((await visit(path, EN)).xCache).toBe("hit");

    const name = `Renamed ${latinToken()}`;
    await updateProfile({ userId: author.actor.id, name, locale: "en" });
    const after = await renderedPage(path, EN);
    expect(after.text).toContain(name);
    expect(after.text).not.toContain(author.name);
  });
});

describe("what changes with time alone, with no write", () => {
  it("shows a scheduled announcement once its time has come", async () => {
    const staff = await makeStaff();
    const input = announcement();
    const { id } = await createAnnouncement({ actor: staff, input });
    await publishAnnouncement({ actor: staff, id });
    await untilMailed(id);
    // Moved a moment into the future (a write, before the page is kept): scheduled.
    const moment = momentAhead();
    await getDb()
      .updateTable("announcements")
      .set({ published_at: moment.iso })
      .where("id", "=", id)
      .execute();
    expect((await cachedPage("/announcements", EN)).text).not.toContain(input.titleEn);
    await moment.passed();
    expect((await renderedPage("/announcements", EN)).text).toContain(input.titleEn);
  });

  it("stops serving a page kept while a quote on it was open, once the quote's time is up", async () => {
    const { id } = await quotedRequest();
    const moment = momentAhead();
    await getDb()
      .updateTable("quotes")
      .set({ expires_at: moment.iso })
      .where("request_id", "=", id)
      .execute();
    await cachedPage(`/requests/${id}`, EN);
    await moment.passed();
    await renderedPage(`/requests/${id}`, EN);
  });
});

describe("writes that change nothing visitors see", () => {
  it("keep the pages: an announcement's e-mail fan-out moving its cursor", async () => {
    const staff = await makeStaff();
    const { id } = await createAnnouncement({ actor: staff, input: announcement() });
    await publishAnnouncement({ actor: staff, id });
    await untilMailed(id);
    const before = await cachedPage("/announcements", EN);
    await getDb()
      .updateTable("announcements")
      .set({ mail_cursor: 0, mailed_at: new Date().toISOString() })
      .where("id", "=", id)
      .execute();
    const after = await visit("/announcements", EN);
    expect(after.xCache).toBe("hit");
    expect(after.etag).toBe(before.etag);
  });
});

describe("pages the cache never keeps", () => {
  it("never stores a private request: visitors get 404 each time, its members their own page", async () => {
    const { id, title, author } = await publicRequest();
    await setVisibility({ actor: await makeStaff(), requestId: id, visibility: "organization" });
    const member = await makeUser({ name: `Member ${latinToken()}` });
    await addMember(author.orgId, member.id);
    const cookie = await sessionCookieFor(member);

    for (let i = 0; i < 3; i++) {
      const seen = await visit(`/requests/${id}`, { ...EN, cookie });
      expect(seen.status).toBe(200);
      expect(seen.xCache).toBeNull();
      expect(seen.text).toContain(title);
      expect(seen.text).toContain(member.name);
    }
    for (const headers of [EN, EN, HE_GZIP, HE_GZIP]) {
      const page = await visit(`/requests/${id}`, headers);
      expect(page.status).toBe(404);
      expect(page.xCache).toBeNull();
      expect(page.text).not.toContain(title);
    }
  });

  it("never answers a signed-in user from the visitors' cache, nor keeps their page for visitors", async () => {
    const { id, title } = await publicRequest();
    const path = `/requests/${id}`;
    const visitors = await cachedPage(path, EN);
    const user = await makeUser({ name: `Signed In ${latinToken()}` });
    const cookie = await sessionCookieFor(user);

    for (let i = 0; i < 2; i++) {
      const own = await visit(path, { ...EN, cookie });
      expect(own.status).toBe(200);
      expect(own.xCache).toBeNull();
      expect(own.etag).toBeNull();
      expect(own.text).toContain(title);
      expect(own.text).toContain(`<bdi>${user.name}</bdi>`);
      expect(own.text).not.toContain("Sign in to vote");
    }
    const after = await visit(path, EN);
    expect(after.xCache).toBe("hit");
    expect(after.etag).toBe(visitors.etag);
    expect(after.text).not.toContain(user.name);
    expect(after.text).toContain("Sign in to vote");
  });

  // A page with a notice is personal twice over: its request carries __flash, and its answer
  // sets a cookie (clearing the notice). Stored, the next visitor would see the notice too.
  it("never keeps a page that carries a one-time notice, which the visitor sees once", async () => {
    const { id } = await publicRequest();
    const path = `/requests/${id}`;
    await cachedPage(path, EN);
    const flash = (
      await flashToast(new Request(server.baseUrl), { key: "toast.commentAdded" })
    ).split(";")[0];

    const noticed = await visit(path, { ...EN, cookie: flash });
    expect(noticed.status).toBe(200);
    expect(noticed.xCache).toBeNull();
    expect(noticed.text).toContain("Comment posted.");
    // The answer clears the notice, so it is shown once.
    expect(noticed.setCookie.some((c) => c.startsWith("__flash=;"))).toBe(true);

    const next = await visit(path, EN);
    expect(next.xCache).toBe("hit");
    expect(next.setCookie).toEqual([]);
    expect(next.text).not.toContain("Comment posted.");
  });
});

describe("the cache's headers", () => {
  it("answers If-None-Match with 304 while nothing changed, and with the new page after a write", async () => {
    const { id, author } = await publicRequest();
    const path = `/requests/${id}`;
    const page = await cachedPage(path, EN_GZIP);
    expect(page.etag).toMatch(/^"[\w-]+"$/);

    for (const tag of [page.etag!, `W/${page.etag}`, `"other", ${page.etag}`]) {
      const unchanged = await visit(path, { ...EN_GZIP, "if-none-match": tag });
      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBe("");
      expect(unchanged.etag).toBe(page.etag);
    }
    expect((await visit(path, { ...EN_GZIP, "if-none-match": '"other"' })).status).toBe(200);

    const body = `Comment ${latinToken()}`;
    await addComment({ requestId: id, actor: author.actor, orgId: author.orgId, bodyMd: body });

    const changed = await visit(path, { ...EN_GZIP, "if-none-match": page.etag! });
    expect(changed.status).toBe(200);
    expect(changed.xCache).toBe("miss");
    expect(changed.etag).toBeTruthy();
    expect(changed.etag).not.toBe(page.etag);
    expect(changed.text).toContain(body);
    const again = await visit(path, { ...EN_GZIP, "if-none-match": changed.etag! });
    expect(again.status).toBe(304);
  });

  it("names in its Content-Security-Policy the nonce the page's scripts carry, on a miss and on a hit", async () => {
    const { id, author } = await publicRequest();
    const path = `/requests/${id}`;
    for (const headers of [EN, HE_GZIP]) {
      const miss = await visit(`${path}?nonce-check=${latinToken()}`, headers);
      expect(miss.xCache).toBe("miss");
      expectScriptsAllowed(miss);
    }
    const hit = await cachedPage(path, EN);
    const nonce = expectScriptsAllowed(hit);
    expect(expectScriptsAllowed(await cachedPage(path, HE_GZIP))).not.toBe(nonce);

    await addComment({
      requestId: id,
      actor: author.actor,
      orgId: author.orgId,
      bodyMd: `Comment ${latinToken()}`,
    });
    // New content, new nonce: one someone could have read off the old page allows nothing new.
    const rendered = await renderedPage(path, EN);
    expect(expectScriptsAllowed(rendered)).not.toBe(nonce);
    expect(expectScriptsAllowed(await cachedPage(path, EN))).toBe(expectScriptsAllowed(rendered));
  });

  it("sends an entry kept uncompressed as it is, to clients that take another encoding only", async () => {
    const { id } = await publicRequest();
    const path = `/requests/${id}`;
    const plain = await cachedPage(path, EN);
    for (const encoding of ["br", "deflate"]) {
      // The same representation under the same ETag: never re-encoded on the way out.
      const page = await visit(path, { ...EN, "accept-encoding": encoding });
      expect(page.xCache).toBe("hit");
      expect(page.contentEncoding).toBeNull();
      expect(page.etag).toBe(plain.etag);
      expect(page.text).toBe(plain.text);
    }
  });

  it("keeps one entry per language and encoding, each in its own language", async () => {
    const { id, title } = await publicRequest();
    const path = `/requests/${id}`;
    const english = { cookie: (await langCookie.serialize("en")).split(";")[0] };
    const hebrew = { cookie: (await langCookie.serialize("he")).split(";")[0] };
    const variants = [
      { headers: { ...english, "accept-encoding": "identity" }, lang: "en", gzip: false },
      { headers: { ...english, "accept-encoding": "gzip" }, lang: "en", gzip: true },
      { headers: { ...hebrew, "accept-encoding": "identity" }, lang: "he", gzip: false },
      // A Hebrew cookie wins over an English browser, as on every page.
      {
        headers: { ...hebrew, "accept-language": "en", "accept-encoding": "gzip" },
        lang: "he",
        gzip: true,
      },
    ];
    const etags = new Set<string>();
    for (const round of [1, 2]) {
      for (const { headers, lang, gzip } of variants) {
        const page = await visit(path, headers);
        expect(page.status).toBe(200);
        expect(page.xCache).toBe(round === 1 ? "miss" : "hit");
        expect(page.contentEncoding).toBe(gzip ? "gzip" : null);
        expect(page.text).toContain(`<html lang="${lang}" dir="${lang === "he" ? "rtl" : "ltr"}"`);
        expect(page.text).toContain(title);
        if (lang === "en") expect(page.text).toContain("Sign in to vote");
        else expect(page.text).not.toContain("Sign in to vote");
        etags.add(page.etag!);
      }
    }
    expect(etags.size).toBe(variants.length);
  });
});

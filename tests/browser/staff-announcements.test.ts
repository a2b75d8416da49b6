// Staff announce what shipped, in the browser, in both languages, with JavaScript on and off:
// marking a request shipped offers to write its announcement; the offer opens the form with the
// request covered and its title; Hebrew and English are written, previewed side by side, saved
// as a draft and published; a published one corrected shows the "edited" mark. A second one is
// scheduled (Israel time) and unscheduled, then deleted; a form with every field wrong shows
// every error at once, next to its field, keeping what was typed.
import { parseFeed } from "@rowanmanning/feed-parser";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate, type Locale } from "~/i18n/messages";
import { changeStatus, decideRequest } from "~/models/triage.server";
import {
  allowPageErrors,
  andWaitForLoad,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
  waitForHydration,
} from "../support/browser";
import {
  actorOf,
  latinToken,
  makeCustomer,
  makeUser,
  proposeRequest,
  TEST_PASSWORD,
  uniqueEmail,
  type Customer,
} from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

let server: TestServer;
let browser: Browser;
let customer: Customer;
let staffEmail: string;
let staffActor: ReturnType<typeof actorOf>;

beforeAll(async () => {
  server = await startServer();
  useServerDatabase(server);
  customer = await makeCustomer({ name: "Announced Customer", orgName: "Announced Works" });
  staffEmail = uniqueEmail("announcing-staff");
  staffActor = actorOf(
    await makeUser({ name: "Announcing Staff", email: staffEmail, isStaff: true }),
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServerDatabase().catch(() => undefined);
  await server?.stop();
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function staffPage(lang: Locale, js: boolean): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, staffEmail, TEST_PASSWORD);
  return page;
}

/** A request in progress: one step from shipped. */
async function requestInProgress(title: string) {
  const { id } = await proposeRequest(customer, { title });
  await decideRequest({ actor: staffActor, requestId: id, decision: { kind: "broad" } });
  await changeStatus({ actor: staffActor, requestId: id, to: "in_progress" });
  return id;
}

/** Clicks a submit and waits for what follows: a page load without JS, the POST with it. */
async function submit(page: Page, js: boolean, click: () => Promise<unknown>) {
  if (js) {
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), click()]);
  } else {
    await andWaitForLoad(page, click);
  }
}

function intentButton(page: Page, intent: string) {
  return page.locator(`main button[name=intent][value=${intent}]`);
}

async function announcementsOf(requestId: number) {
  return getDb()
    .selectFrom("announcement_requests as ar")
    .innerJoin("announcements as a", "a.id", "ar.announcement_id")
    .select(["a.id", "a.title_he", "a.title_en", "a.published_at", "a.edited_at"])
    .where("ar.request_id", "=", requestId)
    .execute();
}

const COMBOS: [Locale, boolean][] = [
  ["he", true],
  ["en", false],
  ["en", true],
  ["he", false],
];

describe("staff publish announcements", () => {
  it.each(COMBOS)(
    "in %s (JavaScript %s): ship, follow the offer, write, preview, save, publish, correct",
    async (lang, js) => {
      const title = `Excel export ${latinToken()}`;
      const id = await requestInProgress(title);
      const page = await staffPage(lang, js);
      await page.goto(`${server.baseUrl}/requests/${id}`);
      if (js) await waitForHydration(page);

      // Marking it shipped: the page that follows offers to write its announcement.
      await submit(page, js, () =>
        page.locator(`form[action="/requests/${id}/status"] button[type=submit]`).click(),
      );
      const offer = page.getByTestId("announce-offer");
      await offer.waitFor();
      await expect
        .poll(() => page.locator("body").textContent())
        .toContain(translate(lang, "staffAnnouncements.toast.shipped", { id }));
      const write = offer.getByRole("link", {
        name: translate(lang, "staffAnnouncements.panel.write"),
      });
      if (js) await write.click();
      else await andWaitForLoad(page, () => write.click());
      await page.waitForURL((url) => url.pathname === "/staff/announcements/new");
      expect(new URL(page.url()).searchParams.get("requests")).toBe(String(id));
      const titleHe = page.locator("#announcement-title-he");
      await expect.poll(() => titleHe.inputValue()).toBe(title);
      await expect.poll(() => page.getByTestId("covered-requests").textContent()).toContain(title);
      if (js) {
        await waitForHydration(page);
        await expectAccessible(page);
      }

      // Hebrew and English, previewed side by side; nothing saved yet.
      await titleHe.fill("ייצוא לאקסל");
      await page.locator("#announcement-body-he").fill("אפשר עכשיו **לייצא** כל דוח.");
      await page.locator("#announcement-title-en").fill("Excel export");
      await page.locator("#announcement-body-en").fill("Export **any** report.");
      await submit(page, js, () => intentButton(page, "preview").click());
      const previewHe = page.getByTestId("announcement-preview-he");
      const previewEn = page.getByTestId("announcement-preview-en");
      await expect.poll(() => previewHe.textContent()).toContain("ייצוא לאקסל");
      await expect.poll(() => previewHe.locator("strong").textContent()).toBe("לייצא");
      await expect.poll(() => previewEn.textContent()).toContain("Excel export");
      await expect.poll(() => previewEn.locator("[lang=en] strong").textContent()).toBe("any");
      expect(await previewEn.textContent()).toContain(title);
      expect(await page.locator("#announcement-title-en").inputValue()).toBe("Excel export");
      expect(await announcementsOf(id)).toEqual([]);
      if (js) await expectAccessible(page);

      // Saved as a draft: its own page, saying so.
      await submit(page, js, () => intentButton(page, "save").click());
      await page.waitForURL((url) => /^\/staff\/announcements\/\d+$/.test(url.pathname));
      const state = page.getByTestId("announcement-state");
      const badge = () => state.locator("[data-state]").getAttribute("data-state");
      await expect.poll(badge).toBe("draft");
      await expect
        .poll(() => state.textContent())
        .toContain(translate(lang, "staffAnnouncements.state.draft"));
      await expect
        .poll(() => page.locator("body").textContent())
        .toContain(translate(lang, "staffAnnouncements.toast.created"));
      const [draft] = await announcementsOf(id);
      expect(draft).toMatchObject({ title_he: "ייצוא לאקסל", title_en: "Excel export" });
      expect(draft.published_at).toBeNull();
      if (js) await expectAccessible(page);

      // Published now.
      await submit(page, js, () => intentButton(page, "publish").click());
      await expect.poll(badge).toBe("published");
      await expect
        .poll(() => state.textContent())
        .toContain(translate(lang, "staffAnnouncements.state.published"));
      expect((await announcementsOf(id))[0].published_at).not.toBeNull();

      // Corrected: the form says what a correction means, and the mark shows.
      await expect
        .poll(() => page.getByTestId("correction-note").textContent())
        .toBe(translate(lang, "staffAnnouncements.form.correctionNote"));
      await page.locator("#announcement-body-en").fill("Export **any** report, to Excel too.");
      await submit(page, js, () => intentButton(page, "save").click());
      await expect
        .poll(() => state.textContent())
        .toContain(translate(lang, "staffAnnouncements.edited"));
      expect((await announcementsOf(id))[0].edited_at).not.toBeNull();
      if (js) await expectAccessible(page);

      // The list shows it published and edited.
      const list = () => page.getByTestId("staff-announcements");
      if (js)
        await page.getByRole("link", { name: translate(lang, "staffAnnouncements.back") }).click();
      else
        await andWaitForLoad(page, () =>
          page.getByRole("link", { name: translate(lang, "staffAnnouncements.back") }).click(),
        );
      await expect.poll(() => list().textContent()).toContain("ייצוא לאקסל");
      const row = list().locator("li", { hasText: "ייצוא לאקסל" }).first();
      await expect
        .poll(() => row.textContent())
        .toContain(translate(lang, "staffAnnouncements.edited"));
      await expect
        .poll(() => row.textContent())
        .toContain(translate(lang, "staffAnnouncements.state.published"));
      if (js) await expectAccessible(page);

      // The request's author meets it: the header's badge, the changelog that clears it, the
      // feed that carries it (the end of the story the issue tells).
      const announcementId = (await announcementsOf(id))[0].id;
      const readerContext = await newContext(browser, { lang, javaScriptEnabled: js });
      contexts.push(readerContext);
      const reader = await readerContext.newPage();
      reader.setDefaultTimeout(10_000);
      await signInThroughForm(reader, server.baseUrl, customer.email, TEST_PASSWORD);
      if (js) await waitForHydration(reader);
      const unread = reader.locator(
        'header nav a[href="/announcements"] [data-testid="unread-badge"]',
      );
      await expect.poll(() => unread.count()).toBe(1);
      if (js) await reader.locator('header nav a[href="/announcements"]').click();
      else
        await andWaitForLoad(reader, () =>
          reader.locator('header nav a[href="/announcements"]').click(),
        );
      const shownTitle = lang === "en" ? "Excel export" : "ייצוא לאקסל";
      await expect
        .poll(() => reader.locator('[data-testid="announcement"]').first().textContent())
        .toContain(shownTitle);
      await expect.poll(() => unread.count()).toBe(0);
      const feedPath = lang === "en" ? "/announcements.atom?lang=en" : "/announcements.atom";
      const feed = parseFeed(
        await (await reader.request.get(`${server.baseUrl}${feedPath}`)).text(),
      );
      expect(
        feed.items.find((i) => i.url === `${server.baseUrl}/announcements/${announcementId}`)
          ?.title,
      ).toBe(shownTitle);
    },
  );

  it.each(COMBOS)(
    "in %s (JavaScript %s): schedule one in Israel time, unschedule it, delete the draft",
    async (lang, js) => {
      const token = latinToken();
      const shipped = await requestInProgress(`Scheduled report ${token}`);
      await changeStatus({ actor: staffActor, requestId: shipped, to: "shipped" });
      const page = await staffPage(lang, js);
      await page.goto(`${server.baseUrl}/staff/announcements/new`);
      if (js) await waitForHydration(page);
      const heading = `מתוזמן ${token}`;
      await page.locator("#announcement-title-he").fill(heading);
      await page.locator("#announcement-body-he").fill("יגיע בקרוב.");

      // The picker finds the shipped request by a word of its title, keeping what was typed.
      await page.locator("#announcement-request-search").fill(token);
      await submit(page, js, () => intentButton(page, "search").click());
      const choice = page.getByTestId("request-choices").locator(`input[value="${shipped}"]`);
      await choice.waitFor();
      await expect.poll(() => page.locator("#announcement-title-he").inputValue()).toBe(heading);
      await choice.check();
      // The label names the time zone.
      await expect
        .poll(() => page.locator("label[for=announcement-publish-at]").textContent())
        .toContain("Asia/Jerusalem");
      const when = new Date(Date.now() + 3 * 86_400_000);
      const day = when.toISOString().slice(0, 10);
      await page.locator("#announcement-publish-at").fill(`${day}T10:30`);
      await submit(page, js, () => intentButton(page, "schedule").click());
      await page.waitForURL((url) => /^\/staff\/announcements\/\d+$/.test(url.pathname));
      const state = page.getByTestId("announcement-state");
      const badge = () => state.locator("[data-state]").getAttribute("data-state");
      await expect.poll(badge).toBe("scheduled");
      await expect
        .poll(() => state.textContent())
        .toContain(translate(lang, "staffAnnouncements.state.scheduled"));
      const row = await getDb()
        .selectFrom("announcements")
        .selectAll()
        .where("title_he", "=", heading)
        .executeTakeFirstOrThrow();
      expect(
        await getDb()
          .selectFrom("announcement_requests")
          .select("request_id")
          .where("announcement_id", "=", row.id)
          .execute(),
      ).toEqual([{ request_id: shipped }]);
      // 10:30 in Israel is 07:30 or 08:30 UTC, as the season has it.
      expect(row.published_at).toMatch(new RegExp(`^${day}T0[78]:30:00.000Z$`));
      expect(await page.locator("#announcement-publish-at").inputValue()).toBe(`${day}T10:30`);
      if (js) await expectAccessible(page);

      await submit(page, js, () => intentButton(page, "unschedule").click());
      await expect.poll(badge).toBe("draft");
      await expect
        .poll(() => state.textContent())
        .toContain(translate(lang, "staffAnnouncements.state.draft"));
      await expect
        .poll(() => page.locator("body").textContent())
        .toContain(translate(lang, "staffAnnouncements.toast.unscheduled"));

      // Deleting asks first.
      await page.getByText(translate(lang, "staffAnnouncements.delete.open")).click();
      await submit(page, js, () => intentButton(page, "delete").click());
      await page.waitForURL((url) => url.pathname === "/staff/announcements");
      await expect
        .poll(() => page.locator("body").textContent())
        .toContain(translate(lang, "staffAnnouncements.toast.deleted"));
      expect(
        await getDb()
          .selectFrom("announcements")
          .select("id")
          .where("title_he", "=", heading)
          .executeTakeFirst(),
      ).toBeUndefined();
    },
  );

  it.each(COMBOS)(
    "in %s (JavaScript %s): every field's error at once, next to it, keeping what was typed",
    async (lang, js) => {
      const page = await staffPage(lang, js);
      allowPageErrors(page, statusLogged(400), "the refused form answers 400 with its errors");
      await page.goto(`${server.baseUrl}/staff/announcements/new`);
      if (js) await waitForHydration(page);
      await page.locator("#announcement-title-en").fill("Only English");
      await page.locator("#announcement-publish-at").fill("2020-01-01T09:00");
      await submit(page, js, () => intentButton(page, "schedule").click());
      const errorOf = (id: string) => page.locator(`#${id}-error`);
      await expect
        .poll(() => errorOf("announcement-title-he").textContent())
        .toBe(translate(lang, "announcements.error.titleRequired"));
      await expect
        .poll(() => errorOf("announcement-body-he").textContent())
        .toBe(translate(lang, "announcements.error.bodyRequired"));
      expect(await errorOf("announcement-body-en").textContent()).toBe(
        translate(lang, "announcements.error.englishBodyMissing"),
      );
      expect(await errorOf("announcement-publish-at").textContent()).toBe(
        translate(lang, "staffAnnouncements.error.publishAtPast"),
      );
      expect(await page.locator("#announcement-title-en").inputValue()).toBe("Only English");
      expect(await page.locator("#announcement-publish-at").inputValue()).toBe("2020-01-01T09:00");
      expect(await page.locator("#announcement-title-he").getAttribute("aria-invalid")).toBe(
        "true",
      );
      if (js) await expectAccessible(page);
    },
  );
});

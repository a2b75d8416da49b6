// The staff announcement pages (/staff/announcements, /new, /:id) through their loaders and
// actions: the list's keyset pages and empty state, "Write its announcement" pre-filling the
// shipped request, save, preview (both languages, the English fallback marked, nothing saved),
// the picker's search, publish now, schedule in Israel time and unschedule, a correction marked
// edited, delete, every field's error at once with what was typed kept, the model's refusal
// next to its field, and the request page's offer once a request ships.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  createAnnouncement,
  israelWallTime,
  israelWallTimeToIso,
  publishAnnouncement,
  STAFF_LIST_PAGE_SIZE,
} from "~/models/announcements.server";
import { changeStatus, decideRequest } from "~/models/triage.server";
import { action as editAction, loader as editLoader } from "~/routes/staff.announcements.$id/route";
import { loader as listLoader } from "~/routes/staff.announcements._index";
import { action as newAction, loader as newLoader } from "~/routes/staff.announcements.new";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { action as statusAction } from "~/routes/requests.$id.status";
import { actorOf, makeCustomer, makeUser, proposeRequest } from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: never;
}) => Promise<unknown>;

async function call(handler: unknown, request: Request, params: Record<string, string> = {}) {
  return unwrap(
    await run(() => (handler as Handler)({ request, params, context: testContext() as never })),
  );
}

async function staffMember() {
  const user = await makeUser({ name: "Announcing Staff", isStaff: true });
  return { actor: actorOf(user), cookie: await sessionCookieFor(user) };
}

async function shippedRequest(
  staff: Awaited<ReturnType<typeof staffMember>>,
  title = `Export to Excel ${Math.random().toString(36).slice(2, 7)}`,
) {
  const author = await makeCustomer({ name: "Author" });
  const { id } = await proposeRequest(author, { title });
  await decideRequest({ actor: staff.actor, requestId: id, decision: { kind: "broad" } });
  await changeStatus({ actor: staff.actor, requestId: id, to: "in_progress" });
  await changeStatus({ actor: staff.actor, requestId: id, to: "shipped" });
  return id;
}

const text = {
  titleHe: "ייצוא לאקסל",
  bodyHe: "אפשר עכשיו **לייצא** כל דוח.",
  titleEn: "",
  bodyEn: "",
};

function fields(extra: Record<string, string> = {}) {
  return { ...text, requestSearch: "", publishAt: "", ...extra };
}

/** A form request with the covered requests as repeated fields, as a browser sends them. */
function formWithRequests(
  path: string,
  values: Record<string, string>,
  requestIds: number[],
  cookie: string,
) {
  const body = new URLSearchParams(values);
  for (const id of requestIds) body.append("requestIds", String(id));
  return new Request(`http://broadly.test${path}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
  });
}

async function announcementRow(id: number) {
  return getDb().selectFrom("announcements").selectAll().where("id", "=", id).executeTakeFirst();
}

function idOf(location: string | null): number {
  const match = /^\/staff\/announcements\/(\d+)$/.exec(location ?? "");
  expect(match, location ?? "no Location").not.toBeNull();
  return Number(match![1]);
}

describe("the staff announcement pages", () => {
  // First in the file: its database has no announcement yet.
  it("lists none with an explanation, then a page at a time, newest change first", async () => {
    const staff = await staffMember();
    const empty = await call(listLoader, getRequest("/staff/announcements", staff));
    expect(empty.status).toBe(200);
    expect(empty.data.items).toEqual([]);
    expect(empty.data.nextCursor).toBeNull();

    const ids: number[] = [];
    for (let i = 0; i <= STAFF_LIST_PAGE_SIZE; i++)
      ids.push(
        (await createAnnouncement({ actor: staff.actor, input: { ...text, requestIds: [] } })).id,
      );
    // A moment later than the last one made (timestamps are to the millisecond).
    await new Promise((resolve) => setTimeout(resolve, 5));
    await publishAnnouncement({ actor: staff.actor, id: ids[0] });
    const first = await call(listLoader, getRequest("/staff/announcements", staff));
    expect(first.data.items).toHaveLength(STAFF_LIST_PAGE_SIZE);
    // Publishing changed the first one last: it leads.
    expect(first.data.items[0]).toMatchObject({ id: ids[0], state: "published", requestCount: 0 });
    expect(first.data.nextCursor).toEqual(expect.any(String));
    const second = await call(
      listLoader,
      getRequest(`/staff/announcements?cursor=${encodeURIComponent(first.data.nextCursor)}`, staff),
    );
    const seen = [...first.data.items, ...second.data.items].map((a: { id: number }) => a.id);
    expect(new Set(seen).size).toBe(ids.length);
    expect(second.data.nextCursor).toBeNull();
  });

  it("answers a customer with 404 on every page and action", async () => {
    const cookie = await sessionCookieFor(await makeUser({ name: "A customer" }));
    const staff = await staffMember();
    const { id } = await createAnnouncement({
      actor: staff.actor,
      input: { ...text, requestIds: [] },
    });
    const asCustomer = { cookie };
    expect((await call(listLoader, getRequest("/staff/announcements", asCustomer))).status).toBe(
      404,
    );
    expect((await call(newLoader, getRequest("/staff/announcements/new", asCustomer))).status).toBe(
      404,
    );
    expect(
      (
        await call(editLoader, getRequest(`/staff/announcements/${id}`, asCustomer), {
          id: String(id),
        })
      ).status,
    ).toBe(404);
    const post = await call(
      editAction,
      formRequest(`/staff/announcements/${id}`, { intent: "delete" }, asCustomer),
      { id: String(id) },
    );
    expect(post.status).toBe(404);
    expect(await announcementRow(id)).toBeDefined();
  });

  it("pre-fills a shipped request and its title from ?requests=, leaving out what cannot be announced", async () => {
    const staff = await staffMember();
    const shipped = await shippedRequest(staff, "Export to Excel");
    const author = await makeCustomer();
    const open = (await proposeRequest(author)).id;
    const page = await call(
      newLoader,
      getRequest(`/staff/announcements/new?requests=${shipped},${open}`, staff),
    );
    expect(page.status).toBe(200);
    expect(page.data.values).toMatchObject({
      titleHe: "Export to Excel",
      requestIds: String(shipped),
    });
    expect(page.data.picker.chosen).toEqual([
      expect.objectContaining({ id: shipped, orgCount: expect.any(Number), sponsors: [] }),
    ]);
  });

  it("saves a draft covering the request, then publishes it", async () => {
    const staff = await staffMember();
    const shipped = await shippedRequest(staff);
    const saved = await call(
      newAction,
      formWithRequests(
        "/staff/announcements/new",
        { ...fields(), intent: "save" },
        [shipped],
        staff.cookie,
      ),
    );
    expect(saved.status).toBe(302);
    const id = idOf(saved.headers.get("Location"));
    expect(saved.headers.get("Set-Cookie")).toContain("__flash");
    expect(await announcementRow(id)).toMatchObject({ title_he: text.titleHe, published_at: null });

    const page = await call(editLoader, getRequest(`/staff/announcements/${id}`, staff), {
      id: String(id),
    });
    expect(page.data.announcement.state).toBe("draft");
    expect(page.data.values.requestIds).toBe(String(shipped));

    const published = await call(
      editAction,
      formWithRequests(
        `/staff/announcements/${id}`,
        { ...fields({ titleEn: "Excel export", bodyEn: "Export any report." }), intent: "publish" },
        [shipped],
        staff.cookie,
      ),
      { id: String(id) },
    );
    expect(published.status).toBe(302);
    const row = await announcementRow(id);
    // The typed English was saved with the publication, in the same action.
    expect(row).toMatchObject({ title_en: "Excel export", edited_at: null });
    expect(row!.published_at! <= new Date().toISOString()).toBe(true);
  });

  it("previews both languages without saving, the missing English marked as the Hebrew", async () => {
    const staff = await staffMember();
    const shipped = await shippedRequest(staff);
    const result = await call(
      newAction,
      formWithRequests(
        "/staff/announcements/new",
        { ...fields(), intent: "preview" },
        [shipped],
        staff.cookie,
      ),
    );
    expect(result.status).toBe(200);
    expect(result.data.preview.he).toMatchObject({
      title: text.titleHe,
      lang: "he",
      fallback: false,
    });
    expect(result.data.preview.he.html).toContain("<strong>לייצא</strong>");
    expect(result.data.preview.en).toMatchObject({
      title: text.titleHe,
      lang: "he",
      fallback: true,
    });
    expect(result.data.values).toMatchObject({
      titleHe: text.titleHe,
      requestIds: String(shipped),
    });
    expect(result.data.picker.chosen.map((r: { id: number }) => r.id)).toEqual([shipped]);
    const count = await getDb()
      .selectFrom("announcements")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("title_he", "=", text.titleHe)
      .where("body_he_md", "=", text.bodyHe)
      .executeTakeFirstOrThrow();
    const before = Number(count.n);
    await call(
      newAction,
      formWithRequests(
        "/staff/announcements/new",
        { ...fields(), intent: "preview" },
        [],
        staff.cookie,
      ),
    );
    const after = await getDb()
      .selectFrom("announcements")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("title_he", "=", text.titleHe)
      .where("body_he_md", "=", text.bodyHe)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(before);
  });

  it("finds shipped requests by their title, keeping what was typed", async () => {
    const staff = await staffMember();
    const wanted = await shippedRequest(staff, "Zebra crossing report");
    const author = await makeCustomer();
    await proposeRequest(author, { title: "Zebra crossing alerts" });
    const result = await call(
      newAction,
      formWithRequests(
        "/staff/announcements/new",
        { ...fields({ titleHe: "כותרת שהוקלדה", requestSearch: "zebra" }), intent: "search" },
        [],
        staff.cookie,
      ),
    );
    expect(result.status).toBe(200);
    expect(result.data.errors).toEqual({});
    expect(result.data.values.titleHe).toBe("כותרת שהוקלדה");
    // Only the shipped one: an open request is not announceable.
    expect(result.data.picker.choices.map((r: { id: number }) => r.id)).toEqual([wanted]);
  });

  it("shows every field's error at once and keeps what was typed", async () => {
    const staff = await staffMember();
    const result = await call(
      newAction,
      formWithRequests(
        "/staff/announcements/new",
        {
          titleHe: "",
          bodyHe: "  ",
          titleEn: "Only an English title",
          bodyEn: "",
          publishAt: "2020-01-01T10:00",
          requestSearch: "",
          intent: "schedule",
        },
        [],
        staff.cookie,
      ),
    );
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      titleHe: "announcements.error.titleRequired",
      bodyHe: "announcements.error.bodyRequired",
      bodyEn: "announcements.error.englishBodyMissing",
      publishAt: "staffAnnouncements.error.publishAtPast",
    });
    expect(result.data.values).toMatchObject({
      titleEn: "Only an English title",
      publishAt: "2020-01-01T10:00",
    });
  });

  it("puts the model's refusal of a request that has not shipped next to the requests", async () => {
    const staff = await staffMember();
    const author = await makeCustomer();
    const open = (await proposeRequest(author)).id;
    const result = await call(
      newAction,
      formWithRequests(
        "/staff/announcements/new",
        { ...fields(), intent: "save" },
        [open],
        staff.cookie,
      ),
    );
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ requestIds: "announcements.error.requestNotShipped" });
    expect(result.data.values.titleHe).toBe(text.titleHe);
  });

  it("schedules at a wall-clock time in Israel, then unschedules, then deletes the draft", async () => {
    const staff = await staffMember();
    const { id } = await createAnnouncement({
      actor: staff.actor,
      input: { ...text, requestIds: [] },
    });
    const path = `/staff/announcements/${id}`;
    const params = { id: String(id) };
    // Ten days ahead at 09:30 in Israel, whatever the offset that day.
    const day = new Date(Date.now() + 10 * 86_400_000);
    const wall = `${israelWallTime(day.toISOString()).slice(0, 10)}T09:30`;
    const scheduled = await call(
      editAction,
      formRequest(path, { ...fields({ publishAt: wall }), intent: "schedule" }, staff),
      params,
    );
    expect(scheduled.status).toBe(302);
    const row = await announcementRow(id);
    expect(row!.published_at).toBe(israelWallTimeToIso(wall));
    expect(israelWallTime(row!.published_at!)).toBe(wall);
    const page = await call(editLoader, getRequest(path, staff), params);
    expect(page.data.announcement.state).toBe("scheduled");
    expect(page.data.values.publishAt).toBe(wall);

    const unscheduled = await call(
      editAction,
      formRequest(path, { intent: "unschedule" }, staff),
      params,
    );
    expect(unscheduled.status).toBe(302);
    expect((await announcementRow(id))!.published_at).toBeNull();

    const deleted = await call(editAction, formRequest(path, { intent: "delete" }, staff), params);
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("Location")).toBe("/staff/announcements");
    expect(await announcementRow(id)).toBeUndefined();
  });

  it("corrects a published announcement: marked edited, the before and after audited", async () => {
    const staff = await staffMember();
    const { id } = await createAnnouncement({
      actor: staff.actor,
      input: { ...text, requestIds: [] },
    });
    await publishAnnouncement({ actor: staff.actor, id });
    const path = `/staff/announcements/${id}`;
    const params = { id: String(id) };
    const page = await call(editLoader, getRequest(path, staff), params);
    expect(page.data.announcement.state).toBe("published");
    const corrected = await call(
      editAction,
      formRequest(
        path,
        { ...fields({ bodyHe: "אפשר עכשיו לייצא כל דוח, גם לאקסל." }), intent: "save" },
        staff,
      ),
      params,
    );
    expect(corrected.status).toBe(302);
    expect((await announcementRow(id))!.edited_at).not.toBeNull();
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "announcement")
      .where("subject_id", "=", id)
      .execute();
    expect(audit.map((a) => a.action)).toContain("announcement.correct");
    // Neither deleted nor published again.
    const deleted = await call(editAction, formRequest(path, { intent: "delete" }, staff), params);
    expect(deleted.status).toBe(302);
    expect(await announcementRow(id)).toBeDefined();
    const again = await call(
      editAction,
      formRequest(path, { ...fields(), intent: "publish" }, staff),
      params,
    );
    expect(again.status).toBe(409);
    expect(again.data.errors).toEqual({ form: "announcements.error.alreadyPublished" });
  });

  it("offers to write its announcement once a request ships, until one is published", async () => {
    const staff = await staffMember();
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    await decideRequest({ actor: staff.actor, requestId: id, decision: { kind: "broad" } });
    await changeStatus({ actor: staff.actor, requestId: id, to: "in_progress" });
    const params = { id: String(id) };
    const shipped = await call(
      statusAction,
      formRequest(
        `/requests/${id}/status`,
        { to: "shipped", note: "", redirectTo: `/requests/${id}` },
        staff,
      ),
      params,
    );
    expect(shipped.status).toBe(302);
    expect(shipped.headers.get("Location")).toBe(`/requests/${id}`);
    const page = await call(requestLoader, getRequest(`/requests/${id}`, staff), params);
    expect(page.data.announcements).toEqual([]);
    const { id: announcementId } = await createAnnouncement({
      actor: staff.actor,
      input: { ...text, requestIds: [id] },
    });
    const withDraft = await call(requestLoader, getRequest(`/requests/${id}`, staff), params);
    expect(withDraft.data.announcements).toEqual([
      { id: announcementId, titleHe: text.titleHe, state: "draft" },
    ]);
    // Customers are not told about drafts.
    const customerCookie = await sessionCookieFor(
      (await getDb()
        .selectFrom("users")
        .selectAll()
        .where("id", "=", author.actor.id)
        .executeTakeFirstOrThrow()) as never,
    );
    const asCustomer = await call(
      requestLoader,
      getRequest(`/requests/${id}`, { cookie: customerCookie }),
      params,
    );
    expect(asCustomer.data.announcements).toBeNull();
  });
});

describe("a schedule's wall-clock time in Israel", () => {
  it("reads summer and winter times with their own offsets", () => {
    expect(israelWallTimeToIso("2027-07-01T09:30")).toBe("2027-07-01T06:30:00.000Z");
    expect(israelWallTimeToIso("2027-01-15T09:30")).toBe("2027-01-15T07:30:00.000Z");
    expect(israelWallTime("2027-07-01T06:30:00.000Z")).toBe("2027-07-01T09:30");
  });

  it("refuses what is no moment: malformed, a day that does not exist, the hour the clocks skip", () => {
    expect(israelWallTimeToIso("2027-07-01 09:30")).toBeNull();
    expect(israelWallTimeToIso("2027-02-30T09:30")).toBeNull();
    // Israel's clocks jump from 02:00 to 03:00 on the Friday before the last Sunday of March.
    expect(israelWallTimeToIso("2027-03-26T02:30")).toBeNull();
    expect(israelWallTimeToIso("2027-03-26T03:30")).toBe("2027-03-26T00:30:00.000Z");
  });
});

// The announcements model: drafts, publishing now or later, corrections that are marked and
// audited, what covered requests must be, the English fallback, and that only staff write.
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  announcementText,
  announcementsOfRequest,
  createAnnouncement,
  deleteDraft,
  getAnnouncementForStaff,
  getPublishedAnnouncement,
  loadAnnouncements,
  publishAnnouncement,
  unscheduleAnnouncement,
  updateAnnouncement,
  type AnnouncementInput,
} from "~/models/announcements.server";
import { ActionRefused, type Actor } from "~/models/errors";
import { decideRequest, changeStatus } from "~/models/triage.server";
import { makeCustomer, makeStaff, proposeRequest } from "../support/factories";

let staff: Actor;
beforeEach(async () => {
  staff = await makeStaff();
});

async function refusal(promise: Promise<unknown>): Promise<ActionRefused> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionRefused) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function shippedRequest(): Promise<number> {
  const author = await makeCustomer({ name: "Author" });
  const { id } = await proposeRequest(author);
  await decideRequest({ actor: staff, requestId: id, decision: { kind: "broad" } });
  await changeStatus({ actor: staff, requestId: id, to: "in_progress" });
  await changeStatus({ actor: staff, requestId: id, to: "shipped" });
  return id;
}

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

async function auditActions(id: number) {
  const rows = await getDb()
    .selectFrom("audit_log")
    .select(["action", "data_json"])
    .where("subject_type", "=", "announcement")
    .where("subject_id", "=", id)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ action: r.action, data: JSON.parse(r.data_json) }));
}

describe("an announcement", () => {
  it("is a draft nobody else reads until it is published, then everyone does", async () => {
    const requestId = await shippedRequest();
    const { id } = await createAnnouncement({
      actor: staff,
      input: input({ requestIds: [requestId] }),
    });
    expect(await getPublishedAnnouncement(id)).toBeUndefined();
    expect(await announcementsOfRequest(requestId)).toEqual([]);
    const draft = await getAnnouncementForStaff({ actor: staff, id });
    expect(draft).toMatchObject({ state: "draft", publishedAt: null, editedAt: null });
    expect(draft.requests.map((r) => r.id)).toEqual([requestId]);

    await updateAnnouncement({
      actor: staff,
      id,
      input: input({ titleHe: "ייצוא לאקסל ול-CSV", requestIds: [requestId] }),
    });
    const edited = await getAnnouncementForStaff({ actor: staff, id });
    expect(edited.titleHe).toBe("ייצוא לאקסל ול-CSV");
    // Editing a draft is not a correction.
    expect(edited.editedAt).toBeNull();

    const { state } = await publishAnnouncement({ actor: staff, id });
    expect(state).toBe("published");
    expect((await getPublishedAnnouncement(id))?.titleHe).toBe("ייצוא לאקסל ול-CSV");
    expect((await announcementsOfRequest(requestId)).map((a) => a.id)).toEqual([id]);
    expect((await auditActions(id)).map((a) => a.action)).toEqual([
      "announcement.create",
      "announcement.edit",
      "announcement.publish",
    ]);
  });

  it("is corrected after publication with an edited mark and the before and after audited", async () => {
    const { id } = await createAnnouncement({ actor: staff, input: input() });
    await publishAnnouncement({ actor: staff, id });
    const { corrected } = await updateAnnouncement({
      actor: staff,
      id,
      input: input({ bodyHe: "אפשר עכשיו לייצא כל דוח, גם מתוזמן." }),
    });
    expect(corrected).toBe(true);
    const view = await getPublishedAnnouncement(id);
    expect(view?.editedAt).not.toBeNull();
    expect(view?.bodyHe).toBe("אפשר עכשיו לייצא כל דוח, גם מתוזמן.");
    const correction = (await auditActions(id)).at(-1)!;
    expect(correction.action).toBe("announcement.correct");
    expect(correction.data.before.bodyHe).toBe("אפשר עכשיו **לייצא** כל דוח.");
    expect(correction.data.after.bodyHe).toBe("אפשר עכשיו לייצא כל דוח, גם מתוזמן.");

    // Saving the same text again changes nothing and records nothing.
    const count = (await auditActions(id)).length;
    await updateAnnouncement({
      actor: staff,
      id,
      input: input({ bodyHe: "אפשר עכשיו לייצא כל דוח, גם מתוזמן." }),
    });
    expect((await auditActions(id)).length).toBe(count);

    // Published is for good: not again, not back to a draft, not deleted.
    // One at a time: started together, they would run at once on PostgreSQL's pool.
    for (const attempt of [
      () => publishAnnouncement({ actor: staff, id }),
      () => unscheduleAnnouncement({ actor: staff, id }),
      () => deleteDraft({ actor: staff, id }),
    ]) {
      expect((await refusal(attempt())).messageKey).toBe("announcements.error.alreadyPublished");
    }
    expect(await getPublishedAnnouncement(id)).toBeDefined();
  });

  it("may be scheduled, stays unseen until its time, and may go back to a draft or be deleted", async () => {
    const { id } = await createAnnouncement({ actor: staff, input: input() });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const { state, publishedAt } = await publishAnnouncement({ actor: staff, id, at: later });
    expect(state).toBe("scheduled");
    expect(publishedAt).toBe(later);
    expect(await getPublishedAnnouncement(id)).toBeUndefined();
    expect((await getAnnouncementForStaff({ actor: staff, id })).state).toBe("scheduled");
    // Correcting a scheduled one is an edit: nobody has read it yet.
    await updateAnnouncement({ actor: staff, id, input: input({ titleHe: "ייצוא מתוזמן" }) });
    expect((await getAnnouncementForStaff({ actor: staff, id })).editedAt).toBeNull();

    await unscheduleAnnouncement({ actor: staff, id });
    expect((await getAnnouncementForStaff({ actor: staff, id })).state).toBe("draft");
    await deleteDraft({ actor: staff, id });
    expect((await refusal(getAnnouncementForStaff({ actor: staff, id }))).status).toBe(404);
    expect((await auditActions(id)).map((a) => a.action)).toEqual([
      "announcement.create",
      "announcement.schedule",
      "announcement.edit",
      "announcement.unschedule",
      "announcement.delete",
    ]);

    const far = await createAnnouncement({ actor: staff, input: input() });
    const tooFar = new Date(Date.now() + 400 * 86_400_000).toISOString();
    expect(
      (await refusal(publishAnnouncement({ actor: staff, id: far.id, at: tooFar }))).field,
    ).toBe("publishAt");
  });

  it("covers shipped public requests only", async () => {
    const countRows = async () =>
      (await getDb().selectFrom("announcements").select("id").execute()).length;
    const before = await countRows();
    const author = await makeCustomer({ name: "Author" });
    const open = await proposeRequest(author);
    expect(
      (await refusal(createAnnouncement({ actor: staff, input: input({ requestIds: [open.id] }) })))
        .messageKey,
    ).toBe("announcements.error.requestNotShipped");
    const shipped = await shippedRequest();
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "=", shipped)
      .execute();
    expect(
      (await refusal(createAnnouncement({ actor: staff, input: input({ requestIds: [shipped] }) })))
        .messageKey,
    ).toBe("announcements.error.requestNotPublic");
    expect(
      (await refusal(createAnnouncement({ actor: staff, input: input({ requestIds: [999_999] }) })))
        .messageKey,
    ).toBe("announcements.error.requestNotFound");
    expect(await countRows()).toBe(before);
  });

  it("refuses half an English version and text over the limits, naming the field", async () => {
    const cases: [Partial<AnnouncementInput>, string, string][] = [
      [{ titleHe: " " }, "titleHe", "announcements.error.titleRequired"],
      [{ bodyHe: "" }, "bodyHe", "announcements.error.bodyRequired"],
      [{ titleHe: "א".repeat(161) }, "titleHe", "announcements.error.titleTooLong"],
      [{ bodyHe: "א".repeat(20_001) }, "bodyHe", "announcements.error.bodyTooLong"],
      [{ titleEn: "Excel export" }, "bodyEn", "announcements.error.englishBodyMissing"],
      [{ bodyEn: "Export any report." }, "titleEn", "announcements.error.englishTitleMissing"],
    ];
    for (const [overrides, field, key] of cases) {
      const error = await refusal(createAnnouncement({ actor: staff, input: input(overrides) }));
      expect([error.field, error.messageKey]).toEqual([field, key]);
    }
  });

  it("is written by staff only: a customer is refused as if it did not exist", async () => {
    const customer = await makeCustomer({ name: "Customer" });
    const { id } = await createAnnouncement({ actor: staff, input: input() });
    for (const attempt of [
      () => createAnnouncement({ actor: customer.actor, input: input() }),
      () => updateAnnouncement({ actor: customer.actor, id, input: input({ titleHe: "נפרץ" }) }),
      () => publishAnnouncement({ actor: customer.actor, id }),
      () => deleteDraft({ actor: customer.actor, id }),
      () => getAnnouncementForStaff({ actor: customer.actor, id }),
    ]) {
      expect((await refusal(attempt())).status).toBe(404);
    }
    const row = await getDb()
      .selectFrom("announcements")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title_he: "ייצוא לאקסל", published_at: null });
  });

  it("reads in English when it has English, else in Hebrew marked as a fallback", async () => {
    const both = { titleHe: "כותרת", bodyHe: "גוף", titleEn: "Title", bodyEn: "Body" };
    expect(announcementText(both, "en")).toEqual({
      title: "Title",
      bodyMd: "Body",
      lang: "en",
      fallback: false,
    });
    expect(announcementText(both, "he")).toEqual({
      title: "כותרת",
      bodyMd: "גוף",
      lang: "he",
      fallback: false,
    });
    const hebrewOnly = { ...both, titleEn: null, bodyEn: null };
    expect(announcementText(hebrewOnly, "en")).toEqual({
      title: "כותרת",
      bodyMd: "גוף",
      lang: "he",
      fallback: true,
    });
  });

  it("loads many at once in the order asked, with their requests' sponsors", async () => {
    const requestId = await shippedRequest();
    const first = await createAnnouncement({
      actor: staff,
      input: input({ requestIds: [requestId] }),
    });
    const second = await createAnnouncement({ actor: staff, input: input({ titleHe: "שני" }) });
    const views = await loadAnnouncements(getDb(), [second.id, 424_242, first.id]);
    expect(views.map((v) => v.id)).toEqual([second.id, first.id]);
    expect(views[1]!.requests).toEqual([
      expect.objectContaining({ id: requestId, orgCount: 1, sponsors: [] }),
    ]);
  });
});

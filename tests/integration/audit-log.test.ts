// The audit log page: staff admins only, every row newest first, filters by who, what and which
// request, keyset paging; and rows, once written, never change whatever happens next.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { listAuditLog, recordAudit } from "~/models/audit.server";
import { createCategory, renameCategory, setCategoryArchived } from "~/models/categories.server";
import { updatePricingSettings } from "~/models/settings.server";
import { grantStaff, revokeStaff } from "~/models/staff.server";
import { loader } from "~/routes/staff.audit";
import { actorOf, makeCustomer, makeUser, proposeRequest, uniqueEmail } from "../support/factories";
import { getRequest, run, sessionCookieFor, testContext, unwrap } from "../support/requests";

type Person = Awaited<ReturnType<typeof makeUser>>;

const staffAdmin = (name = "Audit Admin") =>
  makeUser({ name, email: uniqueEmail("admin"), isStaff: true, staffRole: "admin" });

async function view(user: Person | null, search = "") {
  const cookie = user ? await sessionCookieFor(user) : undefined;
  return unwrap(
    await run(() =>
      loader({
        request: getRequest(`/staff/audit${search}`, { cookie }),
        params: {},
        context: testContext(),
      }),
    ),
  );
}

async function allRows() {
  return getDb().selectFrom("audit_log").selectAll().orderBy("id").execute();
}

describe("who may read the audit log", () => {
  it("sends visitors to sign in, is 404 for customers and 403 for staff who are not admins", async () => {
    const customer = await makeCustomer({ name: "Nosy Customer" });
    const customerUser = await getDb()
      .selectFrom("users")
      .selectAll()
      .where("id", "=", customer.actor.id)
      .executeTakeFirstOrThrow();
    const member = await makeUser({ name: "Plain Staff", isStaff: true, staffRole: "member" });
    const admin = await staffAdmin();

    const visitor = await view(null);
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe("/signin?redirectTo=%2Fstaff%2Faudit");
    expect((await view(customerUser)).status).toBe(404);
    expect((await view(member)).status).toBe(403);
    expect((await view(admin)).status).toBe(200);
  });
});

describe("the audit log page", () => {
  it("lists who did what to which subject, newest first, with before and after", async () => {
    const admin = await staffAdmin("Renaming Admin");
    const actor = actorOf(admin);
    const { id } = await createCategory({ actor, slug: uniqueSlug(), nameHe: "א", nameEn: "A" });
    await renameCategory({ actor, categoryId: id, nameHe: "ב", nameEn: "B" });

    const page = await view(admin);

    expect(page.status).toBe(200);
    const [newest, previous] = page.data.items;
    expect(newest).toMatchObject({
      action: "category.rename",
      actorId: admin.id,
      actorName: "Renaming Admin",
      subjectType: "category",
      subjectId: id,
      data: { before: { nameHe: "א", nameEn: "A" }, after: { nameHe: "ב", nameEn: "B" } },
    });
    expect(previous).toMatchObject({ action: "category.create", subjectId: id });
    expect(newest.id).toBeGreaterThan(previous.id);
    expect(page.data.staff).toContainEqual({ id: admin.id, name: "Renaming Admin" });
  });

  it("filters by actor, by action and by request", async () => {
    const first = await staffAdmin("First Filterer");
    const second = await staffAdmin("Second Filterer");
    const author = await makeCustomer({ name: "Filtered Author" });
    const { id: requestId } = await proposeRequest(author);
    const { id: otherRequest } = await proposeRequest(author);
    await getDb()
      .transaction()
      .execute(async (trx) => {
        for (const [who, subject] of [
          [first, requestId],
          [second, requestId],
          [first, otherRequest],
        ] as const) {
          await recordAudit(trx, {
            actorId: who.id,
            action: "request.status",
            subjectType: "request",
            subjectId: subject,
            data: { before: { status: "planned" }, after: { status: "in_progress" } },
          });
        }
      });

    const byActor = await view(first, `?actor=${first.id}`);
    expect(byActor.data.items.every((r: { actorId: number }) => r.actorId === first.id)).toBe(true);
    expect(byActor.data.items).toHaveLength(2);

    const byRequest = await view(first, `?request=${requestId}`);
    expect(byRequest.data.items.map((r: { actorId: number }) => r.actorId)).toEqual([
      second.id,
      first.id,
    ]);

    const byAll = await view(
      first,
      `?actor=${first.id}&action=request.status&request=${requestId}`,
    );
    expect(byAll.data.items).toHaveLength(1);
    expect(byAll.data.filters).toEqual({
      actor: String(first.id),
      action: "request.status",
      request: String(requestId),
    });

    const byAction = await view(first, "?action=request.status");
    expect(byAction.data.items).toHaveLength(3);
    expect(
      byAction.data.items.every((r: { action: string }) => r.action === "request.status"),
    ).toBe(true);
    // The other filters' rows are there without them.
    expect((await view(first)).data.items.map((r: { action: string }) => r.action)).toContain(
      "category.rename",
    );
  });

  it("pages by keyset: every row once, in order, however many there are", async () => {
    const admin = await staffAdmin("Paging Admin");
    const actor = actorOf(admin);
    for (let i = 0; i < 5; i++)
      await createCategory({ actor, slug: uniqueSlug(), nameHe: `ק${i}`, nameEn: `C${i}` });

    const seen: number[] = [];
    let cursor: number | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = await listAuditLog({
        actor,
        filters: { actorId: admin.id },
        cursor,
        limit: 2,
      });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    const expected = (await allRows())
      .filter((r) => r.actor_id === admin.id)
      .map((r) => r.id)
      .reverse();
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(5);

    // Through the URL too: the second page continues below the first.
    const first = await view(admin, `?actor=${admin.id}`);
    expect(first.data.nextCursor).toBeNull();
    const below = await view(admin, `?actor=${admin.id}&cursor=${expected[1]}`);
    expect(below.data.items.map((r: { id: number }) => r.id)).toEqual(expected.slice(2));
    expect(below.data.isFirstPage).toBe(false);
  });

  it("lists a row of an action it does not know, under its own name", async () => {
    const admin = await staffAdmin();
    await recordAudit(getDb(), {
      actorId: admin.id,
      action: "future.thing",
      subjectType: "widget",
      subjectId: 7,
    });
    const page = await view(admin, `?action=future.thing`);
    expect(page.data.items).toEqual([
      expect.objectContaining({ action: "future.thing", subjectType: "widget", data: {} }),
    ]);
  });
});

describe("rows already written", () => {
  it("stay exactly as they were while staff keep changing things", async () => {
    const admin = await staffAdmin("Busy Admin");
    const actor = actorOf(admin);
    const { id } = await createCategory({ actor, slug: uniqueSlug(), nameHe: "ש", nameEn: "S" });
    const colleague = await makeUser({ name: "Temporary", email: uniqueEmail("temp") });
    const before = await allRows();

    await renameCategory({ actor, categoryId: id, nameHe: "ת", nameEn: "T" });
    await setCategoryArchived({ actor, categoryId: id, archived: true });
    await grantStaff({ actor, email: colleague.email, role: "member" });
    await revokeStaff({ actor, userId: colleague.id });
    await updatePricingSettings({ actor, hourlyRateMinor: 27000, vatBps: 1700 });

    const after = await allRows();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((r) => r.action)).toEqual([
      "category.rename",
      "category.archive",
      "staff.grant",
      "staff.revoke",
      "settings.update",
    ]);
  });
});

let slugs = 0;
function uniqueSlug() {
  return `audit-${process.pid}-${++slugs}`;
}

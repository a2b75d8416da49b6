// Staff settings through their route: who may see and change them (nothing changes when
// refused), categories (add, rename, reorder, archive keeping their requests), staff (grant,
// role, revoke, never the last staff admin), the rate and VAT, and an audit row for each change.
import { describe, expect, it } from "vitest";
import { takeToast } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { listCategories } from "~/models/categories.server";
import { createRequest, getRequest as getRequestModel } from "~/models/requests.server";
import { getPricingSettings } from "~/models/settings.server";
import { action, loader } from "~/routes/staff.settings";
import {
  addMember,
  insertOrg,
  makeCategory,
  makeCustomer,
  makeUser,
  proposeRequest,
  uniqueEmail,
} from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

type Person = Awaited<ReturnType<typeof makeUser>>;

const staffAdmin = (name = "Staff Admin") =>
  makeUser({ name, email: uniqueEmail("admin"), isStaff: true, staffRole: "admin" });
const staffMember = (name = "Staff Member") =>
  makeUser({ name, email: uniqueEmail("staff"), isStaff: true, staffRole: "member" });

async function view(user: Person | null) {
  const cookie = user ? await sessionCookieFor(user) : undefined;
  return unwrap(
    await run(() =>
      loader({
        request: getRequest("/staff/settings", { cookie }),
        params: {},
        context: testContext(),
      }),
    ),
  );
}

async function post(user: Person | null, fields: Record<string, string>) {
  const cookie = user ? await sessionCookieFor(user) : undefined;
  return unwrap(
    await run(() =>
      action({
        request: formRequest("/staff/settings", fields, { cookie }),
        params: {},
        context: testContext(),
      }),
    ),
  );
}

/** Everything these pages can change, to compare before and after a refusal. */
async function snapshot() {
  const db = getDb();
  return {
    categories: await db.selectFrom("categories").selectAll().orderBy("id").execute(),
    staff: await db
      .selectFrom("users")
      .select(["id", "is_staff", "staff_role"])
      .orderBy("id")
      .execute(),
    settings: await db.selectFrom("settings").selectAll().orderBy("key").execute(),
    audit: await db.selectFrom("audit_log").select("id").orderBy("id").execute(),
  };
}

async function auditRowsFor(action: string, subjectId: number | null) {
  let query = getDb()
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", action)
    .orderBy("id");
  query =
    subjectId === null
      ? query.where("subject_id", "is", null)
      : query.where("subject_id", "=", subjectId);
  return (await query.execute()).map((row) => ({ ...row, data: JSON.parse(row.data_json) }));
}

async function categoryBySlug(slug: string) {
  return getDb()
    .selectFrom("categories")
    .selectAll()
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
}

/** Leaves `admin` as the only staff admin (other tests in this file made more). */
async function onlyAdmin(admin: Person) {
  await getDb()
    .updateTable("users")
    .set({ staff_role: "member" })
    .where("staff_role", "=", "admin")
    .where("id", "!=", admin.id)
    .execute();
}

describe("who may use staff settings", () => {
  it("sends visitors to sign in, is 404 for customers and 403 for staff who are not admins, and changes nothing", async () => {
    const customer = await makeCustomer({ name: "Curious Customer" });
    const customerUser = await getDb()
      .selectFrom("users")
      .selectAll()
      .where("id", "=", customer.actor.id)
      .executeTakeFirstOrThrow();
    const member = await staffMember();
    const category = await makeCategory("Untouchable");
    const target = await staffAdmin("Target Admin");
    const before = await snapshot();

    for (const [who, status] of [
      [null, 302],
      [customerUser, 404],
      [member, 403],
    ] as const) {
      const page = await view(who);
      expect(page.status).toBe(status);
      if (!who) expect(page.headers.get("Location")).toMatch(/^\/signin\?redirectTo=/);
      const attempts: Record<string, string>[] = [
        { intent: "categoryCreate", slug: "sneaky", nameHe: "חשאי", nameEn: "Sneaky" },
        { intent: "categoryRename", categoryId: String(category.id), nameHe: "א", nameEn: "B" },
        { intent: "categoryMove", categoryId: String(category.id), direction: "up" },
        { intent: "categoryArchive", categoryId: String(category.id), archived: "1" },
        { intent: "staffGrant", email: customer.email, role: "admin" },
        { intent: "staffRole", userId: String(target.id), role: "member" },
        { intent: "staffRevoke", userId: String(target.id) },
        { intent: "pricing", hourlyRate: "1", vatPercent: "1" },
      ];
      for (const fields of attempts) {
        expect((await post(who, fields)).status, `${fields.intent} by ${who?.name}`).toBe(status);
      }
    }

    expect(await snapshot()).toEqual(before);
  });

  it("shows a staff admin the categories (archived too), the staff and the settings", async () => {
    const admin = await staffAdmin("Settings Viewer");
    const archived = await makeCategory("Old stuff");
    await getDb()
      .updateTable("categories")
      .set({ archived_at: new Date().toISOString() })
      .where("id", "=", archived.id)
      .execute();

    const page = await view(admin);

    expect(page.status).toBe(200);
    expect(page.data.categories).toContainEqual(
      expect.objectContaining({ id: archived.id, archived: true }),
    );
    expect(page.data.staff).toContainEqual(
      expect.objectContaining({ id: admin.id, role: "admin" }),
    );
    expect(page.data.pricing).toEqual({ hourlyRateMinor: 25000, vatBps: 1800, currency: "ILS" });
  });
});

describe("categories", () => {
  it("adds one at the end, in both languages, with an audit row", async () => {
    const admin = await staffAdmin();
    const result = await post(admin, {
      intent: "categoryCreate",
      slug: "Reports-2027",
      nameHe: "  דוחות 2027 ",
      nameEn: "Reports 2027",
    });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/staff/settings");
    const created = await categoryBySlug("reports-2027");
    expect(created).toMatchObject({ name_he: "דוחות 2027", name_en: "Reports 2027" });
    const positions = (await getDb().selectFrom("categories").select("position").execute()).map(
      (r) => r.position,
    );
    expect(created.position).toBe(Math.max(...positions));
    expect((await listCategories()).map((c) => c.slug)).toContain("reports-2027");
    const [audit] = await auditRowsFor("category.create", created.id);
    expect(audit).toMatchObject({ actor_id: admin.id, subject_type: "category" });
    expect(audit.data.after).toMatchObject({ slug: "reports-2027", nameEn: "Reports 2027" });
  });

  it("shows every field's error at once and keeps what was typed", async () => {
    const admin = await staffAdmin();
    const before = await snapshot();

    const result = await post(admin, {
      intent: "categoryCreate",
      slug: "not a slug!",
      nameHe: "",
      nameEn: "x".repeat(61),
    });

    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      slug: "staffSettings.category.error.slugInvalid",
      nameHe: "error.required",
      nameEn: "staffSettings.category.error.nameTooLong",
    });
    expect(result.data.values).toMatchObject({ slug: "not a slug!", nameEn: "x".repeat(61) });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an address name another category has, beside the field", async () => {
    const admin = await staffAdmin();
    const existing = await makeCategory("Taken");
    const before = await snapshot();

    const result = await post(admin, {
      intent: "categoryCreate",
      slug: existing.slug,
      nameHe: "כפול",
      nameEn: "Double",
    });

    expect(result.status).toBe(409);
    expect(result.data.errors).toEqual({ slug: "staffSettings.category.error.slugTaken" });
    expect(await snapshot()).toEqual(before);
  });

  it("renames one in both languages, and its requests show the new name", async () => {
    const admin = await staffAdmin();
    const category = await makeCategory("Before");
    const author = await makeCustomer({ name: "Renamed Author" });
    const { id } = await proposeRequest(author, { categoryId: category.id });

    const result = await post(admin, {
      intent: "categoryRename",
      categoryId: String(category.id),
      nameHe: "אחרי",
      nameEn: "After",
    });

    expect(result.status).toBe(302);
    expect(await getRequestModel({ id })).toMatchObject({
      categoryNameHe: "אחרי",
      categoryNameEn: "After",
    });
    const [audit] = await auditRowsFor("category.rename", category.id);
    expect(audit.data).toMatchObject({
      before: { nameHe: "Before (he)", nameEn: "Before" },
      after: { nameHe: "אחרי", nameEn: "After" },
    });
  });

  it("moves one up and down the list, and refuses to move past the end", async () => {
    const admin = await staffAdmin();
    const a = await makeCategory("Order A");
    const b = await makeCategory("Order B");
    const order = async () =>
      (await view(admin)).data.categories.map((c: { id: number }) => c.id) as number[];
    const before = await order();
    const at = before.indexOf(b.id);
    expect(before.indexOf(a.id)).toBe(at - 1);

    expect(
      (await post(admin, { intent: "categoryMove", categoryId: String(b.id), direction: "up" }))
        .status,
    ).toBe(302);
    const after = await order();
    expect(after.indexOf(b.id)).toBe(at - 1);
    expect(after.indexOf(a.id)).toBe(at);
    expect((await listCategories()).map((c) => c.id).indexOf(b.id)).toBeLessThan(
      (await listCategories()).map((c) => c.id).indexOf(a.id),
    );
    const [audit] = await auditRowsFor("category.reorder", b.id);
    expect(audit.data).toMatchObject({
      direction: "up",
      before: { position: at + 1 },
      after: { position: at },
    });

    // The last one cannot go further down.
    const last = after[after.length - 1];
    const unchanged = await snapshot();
    const refused = await post(admin, {
      intent: "categoryMove",
      categoryId: String(last),
      direction: "down",
    });
    expect(refused.status).toBe(409);
    expect(refused.data.errors).toEqual({ form: "staffSettings.category.error.cannotMove" });
    expect(await snapshot()).toEqual(unchanged);
  });

  it("archives one: gone from the propose form and the filters, its requests keep it", async () => {
    const admin = await staffAdmin();
    const category = await makeCategory("Archivable");
    const author = await makeCustomer({ name: "Archive Author" });
    const { id } = await proposeRequest(author, { categoryId: category.id });

    const result = await post(admin, {
      intent: "categoryArchive",
      categoryId: String(category.id),
      archived: "1",
    });

    expect(result.status).toBe(302);
    expect((await listCategories()).map((c) => c.id)).not.toContain(category.id);
    const request = await getRequestModel({ id });
    expect(request).toMatchObject({ categoryId: category.id, categoryNameEn: "Archivable" });
    await expect(
      createRequest({
        actor: author.actor,
        orgId: author.orgId,
        title: "Into an archived category",
        bodyMd: "",
        categoryId: category.id,
      }),
    ).rejects.toMatchObject({ field: "categoryId" });
    expect(await auditRowsFor("category.archive", category.id)).toHaveLength(1);

    // And back.
    await post(admin, {
      intent: "categoryArchive",
      categoryId: String(category.id),
      archived: "0",
    });
    expect((await listCategories()).map((c) => c.id)).toContain(category.id);
    expect(await auditRowsFor("category.unarchive", category.id)).toHaveLength(1);
  });
});

describe("staff", () => {
  it("grants staff by e-mail to an account in no organization", async () => {
    const admin = await staffAdmin();
    const newcomer = await makeUser({ name: "New Colleague", email: uniqueEmail("colleague") });

    const result = await post(admin, {
      intent: "staffGrant",
      email: newcomer.email.toUpperCase(),
      role: "member",
    });

    expect(result.status).toBe(302);
    const row = await getDb()
      .selectFrom("users")
      .select(["is_staff", "staff_role"])
      .where("id", "=", newcomer.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ is_staff: 1, staff_role: "member" });
    const cookie = result.headers.get("Set-Cookie") ?? "";
    const toast = await takeToast(getRequest("/staff/settings", { cookie: cookie.split(";")[0] }));
    expect(toast.toast).toMatchObject({
      key: "staffSettings.toast.staffGranted",
      params: { name: "New Colleague" },
    });
    const [audit] = await auditRowsFor("staff.grant", newcomer.id);
    expect(audit.data).toEqual({
      before: { staff: false },
      after: { staff: true, role: "member" },
    });
  });

  it.each([
    ["an unknown address", "noAccount", 404],
    ["a customer's account", "isCustomer", 409],
    ["someone already staff", "alreadyStaff", 409],
  ] as const)("refuses %s beside the e-mail field", async (_what, error, status) => {
    const admin = await staffAdmin();
    let email = uniqueEmail("nobody");
    if (error === "isCustomer") {
      const customer = await makeUser({ name: "A Customer", email: uniqueEmail("cust") });
      await addMember((await insertOrg("Customer Org")).id, customer.id);
      email = customer.email;
    }
    if (error === "alreadyStaff") email = (await staffMember()).email;
    const before = await snapshot();

    const result = await post(admin, { intent: "staffGrant", email, role: "admin" });

    expect(result.status).toBe(status);
    expect(result.data.errors).toEqual({ email: `staffSettings.staff.error.${error}` });
    expect(result.data.values.email).toBe(email);
    expect(await snapshot()).toEqual(before);
  });

  it("changes a role and revokes staff, each audited", async () => {
    const admin = await staffAdmin();
    const colleague = await staffMember("Promoted Colleague");

    expect(
      (await post(admin, { intent: "staffRole", userId: String(colleague.id), role: "admin" }))
        .status,
    ).toBe(302);
    expect((await auditRowsFor("staff.role", colleague.id))[0].data).toEqual({
      before: { role: "member" },
      after: { role: "admin" },
    });

    expect(
      (await post(admin, { intent: "staffRevoke", userId: String(colleague.id) })).status,
    ).toBe(302);
    const row = await getDb()
      .selectFrom("users")
      .select(["is_staff", "staff_role"])
      .where("id", "=", colleague.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ is_staff: 0, staff_role: null });
    expect((await auditRowsFor("staff.revoke", colleague.id))[0].data).toEqual({
      before: { staff: true, role: "admin" },
      after: { staff: false },
    });
    // Revoked at once: the former colleague's next visit is a customer's.
    expect((await view(colleague)).status).toBe(404);
  });

  it("never demotes or removes the last staff admin, and the page says why", async () => {
    const admin = await staffAdmin("The Last Admin");
    await onlyAdmin(admin);
    const before = await snapshot();

    const attempts: Record<string, string>[] = [
      { intent: "staffRole", userId: String(admin.id), role: "member" },
      { intent: "staffRevoke", userId: String(admin.id) },
    ];
    for (const fields of attempts) {
      const result = await post(admin, fields);
      expect(result.status).toBe(409);
      expect(result.data.errors).toEqual({ form: "staffSettings.staff.error.lastAdmin" });
    }
    expect(await snapshot()).toEqual(before);

    // With a second admin, the first may step down.
    const second = await staffMember("Second Admin");
    await post(admin, { intent: "staffRole", userId: String(second.id), role: "admin" });
    expect(
      (await post(admin, { intent: "staffRole", userId: String(admin.id), role: "member" })).status,
    ).toBe(302);
    // Now the second is the last one, and they cannot leave either.
    const refused = await post(second, { intent: "staffRevoke", userId: String(second.id) });
    expect(refused.status).toBe(409);
  });
});

describe("rate and VAT", () => {
  it("stores shekels as agorot and percent as basis points, with before and after", async () => {
    const admin = await staffAdmin();
    const before = await getPricingSettings();

    const result = await post(admin, {
      intent: "pricing",
      hourlyRate: "312",
      vatPercent: "17.5",
    });

    expect(result.status).toBe(302);
    expect(await getPricingSettings()).toEqual({
      hourlyRateMinor: 31200,
      vatBps: 1750,
      currency: "ILS",
    });
    const [audit] = (await auditRowsFor("settings.update", null)).slice(-1);
    expect(audit.data).toEqual({
      before: { hourlyRateMinor: before.hourlyRateMinor, vatBps: before.vatBps },
      after: { hourlyRateMinor: 31200, vatBps: 1750 },
    });
  });

  it("refuses an hourly rate with agorot beside the field: quotes multiply it by quarter hours", async () => {
    const admin = await staffAdmin();
    const before = await snapshot();
    const result = await post(admin, { intent: "pricing", hourlyRate: "312.5", vatPercent: "18" });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ hourlyRate: "staffSettings.quote.error.rateWhole" });
    expect(result.data.values.hourlyRate).toBe("312.5");
    expect(await snapshot()).toEqual(before);
  });

  it("saves a new quote's default terms and validity, with an audit row", async () => {
    const admin = await staffAdmin();
    const result = await post(admin, {
      intent: "quoteSettings",
      termsMd: "**Our** terms.",
      validDays: "45",
    });
    expect(result.status).toBe(302);
    const page = await view(admin);
    expect(page.data.quote).toEqual({ termsMd: "**Our** terms.", validDays: 45 });
    const [audit] = (await auditRowsFor("settings.update", null)).slice(-1);
    expect(audit.data).toMatchObject({
      after: { quoteValidDays: 45, quoteTermsMd: "**Our** terms." },
    });
  });

  it("refuses a validity that is not 1 to 365 days, keeping the terms typed", async () => {
    const admin = await staffAdmin();
    const before = await snapshot();
    const result = await post(admin, { intent: "quoteSettings", termsMd: "Kept.", validDays: "0" });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ validDays: "staffSettings.quote.error.validDays" });
    expect(result.data.values.termsMd).toBe("Kept.");
    expect(await snapshot()).toEqual(before);
  });

  it("previews the default terms without JavaScript and saves nothing", async () => {
    const admin = await staffAdmin();
    const before = await snapshot();
    const result = await post(admin, {
      intent: "quoteSettings",
      termsMd: "**Bold** terms.",
      validDays: "30",
      preview: "1",
    });
    expect(result.status).toBe(200);
    expect(result.data.preview).toContain("<strong>Bold</strong>");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses what is not an amount or a percentage, both at once, changing nothing", async () => {
    const admin = await staffAdmin();
    const before = await snapshot();

    const result = await post(admin, {
      intent: "pricing",
      hourlyRate: "12.345",
      vatPercent: "101",
    });

    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      hourlyRate: "staffSettings.pricing.error.rate",
      vatPercent: "staffSettings.pricing.error.vat",
    });
    expect(result.data.values).toMatchObject({ hourlyRate: "12.345", vatPercent: "101" });
    expect(await snapshot()).toEqual(before);
  });
});

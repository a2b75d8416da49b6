// The staff quote page (/requests/:id/quote) through its loader and action: the form prefilled
// from the settings and the voting organizations, a preview that computes without saving, a
// save that makes version 1, a revision that makes version 2 and supersedes it, every field's
// error at once with what was typed kept, the withdrawal, and customers answered with 404.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { israelDay } from "~/models/quotes.server";
import { updatePricingSettings, updateQuoteSettings } from "~/models/settings.server";
import { decideRequest } from "~/models/triage.server";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { action, loader } from "~/routes/requests.$id_.quote";
import { actorOf, makeOrg, makeStaffAdmin, makeUser, proposeRequest } from "../support/factories";
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

async function call(handler: unknown, request: Request, params: Record<string, string>) {
  return unwrap(
    await run(() => (handler as Handler)({ request, params, context: testContext() as never })),
  );
}

function addDays(day: string, days: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function setup() {
  const acme = await makeOrg("Quote Acme");
  const staffAdmin = await makeStaffAdmin("Quoting Staff");
  const staffUser = await getDb()
    .selectFrom("users")
    .selectAll()
    .where("id", "=", staffAdmin.id)
    .executeTakeFirstOrThrow();
  const { id } = await proposeRequest({ actor: actorOf(acme.admin), orgId: acme.org.id });
  await decideRequest({ actor: staffAdmin, requestId: id, decision: { kind: "sponsored" } });
  return {
    id,
    acme,
    staffAdmin,
    staff: await sessionCookieFor(staffUser as never),
    customer: await sessionCookieFor(acme.admin),
    path: `/requests/${id}/quote`,
    params: { id: String(id) },
  };
}

function validFields(orgId: number, extra: Record<string, string> = {}) {
  return {
    pricing: "hourly",
    hours: "10.25",
    rate: "250",
    amount: "",
    validUntil: addDays(israelDay(), 10),
    deliveryWeeks: "6",
    termsMd: "Built and shipped for everyone.",
    audience: "org",
    offeredOrgId: String(orgId),
    minShare: "",
    ...extra,
  };
}

async function quotesOf(requestId: number) {
  return getDb()
    .selectFrom("quotes")
    .selectAll()
    .where("request_id", "=", requestId)
    .orderBy("version")
    .execute();
}

describe("the staff quote page", () => {
  it("prefills the rate and validity from the settings and offers the voting organization", async () => {
    const { id, acme, staffAdmin, staff, path, params } = await setup();
    await updatePricingSettings({ actor: staffAdmin, hourlyRateMinor: 30_000, vatBps: 1_700 });
    await updateQuoteSettings({ actor: staffAdmin, termsMd: "Our terms.", validDays: 14 });
    const page = await call(loader, getRequest(path, { cookie: staff }), params);
    expect(page.status).toBe(200);
    expect(page.data.quotable).toBe(true);
    expect(page.data.vatBps).toBe(1_700);
    expect(page.data.values).toMatchObject({
      pricing: "hourly",
      hours: "",
      rate: "300",
      validUntil: addDays(israelDay(), 14),
      termsMd: "Our terms.",
      audience: "org",
      offeredOrgId: String(acme.org.id),
    });
    expect(page.data.votingOrgs.map((o: { id: number }) => o.id)).toEqual([acme.org.id]);
    expect(page.data.request.id).toBe(id);
    // The settings are the file's database's: back to the defaults for the other tests.
    await updatePricingSettings({ actor: staffAdmin, hourlyRateMinor: 25_000, vatBps: 1_800 });
    await updateQuoteSettings({ actor: staffAdmin, termsMd: "", validDays: 30 });
  });

  it("previews net, VAT and gross without saving anything", async () => {
    const { id, acme, staff, path, params } = await setup();
    const result = await call(
      action,
      formRequest(path, { ...validFields(acme.org.id), intent: "preview" }, { cookie: staff }),
      params,
    );
    expect(result.status).toBe(200);
    // 10.25 h × ₪250 = ₪2,562.50; VAT 18% = ₪461.25; gross ₪3,023.75.
    expect(result.data.preview.amounts).toEqual({
      netMinor: 256_250,
      vatMinor: 46_125,
      grossMinor: 302_375,
    });
    expect(result.data.values.hours).toBe("10.25");
    expect(await quotesOf(id)).toEqual([]);
  });

  it("saves version 1 with the amounts the preview showed, and goes back to the request", async () => {
    const { id, acme, staff, path, params } = await setup();
    const result = await call(
      action,
      formRequest(path, { ...validFields(acme.org.id), intent: "save" }, { cookie: staff }),
      params,
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/requests/${id}#quote-versions`);
    const [quote] = await quotesOf(id);
    expect(quote).toMatchObject({
      version: 1,
      status: "open",
      pricing: "hourly",
      quarter_hours: 41,
      rate_minor: 25_000,
      net_minor: 256_250,
      vat_minor: 46_125,
      gross_minor: 302_375,
      offered_org_id: acme.org.id,
      delivery_weeks: 6,
    });
    // The request page gives staff the version history.
    const requestPage = await call(
      requestLoader,
      getRequest(`/requests/${id}`, { cookie: staff }),
      params,
    );
    expect(requestPage.data.quote.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("revises: the form starts from the open quote, and saving makes version 2 and supersedes 1", async () => {
    const { id, acme, staff, path, params } = await setup();
    await call(
      action,
      formRequest(path, { ...validFields(acme.org.id), intent: "save" }, { cookie: staff }),
      params,
    );
    const page = await call(loader, getRequest(path, { cookie: staff }), params);
    expect(page.data.open).toMatchObject({ version: 1 });
    expect(page.data.values).toMatchObject({ hours: "10.25", rate: "250", deliveryWeeks: "6" });
    const revised = await call(
      action,
      formRequest(
        path,
        { ...page.data.values, pricing: "fixed", amount: "12,500", intent: "save" },
        { cookie: staff },
      ),
      params,
    );
    expect(revised.status).toBe(302);
    const [first, second] = await quotesOf(id);
    expect(first).toMatchObject({ version: 1, status: "superseded" });
    expect(second).toMatchObject({
      version: 2,
      status: "open",
      pricing: "fixed",
      net_minor: 1_250_000,
      vat_minor: 225_000,
      gross_minor: 1_475_000,
    });
  });

  it("refuses a form with every field's error at once, keeping what was typed", async () => {
    const { id, staff, path, params } = await setup();
    const fields = {
      pricing: "hourly",
      hours: "10.1",
      rate: "250.50",
      amount: "",
      validUntil: "2020-01-01",
      deliveryWeeks: "0",
      termsMd: "   ",
      audience: "org",
      offeredOrgId: "",
      minShare: "",
      intent: "save",
    };
    const result = await call(action, formRequest(path, fields, { cookie: staff }), params);
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({
      hours: "quote.error.hours",
      rate: "quote.error.rate",
      validUntil: "quote.error.validUntilPast",
      deliveryWeeks: "quote.error.delivery",
      termsMd: "quote.error.terms",
      offeredOrgId: "quote.error.org",
    });
    expect(result.data.values).toMatchObject({ hours: "10.1", rate: "250.50", deliveryWeeks: "0" });
    expect(await quotesOf(id)).toEqual([]);
  });

  it.each(["2027-02-30", "2027-13-01", "31/12/2027", ""])(
    "refuses %j as the last valid day, beside the field",
    async (validUntil) => {
      const { id, acme, staff, path, params } = await setup();
      const result = await call(
        action,
        formRequest(
          path,
          { ...validFields(acme.org.id), validUntil, intent: "save" },
          { cookie: staff },
        ),
        params,
      );
      expect(result.status).toBe(400);
      expect(result.data.errors).toEqual({ validUntil: "quote.error.validUntil" });
      expect(await quotesOf(id)).toEqual([]);
    },
  );

  it.each([
    ["hours", "1e3", "quote.error.hours"],
    ["hours", "-4", "quote.error.hours"],
    ["rate", "0", "quote.error.rate"],
    ["rate", "25,00", "quote.error.rate"],
  ])("refuses %s %j beside the field", async (field, value, error) => {
    const { id, acme, staff, path, params } = await setup();
    const result = await call(
      action,
      formRequest(
        path,
        { ...validFields(acme.org.id), [field]: value, intent: "save" },
        { cookie: staff },
      ),
      params,
    );
    expect(result.data.errors).toEqual({ [field]: error });
    expect(await quotesOf(id)).toEqual([]);
  });

  it("requires the fixed price when the pricing is fixed, and the hours are then ignored", async () => {
    const { id, acme, staff, path, params } = await setup();
    const result = await call(
      action,
      formRequest(
        path,
        { ...validFields(acme.org.id), pricing: "fixed", amount: "", intent: "save" },
        { cookie: staff },
      ),
      params,
    );
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ amount: "quote.error.amount" });
    expect(await quotesOf(id)).toEqual([]);
  });

  it("withdraws the open quote", async () => {
    const { id, acme, staff, path, params } = await setup();
    await call(
      action,
      formRequest(path, { ...validFields(acme.org.id), intent: "save" }, { cookie: staff }),
      params,
    );
    const [quote] = await quotesOf(id);
    const result = await call(
      action,
      formRequest(path, { intent: "withdraw", quoteId: String(quote.id) }, { cookie: staff }),
      params,
    );
    expect(result.status).toBe(302);
    expect((await quotesOf(id))[0]).toMatchObject({ status: "withdrawn" });
  });

  it("does not withdraw another request's quote through this request's address", async () => {
    const one = await setup();
    const other = await setup();
    await call(
      action,
      formRequest(
        one.path,
        { ...validFields(one.acme.org.id), intent: "save" },
        { cookie: one.staff },
      ),
      one.params,
    );
    const [quote] = await quotesOf(one.id);
    const result = await call(
      action,
      formRequest(
        other.path,
        { intent: "withdraw", quoteId: String(quote.id) },
        { cookie: other.staff },
      ),
      other.params,
    );
    expect(result.status).toBe(404);
    expect((await quotesOf(one.id))[0]).toMatchObject({ status: "open" });
  });

  it("answers customers with 404 and sends visitors to sign in, saving nothing", async () => {
    const { id, acme, customer, path, params } = await setup();
    expect((await call(loader, getRequest(path, { cookie: customer }), params)).status).toBe(404);
    const post = await call(
      action,
      formRequest(path, { ...validFields(acme.org.id), intent: "save" }, { cookie: customer }),
      params,
    );
    expect(post.status).toBe(404);
    const visitor = await call(loader, getRequest(path), params);
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/signin\?redirectTo=/);
    expect(await quotesOf(id)).toEqual([]);
    // Nor does the request page give them the version history.
    const page = await call(
      requestLoader,
      getRequest(`/requests/${id}`, { cookie: customer }),
      params,
    );
    expect(page.data.quote).toBeNull();
  });

  it("says a request that is not in status quoted cannot be quoted", async () => {
    const acme = await makeOrg("Unquoted Acme");
    const staff = await makeUser({ name: "Staff Two", isStaff: true, staffRole: "member" });
    const { id } = await proposeRequest({ actor: actorOf(acme.admin), orgId: acme.org.id });
    const cookie = await sessionCookieFor(staff);
    const path = `/requests/${id}/quote`;
    const page = await call(loader, getRequest(path, { cookie }), { id: String(id) });
    expect(page.data.quotable).toBe(false);
    const post = await call(
      action,
      formRequest(path, { ...validFields(acme.org.id), intent: "save" }, { cookie }),
      { id: String(id) },
    );
    expect(post.status).toBe(409);
    expect(post.data.errors).toEqual({ form: "quote.error.notQuotable" });
  });
});

describe("quote settings", () => {
  it("refuses an hourly rate that is not whole shekels", async () => {
    const admin = await makeStaffAdmin("Rate Admin");
    await expect(
      updatePricingSettings({ actor: admin, hourlyRateMinor: 25_050, vatBps: 1_800 }),
    ).rejects.toMatchObject({ messageKey: "staffSettings.quote.error.rateWhole" });
  });
});

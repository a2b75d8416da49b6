// Accepting, pledging and asking for a quote through /requests/:id/sponsor, as the browser sends
// the forms: the offered organization's admin signs, no one else can, a tampered hash or an
// expired quote is refused with nothing written, and an open quote is co-funded to the agora.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  israelDay,
  saveQuote,
  termsHash,
  withdrawQuote,
  type QuoteInput,
} from "~/models/quotes.server";
import { decideRequest } from "~/models/triage.server";
import { toggleVote } from "~/models/votes.server";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { action as sponsorAction, loader as sponsorLoader } from "~/routes/requests.$id_.sponsor";
import {
  actorOf,
  addMember,
  makeStaff,
  makeUser,
  makeOrg,
  proposeRequest,
} from "../support/factories";
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

const TERMS = "## Terms\n\nPayment within 30 days of delivery.";

function inDays(days: number) {
  return israelDay(Date.now() + days * 24 * 3600 * 1000);
}

/** A request from Acme's member, decided sponsored and quoted (to Acme, or open to all). */
async function setup({ audience = "org" as "org" | "open", fixedMinor = 1_000_000 } = {}) {
  const acme = await makeOrg("Quote Acme", ["member"]);
  const globex = await makeOrg("Quote Globex");
  const [member] = acme.members;
  const staff = await makeStaff("Quote Staff");
  const { id } = await proposeRequest({ actor: actorOf(member), orgId: acme.org.id });
  // Globex votes too, so an open quote has two voting organizations.
  await toggleVote({ requestId: id, actor: actorOf(globex.admin), orgId: globex.org.id });
  await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
  const input: QuoteInput = {
    pricing: "fixed",
    fixedMinor,
    validUntil: inDays(30),
    deliveryWeeks: 6,
    termsMd: TERMS,
    audience,
    offeredOrgId: audience === "org" ? acme.org.id : null,
  };
  const { quoteId, version } = await saveQuote({ actor: staff, requestId: id, input });
  const cookies = {
    acmeAdmin: await sessionCookieFor(acme.admin),
    member: await sessionCookieFor(member),
    globexAdmin: await sessionCookieFor(globex.admin),
  };
  return { id, acme, globex, member, staff, quoteId, version, cookies };
}

type World = Awaited<ReturnType<typeof setup>>;

function acceptFields(w: World, orgId: number, extra: Record<string, string> = {}) {
  return {
    intent: "accept",
    version: String(w.version),
    termsSha256: termsHash(TERMS),
    orgId: String(orgId),
    agreed: "on",
    signerName: "Dana Cohen",
    creditByName: "on",
    ...extra,
  };
}

function post(w: World, cookie: string, fields: Record<string, string>) {
  return call(sponsorAction, formRequest(`/requests/${w.id}/sponsor`, fields, { cookie }), {
    id: String(w.id),
  });
}

async function sponsorshipsOf(quoteId: number) {
  return getDb()
    .selectFrom("sponsorships")
    .selectAll()
    .where("quote_id", "=", quoteId)
    .orderBy("id")
    .execute();
}

async function quoteRow(quoteId: number) {
  return getDb()
    .selectFrom("quotes")
    .selectAll()
    .where("id", "=", quoteId)
    .executeTakeFirstOrThrow();
}

async function requestStatus(id: number) {
  return (
    await getDb()
      .selectFrom("requests")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).status;
}

describe("accepting a quote offered to one organization", () => {
  it("lets its admin sign: the sponsorship records the version, the signer, the share, the hash and the address", async () => {
    const w = await setup();
    const page = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.acmeAdmin }),
      { id: String(w.id) },
    );
    expect(page.status).toBe(200);
    expect(page.data.termsSha256).toBe(termsHash(TERMS));
    expect(page.data.chosenOrgId).toBe(w.acme.org.id);
    expect(page.data.termsHtml).toContain("Payment within 30 days");

    const result = await post(w, w.cookies.acmeAdmin, acceptFields(w, w.acme.org.id));
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/requests/${w.id}`);
    const [row] = await sponsorshipsOf(w.quoteId);
    const gross = (await quoteRow(w.quoteId)).gross_minor;
    expect(gross).toBe(1_180_000);
    expect(row).toMatchObject({
      quote_id: w.quoteId,
      quote_version: w.version,
      request_id: w.id,
      org_id: w.acme.org.id,
      share_minor: gross,
      signer_id: w.acme.admin.id,
      signer_name: "Dana Cohen",
      signer_email: w.acme.admin.email,
      signer_ip: "203.0.113.7",
      terms_sha256: termsHash(TERMS),
      credit_by_name: 1,
    });
    expect((await quoteRow(w.quoteId)).status).toBe("funded");
    expect(await requestStatus(w.id)).toBe("funded");

    // The request page now says funded and thanks Acme by name.
    const requestPage = await call(requestLoader, getRequest(`/requests/${w.id}`), {
      id: String(w.id),
    });
    expect(requestPage.data.quote.current.status).toBe("funded");
    expect(requestPage.data.quote.sponsors).toEqual([
      expect.objectContaining({ orgId: w.acme.org.id, creditByName: true }),
    ]);
  });

  it("comes back with every field's error and what was typed, writing nothing", async () => {
    const w = await setup();
    const result = await post(
      w,
      w.cookies.acmeAdmin,
      acceptFields(w, w.acme.org.id, { agreed: "", signerName: "D", creditByName: "on" }),
    );
    expect(result.status).toBe(400);
    expect(result.data.errors).toMatchObject({
      agreed: "quote.error.agree",
      signerName: "quote.error.signerName",
    });
    expect(result.data.values).toMatchObject({ signerName: "D", creditByName: "on" });
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(0);
  });

  it("does not let a member sign, but lets them ask their admins (one e-mail per admin)", async () => {
    const w = await setup();
    const secondAdmin = await makeUser({ name: "Second Admin" });
    await addMember(w.acme.org.id, secondAdmin.id, "admin");

    const page = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.member }),
      { id: String(w.id) },
    );
    expect(page.status).toBe(200);
    expect(page.data.admins).toEqual([]);
    expect(page.data.members.map((o: { id: number }) => o.id)).toEqual([w.acme.org.id]);

    const refused = await post(w, w.cookies.member, acceptFields(w, w.acme.org.id));
    expect(refused.status).toBe(403);
    expect(refused.data.errors.form).toBe("quote.error.notAdmin");
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(0);

    const outboxBefore = await getDb().selectFrom("outbox").select("id").execute();
    const asked = await post(w, w.cookies.member, { intent: "ask", orgId: String(w.acme.org.id) });
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe(`/requests/${w.id}`);
    const newRows = await getDb()
      .selectFrom("outbox")
      .select(["recipient"])
      .where("id", ">", Math.max(0, ...outboxBefore.map((r) => r.id)))
      .orderBy("recipient")
      .execute();
    expect(newRows.map((r) => r.recipient)).toEqual([w.acme.admin.email, secondAdmin.email].sort());
  });

  it("refuses an admin of another organization, writing nothing", async () => {
    const w = await setup();
    const page = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.globexAdmin }),
      { id: String(w.id) },
    );
    expect(page.status).toBe(200);
    expect(page.data.admins).toEqual([]);
    expect(page.data.members).toEqual([]);

    for (const orgId of [w.globex.org.id, w.acme.org.id]) {
      const result = await post(w, w.cookies.globexAdmin, acceptFields(w, orgId));
      expect(result.status).toBe(403);
      expect(["quote.error.notOffered", "quote.error.notAdmin"]).toContain(result.data.errors.form);
    }
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(0);
    expect((await quoteRow(w.quoteId)).pledged_minor).toBe(0);
  });

  it("refuses a tampered terms hash", async () => {
    const w = await setup();
    const result = await post(
      w,
      w.cookies.acmeAdmin,
      acceptFields(w, w.acme.org.id, { termsSha256: termsHash(`${TERMS} (changed)`) }),
    );
    expect(result.status).toBe(409);
    expect(result.data.errors.form).toBe("quote.error.termsChanged");
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(0);
  });

  it("refuses an expired quote, and its page says why", async () => {
    const w = await setup();
    await getDb()
      .updateTable("quotes")
      .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", w.quoteId)
      .execute();
    const page = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.acmeAdmin }),
      { id: String(w.id) },
    );
    expect(page.data.quote.status).toBe("expired");
    const result = await post(w, w.cookies.acmeAdmin, acceptFields(w, w.acme.org.id));
    expect(result.status).toBe(409);
    expect(result.data.errors.form).toBe("quote.error.expired");
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(0);
  });

  it("refuses a withdrawn quote and an old version after a revision", async () => {
    const w = await setup();
    const revised = await saveQuote({
      actor: w.staff,
      requestId: w.id,
      input: {
        pricing: "fixed",
        fixedMinor: 2_000_000,
        validUntil: inDays(30),
        deliveryWeeks: 8,
        termsMd: TERMS,
        audience: "org",
        offeredOrgId: w.acme.org.id,
      },
    });
    const stale = await post(w, w.cookies.acmeAdmin, acceptFields(w, w.acme.org.id));
    expect(stale.status).toBe(409);
    expect(stale.data.errors.form).toBe("quote.error.superseded");

    await withdrawQuote({ actor: w.staff, quoteId: revised.quoteId });
    const page = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.acmeAdmin }),
      { id: String(w.id) },
    );
    expect(page.data.quote).toMatchObject({ version: revised.version, status: "withdrawn" });
    const withdrawn = await post(
      w,
      w.cookies.acmeAdmin,
      acceptFields(w, w.acme.org.id, { version: String(revised.version) }),
    );
    expect(withdrawn.status).toBe(409);
    expect(withdrawn.data.errors.form).toBe("quote.error.notOpen");
    expect(
      await getDb()
        .selectFrom("sponsorships")
        .select("id")
        .where("request_id", "=", w.id)
        .execute(),
    ).toEqual([]);
  });

  it("lets the admin decline with a reason", async () => {
    const w = await setup();
    const result = await post(w, w.cookies.acmeAdmin, {
      intent: "decline",
      version: String(w.version),
      orgId: String(w.acme.org.id),
      reason: "Not this year.",
    });
    expect(result.status).toBe(302);
    const declines = await getDb()
      .selectFrom("quote_declines")
      .selectAll()
      .where("quote_id", "=", w.quoteId)
      .execute();
    expect(declines).toEqual([
      expect.objectContaining({ org_id: w.acme.org.id, reason: "Not this year." }),
    ]);
  });

  it("sends visitors to sign in", async () => {
    const w = await setup();
    const result = await call(sponsorLoader, getRequest(`/requests/${w.id}/sponsor`), {
      id: String(w.id),
    });
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/signin\?redirectTo=/);
  });
});

describe("co-sponsoring an open quote", () => {
  it("funds the request when two organizations' pledges cover the gross amount", async () => {
    const w = await setup({ audience: "open", fixedMinor: 1_000_000 });
    const page = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.acmeAdmin }),
      { id: String(w.id) },
    );
    // Two organizations voted, none pledged: ₪11,800 remain, ₪5,900 each.
    expect(page.data.split).toEqual({ organizations: 2, shareMinor: 590_000 });

    const first = await post(
      w,
      w.cookies.acmeAdmin,
      acceptFields(w, w.acme.org.id, { share: "5,900" }),
    );
    expect(first.status).toBe(302);
    expect((await quoteRow(w.quoteId)).pledged_minor).toBe(590_000);
    expect(await requestStatus(w.id)).toBe("quoted");

    const after = await call(
      sponsorLoader,
      getRequest(`/requests/${w.id}/sponsor`, { cookie: w.cookies.globexAdmin }),
      { id: String(w.id) },
    );
    expect(after.data.split).toEqual({ organizations: 1, shareMinor: 590_000 });

    const second = await post(
      w,
      w.cookies.globexAdmin,
      acceptFields(w, w.globex.org.id, { share: "5900.00", creditByName: "" }),
    );
    expect(second.status).toBe(302);
    const quote = await quoteRow(w.quoteId);
    expect(quote).toMatchObject({ status: "funded", pledged_minor: 1_180_000 });
    expect(await requestStatus(w.id)).toBe("funded");
    const rows = await sponsorshipsOf(w.quoteId);
    expect(rows.map((r) => [r.org_id, r.share_minor, r.credit_by_name])).toEqual([
      [w.acme.org.id, 590_000, 1],
      [w.globex.org.id, 590_000, 0],
    ]);
  });

  it("refuses a pledge above what remains, and with consent takes what remains", async () => {
    const w = await setup({ audience: "open", fixedMinor: 1_000_000 });
    await post(w, w.cookies.acmeAdmin, acceptFields(w, w.acme.org.id, { share: "8000" }));
    const over = await post(
      w,
      w.cookies.globexAdmin,
      acceptFields(w, w.globex.org.id, { share: "5000" }),
    );
    expect(over.status).toBe(409);
    expect(over.data.errors.share).toBe("quote.error.overRemaining");
    expect(over.data.values.share).toBe("5000");
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(1);

    const capped = await post(
      w,
      w.cookies.globexAdmin,
      acceptFields(w, w.globex.org.id, { share: "5000", capToRemaining: "on" }),
    );
    expect(capped.status).toBe(302);
    const rows = await sponsorshipsOf(w.quoteId);
    expect(rows[1]).toMatchObject({ org_id: w.globex.org.id, share_minor: 380_000 });
    expect((await quoteRow(w.quoteId)).status).toBe("funded");
  });

  it("asks for the share on an open quote", async () => {
    const w = await setup({ audience: "open" });
    const result = await post(
      w,
      w.cookies.acmeAdmin,
      acceptFields(w, w.acme.org.id, { share: "" }),
    );
    expect(result.status).toBe(400);
    expect(result.data.errors.share).toBe("quote.error.share");
    expect(await sponsorshipsOf(w.quoteId)).toHaveLength(0);
  });
});

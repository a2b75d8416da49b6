// Proposing what an open request already says: the model refuses it and names the existing
// request; the propose form (with and without JavaScript) shows it with its vote button.
import { describe, expect, it } from "vitest";
import { getDb, type RequestStatus } from "~/db.server";
import { createOrganization } from "~/models/orgs.server";
import { DuplicateRequest, titleKey } from "~/models/requests.server";
import { indexRequest } from "~/models/search.server";
import { action as proposeAction } from "~/routes/requests.new";
import { actorOf, makeUser } from "../support/factories";
import { makeCategory, makeCustomer, proposeRequest } from "../support/factories";
import { formRequest, run, sessionCookieFor, testContext, unwrap } from "../support/requests";

async function setStatus(id: number, status: RequestStatus) {
  await getDb().updateTable("requests").set({ status }).where("id", "=", id).execute();
}

async function requestCount() {
  const row = await getDb()
    .selectFrom("requests")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("an exact duplicate of an open request", () => {
  it("is refused with the existing request's id, however its title is spelled", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author, { title: "ייצוא דוח מע״מ לאקסל" });
    const another = await makeCustomer();
    for (const title of [
      "ייצוא דוח מע״מ לאקסל",
      "  ייצוא   דוח מע״מ לאקסל!  ",
      'ייצוא דוח מע"מ לאקסל.',
      "יְיצוּא דּוֹחַ מע״מ לְאקסל",
      "ייצוא דוח מעמ לאקסל",
    ]) {
      await expect(proposeRequest(another, { title }), title).rejects.toSatisfy(
        (error) => error instanceof DuplicateRequest && error.existingId === id,
      );
    }
    const english = await proposeRequest(author, { title: "Export the VAT report to Excel" });
    await expect(
      proposeRequest(another, { title: "export the vat report, to excel?" }),
    ).rejects.toMatchObject({
      existingId: english.id,
      messageKey: "request.error.duplicate",
      field: "title",
      status: 409,
    });
  });

  it("lets a near but different title through", async () => {
    const author = await makeCustomer();
    await proposeRequest(author, { title: "Export invoices to Excel" });
    for (const title of [
      "Export invoices to Excel monthly",
      "Export invoices to CSV",
      "Export invoices to Excel files",
    ]) {
      await expect(proposeRequest(author, { title }), title).resolves.toMatchObject({
        id: expect.any(Number),
      });
    }
  });

  it("lets a request like a shipped, declined, already possible or merged one through", async () => {
    const author = await makeCustomer();
    for (const status of ["shipped", "declined", "already_exists", "merged"] as const) {
      const title = `Closed request ${status.replace("_", " ")} again`;
      const { id } = await proposeRequest(author, { title });
      await setStatus(id, status);
      const again = await proposeRequest(author, { title });
      expect(again.id).not.toBe(id);
    }
    // A planned one is still open work: a duplicate of it is not.
    const { id } = await proposeRequest(author, { title: "A planned request stays open" });
    await setStatus(id, "planned");
    await expect(
      proposeRequest(author, { title: "A planned request stays open" }),
    ).rejects.toBeInstanceOf(DuplicateRequest);
  });

  it("is found among many requests sharing its words, through the index", async () => {
    // More hits than the id list takes: the index is then used as a filter inside the query.
    const author = await makeCustomer();
    const category = await makeCategory();
    const at = new Date().toISOString();
    await getDb()
      .transaction()
      .execute(async (trx) => {
        for (let n = 0; n < 1_050; n++) {
          const title = `Common words request number ${n}`;
          const { id } = await trx
            .insertInto("requests")
            .values({
              title,
              body_md: "",
              category_id: category.id,
              author_id: author.actor.id,
              org_id: author.orgId,
              status: "open",
              created_at: at,
              updated_at: at,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await indexRequest(trx, { id, title, bodyMd: "" });
        }
      });
    const target = await proposeRequest(author, { title: "Common words request number" });
    await expect(
      proposeRequest(author, { title: "common words, request number!" }),
    ).rejects.toMatchObject({ existingId: target.id });
    await expect(
      proposeRequest(author, { title: "Common words request number 7000" }),
    ).resolves.toMatchObject({ id: expect.any(Number) });
  });

  it("lands once when the same proposal is posted twice at the same moment", async () => {
    const author = await makeCustomer();
    const title = "Double clicked proposal lands once";
    const results = await Promise.allSettled([
      proposeRequest(author, { title }),
      proposeRequest(author, { title }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DuplicateRequest);
  });

  it("compares titles as the search index reads them", () => {
    expect(titleKey("  Hello,   WORLD!! ")).toBe("hello world");
    expect(titleKey("דוחות כספיים")).toBe(titleKey("דוחות כספיים."));
    expect(titleKey("שָׁלוֹם")).toBe(titleKey("שלום"));
    expect(titleKey("Export to Excel")).not.toBe(titleKey("Export to Excel files"));
  });
});

describe("the propose form meeting a duplicate", () => {
  async function customer(name: string) {
    const user = await makeUser({ name });
    await createOrganization({ actor: actorOf(user), name: `${name} Ltd` });
    return { user, cookie: await sessionCookieFor(user) };
  }

  async function propose(cookie: string, fields: Record<string, string>) {
    return unwrap(
      await run(() =>
        proposeAction({
          request: formRequest("/requests/new", fields, { cookie }),
          params: {},
          context: testContext(),
        }),
      ),
    );
  }

  it("says the request exists and offers its vote, with and without JavaScript, keeping the values", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const first = await propose(dana.cookie, {
      title: "Approval flow for purchase orders",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const existingId = Number(first.headers.get("Location")!.split("/").pop());
    const before = await requestCount();

    const noa = await customer("Noa");
    const fields = {
      title: "Approval flow for purchase orders.",
      bodyMd: "We need two approvers",
      categoryId: String(category.id),
    };
    // Without JavaScript the first submit is unconfirmed; with it, the form always confirms.
    for (const submitted of [fields, { ...fields, confirmed: "1" }]) {
      const result = await propose(noa.cookie, submitted);
      expect(result.status).toBe(409);
      expect(result.data.errors).toEqual({ title: "request.error.duplicate" });
      expect(result.data.duplicate).toMatchObject({
        id: existingId,
        title: "Approval flow for purchase orders",
        voteCount: 1,
        voted: false,
      });
      expect(result.data.values).toMatchObject(fields);
    }
    expect(await requestCount()).toBe(before);
  });
});

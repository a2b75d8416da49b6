// The request routes as a browser without JavaScript meets them: propose (with the similar-
// requests confirmation), vote, comment, follow; and the JSON the enhanced page uses.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { createOrganization } from "~/models/orgs.server";
import { action as requestAction, loader as requestLoader } from "~/routes/requests.$id/route";
import { action as voteAction } from "~/routes/requests.$id.vote";
import { action as proposeAction } from "~/routes/requests.new";
import { loader as similarLoader } from "~/routes/requests.similar";
import { loader as boardLoader } from "~/routes/_index";
import { actorOf, makeCategory, makeUser } from "../support/factories";
import {
  cookieFrom,
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

async function customer(name: string) {
  const user = await makeUser({ name });
  const org = await createOrganization({ actor: actorOf(user), name: `${name} Ltd` });
  return { user, org, cookie: await sessionCookieFor(user) };
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

describe("proposing a request without JavaScript", () => {
  it("shows similar requests first, then creates the request when confirmed", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const first = await propose(dana.cookie, {
      title: "ייצוא דוח מעמ לקובץ אקסל",
      bodyMd: "כל חודש",
      categoryId: String(category.id),
    });
    expect(first.status).toBe(302);
    const firstId = Number(first.headers.get("Location")!.split("/").pop());

    const noa = await customer("Noa");
    const fields = {
      title: "ייצוא דוח מעמ חודשי",
      bodyMd: "**גם לנו**",
      categoryId: String(category.id),
    };
    const asked = await propose(noa.cookie, fields);
    expect(asked.status).toBe(200);
    expect(asked.data.similar.map((s: { id: number }) => s.id)).toContain(firstId);
    expect(asked.data.values.title).toBe(fields.title);

    const confirmed = await propose(noa.cookie, { ...fields, confirmed: "1" });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toMatch(/^\/requests\/\d+$/);
  });

  it("keeps what was typed and explains a too-short title next to the field", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const result = await propose(dana.cookie, {
      title: "קצר",
      bodyMd: "תיאור ארוך שנשמר",
      categoryId: String(category.id),
      confirmed: "1",
    });
    expect(result.status).toBe(400);
    expect(result.data.errors.title).toBe("request.error.titleLength");
    expect(result.data.values.bodyMd).toBe("תיאור ארוך שנשמר");
  });

  it("renders a Markdown preview without saving anything", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const before = await getDb()
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const result = await propose(dana.cookie, {
      title: "Preview this request",
      bodyMd: "**bold** <script>x</script>",
      categoryId: String(category.id),
      preview: "1",
    });
    expect(result.data.preview).toContain("<strong>bold</strong>");
    expect(result.data.preview).not.toContain("<script>");
    const after = await getDb()
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe("voting through the vote route", () => {
  async function setup() {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const created = await propose(dana.cookie, {
      // Each test's own request: the same title again would be refused as a duplicate.
      title: `Recurring invoices from standing orders (${category.id})`,
      categoryId: String(category.id),
      confirmed: "1",
    });
    const id = Number(created.headers.get("Location")!.split("/").pop());
    return { id, dana };
  }

  it("returns a plain form post to the page it came from, and toggles", async () => {
    const { id } = await setup();
    const noa = await customer("Noa");
    const vote = (cookie: string) =>
      run(() =>
        voteAction({
          request: formRequest(`/requests/${id}/vote`, { redirectTo: "/?sort=votes" }, { cookie }),
          params: { id: String(id) },
          context: testContext(),
        }),
      ).then(unwrap);
    const first = await vote(noa.cookie);
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe("/?sort=votes");
    const row = await getDb()
      .selectFrom("requests")
      .select(["vote_count", "org_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ vote_count: 2, org_count: 2 });
    await vote(noa.cookie);
    const after = await getDb()
      .selectFrom("requests")
      .select(["vote_count", "org_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ vote_count: 1, org_count: 1 });
  });

  it("answers the enhanced button with JSON counts", async () => {
    const { id } = await setup();
    const noa = await customer("Noa");
    const response = (await voteAction({
      request: formRequest(`/requests/${id}/vote`, { via: "fetch" }, { cookie: noa.cookie }),
      params: { id: String(id) },
      context: testContext(),
    })) as Response;
    expect(await response.json()).toEqual({ voted: true, voteCount: 2, orgCount: 2 });
  });

  it("never redirects off the site, whatever redirectTo says", async () => {
    const { id } = await setup();
    const noa = await customer("Noa");
    const result = unwrap(
      await run(() =>
        voteAction({
          request: formRequest(
            `/requests/${id}/vote`,
            { redirectTo: "//evil.example/x" },
            { cookie: noa.cookie },
          ),
          params: { id: String(id) },
          context: testContext(),
        }),
      ),
    );
    expect(result.headers.get("Location")).toBe(`/requests/${id}`);
  });

  it("sends a visitor to sign in and back instead of voting", async () => {
    const { id } = await setup();
    const result = unwrap(
      await run(() =>
        voteAction({
          request: formRequest(`/requests/${id}/vote`, {}),
          params: { id: String(id) },
          context: testContext(),
        }),
      ),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(
      `/signin?redirectTo=${encodeURIComponent(`/requests/${id}/vote`)}`,
    );
    const row = await getDb()
      .selectFrom("requests")
      .select("vote_count")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.vote_count).toBe(1);
  });

  it("refuses a signed-in user with no organization, with a message", async () => {
    const { id } = await setup();
    const loner = await makeUser({ name: "Loner" });
    const cookie = await sessionCookieFor(loner);
    const result = unwrap(
      await run(() =>
        voteAction({
          request: formRequest(`/requests/${id}/vote`, {}, { cookie }),
          params: { id: String(id) },
          context: testContext(),
        }),
      ),
    );
    expect(result.status).toBe(302);
    expect(cookieFrom(result.response!)).toContain("__flash=");
    const row = await getDb()
      .selectFrom("requests")
      .select("vote_count")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.vote_count).toBe(1);
  });
});

describe("the request page", () => {
  it("shows counts to customers but the voting organizations only to staff", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const created = await propose(dana.cookie, {
      title: "Customer portal for past invoices",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const id = Number(created.headers.get("Location")!.split("/").pop());

    const asCustomer = unwrap(
      await requestLoader({
        request: getRequest(`/requests/${id}`, { cookie: dana.cookie }),
        params: { id: String(id) },
        context: testContext(),
      }),
    );
    expect(asCustomer.data.request.orgCount).toBe(1);
    expect(asCustomer.data.demand).toBeNull();

    const staff = await makeUser({ name: "Staff", isStaff: true });
    const asStaff = unwrap(
      await requestLoader({
        request: getRequest(`/requests/${id}`, { cookie: await sessionCookieFor(staff) }),
        params: { id: String(id) },
        context: testContext(),
      }),
    );
    expect(asStaff.data.demand.organizations.map((o: { name: string }) => o.name)).toEqual([
      "Dana Ltd",
    ]);
  });

  it("answers 404 for a request that does not exist or a malformed id", async () => {
    for (const id of ["999999", "abc", "-1"]) {
      const result = unwrap(
        await run(() =>
          requestLoader({
            request: getRequest(`/requests/${id}`),
            params: { id },
            context: testContext(),
          }),
        ),
      );
      expect(result.status).toBe(404);
    }
  });

  it("keeps an empty comment's error next to the field and adds a real one", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const created = await propose(dana.cookie, {
      title: "Dark mode in the mobile app",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const id = String(Number(created.headers.get("Location")!.split("/").pop()));
    const post = (fields: Record<string, string>) =>
      run(() =>
        requestAction({
          request: formRequest(`/requests/${id}`, fields, { cookie: dana.cookie }),
          params: { id },
          context: testContext(),
        }),
      ).then(unwrap);
    const empty = await post({ intent: "comment", bodyMd: "   " });
    expect(empty.status).toBe(400);
    expect(empty.data.errors.bodyMd).toBe("request.error.commentEmpty");
    const ok = await post({ intent: "comment", bodyMd: "Please!" });
    expect(ok.status).toBe(302);
    const row = await getDb()
      .selectFrom("requests")
      .select("comment_count")
      .where("id", "=", Number(id))
      .executeTakeFirstOrThrow();
    expect(row.comment_count).toBe(1);
  });

  it("does not let a customer post an internal or official comment", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const created = await propose(dana.cookie, {
      title: "Multi-currency price lists",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const id = String(Number(created.headers.get("Location")!.split("/").pop()));
    for (const kind of ["internal", "official"]) {
      const result = unwrap(
        await run(() =>
          requestAction({
            request: formRequest(
              `/requests/${id}`,
              { intent: "comment", bodyMd: "secret", kind },
              { cookie: dana.cookie },
            ),
            params: { id },
            context: testContext(),
          }),
        ),
      );
      expect(result.status).toBe(403);
    }
    const rows = await getDb()
      .selectFrom("comments")
      .select("id")
      .where("request_id", "=", Number(id))
      .execute();
    expect(rows).toEqual([]);
  });

  it("takes one kind from staff, refuses an unknown one next to the choice, and counts what each viewer sees", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const created = await propose(dana.cookie, {
      title: "Shared inbox for support e-mails",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const id = String(Number(created.headers.get("Location")!.split("/").pop()));
    const staff = await makeUser({ name: "Staff", isStaff: true });
    const staffCookie = await sessionCookieFor(staff);
    const post = (fields: Record<string, string>) =>
      run(() =>
        requestAction({
          request: formRequest(`/requests/${id}`, fields, { cookie: staffCookie }),
          params: { id },
          context: testContext(),
        }),
      ).then(unwrap);

    const unknown = await post({ intent: "comment", bodyMd: "Both?", kind: "official-internal" });
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors.kind).toBe("request.error.commentKindInvalid");
    expect(unknown.data.values.bodyMd).toBe("Both?");
    // The old pair of checkboxes means nothing now: ticking both gives a plain public comment.
    expect(
      (await post({ intent: "comment", bodyMd: "Old form", official: "on", internal: "on" }))
        .status,
    ).toBe(302);
    expect((await post({ intent: "comment", bodyMd: "Answer", kind: "official" })).status).toBe(
      302,
    );
    expect((await post({ intent: "comment", bodyMd: "Note", kind: "internal" })).status).toBe(302);
    const rows = await getDb()
      .selectFrom("comments")
      .select(["body_md", "is_official", "is_internal"])
      .where("request_id", "=", Number(id))
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { body_md: "Old form", is_official: 0, is_internal: 0 },
      { body_md: "Answer", is_official: 1, is_internal: 0 },
      { body_md: "Note", is_official: 0, is_internal: 1 },
    ]);

    for (const [cookie, shown] of [
      [dana.cookie, 2],
      [staffCookie, 3],
    ] as const) {
      const page = unwrap(
        await requestLoader({
          request: getRequest(`/requests/${id}`, { cookie }),
          params: { id },
          context: testContext(),
        }),
      );
      expect(page.data.comments).toHaveLength(shown);
      expect(page.data.commentCount).toBe(shown);
    }
  });
});

describe("a long thread", () => {
  it("comes 25 comments at a time, with Markdown sources only where the viewer may edit", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    const omer = await customer("Omer");
    const created = await propose(dana.cookie, {
      title: "A long discussion about exports",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const id = String(Number(created.headers.get("Location")!.split("/").pop()));
    const at = new Date(Date.now() - 3_600_000).toISOString();
    // Older comments, written directly: far past the edit window.
    await getDb()
      .insertInto("comments")
      .values(
        Array.from({ length: 29 }, (_, i) => ({
          request_id: Number(id),
          author_id: omer.user.id,
          org_id: omer.org.id,
          body_md: `Comment **${i + 1}**`,
          created_at: at,
        })),
      )
      .execute();
    await requestAction({
      request: formRequest(
        `/requests/${id}`,
        { intent: "comment", bodyMd: "My **own** comment" },
        { cookie: omer.cookie },
      ),
      params: { id },
      context: testContext(),
    });
    const load = async (query: string, cookie: string) =>
      unwrap(
        await requestLoader({
          request: getRequest(`/requests/${id}${query}`, { cookie }),
          params: { id },
          context: testContext(),
        }),
      ).data;

    const first = await load("", omer.cookie);
    expect(first.comments).toHaveLength(25);
    expect(first.comments[0].bodyHtml).toContain("<strong>1</strong>");
    expect(first.comments.every((c: { bodyMd: string | null }) => c.bodyMd === null)).toBe(true);
    expect(first.nextCommentsAfter).toBe(first.comments[24].id);

    const rest = await load(`?after=${first.nextCommentsAfter}`, omer.cookie);
    expect(
      rest.comments.map((c: { bodyHtml: string }) => c.bodyHtml.replace(/<[^>]+>/g, "").trim()),
    ).toEqual(["Comment 26", "Comment 27", "Comment 28", "Comment 29", "My own comment"]);
    expect(rest.nextCommentsAfter).toBeNull();
    // Its author, still inside the edit window, gets the source to edit; nobody else does.
    expect(rest.comments.at(-1)).toMatchObject({ canEdit: true, bodyMd: "My **own** comment" });
    const forDana = await load(`?after=${first.nextCommentsAfter}`, dana.cookie);
    expect(forDana.comments.at(-1)).toMatchObject({ canEdit: false, bodyMd: null });
  });
});

describe("search as you type and the board", () => {
  it("finds a request by a Hebrew prefix and marks what the viewer voted for", async () => {
    const category = await makeCategory();
    const dana = await customer("Dana");
    await propose(dana.cookie, {
      title: "הפקת חשבונית עסקה מהוראת קבע",
      categoryId: String(category.id),
      confirmed: "1",
    });
    const response = (await similarLoader({
      request: getRequest(`/requests/similar?title=${encodeURIComponent("חשב")}`, {
        cookie: dana.cookie,
      }),
      params: {},
      context: testContext(),
    })) as Response;
    const body = await response.json();
    expect(body.similar[0].title).toBe("הפקת חשבונית עסקה מהוראת קבע");
    expect(body.similar[0].voted).toBe(true);

    const board = unwrap(
      await boardLoader({
        request: getRequest(`/?q=${encodeURIComponent("חשב")}`),
        params: {},
        context: testContext(),
      }),
    );
    expect(board.data.items.map((i: { title: string }) => i.title)).toContain(
      "הפקת חשבונית עסקה מהוראת קבע",
    );
    expect(board.data.filters.q).toBe("חשב");
  });

  it("ignores a malformed sort or cursor instead of failing", async () => {
    const board = unwrap(
      await boardLoader({
        request: getRequest("/?sort=bogus&cursor=%%%&status=nope"),
        params: {},
        context: testContext(),
      }),
    );
    expect(board.status).toBe(200);
    // The default order (most organizations without a search) and the default status (open work).
    expect(board.data.filters).toMatchObject({ sort: "", status: "" });
  });
});

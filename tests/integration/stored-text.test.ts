// Text others read is stored cleaned: no NUL, no bidirectional overrides or isolates, NFC. A
// name that could reorder what its reader sees never reaches a page or an e-mail subject.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { inviteMember } from "~/models/orgs.server";
import { updateProfile } from "~/models/users.server";
import { action as newOrgAction } from "~/routes/orgs.new";
import { action as proposeAction } from "~/routes/requests.new";
import { action as signUpAction } from "~/routes/signup";
import { actorOf, makeUser, uniqueEmail } from "../support/factories";
import { makeCategory, makeCustomer, proposeRequest } from "../support/factories";
import { formRequest, run, sessionCookieFor, testContext, unwrap } from "../support/requests";
import { deliverAllDue, mailsTo } from "../support/mail";

/** Every character that must not be stored: NUL and the bidi embedding/override/isolate controls. */
const HIDDEN = /[\u0000\u202a-\u202e\u2066-\u2069]/;
const DECOMPOSED_E = "e\u0301"; // "é" as two code points; NFC makes it one (U+00E9)

describe("names, titles and organization names", () => {
  it("stores a sign-up's name without hidden characters, in NFC", async () => {
    const email = uniqueEmail("bidi");
    const result = unwrap(
      await run(() =>
        signUpAction({
          request: formRequest("/signup", {
            name: `\u202eRen${DECOMPOSED_E}e\u0000 \u2066Cohen\u2069`,
            email,
            password: "a long enough password",
          }),
          params: {},
          context: testContext("198.51.100.21"),
        }),
      ),
    );
    expect(result.status).toBe(302);
    const user = await getDb()
      .selectFrom("users")
      .select("name")
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(user.name).toBe("Ren\u00e9e Cohen");

    // The model cleans too, whoever calls it.
    const other = await makeUser({ name: "Plain" });
    await updateProfile({ userId: other.id, name: "Noa\u202d\u0000 Levi", locale: null });
    const updated = await getDb()
      .selectFrom("users")
      .select("name")
      .where("id", "=", other.id)
      .executeTakeFirstOrThrow();
    expect(updated.name).toBe("Noa Levi");
  });

  it("stores a request's title cleaned and drops NUL from its description", async () => {
    const category = await makeCategory();
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    await run(() =>
      newOrgAction({
        request: formRequest("/orgs/new", { name: "Title Cleaners" }, { cookie }),
        params: {},
        context: testContext(),
      }),
    );
    const result = unwrap(
      await run(() =>
        proposeAction({
          request: formRequest(
            "/requests/new",
            {
              title: `\u202bCaf${DECOMPOSED_E}\u0000 menu   in the\u202c app`,
              bodyMd: "Line one\u0000\n\n    code stays indented",
              categoryId: String(category.id),
              confirmed: "1",
            },
            { cookie },
          ),
          params: {},
          context: testContext(),
        }),
      ),
    );
    expect(result.status).toBe(302);
    const id = Number(result.headers.get("Location")!.split("/").pop());
    const row = await getDb()
      .selectFrom("requests")
      .select(["title", "body_md"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe("Caf\u00e9 menu in the app");
    expect(row.body_md).toBe("Line one\n\n    code stays indented");

    // createRequest itself cleans, for callers other than the form (seed, imports).
    const author = await makeCustomer();
    const direct = await proposeRequest(author, { title: "\u2067Direct\u2069 model title\u0000" });
    const stored = await getDb()
      .selectFrom("requests")
      .select("title")
      .where("id", "=", direct.id)
      .executeTakeFirstOrThrow();
    expect(stored.title).toBe("Direct model title");
  });

  it("stores an organization's name cleaned, and the invitation subject is built from it", async () => {
    const admin = await makeUser({ name: "Dana", locale: "en" });
    const cookie = await sessionCookieFor(admin);
    const created = unwrap(
      await run(() =>
        newOrgAction({
          request: formRequest(
            "/orgs/new",
            { name: "\u202eAcme\u202c Bidi\u0000 Ltd" },
            { cookie },
          ),
          params: {},
          context: testContext(),
        }),
      ),
    );
    expect(created.status).toBe(302);
    const org = await getDb()
      .selectFrom("organizations")
      .select(["id", "name"])
      .where("created_by", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(org.name).toBe("Acme Bidi Ltd");

    const email = uniqueEmail("invited");
    await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email,
      role: "member",
      locale: "en",
    });
    await deliverAllDue();
    const [mail] = mailsTo(email);
    expect(mail.subject).toContain("Acme Bidi Ltd");
    expect(mail.subject).not.toMatch(HIDDEN);
  });
});

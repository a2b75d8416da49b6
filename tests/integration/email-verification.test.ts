// Verified addresses: sign-up mails a single-use link; until it is opened the account can read
// and follow but not vote, propose, comment or create an organization; an accepted invitation
// to the same address verifies it too.
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { translate } from "~/i18n/messages";
import { addComment } from "~/models/comments.server";
import { ActionRefused } from "~/models/errors";
import { followRequest } from "~/models/follows.server";
import { acceptInvitation, createOrganization, inviteMember } from "~/models/orgs.server";
import { RATE_LIMITS } from "~/models/rate-limits.server";
import { createRequest } from "~/models/requests.server";
import { toggleVote } from "~/models/votes.server";
import { action as resendAction } from "~/routes/account_.verify-email";
import { loader as rootLoader } from "~/root";
import { action as requestAction } from "~/routes/requests.$id/route";
import { action as voteAction } from "~/routes/requests.$id.vote";
import { action as proposeAction } from "~/routes/requests.new";
import { action as newOrgAction } from "~/routes/orgs.new";
import { action as signUpAction } from "~/routes/signup";
import { loader as verifyLoader } from "~/routes/verify-email.$token";
import { actorOf, makeOrg, makeUser, uniqueEmail } from "../support/factories";
import {
  addMember,
  insertOrg,
  makeCategory,
  makeCustomer,
  proposeRequest,
} from "../support/factories";
import {
  cookieFrom,
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";
import { deliverAllDue, linkTokenIn, mailsTo } from "../support/mail";

const REFUSAL = "verify.error.required";

async function verificationTokens(email: string): Promise<string[]> {
  await deliverAllDue();
  const outboxId = (file: string) => Number(/outbox-(\d+)/.exec(file)?.[1]);
  return mailsTo(email)
    .filter((mail) => mail.text.includes("/verify-email/"))
    .sort((a, b) => outboxId(a.file) - outboxId(b.file))
    .map((mail) => linkTokenIn(mail, "/verify-email/"));
}

async function openLink(token: string, cookie?: string) {
  const request = getRequest(`/verify-email/${token}`, { cookie });
  return unwrap(
    await run(() => verifyLoader({ request, params: { token }, context: testContext() })),
  );
}

async function verifiedAt(userId: number) {
  const row = await getDb()
    .selectFrom("users")
    .select("email_verified_at")
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  return row.email_verified_at;
}

/** An unverified account that already belongs to an organization, and a request to act on. */
async function unverifiedCustomer() {
  const user = await makeUser({ name: "Una Verified", verified: false });
  const org = await insertOrg("Una's org");
  await addMember(org.id, user.id);
  const category = await makeCategory();
  const request = await proposeRequest(await makeCustomer(), { categoryId: category.id });
  return { user, actor: actorOf(user), orgId: org.id, categoryId: category.id, request };
}

async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionRefused);
  return (error as ActionRefused).messageKey;
}

describe("signing up", () => {
  it("creates the account unverified and mails a link in the page's language", async () => {
    const email = uniqueEmail("fresh");
    const request = formRequest(
      "/signup",
      { name: "Fresh Face", email, password: "a long enough password" },
      { headers: { "Accept-Language": "en-US,en;q=0.9" } },
    );
    const result = unwrap(
      await run(() => signUpAction({ request, params: {}, context: testContext("203.0.113.90") })),
    );
    expect(result.status).toBe(302);
    const user = await getSessionUser(getRequest("/", { cookie: cookieFrom(result.response!) }));
    expect(user?.email_verified_at).toBeNull();

    await deliverAllDue();
    const [mail] = mailsTo(email);
    expect(mail.subject).toBe(translate("en", "mail.verify.subject"));
    expect(mail.text).toContain("/verify-email/");
    const token = await getDb()
      .selectFrom("user_tokens")
      .select(["purpose", "created_at", "expires_at"])
      .where("user_id", "=", user!.id)
      .executeTakeFirstOrThrow();
    expect(token.purpose).toBe("email_verification");
    expect(Date.parse(token.expires_at) - Date.parse(token.created_at)).toBe(48 * 3_600_000);
  });

  it("shows unverified users the banner on every page, and no one else", async () => {
    const unverified = await makeUser({ verified: false });
    const verified = await makeUser();
    const rootOf = async (cookie: string) =>
      unwrap(
        await rootLoader({
          request: getRequest("/", { cookie }),
          params: {},
          context: testContext(),
        }),
      ).data;
    expect((await rootOf(await sessionCookieFor(unverified))).unverifiedEmail).toBe(
      unverified.email,
    );
    expect((await rootOf(await sessionCookieFor(verified))).unverifiedEmail).toBeNull();
  });
});

describe("an unverified account", () => {
  it("can follow a request, but is refused voting, proposing, commenting and creating an organization", async () => {
    const { actor, orgId, categoryId, request } = await unverifiedCustomer();
    await expect(followRequest({ requestId: request.id, actor })).resolves.toMatchObject({
      following: true,
    });
    expect(await refusalOf(toggleVote({ requestId: request.id, actor, orgId }))).toBe(REFUSAL);
    expect(
      await refusalOf(
        createRequest({ actor, orgId, title: "Unverified proposal", bodyMd: "", categoryId }),
      ),
    ).toBe(REFUSAL);
    expect(
      await refusalOf(addComment({ requestId: request.id, actor, orgId, bodyMd: "Me too" })),
    ).toBe(REFUSAL);
    expect(await refusalOf(createOrganization({ actor, name: "Unverified Ltd" }))).toBe(REFUSAL);
    const votes = await getDb()
      .selectFrom("votes")
      .select("user_id")
      .where("user_id", "=", actor.id)
      .execute();
    expect(votes).toEqual([]);
  });

  it("is told why next to each button and form", async () => {
    const { user, categoryId, request } = await unverifiedCustomer();
    const cookie = await sessionCookieFor(user);
    const post = async (
      fn: (args: ActionFunctionArgs) => Promise<unknown>,
      path: string,
      fields: Record<string, string>,
    ) =>
      unwrap(
        await run(() =>
          fn({
            request: formRequest(path, fields, { cookie }),
            params: { id: String(request.id) },
            context: testContext(),
          }),
        ),
      );

    const vote = await post(voteAction, `/requests/${request.id}/vote`, { via: "fetch" });
    expect(vote.status).toBe(403);
    await expect(vote.response!.json()).resolves.toEqual({ error: REFUSAL });

    const comment = await post(requestAction, `/requests/${request.id}`, {
      intent: "comment",
      bodyMd: "Me too",
    });
    expect(comment.status).toBe(403);
    expect(comment.data.errors).toEqual({ bodyMd: REFUSAL });
    expect(comment.data.values.bodyMd).toBe("Me too");

    const proposal = await post(proposeAction, "/requests/new", {
      title: "A proposal waiting for verification",
      bodyMd: "",
      categoryId: String(categoryId),
      confirmed: "1",
    });
    expect(proposal.status).toBe(403);
    expect(proposal.data.errors.form).toBe(REFUSAL);

    const org = await post(newOrgAction, "/orgs/new", { name: "Waiting Ltd" });
    expect(org.status).toBe(403);
    expect(org.data.errors.form).toBe(REFUSAL);
  });

  it("votes, proposes, comments and creates an organization once the e-mailed link is opened", async () => {
    const { user, actor, orgId, categoryId, request } = await unverifiedCustomer();
    const [token] = await verificationTokens(user.email);
    const opened = await openLink(token);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe("/");
    expect(await verifiedAt(user.id)).not.toBeNull();

    await expect(toggleVote({ requestId: request.id, actor, orgId })).resolves.toMatchObject({
      voted: true,
    });
    await expect(
      createRequest({ actor, orgId, title: "Verified proposal", bodyMd: "", categoryId }),
    ).resolves.toHaveProperty("id");
    await expect(
      addComment({ requestId: request.id, actor, orgId, bodyMd: "Me too" }),
    ).resolves.toHaveProperty("id");
    await expect(createOrganization({ actor, name: "Verified Ltd" })).resolves.toHaveProperty(
      "slug",
    );
  });
});

describe("the verification link", () => {
  it("works once: opened again while signed out, it says it was used", async () => {
    const user = await makeUser({ verified: false });
    const [token] = await verificationTokens(user.email);
    expect((await openLink(token)).status).toBe(302);
    const again = await openLink(token);
    expect(again.data.problem).toBe("verify.used");
    // Signed in (and verified), a second click just says all is well.
    const signedIn = await openLink(token, await sessionCookieFor(user));
    expect(signedIn.status).toBe(302);
  });

  it("expires after 48 hours and offers a new link", async () => {
    const user = await makeUser({ verified: false });
    const [token] = await verificationTokens(user.email);
    await getDb()
      .updateTable("user_tokens")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("user_id", "=", user.id)
      .execute();
    const opened = await openLink(token, await sessionCookieFor(user));
    expect(opened.data).toEqual({ problem: "verify.expired", signedIn: true });
    expect(await verifiedAt(user.id)).toBeNull();
  });

  it("is sent again on request (the earlier one stops working), a few times an hour at most", async () => {
    const user = await makeUser({ verified: false });
    const cookie = await sessionCookieFor(user);
    const resend = async () =>
      unwrap(
        await run(() =>
          resendAction({
            request: formRequest("/account/verify-email", { redirectTo: "/roadmap" }, { cookie }),
            params: {},
            context: testContext(),
          }),
        ),
      );
    const sent = await resend();
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe("/roadmap");
    const [first, second] = await verificationTokens(user.email);
    expect((await openLink(first)).data.problem).toBe("verify.unknown");

    for (let i = 1; i < RATE_LIMITS.verificationResendPerUser.limit; i++) await resend();
    await resend();
    const tokens = await verificationTokens(user.email);
    // The sign-up mail and the allowance of resends; the one over the limit sent nothing.
    expect(tokens).toHaveLength(1 + RATE_LIMITS.verificationResendPerUser.limit);
    expect((await openLink(second)).data.problem).toBe("verify.unknown");
    expect((await openLink(tokens[tokens.length - 1])).status).toBe(302);
  });
});

describe("accepting an invitation", () => {
  it("verifies the address it was sent to", async () => {
    const { org, admin } = await makeOrg("Inviting Ltd");
    const invitee = await makeUser({ verified: false });
    const { token } = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email: invitee.email,
      role: "member",
      locale: "en",
    });
    expect(await verifiedAt(invitee.id)).toBeNull();
    await acceptInvitation({ token, actor: actorOf(invitee) });
    expect(await verifiedAt(invitee.id)).not.toBeNull();
  });
});

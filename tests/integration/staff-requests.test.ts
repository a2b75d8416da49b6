// Staff on a request: clean-up edits, owner, target quarter, and demand recorded on a
// customer's behalf (a vote, or a whole request) with the customer's single-use link to
// withdraw it. Counters are compared with COUNT(*) after every change.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { ActionRefused, type Actor } from "~/models/errors";
import { verifyLogin } from "~/models/users.server";
import { findSimilarRequests, getRequest } from "~/models/requests.server";
import {
  assignOwner,
  editRequestAsStaff,
  findOrganizations,
  getVoteWithdrawal,
  listRecordedVotes,
  proposeOnBehalf,
  recordVoteFor,
  setTargetQuarter,
  withdrawRecordedVote,
} from "~/models/staff-requests.server";
import { quarterOf, upcomingQuarters } from "~/models/quarters";
import { toggleVote } from "~/models/votes.server";
import {
  countersAndCounts,
  latinToken,
  makeCategory,
  makeCustomer,
  makeStaff,
  makeStaffAdmin,
  makeUser,
  proposeRequest,
  uniqueEmail,
  type Customer,
} from "../support/factories";
import { deliverAllDue, linkTokenIn, mailsTo } from "../support/mail";

async function expectCountersExact(requestId: number) {
  const { stored, counted } = await countersAndCounts(requestId);
  expect(stored.vote_count).toBe(counted.vote_count);
  expect(stored.org_count).toBe(counted.org_count);
  expect(stored.follower_count).toBe(counted.follower_count);
  expect(stored.recent_vote_count).toBe(counted.recent_vote_count);
  expect(counted.org_rows).toBe(counted.org_count);
  expect(counted.org_row_votes).toBe(counted.vote_count - (await staffVotes(requestId)));
}

/** Votes that count for no organization (none here: staff don't vote in these tests). */
async function staffVotes(requestId: number) {
  const row = await getDb()
    .selectFrom("votes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("request_id", "=", requestId)
    .where("org_id", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditRows(action: string, subjectId: number) {
  const rows = await getDb()
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", action)
    .where("subject_id", "=", subjectId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data_json) }));
}

async function memberCounts(orgId: number) {
  const db = getDb();
  const stored = await db
    .selectFrom("organizations")
    .select("member_count")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  const counted = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org_id", "=", orgId)
    .executeTakeFirstOrThrow();
  return { stored: stored.member_count, counted: Number(counted.n) };
}

async function outboxFor(recipient: string) {
  const rows = await getDb()
    .selectFrom("outbox")
    .selectAll()
    .where("recipient", "=", recipient)
    .orderBy("id")
    .execute();
  return rows.map((row) => JSON.parse(row.payload_json));
}

/** Everything a refused action could have changed, to compare before and after. */
async function snapshot(requestId: number) {
  const db = getDb();
  const [request, votes, audit, outbox, users] = await Promise.all([
    db.selectFrom("requests").selectAll().where("id", "=", requestId).executeTakeFirst(),
    db.selectFrom("votes").selectAll().where("request_id", "=", requestId).execute(),
    db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst(),
    db
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst(),
    db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst(),
  ]);
  return { request, votes, audit, outbox, users };
}

async function setup() {
  const author = await makeCustomer({ name: "Avi Author" });
  const { id } = await proposeRequest(author, { title: `Export ${latinToken()} to Excel` });
  const staff = await makeStaff("Sara Staff");
  const acmeOwner = await makeCustomer({ name: "Dana Admin", orgName: "Acme Ltd" });
  const omer = await makeCustomer({ name: "Omer Member", orgId: acmeOwner.orgId });
  return { author, id, staff, acme: acmeOwner, omer };
}

async function visitorAndCustomer(): Promise<{ customer: Customer; visitorLike: Actor }> {
  const customer = await makeCustomer({ name: "Curious Customer" });
  // A staff member whose flag was revoked acts as a customer would: refused as they are now.
  const revoked = await makeStaff("Former Staff");
  await getDb().updateTable("users").set({ is_staff: 0 }).where("id", "=", revoked.id).execute();
  return { customer, visitorLike: revoked };
}

describe("editRequestAsStaff", () => {
  it("cleans up the title, description and category, keeps the author, reindexes and audits before → after", async () => {
    const { author, id, staff } = await setup();
    const category = await makeCategory("Reports");
    const word = latinToken();
    await editRequestAsStaff({
      actor: staff,
      requestId: id,
      title: `  Monthly ${word} export of the VAT report  `,
      bodyMd: "Cleaned up by staff.",
      categoryId: category.id,
    });
    const row = await getDb()
      .selectFrom("requests")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe(`Monthly ${word} export of the VAT report`);
    expect(row.body_md).toBe("Cleaned up by staff.");
    expect(row.category_id).toBe(category.id);
    expect(row.author_id).toBe(author.actor.id);
    expect(row.edited_at).not.toBeNull();
    const page = await getRequest({ id });
    expect(page?.authorName).toBe("Avi Author");
    // The search index follows the new title.
    expect((await findSimilarRequests(word, staff)).map((r) => r.id)).toContain(id);

    const [audit] = await auditRows("request.edit", id);
    expect(audit.actor_id).toBe(staff.id);
    expect(audit.data.before.title).toMatch(/^Export /);
    expect(audit.data.after).toMatchObject({
      title: `Monthly ${word} export of the VAT report`,
      categoryId: category.id,
    });
  });

  it("refuses a customer (404), a revoked staff member, bad text and an unknown category, changing nothing", async () => {
    const { author, id, staff } = await setup();
    const { customer, visitorLike } = await visitorAndCustomer();
    const before = await snapshot(id);
    const edit = (actor: Actor, fields: Partial<{ title: string; categoryId: number }> = {}) =>
      editRequestAsStaff({
        actor,
        requestId: id,
        title: fields.title ?? "A perfectly fine new title",
        bodyMd: "x",
        categoryId: fields.categoryId ?? (before.request!.category_id as number),
      });
    await expect(edit(customer.actor)).rejects.toMatchObject({ status: 404 });
    await expect(edit(author.actor)).rejects.toMatchObject({ status: 404 });
    await expect(edit(visitorLike)).rejects.toMatchObject({ status: 404 });
    await expect(edit(staff, { title: "short" })).rejects.toMatchObject({
      messageKey: "request.error.titleLength",
      field: "title",
    });
    await expect(edit(staff, { categoryId: 999_999 })).rejects.toMatchObject({
      messageKey: "request.error.categoryUnknown",
      field: "categoryId",
    });
    await expect(
      editRequestAsStaff({
        actor: staff,
        requestId: 987_654,
        title: "A perfectly fine new title",
        bodyMd: "",
        categoryId: 1,
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect(await snapshot(id)).toEqual(before);
  });
});

describe("assignOwner and setTargetQuarter", () => {
  it("assigns a staff owner and clears it, each with its audit row", async () => {
    const { id, staff } = await setup();
    const other = await makeStaffAdmin("Olga Owner");
    await assignOwner({ actor: staff, requestId: id, ownerId: other.id });
    expect(
      (
        await getDb()
          .selectFrom("requests")
          .select("owner_id")
          .where("id", "=", id)
          .executeTakeFirst()
      )?.owner_id,
    ).toBe(other.id);
    await assignOwner({ actor: staff, requestId: id, ownerId: null });
    const rows = await auditRows("request.assign", id);
    expect(rows.map((r) => r.data)).toEqual([
      { before: { ownerId: null }, after: { ownerId: other.id } },
      { before: { ownerId: other.id }, after: { ownerId: null } },
    ]);
  });

  it("refuses a customer as owner, and customers assigning at all", async () => {
    const { id, staff, omer } = await setup();
    const before = await snapshot(id);
    await expect(
      assignOwner({ actor: staff, requestId: id, ownerId: omer.actor.id }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.ownerNotStaff",
      field: "ownerId",
    });
    await expect(
      assignOwner({ actor: omer.actor, requestId: id, ownerId: staff.id }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(await snapshot(id)).toEqual(before);
  });

  it("sets this quarter or a later one, refuses a past or malformed one, and clears it", async () => {
    const { id, staff, omer } = await setup();
    const [current, next] = upcomingQuarters(new Date(), 2);
    expect(current).toBe(quarterOf(new Date()));
    await setTargetQuarter({ actor: staff, requestId: id, quarter: next });
    await setTargetQuarter({ actor: staff, requestId: id, quarter: current });
    const before = await snapshot(id);
    const lastYear = `${new Date().getUTCFullYear() - 1}-Q4`;
    await expect(
      setTargetQuarter({ actor: staff, requestId: id, quarter: lastYear }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.quarterPast",
      field: "quarter",
    });
    for (const bad of ["2027-Q5", "2027Q1", "Q1 2027", ""]) {
      await expect(
        setTargetQuarter({ actor: staff, requestId: id, quarter: bad }),
      ).rejects.toMatchObject({
        messageKey: "staffRequests.error.quarterInvalid",
      });
    }
    await expect(
      setTargetQuarter({ actor: omer.actor, requestId: id, quarter: next }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(await snapshot(id)).toEqual(before);
    await setTargetQuarter({ actor: staff, requestId: id, quarter: null });
    const rows = await auditRows("request.quarter", id);
    expect(rows.map((r) => r.data)).toEqual([
      { before: { quarter: null }, after: { quarter: next } },
      { before: { quarter: next }, after: { quarter: current } },
      { before: { quarter: current }, after: { quarter: null } },
    ]);
  });
});

describe("recordVoteFor", () => {
  it("records an existing member's vote for their organization: counters exact, follow, provenance, audit and e-mail", async () => {
    const { id, staff, omer, acme } = await setup();
    const result = await recordVoteFor({
      actor: staff,
      requestId: id,
      orgId: acme.orgId,
      userId: omer.actor.id,
      source: "whatsapp",
      quote: "  We need this every month-end  ",
    });
    expect(result).toMatchObject({
      userId: omer.actor.id,
      contactCreated: false,
      voteCount: 2,
      orgCount: 2,
    });
    await expectCountersExact(id);
    const vote = await getDb()
      .selectFrom("votes")
      .selectAll()
      .where("request_id", "=", id)
      .where("user_id", "=", omer.actor.id)
      .executeTakeFirstOrThrow();
    expect(vote).toMatchObject({
      org_id: acme.orgId,
      recorded_by: staff.id,
      source: "whatsapp",
      customer_quote: "We need this every month-end",
    });
    const follow = await getDb()
      .selectFrom("follows")
      .select("user_id")
      .where("request_id", "=", id)
      .where("user_id", "=", omer.actor.id)
      .executeTakeFirst();
    expect(follow).toBeTruthy();

    const [audit] = await auditRows("vote.record", id);
    expect(audit.actor_id).toBe(staff.id);
    expect(audit.data).toMatchObject({
      before: { voteCount: 1, orgCount: 1, voted: false },
      after: { voteCount: 2, orgCount: 2, voted: true },
      userId: omer.actor.id,
      orgId: acme.orgId,
      source: "whatsapp",
    });

    const [payload] = await outboxFor(omer.email);
    const title = (await getRequest({ id }))!.title;
    expect(payload).toEqual({
      template: "vote_recorded",
      locale: "he",
      name: "Omer Member",
      requestTitle: title,
      requestUrl: `http://broadly.test/requests/${id}`,
      orgName: "Acme Ltd",
      staffName: "Sara Staff",
      source: "whatsapp",
      withdrawUrl: expect.stringMatching(
        /^http:\/\/broadly\.test\/votes\/withdraw\/[A-Za-z0-9_-]{43}$/,
      ),
    });
    // The link's token is stored only as its hash.
    const token = payload.withdrawUrl.split("/votes/withdraw/")[1];
    const tokens = await getDb().selectFrom("vote_withdrawal_tokens").selectAll().execute();
    expect(JSON.stringify(tokens)).not.toContain(token);

    // Staff see where the vote came from.
    const recorded = await listRecordedVotes({ actor: staff, requestId: id });
    expect(recorded.items).toEqual([
      expect.objectContaining({
        voterName: "Omer Member",
        orgName: "Acme Ltd",
        staffName: "Sara Staff",
        source: "whatsapp",
        quote: "We need this every month-end",
      }),
    ]);
    await expect(listRecordedVotes({ actor: omer.actor, requestId: id })).rejects.toBeInstanceOf(
      ActionRefused,
    );
  });

  it("turns a new contact into a passwordless member of the organization, keeping member_count exact", async () => {
    const { id, staff, acme } = await setup();
    const email = uniqueEmail("newcontact");
    const before = await memberCounts(acme.orgId);
    const result = await recordVoteFor({
      actor: staff,
      requestId: id,
      orgId: acme.orgId,
      newContact: { email: `  ${email.toUpperCase()} `, name: "Nadia New" },
      source: "call",
    });
    expect(result.contactCreated).toBe(true);
    const after = await memberCounts(acme.orgId);
    expect(after.counted - before.counted).toBe(1);
    expect(after.stored - before.stored).toBe(1);
    const user = await getDb()
      .selectFrom("users")
      .selectAll()
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ id: result.userId, name: "Nadia New", is_staff: 0 });
    // No password signs in to it.
    expect(await verifyLogin(email, "")).toBeNull();
    expect(await verifyLogin(email, "anything at all")).toBeNull();
    const membership = await getDb()
      .selectFrom("memberships")
      .selectAll()
      .where("org_id", "=", acme.orgId)
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(membership.role).toBe("member");
    expect((await auditRows("org.contact_add", acme.orgId)).at(-1)?.data.after).toMatchObject({
      userId: user.id,
      email,
    });
    await expectCountersExact(id);
    expect((await outboxFor(email))[0]).toMatchObject({
      template: "vote_recorded",
      name: "Nadia New",
    });

    // The same address again is that member now, who has already voted.
    await expect(
      recordVoteFor({
        actor: staff,
        requestId: id,
        orgId: acme.orgId,
        newContact: { email, name: "Whoever" },
        source: "email",
      }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.alreadyVoted",
      field: "newContactEmail",
    });
  });

  it("refuses a customer who already voted, saying so, and changes nothing", async () => {
    const { id, staff, omer, acme } = await setup();
    await toggleVote({ requestId: id, actor: omer.actor, orgId: acme.orgId });
    const before = await snapshot(id);
    await expect(
      recordVoteFor({
        actor: staff,
        requestId: id,
        orgId: acme.orgId,
        userId: omer.actor.id,
        source: "email",
      }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.alreadyVoted",
      status: 409,
      field: "userId",
    });
    expect(await snapshot(id)).toEqual(before);
  });

  it("refuses a member of another organization for org X, someone outside it by e-mail, staff, visitors and customers", async () => {
    const { id, staff, acme, author } = await setup();
    const globexMember = await makeCustomer({ name: "Noa Globex", orgName: "Globex" });
    const { customer, visitorLike } = await visitorAndCustomer();
    const before = await snapshot(id);
    const acmeMembers = await memberCounts(acme.orgId);
    const record = (actor: Actor, choice: Record<string, unknown>) =>
      recordVoteFor({ actor, requestId: id, orgId: acme.orgId, source: "meeting", ...choice });

    await expect(record(staff, { userId: globexMember.actor.id })).rejects.toMatchObject({
      messageKey: "staffRequests.error.notAMember",
      field: "userId",
    });
    await expect(
      record(staff, { newContact: { email: globexMember.email, name: "Noa" } }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.contactElsewhere",
      field: "newContactEmail",
    });
    await expect(
      record(staff, { newContact: { email: staff.email, name: "Me" } }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.contactIsStaff",
    });
    await expect(
      record(staff, { newContact: { email: "not-an-address", name: "X" } }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.contactEmailInvalid",
    });
    await expect(
      record(staff, { newContact: { email: uniqueEmail(), name: "  " } }),
    ).rejects.toMatchObject({
      messageKey: "staffRequests.error.contactNameRequired",
      field: "newContactName",
    });
    await expect(record(staff, {})).rejects.toMatchObject({
      messageKey: "staffRequests.error.customerRequired",
    });
    await expect(
      recordVoteFor({ actor: staff, requestId: id, orgId: 999_999, userId: 1, source: "email" }),
    ).rejects.toMatchObject({ messageKey: "staffRequests.error.orgUnknown", field: "orgId" });
    await expect(
      record(staff, { userId: globexMember.actor.id, source: "fax" }),
    ).rejects.toMatchObject({ messageKey: "staffRequests.error.sourceInvalid" });
    await expect(
      record(staff, { userId: globexMember.actor.id, quote: "x".repeat(2001) }),
    ).rejects.toMatchObject({ messageKey: "staffRequests.error.quoteTooLong" });
    // Not staff: refused as if the action did not exist.
    for (const actor of [customer.actor, author.actor, visitorLike]) {
      await expect(record(actor, { userId: author.actor.id })).rejects.toMatchObject({
        status: 404,
      });
    }
    expect(await snapshot(id)).toEqual(before);
    expect(await memberCounts(acme.orgId)).toEqual(acmeMembers);
  });

  it("refuses votes of another organization on an organization-only request", async () => {
    const { id, staff, omer, acme } = await setup();
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "=", id)
      .execute();
    await expect(
      recordVoteFor({
        actor: staff,
        requestId: id,
        orgId: acme.orgId,
        userId: omer.actor.id,
        source: "email",
      }),
    ).rejects.toMatchObject({ messageKey: "staffRequests.error.privateRequest", field: "orgId" });
  });
});

describe("withdrawing a recorded vote through the e-mailed link", () => {
  async function recorded() {
    const ctx = await setup();
    await recordVoteFor({
      actor: ctx.staff,
      requestId: ctx.id,
      orgId: ctx.acme.orgId,
      userId: ctx.omer.actor.id,
      source: "whatsapp",
    });
    await deliverAllDue();
    const [mail] = mailsTo(ctx.omer.email);
    return { ...ctx, mail, token: linkTokenIn(mail, "/votes/withdraw/") };
  }

  it("sends an e-mail with the request and withdraw links, in the customer's language", async () => {
    const { mail, id } = await recorded();
    expect(mail.subject).toContain("רשמנו את ההצבעה שלכם");
    expect(mail.text).toContain(`http://broadly.test/requests/${id}`);
    expect(mail.text).toContain("וואטסאפ");
    expect(mail.html).toContain('dir="rtl"');
    // Once sent, the outbox keeps no working link.
    const rows = await getDb()
      .selectFrom("outbox")
      .select("payload_json")
      .where("recipient", "=", mail.to.replace(/.*<|>.*/g, ""))
      .execute();
    for (const row of rows) expect(JSON.parse(row.payload_json).withdrawUrl).toBe("(sent)");
  });

  it("withdraws the vote and its follow once, keeping counters exact; the second use is refused", async () => {
    const { id, token, omer, staff } = await recorded();
    expect(await getVoteWithdrawal({ token })).toMatchObject({
      state: "valid",
      request: { id },
      vote: { staffName: "Sara Staff", orgName: "Acme Ltd", source: "whatsapp" },
    });
    expect(await withdrawRecordedVote({ token })).toEqual({ requestId: id });
    await expectCountersExact(id);
    const { stored } = await countersAndCounts(id);
    expect(stored).toMatchObject({ vote_count: 1, org_count: 1, follower_count: 1 });
    const left = await getDb()
      .selectFrom("votes")
      .select("user_id")
      .where("request_id", "=", id)
      .where("user_id", "=", omer.actor.id)
      .executeTakeFirst();
    expect(left).toBeUndefined();
    const [audit] = await auditRows("vote.withdraw_recorded", id);
    expect(audit.actor_id).toBe(omer.actor.id);
    expect(audit.data.before).toMatchObject({
      voted: true,
      recordedBy: staff.id,
      source: "whatsapp",
    });

    expect((await getVoteWithdrawal({ token })).state).toBe("used");
    const before = await snapshot(id);
    await expect(withdrawRecordedVote({ token })).rejects.toMatchObject({
      messageKey: "voteWithdraw.used",
      status: 410,
    });
    await expect(withdrawRecordedVote({ token: "made-up-token" })).rejects.toMatchObject({
      messageKey: "voteWithdraw.unknown",
    });
    expect(await snapshot(id)).toEqual(before);
  });

  it("withdraws nothing once the customer replaced it with a vote of their own, or the link expired", async () => {
    const { id, token, omer, acme } = await recorded();
    // They un-vote and vote again themselves: that vote is theirs, not the recorded one.
    await toggleVote({ requestId: id, actor: omer.actor, orgId: acme.orgId });
    await toggleVote({ requestId: id, actor: omer.actor, orgId: acme.orgId });
    expect((await getVoteWithdrawal({ token })).state).toBe("gone");
    await expect(withdrawRecordedVote({ token })).rejects.toMatchObject({
      messageKey: "voteWithdraw.gone",
    });
    await expectCountersExact(id);

    const second = await recorded();
    await getDb()
      .updateTable("vote_withdrawal_tokens")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("user_id", "=", second.omer.actor.id)
      .execute();
    await expect(withdrawRecordedVote({ token: second.token })).rejects.toMatchObject({
      messageKey: "voteWithdraw.expired",
    });
  });
});

describe("proposeOnBehalf", () => {
  it("creates the request with the customer as author, its organization, source and recorder; the author's vote is recorded; e-mail and audit", async () => {
    const { staff, acme, omer } = await setup();
    const category = await makeCategory();
    const title = `Bank feed ${latinToken()} for Leumi`;
    const { id, userId } = await proposeOnBehalf({
      actor: staff,
      orgId: acme.orgId,
      userId: omer.actor.id,
      title,
      bodyMd: "They asked on a call.",
      categoryId: category.id,
      source: "call",
      quote: "Our accountant asks every week",
    });
    expect(userId).toBe(omer.actor.id);
    const row = await getDb()
      .selectFrom("requests")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      title,
      author_id: omer.actor.id,
      org_id: acme.orgId,
      source: "call",
      recorded_by: staff.id,
      status: "open",
      vote_count: 1,
      org_count: 1,
      follower_count: 1,
    });
    await expectCountersExact(id);
    const vote = await getDb()
      .selectFrom("votes")
      .selectAll()
      .where("request_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(vote).toMatchObject({
      user_id: omer.actor.id,
      org_id: acme.orgId,
      recorded_by: staff.id,
      source: "call",
      customer_quote: "Our accountant asks every week",
    });
    expect((await findSimilarRequests(title, staff)).map((r) => r.id)).toContain(id);
    expect((await getRequest({ id }))?.authorName).toBe("Omer Member");
    const [audit] = await auditRows("request.propose_on_behalf", id);
    expect(audit.actor_id).toBe(staff.id);
    expect(audit.data.after).toMatchObject({
      title,
      authorId: omer.actor.id,
      orgId: acme.orgId,
      source: "call",
    });
    expect((await outboxFor(omer.email)).at(-1)).toEqual({
      template: "proposed_on_behalf",
      locale: "he",
      name: "Omer Member",
      requestTitle: title,
      requestUrl: `http://broadly.test/requests/${id}`,
      orgName: "Acme Ltd",
      staffName: "Sara Staff",
      source: "call",
    });
  });

  it("proposes for a new contact, and refuses an exact duplicate, a customer and another organization's member", async () => {
    const { staff, acme, id: existingId } = await setup();
    const category = await makeCategory();
    const email = uniqueEmail("prospect");
    const before = await memberCounts(acme.orgId);
    const { id, userId, contactCreated } = await proposeOnBehalf({
      actor: staff,
      orgId: acme.orgId,
      newContact: { email, name: "Pat Prospect" },
      title: `Payroll ${latinToken()} integration`,
      bodyMd: "",
      categoryId: category.id,
      source: "meeting",
    });
    expect(contactCreated).toBe(true);
    const after = await memberCounts(acme.orgId);
    expect([after.counted - before.counted, after.stored - before.stored]).toEqual([1, 1]);
    expect(
      (
        await getDb()
          .selectFrom("requests")
          .select("author_id")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).author_id,
    ).toBe(userId);

    const existing = (await getRequest({ id: existingId }))!;
    const globex = await makeCustomer({ name: "Gal Globex", orgName: "Globex" });
    const customer = await makeUser({ name: "Not Staff" });
    const requestsBefore = await getDb()
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const propose = (actor: Actor, extra: Record<string, unknown>) =>
      proposeOnBehalf({
        actor,
        orgId: acme.orgId,
        title: `Another ${latinToken()} request`,
        bodyMd: "",
        categoryId: category.id,
        source: "email",
        ...extra,
      });
    await expect(propose(staff, { userId, title: existing.title })).rejects.toMatchObject({
      messageKey: "request.error.duplicate",
      existingId,
    });
    await expect(propose(staff, { userId: globex.actor.id })).rejects.toMatchObject({
      messageKey: "staffRequests.error.notAMember",
    });
    await expect(
      propose({ ...staff, id: customer.id, isStaff: false }, { userId }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const requestsAfter = await getDb()
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(requestsAfter.n).toBe(requestsBefore.n);
  });
});

describe("finding the customer's organization", () => {
  it("matches part of the name in any letter case, takes % and _ literally, and is staff only", async () => {
    const { staff, omer } = await setup();
    const word = latinToken();
    const org = await makeCustomer({ name: "Ula Upper", orgName: `Upper ${word} 100% Ltd` });
    const ids = async (q: string) =>
      (await findOrganizations({ actor: staff, q })).map((match) => match.id);
    expect(await ids(word.toUpperCase())).toContain(org.orgId);
    expect(await ids(`${word} 100%`)).toContain(org.orgId);
    expect(await ids(`${word} 1_0%`)).not.toContain(org.orgId);
    expect(await ids("   ")).toEqual([]);
    await expect(findOrganizations({ actor: omer.actor, q: word })).rejects.toBeInstanceOf(
      ActionRefused,
    );
  });
});

// Staff triage: every move of the lifecycle, legal and illegal, with its status event, audit
// row and followers' e-mails; merges that keep every counter exact; the triage queue.
import { beforeEach, describe, expect, it } from "vitest";
import { countUpTo, getDb, type RequestStatus } from "~/db.server";
import { countAwaitingDecision } from "~/models/staff-nav.server";
import { ActionRefused, type Actor } from "~/models/errors";
import { getRequest } from "~/models/requests.server";
import { REQUEST_STATUSES, TRANSITIONS, canReopen } from "~/models/request-status";
import {
  changeStatus,
  decideRequest,
  listTriageQueue,
  mergeRequest,
  reopenRequest,
  type Decision,
} from "~/models/triage.server";
import { addComment } from "~/models/comments.server";
import { followRequest, unfollowRequest } from "~/models/follows.server";
import { toggleVote } from "~/models/votes.server";
import { renderEmail, type EmailPayload } from "~/services/emails.server";
import {
  countersAndCounts,
  insertOrg,
  insertUser,
  makeCategory,
  makeCustomer,
  makeStaff,
  makeStaffAdmin,
  proposeRequest,
  type Customer,
} from "../support/factories";

let admin: Actor;
beforeEach(async () => {
  admin = await makeStaffAdmin();
});

/** The decision that moves an open request to `to`, with the text each one needs. */
function decisionTo(to: RequestStatus, targetId?: number): Decision | null {
  switch (to) {
    case "planned":
      return { kind: "broad", targetQuarter: "2027-Q1", note: "For everyone." };
    case "quoted":
      return { kind: "sponsored", note: "Quote coming." };
    case "declined":
      return { kind: "declined", reason: "Not for now." };
    case "already_exists":
      return {
        kind: "already_exists",
        explanation: "Settings → Export.",
        helpUrl: "https://help.example/export",
      };
    case "merged":
      return { kind: "merge", targetId: targetId!, note: "Same thing." };
    default:
      return null;
  }
}

/** Moves a request with whichever function makes that move. */
async function move(actor: Actor, requestId: number, to: RequestStatus, targetId?: number) {
  if (to === "open") return reopenRequest({ actor, requestId, reason: "Looking again." });
  const decision = decisionTo(to, targetId);
  if (decision) return decideRequest({ actor, requestId, decision });
  return changeStatus({ actor, requestId, to, note: `Now ${to}.` });
}

/** A shortest path of legal moves from open to `status`. */
function pathTo(status: RequestStatus): RequestStatus[] {
  const queue: RequestStatus[][] = [["open"]];
  while (queue.length) {
    const path = queue.shift()!;
    const last = path.at(-1)!;
    if (last === status) return path.slice(1);
    for (const next of TRANSITIONS[last]) if (!path.includes(next)) queue.push([...path, next]);
  }
  throw new Error(`no path to ${status}`);
}

async function requestIn(status: RequestStatus, author?: Customer) {
  const { id } = await proposeRequest(author ?? (await makeCustomer()));
  const target = await proposeRequest(await makeCustomer());
  for (const step of pathTo(status)) await move(admin, id, step, target.id);
  return id;
}

async function stateOf(requestId: number) {
  const db = getDb();
  return {
    request: await db
      .selectFrom("requests")
      .selectAll()
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow(),
    events: await db
      .selectFrom("status_events")
      .selectAll()
      .where("request_id", "=", requestId)
      .orderBy("id")
      .execute(),
    audits: await db
      .selectFrom("audit_log")
      .selectAll()
      .where("subject_type", "=", "request")
      .where("subject_id", "=", requestId)
      .orderBy("id")
      .execute(),
    outbox: await db.selectFrom("outbox").select("id").execute(),
  };
}

function outboxAfter(id: number) {
  return getDb().selectFrom("outbox").selectAll().where("id", ">", id).orderBy("id").execute();
}

async function lastOutboxId() {
  const row = await getDb()
    .selectFrom("outbox")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

async function refusal(promise: Promise<unknown>): Promise<ActionRefused> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionRefused);
  return error as ActionRefused;
}

describe("every legal move of the lifecycle", () => {
  const legal = REQUEST_STATUSES.flatMap((from) => [
    ...TRANSITIONS[from].map((to) => [from, to] as const),
    ...(canReopen(from) ? [[from, "open"] as const] : []),
  ]);

  it.each(legal)(
    "moves a request from %s to %s with its status event and audit row",
    async (from, to) => {
      const id = await requestIn(from);
      const target = to === "merged" ? (await proposeRequest(await makeCustomer())).id : undefined;
      const before = await stateOf(id);

      await move(admin, id, to, target);

      const after = await stateOf(id);
      expect(after.request.status).toBe(to);
      const event = after.events.at(-1)!;
      expect(after.events).toHaveLength(before.events.length + 1);
      expect(event).toMatchObject({ from_status: from, to_status: to, actor_id: admin.id });
      expect(event.note).toBeTruthy();
      const audit = after.audits.at(-1)!;
      expect(after.audits).toHaveLength(before.audits.length + 1);
      const data = JSON.parse(audit.data_json) as {
        before: { status: string };
        after: { status: string };
      };
      expect(data.before.status).toBe(from);
      expect(data.after.status).toBe(to);
      expect(audit.actor_id).toBe(admin.id);
      if (to === "shipped") expect(after.request.shipped_at).not.toBeNull();
      if (to === "merged") expect(after.request.merged_into_id).toBe(target);
    },
  );
});

describe("illegal moves", () => {
  const illegal = REQUEST_STATUSES.flatMap((from) =>
    REQUEST_STATUSES.filter(
      (to) => to !== from && !TRANSITIONS[from].includes(to) && !(to === "open" && canReopen(from)),
    )
      // A sample per status: the first three it may not go to.
      .slice(0, 3)
      .map((to) => [from, to] as const),
  );

  it.each(illegal)("refuses %s → %s and changes nothing", async (from, to) => {
    const id = await requestIn(from);
    const target = (await proposeRequest(await makeCustomer())).id;
    const before = await stateOf(id);

    const error = await refusal(move(admin, id, to, target));

    expect(error.messageKey).toBe("triage.error.illegalTransition");
    expect(error.status).toBe(409);
    expect(await stateOf(id)).toEqual(before);
  });

  it("refuses to decide a request twice", async () => {
    const id = await requestIn("open");
    await decideRequest({ actor: admin, requestId: id, decision: { kind: "broad" } });
    const error = await refusal(
      decideRequest({ actor: admin, requestId: id, decision: { kind: "sponsored" } }),
    );
    expect(error.messageKey).toBe("triage.error.illegalTransition");
    expect((await stateOf(id)).request).toMatchObject({ status: "planned", decision: "broad" });
  });
});

describe("who may triage", () => {
  it("refuses customers as if the action did not exist, and changes nothing", async () => {
    const customer = await makeCustomer();
    const id = await requestIn("open");
    const before = await stateOf(id);
    for (const attempt of [
      () => decideRequest({ actor: customer.actor, requestId: id, decision: { kind: "broad" } }),
      () => changeStatus({ actor: customer.actor, requestId: id, to: "in_progress" }),
      () => reopenRequest({ actor: customer.actor, requestId: id, reason: "x" }),
      // Whatever they typed: a customer learns nothing about the action, not even a field error.
      () =>
        decideRequest({
          actor: customer.actor,
          requestId: id,
          decision: { kind: "declined", reason: "" },
        }),
      () => mergeRequest({ actor: customer.actor, sourceId: id, targetId: id }),
      () => listTriageQueue({ actor: customer.actor }),
    ]) {
      expect((await refusal(attempt())).status).toBe(404);
    }
    expect(await stateOf(id)).toEqual(before);
  });

  it("lets staff who are not admins decide, but not reopen", async () => {
    const staff = await makeStaff();
    const id = await requestIn("open");
    await decideRequest({
      actor: staff,
      requestId: id,
      decision: { kind: "declined", reason: "No." },
    });
    const before = await stateOf(id);
    const error = await refusal(reopenRequest({ actor: staff, requestId: id, reason: "Again" }));
    expect(error).toMatchObject({ status: 403, messageKey: "staff.error.adminOnly" });
    expect(await stateOf(id)).toEqual(before);
  });

  it("refuses someone whose staff role was revoked since they signed in", async () => {
    const staff = await makeStaff();
    await getDb().updateTable("users").set({ is_staff: 0 }).where("id", "=", staff.id).execute();
    const id = await requestIn("open");
    const error = await refusal(
      decideRequest({ actor: staff, requestId: id, decision: { kind: "broad" } }),
    );
    expect(error.status).toBe(404);
  });
});

describe("what a decision needs", () => {
  it("asks for a reason to decline and an explanation for 'already possible'", async () => {
    const id = await requestIn("open");
    expect(
      await refusal(
        decideRequest({ actor: admin, requestId: id, decision: { kind: "declined", reason: " " } }),
      ),
    ).toMatchObject({ messageKey: "triage.error.reasonRequired", field: "reason", status: 400 });
    expect(
      await refusal(
        decideRequest({
          actor: admin,
          requestId: id,
          decision: { kind: "already_exists", explanation: "" },
        }),
      ),
    ).toMatchObject({ messageKey: "triage.error.explanationRequired", field: "explanation" });
    expect(await refusal(reopenRequest({ actor: admin, requestId: id, reason: "" }))).toMatchObject(
      { messageKey: "triage.error.reasonRequired", field: "reason" },
    );
    expect((await stateOf(id)).request.status).toBe("open");
  });

  it("accepts a quarter like 2027-Q1 and nothing else", async () => {
    for (const bad of ["2027Q1", "2027-Q5", "Q1-2027", "1999-Q1", "next year"]) {
      const id = await requestIn("open");
      expect(
        await refusal(
          decideRequest({
            actor: admin,
            requestId: id,
            decision: { kind: "broad", targetQuarter: bad },
          }),
        ),
      ).toMatchObject({
        messageKey:
          bad === "1999-Q1"
            ? "staffRequests.error.quarterPast"
            : "staffRequests.error.quarterInvalid",
        field: "targetQuarter",
      });
    }
    const id = await requestIn("open");
    await decideRequest({
      actor: admin,
      requestId: id,
      decision: { kind: "broad", targetQuarter: "2027-Q3" },
    });
    expect((await stateOf(id)).request).toMatchObject({
      status: "planned",
      decision: "broad",
      target_quarter: "2027-Q3",
    });
  });

  it("accepts only http and https help links, and keeps the one given", async () => {
    for (const bad of ["javascript:alert(1)", "ftp://help.example/x", "help.example/x", "/help"]) {
      const id = await requestIn("open");
      expect(
        await refusal(
          decideRequest({
            actor: admin,
            requestId: id,
            decision: { kind: "already_exists", explanation: "Like this.", helpUrl: bad },
          }),
        ),
      ).toMatchObject({ messageKey: "triage.error.helpUrlInvalid", field: "helpUrl" });
    }
    const id = await requestIn("open");
    await decideRequest({
      actor: admin,
      requestId: id,
      decision: {
        kind: "already_exists",
        explanation: "Like this.",
        helpUrl: "https://help.example/a",
      },
    });
    const { request, events } = await stateOf(id);
    expect(request).toMatchObject({ status: "already_exists", help_url: "https://help.example/a" });
    expect(events.at(-1)!.note).toBe("Like this.");
  });

  it("records sponsored development, and a reopen clears the decision", async () => {
    const id = await requestIn("open");
    await decideRequest({ actor: admin, requestId: id, decision: { kind: "sponsored" } });
    expect((await stateOf(id)).request).toMatchObject({ status: "quoted", decision: "sponsored" });
    await reopenRequest({ actor: admin, requestId: id, reason: "Broader than we thought." });
    const { request, events } = await stateOf(id);
    expect(request).toMatchObject({ status: "open", decision: null });
    expect(events.at(-1)).toMatchObject({
      from_status: "quoted",
      to_status: "open",
      note: "Broader than we thought.",
    });
  });

  it("does not reopen a merge", async () => {
    const id = await requestIn("merged");
    const error = await refusal(reopenRequest({ actor: admin, requestId: id, reason: "Oops" }));
    expect(error.messageKey).toBe("triage.error.illegalTransition");
  });
});

describe("telling the followers", () => {
  it("writes one e-mail per follower in their language, none to the staff member acting", async () => {
    const author = await makeCustomer({ name: "Author" });
    const { id } = await proposeRequest(author);
    const english = await insertUser({ name: "Eli English", locale: "en" });
    const hebrew = await insertUser({ name: "חנה", locale: "he" });
    const noLocale = await insertUser({ name: "Nobody Chose" });
    for (const follower of [english, hebrew, noLocale, admin])
      await followRequest({ requestId: id, actor: follower });
    const from = await lastOutboxId();

    await decideRequest({
      actor: admin,
      requestId: id,
      decision: { kind: "declined", reason: "Too <specific> for now." },
    });

    const rows = await outboxAfter(from);
    expect(rows.map((r) => r.recipient).sort()).toEqual(
      [author.email, english.email, hebrew.email, noLocale.email].sort(),
    );
    const byRecipient = new Map(rows.map((r) => [r.recipient, JSON.parse(r.payload_json)]));
    expect(byRecipient.get(english.email)).toMatchObject({
      template: "request_decided",
      locale: "en",
      decision: "declined",
      note: "Too <specific> for now.",
    });
    expect(byRecipient.get(hebrew.email).locale).toBe("he");
    // No saved language: Hebrew, the site's default.
    expect(byRecipient.get(noLocale.email).locale).toBe("he");

    const mail = renderEmail(byRecipient.get(english.email) as EmailPayload);
    expect(mail.subject).toContain("was declined");
    expect(mail.text).toContain("Too <specific> for now.");
    expect(mail.html).toContain("Too &lt;specific&gt; for now.");
    expect(mail.text).toContain(`http://broadly.test/requests/${id}`);
    const he = renderEmail(byRecipient.get(hebrew.email) as EmailPayload);
    expect(he.html).toContain('dir="rtl"');
    expect(he.subject).toContain("לא תפותח");
  });

  it("tells followers when work starts and when it ships, with the note", async () => {
    const author = await makeCustomer();
    const id = await requestIn("planned", author);
    let from = await lastOutboxId();
    await changeStatus({ actor: admin, requestId: id, to: "in_progress", note: "Started!" });
    let [row] = await outboxAfter(from);
    expect(JSON.parse(row.payload_json)).toMatchObject({
      template: "request_status_changed",
      status: "in_progress",
      note: "Started!",
    });
    expect(row.recipient).toBe(author.email);

    from = await lastOutboxId();
    await changeStatus({ actor: admin, requestId: id, to: "shipped" });
    [row] = await outboxAfter(from);
    const payload = JSON.parse(row.payload_json) as EmailPayload;
    expect(payload).toMatchObject({ template: "request_status_changed", status: "shipped" });
    expect(renderEmail({ ...payload, locale: "en" }).subject).toContain("shipped");
  });

  it("says 'sponsorship possible, quote coming' for sponsored development", async () => {
    const author = await makeCustomer();
    const id = await requestIn("open", author);
    const from = await lastOutboxId();
    await decideRequest({ actor: admin, requestId: id, decision: { kind: "sponsored" } });
    const [row] = await outboxAfter(from);
    const payload = JSON.parse(row.payload_json) as EmailPayload;
    expect(renderEmail({ ...payload, locale: "en" }).text).toContain(
      "sponsorship possible, quote coming",
    );
  });

  it("links the help article of an 'already possible' answer", async () => {
    const author = await makeCustomer();
    const id = await requestIn("open", author);
    const from = await lastOutboxId();
    await decideRequest({
      actor: admin,
      requestId: id,
      decision: {
        kind: "already_exists",
        explanation: "Use export.",
        helpUrl: "https://h.example/x",
      },
    });
    const [row] = await outboxAfter(from);
    const mail = renderEmail({ ...(JSON.parse(row.payload_json) as EmailPayload), locale: "en" });
    expect(mail.html).toContain('href="https://h.example/x"');
    expect(mail.text).toContain("Use export.");
  });

  it("tells an organization-only request's followers only if they still see it", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "=", id)
      .execute();
    const colleague = await makeCustomer({ orgId: author.orgId });
    const leaver = await makeCustomer({ name: "Left the org", orgId: author.orgId });
    await followRequest({ requestId: id, actor: colleague.actor });
    await followRequest({ requestId: id, actor: leaver.actor });
    // They leave the organization (still following): they no longer see the request.
    await getDb()
      .deleteFrom("memberships")
      .where("user_id", "=", leaver.actor.id)
      .where("org_id", "=", author.orgId)
      .execute();
    const from = await lastOutboxId();

    await decideRequest({ actor: admin, requestId: id, decision: { kind: "broad" } });

    const recipients = (await outboxAfter(from)).map((r) => r.recipient).sort();
    expect(recipients).toEqual([author.email, colleague.email].sort());
  });
});

describe("merging requests", () => {
  async function expectExact(requestId: number) {
    const { stored, counted, expected } = await countersAndCounts(requestId);
    expect(stored).toEqual(expected);
    expect(counted.org_rows).toBe(counted.org_count);
    expect(counted.org_row_votes).toBe(counted.vote_count - (await staffVotes(requestId)));
    return stored;
  }

  async function staffVotes(requestId: number) {
    const row = await getDb()
      .selectFrom("votes")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("request_id", "=", requestId)
      .where("org_id", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function voteOf(requestId: number, userId: number) {
    return getDb()
      .selectFrom("votes")
      .selectAll()
      .where("request_id", "=", requestId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  }

  async function setVoteTime(requestId: number, userId: number, at: string) {
    await getDb()
      .updateTable("votes")
      .set({ created_at: at })
      .where("request_id", "=", requestId)
      .where("user_id", "=", userId)
      .execute();
  }

  it("moves votes, follows and comments, keeps the earlier of two votes and every counter exact", async () => {
    const shared = await insertOrg("Shared Ltd");
    const other = await insertOrg("Other Ltd");
    const sourceAuthor = await makeCustomer({ orgId: shared.id });
    const targetAuthor = await makeCustomer({ orgId: other.id });
    const source = (await proposeRequest(sourceAuthor)).id;
    const target = (await proposeRequest(targetAuthor)).id;

    // Voters of both, of one, in shared and separate organizations, and a staff vote.
    const both = await makeCustomer({ orgId: shared.id });
    const bothOtherOrg = await makeCustomer({ orgId: shared.id });
    await getDb()
      .insertInto("memberships")
      .values({
        org_id: other.id,
        user_id: bothOtherOrg.actor.id,
        role: "member",
        created_at: new Date().toISOString(),
      })
      .execute();
    const onlySource = await makeCustomer({ orgId: other.id });
    const onlySourceOwnOrg = await makeCustomer();
    const onlyTarget = await makeCustomer({ orgId: shared.id });
    const staffVoter = await makeStaff();
    await toggleVote({ requestId: source, actor: both.actor, orgId: shared.id });
    await toggleVote({ requestId: target, actor: both.actor, orgId: shared.id });
    // On the source for one organization, on the target for the other; the source's is earlier.
    await toggleVote({ requestId: source, actor: bothOtherOrg.actor, orgId: shared.id });
    await toggleVote({ requestId: target, actor: bothOtherOrg.actor, orgId: other.id });
    await setVoteTime(source, bothOtherOrg.actor.id, "2026-01-01T00:00:00.000Z");
    await setVoteTime(target, bothOtherOrg.actor.id, "2026-02-01T00:00:00.000Z");
    // The target's vote of `both` is the earlier one.
    await setVoteTime(target, both.actor.id, "2026-01-05T00:00:00.000Z");
    await setVoteTime(source, both.actor.id, "2026-03-05T00:00:00.000Z");
    await toggleVote({ requestId: source, actor: onlySource.actor, orgId: other.id });
    await toggleVote({
      requestId: source,
      actor: onlySourceOwnOrg.actor,
      orgId: onlySourceOwnOrg.orgId,
    });
    await toggleVote({ requestId: target, actor: onlyTarget.actor, orgId: shared.id });
    await toggleVote({ requestId: source, actor: staffVoter });
    // A follower who never voted, and a voter who unfollowed.
    const watcher = await insertUser({ name: "Watcher" });
    await followRequest({ requestId: source, actor: watcher });
    await unfollowRequest({ requestId: source, actor: onlySource.actor });
    // Comments: public, an internal note, a deleted one.
    await addComment({
      requestId: source,
      actor: both.actor,
      orgId: shared.id,
      bodyMd: "Public one",
    });
    await addComment({
      requestId: source,
      actor: staffVoter,
      bodyMd: "Internal",
      kind: "internal",
    });
    await addComment({
      requestId: target,
      actor: onlyTarget.actor,
      orgId: shared.id,
      bodyMd: "On target",
    });

    const sourceVoters = 6; // author, both, bothOtherOrg, onlySource, onlySourceOwnOrg, staff
    const targetBefore = await expectExact(target);
    expect(targetBefore.vote_count).toBe(4);
    const from = await lastOutboxId();

    const result = await mergeRequest({
      actor: admin,
      sourceId: source,
      targetId: target,
      note: "Same",
    });

    // Two of the source's voters had voted on the target already.
    expect(result).toEqual({
      votesMoved: sourceVoters - 2,
      followsMoved: expect.any(Number),
      commentsMoved: 2,
    });
    const targetAfter = await expectExact(target);
    expect(targetAfter.vote_count).toBe(4 + sourceVoters - 2);
    const sourceAfter = await expectExact(source);
    expect(sourceAfter).toEqual({
      vote_count: 0,
      org_count: 0,
      follower_count: 0,
      comment_count: 0,
      recent_vote_count: 0,
    });
    // Organizations: shared, other, and onlySourceOwnOrg's.
    expect(targetAfter.org_count).toBe(3);

    // The earlier vote is the one kept, with its organization.
    expect(await voteOf(target, bothOtherOrg.actor.id)).toMatchObject({
      org_id: shared.id,
      created_at: "2026-01-01T00:00:00.000Z",
    });
    expect(await voteOf(target, both.actor.id)).toMatchObject({
      created_at: "2026-01-05T00:00:00.000Z",
    });
    const orgVotes = await getDb()
      .selectFrom("request_org_votes")
      .select(["org_id", "votes"])
      .where("request_id", "=", target)
      .orderBy("org_id")
      .execute();
    // shared: sourceAuthor, both, bothOtherOrg, onlyTarget; other: targetAuthor, onlySource.
    expect(orgVotes).toEqual(
      [
        { org_id: shared.id, votes: 4 },
        { org_id: other.id, votes: 2 },
        { org_id: onlySourceOwnOrg.orgId, votes: 1 },
      ].sort((a, b) => a.org_id - b.org_id),
    );

    // Comments moved, internal note included; the follower and the unfollowed voter as they were.
    const comments = await getDb()
      .selectFrom("comments")
      .select("body_md")
      .where("request_id", "=", target)
      .orderBy("id")
      .execute();
    expect(comments.map((c) => c.body_md)).toEqual(["Public one", "Internal", "On target"]);
    const followers = await getDb()
      .selectFrom("follows")
      .select("user_id")
      .where("request_id", "=", target)
      .execute();
    const followerIds = followers.map((f) => f.user_id);
    expect(followerIds).toContain(watcher.id);
    expect(followerIds).not.toContain(onlySource.actor.id);

    // The source's page now points at the target.
    const page = await getRequest({ id: source, viewer: null });
    expect(page).toMatchObject({ status: "merged", mergedIntoId: target });
    const { events, audits } = await stateOf(source);
    expect(events.at(-1)).toMatchObject({ from_status: "open", to_status: "merged", note: "Same" });
    expect(audits.at(-1)!.action).toBe("request.merge");

    // The source's author, voters and followers are told; the target's own people are not.
    const rows = await outboxAfter(from);
    const recipients = rows.map((r) => r.recipient).sort();
    expect(recipients).toEqual(
      [
        sourceAuthor.email,
        both.email,
        bothOtherOrg.email,
        onlySource.email,
        onlySourceOwnOrg.email,
        staffVoter.email,
        watcher.email,
      ].sort(),
    );
    const mail = renderEmail({
      ...(JSON.parse(rows[0].payload_json) as EmailPayload),
      locale: "en",
    });
    expect(mail.text).toContain(`http://broadly.test/requests/${target}`);
    expect(mail.subject).toContain("was merged into");
  });

  it("merges through a decision of kind merge", async () => {
    const source = await requestIn("planned");
    const target = (await proposeRequest(await makeCustomer())).id;
    expect(
      await decideRequest({
        actor: admin,
        requestId: source,
        decision: { kind: "merge", targetId: target },
      }),
    ).toEqual({ status: "merged", mergedIntoId: target });
    await expectExact(target);
  });

  it("refuses a target that is missing, itself, merged, closed or private to another organization", async () => {
    const source = (await proposeRequest(await makeCustomer())).id;
    const merged = await requestIn("merged");
    const shipped = await requestIn("shipped");
    const declined = await requestIn("declined");
    const privateOther = (await proposeRequest(await makeCustomer())).id;
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "=", privateOther)
      .execute();
    const before = await stateOf(source);
    for (const targetId of [999_999, source, merged, shipped, declined, privateOther]) {
      expect(
        await refusal(mergeRequest({ actor: admin, sourceId: source, targetId })),
      ).toMatchObject({ messageKey: "triage.error.mergeTarget", field: "targetId", status: 400 });
    }
    expect(await stateOf(source)).toEqual(before);
  });

  it("merges an organization-only request into another of its own organization", async () => {
    const author = await makeCustomer();
    const colleague = await makeCustomer({ orgId: author.orgId });
    const source = (await proposeRequest(author)).id;
    const target = (await proposeRequest(colleague)).id;
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "in", [source, target])
      .execute();
    await mergeRequest({ actor: admin, sourceId: source, targetId: target });
    expect((await expectExact(target)).vote_count).toBe(2);
  });

  it("moves recent votes into the target's trending count", async () => {
    const source = (await proposeRequest(await makeCustomer())).id;
    const target = (await proposeRequest(await makeCustomer())).id;
    for (let i = 0; i < 3; i++) {
      const voter = await makeCustomer();
      await toggleVote({ requestId: source, actor: voter.actor, orgId: voter.orgId });
    }
    await mergeRequest({ actor: admin, sourceId: source, targetId: target });
    const stored = await expectExact(target);
    expect(stored.recent_vote_count).toBe(5);
  });
});

describe("the triage queue", () => {
  it("lists undecided requests oldest first, with their demand, page by page", async () => {
    const category = await makeCategory("Queue");
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const author = await makeCustomer();
      ids.push((await proposeRequest(author, { categoryId: category.id })).id);
    }
    // Oldest first whatever the ids: make the last one the oldest.
    await getDb()
      .updateTable("requests")
      .set({ created_at: "2020-01-01T00:00:00.000Z" })
      .where("id", "=", ids[4])
      .execute();
    await decideRequest({ actor: admin, requestId: ids[2], decision: { kind: "broad" } });
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "=", ids[3])
      .execute();
    // Demand on ids[0]: a big and a small organization; one old vote.
    const big = await insertOrg("Big Ltd");
    const small = await insertOrg("Small Ltd");
    for (let i = 0; i < 3; i++) await makeCustomer({ orgId: big.id });
    const bigVoter = await makeCustomer({ orgId: big.id });
    const smallVoter = await makeCustomer({ orgId: small.id });
    // The factories add members directly: count them as the membership writes would.
    await getDb()
      .updateTable("organizations")
      .set((eb) => ({
        member_count: eb
          .selectFrom("memberships")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("memberships.org_id", "=", "organizations.id"),
      }))
      .where("id", "in", [big.id, small.id])
      .execute();
    await toggleVote({ requestId: ids[0], actor: bigVoter.actor, orgId: big.id });
    await toggleVote({ requestId: ids[0], actor: smallVoter.actor, orgId: small.id });
    await setVote(ids[0], smallVoter.actor.id, "2020-06-01T00:00:00.000Z");

    const first = await listTriageQueue({ actor: admin, categoryId: category.id, limit: 2 });
    expect(first.total).toEqual({ count: 4, more: false });
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[0]]);
    const item = first.items[1];
    expect(item).toMatchObject({ voteCount: 3, orgCount: 3, recentVotes30d: 2 });
    expect(item.topOrgs[0]).toMatchObject({
      id: big.id,
      name: "Big Ltd",
      memberCount: 4,
      votes: 1,
    });
    expect(item.topOrgs).toHaveLength(3);
    expect(item.authorName).toBe("Customer");

    const second = await listTriageQueue({
      actor: admin,
      categoryId: category.id,
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((i) => i.id)).toEqual([ids[1], ids[3]]);
    expect(second.items[1].visibility).toBe("organization");
    expect(second.nextCursor).toBeNull();

    // Staff who are not admins see it too.
    const staff = await makeStaff();
    expect((await listTriageQueue({ actor: staff, categoryId: category.id })).total).toEqual({
      count: 4,
      more: false,
    });
  });

  it("counts what waits up to a cap, the header's count for staff only", async () => {
    const customer = await makeCustomer();
    for (let i = 0; i < 3; i++) await proposeRequest(customer);
    const waiting = () => getDb().selectFrom("requests").where("status", "=", "open");
    const exact = Number(
      (
        await waiting()
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(exact).toBeGreaterThan(2);
    expect(await countUpTo(waiting(), exact)).toEqual({ count: exact, more: false });
    expect(await countUpTo(waiting(), exact - 1)).toEqual({ count: exact - 1, more: true });
    expect(await countAwaitingDecision(admin)).toEqual({ count: exact, more: false });
    expect(await countAwaitingDecision(customer.actor)).toBeNull();
    expect(await countAwaitingDecision(null)).toBeNull();
  });

  async function setVote(requestId: number, userId: number, at: string) {
    await getDb()
      .updateTable("votes")
      .set({ created_at: at })
      .where("request_id", "=", requestId)
      .where("user_id", "=", userId)
      .execute();
  }
});

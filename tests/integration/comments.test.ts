import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  addComment,
  deleteComment,
  editComment,
  listComments,
  type CommentKind,
} from "~/models/comments.server";
import { countersAndCounts, makeCustomer, makeStaff, proposeRequest } from "../support/factories";

async function commentCount(requestId: number) {
  const { stored, counted } = await countersAndCounts(requestId);
  expect(stored.comment_count).toBe(counted.comment_count);
  return stored.comment_count;
}

async function backdate(commentId: number, minutes: number) {
  await getDb()
    .updateTable("comments")
    .set({ created_at: new Date(Date.now() - minutes * 60_000).toISOString() })
    .where("id", "=", commentId)
    .execute();
}

describe("comments", () => {
  it("adds a Markdown comment with the author's organization, counted and rendered safely", async () => {
    const author = await makeCustomer({ name: "Requester" });
    const { id } = await proposeRequest(author);
    const commenter = await makeCustomer({ name: "Commenter" });

    await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Yes *please* <img src=x onerror=alert(1)>",
    });
    expect(await commentCount(id)).toBe(1);

    const { items, nextAfterId } = await listComments({ requestId: id, viewer: null });
    expect(nextAfterId).toBeNull();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      authorName: "Commenter",
      orgName: "Commenter's org",
      kind: "public",
      canEdit: false,
      canDelete: false,
    });
    expect(items[0].bodyHtml).toContain("<em>please</em>");
    expect(items[0].bodyHtml).not.toContain("<img");
  });

  it("refuses empty comments and customers writing internal or official ones", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    await expect(
      addComment({ requestId: id, actor: author.actor, bodyMd: "  \n " }),
    ).rejects.toMatchObject({
      messageKey: "request.error.commentEmpty",
      field: "bodyMd",
    });
    await expect(
      addComment({ requestId: id, actor: author.actor, bodyMd: "note", kind: "internal" }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      addComment({ requestId: id, actor: author.actor, bodyMd: "answer", kind: "official" }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      addComment({ requestId: 999_999, actor: author.actor, bodyMd: "hello" }),
    ).rejects.toMatchObject({ status: 404 });
    expect(await commentCount(id)).toBe(0);
  });

  it("never shows internal comments to customers or visitors, and does not count them", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const staff = await makeStaff("Support");
    await addComment({
      requestId: id,
      actor: staff,
      bodyMd: "Internal: big customer, check the contract",
      kind: "internal",
    });
    await addComment({
      requestId: id,
      actor: staff,
      bodyMd: "We are looking into it.",
      kind: "official",
    });

    expect(await commentCount(id)).toBe(1);
    for (const viewer of [null, author.actor]) {
      const { items } = await listComments({ requestId: id, viewer });
      expect(items.map((c) => c.bodyMd)).toEqual(["We are looking into it."]);
      expect(items[0].kind).toBe("official");
    }
    const forStaff = await listComments({ requestId: id, viewer: staff });
    expect(forStaff.items.map((c) => c.kind)).toEqual(["internal", "official"]);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("actor_id", "=", staff.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["comment.added", "comment.added"]);
  });

  it("writes a staff comment as exactly one kind: an internal note is never official", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const staff = await makeStaff();
    for (const kind of ["public", "official", "internal"] as const)
      await addComment({ requestId: id, actor: staff, bodyMd: `A ${kind} one`, kind });
    await expect(
      addComment({
        requestId: id,
        actor: staff,
        bodyMd: "Both at once",
        kind: "official+internal" as CommentKind,
      }),
    ).rejects.toMatchObject({ status: 400, messageKey: "request.error.commentKindInvalid" });

    const rows = await getDb()
      .selectFrom("comments")
      .select(["body_md", "is_official", "is_internal"])
      .where("request_id", "=", id)
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { body_md: "A public one", is_official: 0, is_internal: 0 },
      { body_md: "A official one", is_official: 1, is_internal: 0 },
      { body_md: "A internal one", is_official: 0, is_internal: 1 },
    ]);
    const listed = await listComments({ requestId: id, viewer: staff });
    expect(listed.items.map((c) => c.kind)).toEqual(["public", "official", "internal"]);
  });

  it("counts exactly what each viewer is shown: customers the public comments, staff the notes too", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const commenter = await makeCustomer();
    const staff = await makeStaff();
    const asStaff = { actor: staff, orgId: null };
    const write = (
      who: { actor: typeof staff; orgId: number | null },
      bodyMd: string,
      kind: CommentKind = "public",
    ) => addComment({ requestId: id, actor: who.actor, orgId: who.orgId, bodyMd, kind });
    await write(commenter, "Customer one");
    const gone = await write(commenter, "Customer two, deleted");
    await write(asStaff, "The answer", "official");
    await write(asStaff, "A note", "internal");
    const goneNote = await write(asStaff, "A note, deleted", "internal");
    await write(author, "The author");
    await deleteComment({ requestId: id, commentId: gone.id, actor: commenter.actor });
    await deleteComment({ requestId: id, commentId: goneNote.id, actor: staff });

    // The stored public count is what customers and visitors are shown, and what they are told.
    expect(await commentCount(id)).toBe(3);
    for (const viewer of [null, author.actor, commenter.actor]) {
      const { items, total } = await listComments({ requestId: id, viewer });
      expect(items.map((c) => c.bodyMd)).toEqual(["Customer one", "The answer", "The author"]);
      expect(total).toBe(3);
    }
    // Staff are shown the internal note as well, and the number says so.
    const forStaff = await listComments({ requestId: id, viewer: staff });
    expect(forStaff.items).toHaveLength(4);
    expect(forStaff.total).toBe(4);
    // A page of the thread does not change the totals.
    expect((await listComments({ requestId: id, viewer: null, limit: 1 })).total).toBe(3);
  });

  it("tells the author how long they may still edit, and nobody else", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const commenter = await makeCustomer();
    const comment = await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Hi",
    });
    await backdate(comment.id, 5);
    const [mine] = (await listComments({ requestId: id, viewer: commenter.actor })).items;
    // 10 minutes left, less the moments this test took.
    expect(mine.editableForMs).toBeGreaterThan(9.9 * 60_000);
    expect(mine.editableForMs).toBeLessThanOrEqual(10 * 60_000);
    const [theirs] = (await listComments({ requestId: id, viewer: author.actor })).items;
    expect(theirs).toMatchObject({ editableForMs: 0, canEdit: false });
  });

  it("lets the author edit within 15 minutes, and no one else", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const commenter = await makeCustomer();
    const other = await makeCustomer();
    const staff = await makeStaff();
    const comment = await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Frist!",
    });

    await editComment({
      requestId: id,
      commentId: comment.id,
      actor: commenter.actor,
      bodyMd: "First!",
    });
    let [listed] = (await listComments({ requestId: id, viewer: commenter.actor })).items;
    expect(listed).toMatchObject({ bodyMd: "First!", canEdit: true, canDelete: true });
    expect(listed.editedAt).not.toBeNull();

    await expect(
      editComment({ requestId: id, commentId: comment.id, actor: other.actor, bodyMd: "Mine now" }),
    ).rejects.toMatchObject({
      messageKey: "request.error.commentNotAuthor",
    });
    await expect(
      editComment({ requestId: id, commentId: comment.id, actor: staff, bodyMd: "Staff edit" }),
    ).rejects.toMatchObject({ status: 403 });

    await backdate(comment.id, 14);
    await editComment({
      requestId: id,
      commentId: comment.id,
      actor: commenter.actor,
      bodyMd: "Still in time",
    });
    await backdate(comment.id, 16);
    await expect(
      editComment({
        requestId: id,
        commentId: comment.id,
        actor: commenter.actor,
        bodyMd: "Too late",
      }),
    ).rejects.toMatchObject({
      messageKey: "request.error.commentEditExpired",
    });
    [listed] = (await listComments({ requestId: id, viewer: commenter.actor })).items;
    expect(listed).toMatchObject({ bodyMd: "Still in time", canEdit: false });
  });

  it("lets the author delete their own comment and staff delete any, softly, keeping the count", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const commenter = await makeCustomer();
    const other = await makeCustomer();
    const staff = await makeStaff();
    const own = await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "One",
    });
    const second = await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Two",
    });
    const internal = await addComment({
      requestId: id,
      actor: staff,
      bodyMd: "Three",
      kind: "internal",
    });
    expect(await commentCount(id)).toBe(2);

    await expect(
      deleteComment({ requestId: id, commentId: own.id, actor: other.actor }),
    ).rejects.toMatchObject({
      messageKey: "request.error.commentDeleteForbidden",
    });
    await deleteComment({ requestId: id, commentId: own.id, actor: commenter.actor });
    expect(await commentCount(id)).toBe(1);
    await expect(
      deleteComment({ requestId: id, commentId: own.id, actor: commenter.actor }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      editComment({ requestId: id, commentId: own.id, actor: commenter.actor, bodyMd: "Back" }),
    ).rejects.toMatchObject({ status: 404 });

    await deleteComment({ requestId: id, commentId: second.id, actor: staff });
    await deleteComment({ requestId: id, commentId: internal.id, actor: staff });
    expect(await commentCount(id)).toBe(0);
    expect((await listComments({ requestId: id, viewer: staff })).items).toEqual([]);

    const rows = await getDb()
      .selectFrom("comments")
      .select(["id", "deleted_at"])
      .where("request_id", "=", id)
      .execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.deleted_at !== null)).toBe(true);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("actor_id", "=", staff.id)
      .where("action", "=", "comment.deleted")
      .execute();
    expect(audit).toHaveLength(2);
  });

  it("pages through long threads oldest first", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const written: number[] = [];
    for (let i = 0; i < 7; i++)
      written.push(
        (
          await addComment({
            requestId: id,
            actor: author.actor,
            orgId: author.orgId,
            bodyMd: `Comment ${i}`,
          })
        ).id,
      );
    const seen: number[] = [];
    let afterId: number | null = null;
    do {
      const page: Awaited<ReturnType<typeof listComments>> = await listComments({
        requestId: id,
        afterId,
        limit: 3,
      });
      seen.push(...page.items.map((c) => c.id));
      afterId = page.nextAfterId;
    } while (afterId !== null);
    expect(seen).toEqual(written);
  });
});

// @ts-check
// Staff triage: who owns a request and when it is due, whether it is visible to everyone or to
// its organization only, where it came from (the board, or staff recording what a customer
// said by e-mail, WhatsApp, a call or a meeting), the help article an "already possible"
// answer links to; the same provenance on votes; organizations' member counts (the triage
// queue ranks voting organizations by size); and the indexes the queue, the demand view and the
// roadmap read.
import { sql } from "kysely";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .alterTable("requests")
    .addColumn("visibility", "text", (c) =>
      c
        .notNull()
        .defaultTo("public")
        .check(sql`visibility in ('public', 'organization')`),
    )
    .execute();
  await db.schema
    .alterTable("requests")
    .addColumn("source", "text", (c) =>
      c
        .notNull()
        .defaultTo("board")
        .check(sql`source in ('board', 'email', 'whatsapp', 'call', 'meeting')`),
    )
    .execute();
  // The staff member who proposed it on a customer's behalf; null when the customer did.
  await db.schema
    .alterTable("requests")
    .addColumn("recorded_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  await db.schema
    .alterTable("requests")
    .addColumn("owner_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  // "2027-Q1": the quarter staff aim to ship it in.
  await db.schema.alterTable("requests").addColumn("target_quarter", "text").execute();
  await db.schema.alterTable("requests").addColumn("help_url", "text").execute();

  // How staff heard of a vote they recorded, and what the customer said.
  await db.schema
    .alterTable("votes")
    .addColumn("source", "text", (c) =>
      c.check(sql`source in ('email', 'whatsapp', 'call', 'meeting')`),
    )
    .execute();
  await db.schema.alterTable("votes").addColumn("customer_quote", "text").execute();

  await db.schema
    .alterTable("organizations")
    .addColumn("member_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update organizations set member_count =
    (select count(*) from memberships where memberships.org_id = organizations.id)`.execute(db);

  // Votes over time (the demand chart, votes in the last 30 days): a range of one request's.
  await db.schema
    .createIndex("votes_by_request_created_at")
    .on("votes")
    .columns(["request_id", "created_at"])
    .execute();
  // A request's voting organizations, most voters first, paged by keyset.
  await db.schema
    .createIndex("request_org_votes_by_votes")
    .on("request_org_votes")
    .columns(["request_id", "votes", "org_id"])
    .execute();
  // The roadmap's "recently shipped" column.
  await db.schema
    .createIndex("requests_by_status_shipped_at")
    .on("requests")
    .columns(["status", "shipped_at", "id"])
    .execute();
  await db.schema
    .createIndex("requests_by_owner")
    .on("requests")
    .columns(["owner_id", "status", "created_at"])
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  for (const name of [
    "requests_by_owner",
    "requests_by_status_shipped_at",
    "request_org_votes_by_votes",
    "votes_by_request_created_at",
  ]) {
    await db.schema.dropIndex(name).execute();
  }
  await db.schema.alterTable("organizations").dropColumn("member_count").execute();
  for (const column of ["customer_quote", "source"]) {
    await db.schema.alterTable("votes").dropColumn(column).execute();
  }
  for (const column of [
    "help_url",
    "target_quarter",
    "owner_id",
    "recorded_by",
    "source",
    "visibility",
  ]) {
    await db.schema.alterTable("requests").dropColumn(column).execute();
  }
}

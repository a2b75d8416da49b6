// @ts-check
// Sponsored development: the quotes staff make on a request (each revision a new version), the
// sponsorships organizations' admins sign (one organization's acceptance, or co-sponsors'
// pledges on an open quote), and the declines. Money in integer agorot, VAT in basis points.
//
// A sponsorship row is written once and never changed: it is the signed order (what was shown,
// to whom, for how much, the SHA-256 of the terms text). Whether it binds is its quote's state:
// a quote only moves forward (open → funded, or open → superseded / withdrawn / expired), so a
// pledge on a quote that ends unfunded has lapsed without anyone touching it.
import { sql } from "kysely";
import { serialId, moneyType } from "../schema.js";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("quotes")
    .addColumn("id", "integer", serialId(db))
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'funded', 'superseded', 'withdrawn', 'expired')`),
    )
    .addColumn("pricing", "text", (c) => c.notNull().check(sql`pricing in ('hourly', 'fixed')`))
    // Hourly: estimated hours as quarter hours (10.25 h = 41), at the rate per hour.
    .addColumn("quarter_hours", "integer")
    .addColumn("rate_minor", moneyType(db))
    .addColumn("net_minor", moneyType(db), (c) => c.notNull().check(sql`net_minor >= 0`))
    .addColumn("vat_bps", "integer", (c) => c.notNull())
    .addColumn("vat_minor", moneyType(db), (c) => c.notNull())
    .addColumn("gross_minor", moneyType(db), (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull().defaultTo("ILS"))
    // The last day it may be accepted ("2027-03-31"), and the moment that day ends in Israel.
    .addColumn("valid_until", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("delivery_weeks", "integer", (c) => c.notNull())
    .addColumn("terms_md", "text", (c) => c.notNull())
    .addColumn("terms_sha256", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull().check(sql`audience in ('org', 'open')`))
    .addColumn("offered_org_id", "integer", (c) =>
      c.references("organizations.id").onDelete("set null"),
    )
    // Open quotes: the smallest pledge taken (null: any).
    .addColumn("min_share_minor", moneyType(db))
    // What the pledges on this version add up to, kept exact with them.
    .addColumn("pledged_minor", moneyType(db), (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    // When it stopped being open (funded, superseded, withdrawn or expired).
    .addColumn("closed_at", "text")
    .execute();
  await db.schema
    .createIndex("quotes_by_request_version")
    .on("quotes")
    .columns(["request_id", "version"])
    .unique()
    .execute();
  // The expiry sweep: open quotes by the moment they end.
  await db.schema
    .createIndex("quotes_open_by_expiry")
    .on("quotes")
    .columns(["expires_at", "id"])
    .where(sql.ref("status"), "=", "open")
    .execute();

  await db.schema
    .createTable("sponsorships")
    .addColumn("id", "integer", serialId(db))
    .addColumn("quote_id", "integer", (c) => c.notNull().references("quotes.id"))
    .addColumn("quote_version", "integer", (c) => c.notNull())
    .addColumn("request_id", "integer", (c) => c.notNull().references("requests.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id"))
    // The organization's commitment in agorot, VAT included (its part of the gross amount).
    .addColumn("share_minor", moneyType(db), (c) => c.notNull().check(sql`share_minor > 0`))
    .addColumn("signer_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    // As typed by the signer, and their address then: the record outlives the account.
    .addColumn("signer_name", "text", (c) => c.notNull())
    .addColumn("signer_email", "text", (c) => c.notNull())
    .addColumn("signer_ip", "text")
    .addColumn("terms_sha256", "text", (c) => c.notNull())
    // Whether the organization may be thanked by name when the request ships.
    .addColumn("credit_by_name", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("accepted_at", "text", (c) => c.notNull())
    .execute();
  // One sponsorship per organization per version.
  await db.schema
    .createIndex("sponsorships_by_quote_org")
    .on("sponsorships")
    .columns(["quote_id", "org_id"])
    .unique()
    .execute();
  // The ledger, newest first; an organization's own list.
  await db.schema
    .createIndex("sponsorships_by_time")
    .on("sponsorships")
    .columns(["accepted_at", "id"])
    .execute();
  await db.schema
    .createIndex("sponsorships_by_org")
    .on("sponsorships")
    .columns(["org_id", "accepted_at", "id"])
    .execute();

  await db.schema
    .createTable("quote_declines")
    .addColumn("id", "integer", serialId(db))
    .addColumn("quote_id", "integer", (c) => c.notNull().references("quotes.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("quote_declines_by_quote")
    .on("quote_declines")
    .columns(["quote_id", "org_id"])
    .execute();

  await db
    .insertInto("settings")
    .values([
      { key: "quote_terms_md", value: "" },
      { key: "quote_valid_days", value: "30" },
    ])
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db
    .deleteFrom("settings")
    .where("key", "in", ["quote_terms_md", "quote_valid_days"])
    .execute();
  await db.schema.dropTable("quote_declines").execute();
  await db.schema.dropTable("sponsorships").execute();
  await db.schema.dropTable("quotes").execute();
}

// The version of what visitors see (migration 0016): the sum of the rows that the database's
// triggers raise on every write to public content, in the writing transaction. Equal versions
// mean no public content changed in between, in any process.
import { getDb, now } from "~/db.server";

/**
 * The current version, as one read: the triggers' sum, and what changes with time alone, with
 * no write at all: the latest announcement published by now (a scheduled one appears when its
 * time comes) and the latest open quote's expiry that has passed (its page stops offering it
 * then, before the worker marks it expired). Each is one index probe.
 */
export async function readContentVersion(): Promise<string> {
  const at = now();
  const row = await getDb()
    .selectNoFrom((eb) => [
      eb
        .selectFrom("content_versions")
        .select((s) => s.fn.sum<number | string>("version").as("total"))
        .as("total"),
      eb
        .selectFrom("announcements")
        .select((s) => s.fn.max("published_at").as("latest"))
        .where("published_at", "is not", null)
        .where("published_at", "<=", at)
        .as("latest"),
      eb
        .selectFrom("quotes")
        .select((s) => s.fn.max("expires_at").as("expired"))
        .where("status", "=", "open")
        .where("expires_at", "<=", at)
        .as("expired"),
    ])
    .executeTakeFirstOrThrow();
  // PostgreSQL's sum of bigints comes back as a string.
  return `${String(row.total)}.${row.latest ?? ""}.${row.expired ?? ""}`;
}

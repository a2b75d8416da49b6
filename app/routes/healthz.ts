// Liveness for load balancers and the README: 200 when the database answers.
import { sql } from "kysely";
import { getDb } from "~/db.server";

export async function loader() {
  try {
    await sql`select 1`.execute(getDb());
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}

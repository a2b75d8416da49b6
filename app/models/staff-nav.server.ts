// What the header tells staff on every page: how many requests wait for a decision.
import { getDb } from "~/db.server";
import { isStaff } from "~/auth/permissions.server";
import type { Actor } from "~/models/errors";
import { UNDECIDED_STATUS } from "~/models/request-status";

/**
 * The number of requests in the triage queue, for staff; null for anyone else. One count on
 * the requests(status, …) index, cheap enough for every page staff open.
 */
export async function countAwaitingDecision(actor: Actor | null | undefined) {
  if (!isStaff(actor)) return null;
  const row = await getDb()
    .selectFrom("requests")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("status", "=", UNDECIDED_STATUS)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

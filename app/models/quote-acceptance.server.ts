// What the acceptance page adds to the quote itself: how many voting organizations could still
// share what remains of an open quote ("6 organizations voted; ₪2,458 each would fund it").
import { getDb } from "~/db.server";

/** Organizations that voted for the request and have not pledged to this quote yet. */
export async function countVotersWithoutPledge({
  requestId,
  quoteId,
}: {
  requestId: number;
  quoteId: number;
}): Promise<number> {
  const db = getDb();
  const row = await db
    .selectFrom("request_org_votes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("request_org_votes.request_id", "=", requestId)
    .where("request_org_votes.votes", ">", 0)
    .where((eb) =>
      eb(
        "request_org_votes.org_id",
        "not in",
        eb.selectFrom("sponsorships").select("sponsorships.org_id").where("quote_id", "=", quoteId),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

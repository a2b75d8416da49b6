// Search as you type: up to five existing requests like the title being written (JSON).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSessionUser } from "~/auth/session.server";
import { findSimilarRequests, listVotedRequestIds } from "~/models/requests.server";
import { SimilarQuerySchema } from "~/schemas.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const query = SimilarQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const title = query.success ? query.data.title.trim() : "";
  const user = title.length >= 2 ? await getSessionUser(request) : null;
  const similar = title.length >= 2 ? await findSimilarRequests(title, user?.actor ?? null, 5) : [];
  const voted = user
    ? await listVotedRequestIds(
        user.id,
        similar.map((s) => s.id),
      )
    : new Set<number>();
  return Response.json(
    { similar: similar.map((s) => ({ ...s, voted: voted.has(s.id) })) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

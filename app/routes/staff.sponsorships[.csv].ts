// /staff/sponsorships.csv: the ledger (with the page's filters) as a file for the vendor's
// invoicing, headers in the staff member's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { resolveLocale } from "~/i18n/locale.server";
import { ActionRefused } from "~/models/errors";
import { csvOfSponsorships, listAllSponsorships } from "~/models/sponsorships.server";
import { israelDay } from "~/models/quotes.server";
import { SponsorshipQuerySchema } from "~/schemas.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffOr404(request);
  const query = SponsorshipQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const rows = await listAllSponsorships({
      actor: user.actor,
      filters: {
        status: query.status ?? null,
        orgId: query.org ?? null,
        requestId: query.request ?? null,
      },
    });
    const csv = csvOfSponsorships(rows, await resolveLocale(request, user.locale));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="sponsorships-${israelDay()}.csv"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof ActionRefused) throw new Response(null, { status: error.status });
    throw error;
  }
}

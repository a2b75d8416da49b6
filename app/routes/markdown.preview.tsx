// Renders Markdown the way it will be published, for the editors' preview tab (JSON).
import { type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { parseForm } from "~/forms.server";
import { renderMarkdown } from "~/markdown.server";
import { MarkdownPreviewSchema } from "~/schemas.server";

// Only the editors' fetcher posts here; a GET (a typed address, a crawler) is the wrong method.
export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const form = await parseForm(request, MarkdownPreviewSchema);
  if (form.errors) return Response.json({ html: "" }, { status: 400 });
  return Response.json({ html: renderMarkdown(form.data.text) });
}

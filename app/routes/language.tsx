// Switches the interface language: kept in a cookie, and on the account when signed in.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { LanguageSchema } from "~/schemas.server";
import { flashToast, getSessionUser } from "~/auth/session.server";
import { parseForm } from "~/forms.server";
import { langCookie } from "~/i18n/locale.server";
import { setUserLocale } from "~/models/users.server";
import { safeRedirect } from "~/utils";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getSessionUser(request);
  const form = await parseForm(request, LanguageSchema);
  if (form.errors) throw new Response("Bad request", { status: 400 });
  // A user who picked a language in the account settings keeps that choice in sync; one who left
  // it on "automatic" keeps following this browser's cookie.
  if (user?.locale) await setUserLocale(user.id, form.data.locale);
  const headers = new Headers();
  headers.append("Set-Cookie", await langCookie.serialize(form.data.locale));
  headers.append("Set-Cookie", await flashToast(request, { key: "toast.languageChanged" }));
  return redirect(safeRedirect(form.data.redirectTo), { headers });
}

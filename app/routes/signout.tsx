import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endUserSession } from "~/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return endUserSession(request, { key: "toast.signedOut" });
}

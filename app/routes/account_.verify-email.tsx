// "Send the link again" from the verification banner: a plain form post, rate-limited per user.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { parseForm } from "~/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { resendVerificationEmail } from "~/models/email-verification.server";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import { ResendVerificationSchema } from "~/schemas.server";
import { safeRedirect } from "~/utils";

export function loader() {
  return redirect("/account");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, ResendVerificationSchema);
  const back = safeRedirect(form.data?.redirectTo);
  if (user.email_verified_at)
    return redirectWithToast(request, back, { key: "toast.alreadyVerified" });
  const limit = await hitRateLimit(`verify:user:${user.id}`, RATE_LIMITS.verificationResendPerUser);
  if (limit.limited) {
    const minutes = Math.max(1, Math.ceil(limit.retryAfterMs / 60_000));
    return redirectWithToast(request, back, {
      key: "error.verificationLimited",
      params: { minutes },
      tone: "error",
    });
  }
  await resendVerificationEmail({
    actor: user.actor,
    locale: await resolveLocale(request, user.locale),
  });
  return redirectWithToast(request, back, {
    key: "toast.verificationSent",
    params: { email: user.email },
  });
}

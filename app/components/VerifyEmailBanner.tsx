// Shown on every page to a signed-in user whose address is not verified yet: what they cannot
// do until then, and a plain form to get the link again (see email-verification.server.ts).
import { Form, useLocation } from "@remix-run/react";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import { Button } from "./Button";

export function ResendVerificationForm({
  redirectTo,
  className = "",
}: {
  redirectTo: string;
  className?: string;
}) {
  const t = useT();
  return (
    <Form method="post" action="/account/verify-email">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Button type="submit" variant="secondary" className={className}>
        {t("verify.resend")}
      </Button>
    </Form>
  );
}

export function VerifyEmailBanner({ email }: { email: string }) {
  const rt = useRichT();
  const location = useLocation();
  return (
    <div className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm text-amber-950">
        <p className="min-w-0 flex-1 text-start">{rt("verify.banner", { email })}</p>
        <ResendVerificationForm
          redirectTo={location.pathname + location.search}
          className="px-3 py-1.5"
        />
      </div>
    </div>
  );
}

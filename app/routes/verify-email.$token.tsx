// The link from a verification e-mail. Opening it verifies the address at once (no button):
// the token proves the mail reached that inbox, even when a mail scanner opens it first.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSessionUser, redirectWithToast } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { buttonClass } from "~/components/Button";
import { FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { ResendVerificationForm } from "~/components/VerifyEmailBanner";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import type { TokenState } from "~/models/account-tokens.server";
import { verifyEmail } from "~/models/email-verification.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "verify.problemTitle");

const problemOf: Record<Exclude<TokenState, "valid">, MessageKey> = {
  used: "verify.used",
  expired: "verify.expired",
  unknown: "verify.unknown",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const result = await verifyEmail(params.token ?? "");
  if ("userId" in result) return redirectWithToast(request, "/", { key: "toast.emailVerified" });
  const user = await getSessionUser(request);
  // A second click on a link that already did its job.
  if (user?.email_verified_at)
    return redirectWithToast(request, "/", { key: "toast.alreadyVerified" });
  // A page that explains and offers a new link, not an error page: 200.
  return data(
    { problem: problemOf[result.state], signedIn: user !== null },
    { headers: { "Referrer-Policy": "no-referrer" } },
  );
}

export default function VerifyEmailProblem() {
  const t = useT();
  const { problem, signedIn } = useLoaderData<typeof loader>();
  return (
    <AuthCard title={t("verify.problemTitle")}>
      <FormAlert>{t(problem)}</FormAlert>
      <div className="mt-6">
        {signedIn ? (
          <ResendVerificationForm redirectTo="/" className="w-full" />
        ) : (
          <Link
            to={`/signin?${new URLSearchParams({ redirectTo: "/" })}`}
            className={buttonClass("primary", "w-full")}
          >
            {t("verify.signInToResend")}
          </Link>
        )}
      </div>
    </AuthCard>
  );
}

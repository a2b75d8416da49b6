// Staff only: make the request public or organization only (posts to /requests/:id/visibility,
// a plain form that works without JavaScript).
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "~/components/Button";
import { useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

export function VisibilityControl({ request }: { request: RequestPageData["request"] }) {
  const t = useT();
  const navigation = useNavigation();
  const action = `/requests/${request.id}/visibility`;
  const options = [
    ["public", t("visibility.control.public")],
    // A request without an organization (a staff member's own) can only be public.
    ...(request.orgId !== null
      ? ([["organization", t("visibility.control.organization")]] as const)
      : []),
  ] as const;
  return (
    <section
      id="visibility"
      aria-labelledby="visibility-heading"
      className="order-5 rounded-2xl border border-stone-200 bg-white p-4 text-sm shadow-sm"
    >
      <Form method="post" action={action} className="space-y-3">
        <fieldset className="space-y-2">
          <legend id="visibility-heading" className="font-semibold text-stone-900">
            {t("visibility.control.title")}
          </legend>
          <p className="text-stone-600">{t("visibility.control.lead")}</p>
          {options.map(([value, label]) => (
            <div key={value} className="flex items-center gap-2">
              <input
                type="radio"
                id={`visibility-${value}`}
                name="visibility"
                value={value}
                defaultChecked={request.visibility === value}
                className="h-4 w-4 accent-accent-700"
              />
              <label htmlFor={`visibility-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <Button
          type="submit"
          variant="secondary"
          disabled={navigation.state === "submitting" && navigation.formAction === action}
        >
          {t("visibility.control.submit")}
        </Button>
      </Form>
    </section>
  );
}

// Builds the <title> of a page from the root's locale.
import type { MetaArgs } from "@remix-run/node";
import { isLocale, translate, type MessageKey, type MessageParams } from "~/i18n/messages";

export function pageTitle(matches: MetaArgs["matches"], key: MessageKey, params?: MessageParams) {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  const locale = isLocale(root?.locale) ? root.locale : "he";
  return [{ title: `${translate(locale, key, params)} · Broadly` }];
}

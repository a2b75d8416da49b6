// React access to the page's locale and translator, taken from the root loader.
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type Translate } from "./messages";

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale?: string }>("root");
  if (isLocale(data?.locale)) return data.locale;
  // The root loader can be missing in an error page; the document's own lang is the next best.
  if (typeof document !== "undefined" && isLocale(document.documentElement.lang)) {
    return document.documentElement.lang;
  }
  return DEFAULT_LOCALE;
}

export function useT(): Translate {
  return translator(useLocale());
}

/** The time the page was rendered on the server, for relative times that hydrate identically. */
export function useNow(): number {
  const data = useRouteLoaderData<{ now?: number }>("root");
  return data?.now ?? Date.now();
}

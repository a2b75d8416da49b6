// Chooses the locale of a request: the user's saved choice, else the `lang` cookie, else
// Accept-Language, else Hebrew.
import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./messages";

export const langCookie = createCookie("lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (base === "iw") return "he";
    if (isLocale(base)) return base;
  }
  return null;
}

export async function resolveLocale(
  request: Request,
  userLocale: string | null | undefined,
): Promise<Locale> {
  if (isLocale(userLocale)) return userLocale;
  return localeFromHeaders(request.headers);
}

/** The locale from the request alone, without the user's saved choice: cookie, then browser. */
export async function localeFromHeaders(headers: Headers): Promise<Locale> {
  const fromCookie: unknown = await langCookie.parse(headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

// The browser's catalog: only the page's language, fetched before hydration (entry.client.tsx)
// and, should the language change without a new document, when it does (root.tsx).
import { hasCatalog, registerCatalog, type Locale } from "./messages";

export async function loadCatalog(locale: Locale): Promise<void> {
  if (hasCatalog(locale)) return;
  registerCatalog(locale, locale === "en" ? (await import("./en")).en : (await import("./he")).he);
}

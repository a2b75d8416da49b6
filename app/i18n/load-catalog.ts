// The browser's catalogs: only the page's language. Its script in the document has
// registered it before hydration (app/i18n/catalog-script.tsx); this fetches one that is not
// there: should that script have failed, or the language change without a new document.
import { hasCatalog, type Locale } from "./messages";

export async function loadCatalog(locale: Locale): Promise<void> {
  if (hasCatalog(locale)) return;
  // Each import() is a chunk of its own, which the server finds in the build's metafile.
  if (locale === "en") await import("./catalog.en");
  else await import("./catalog.he");
}

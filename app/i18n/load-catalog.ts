// The browser's catalogs: only the page's language (and, for a staff member, the staff pages'
// messages in it). Their scripts in the document have registered them before hydration
// (app/i18n/catalog-script.tsx); this fetches what is not there: should a script have failed,
// or the language change, or a staff member sign in, without a new document.
import { hasCatalog, type Locale } from "./messages";

export async function loadCatalog(locale: Locale, { staff = false } = {}): Promise<void> {
  // Each import() is a chunk of its own, which the server finds in the build's metafile.
  const loads: Promise<unknown>[] = [];
  if (!hasCatalog(locale))
    loads.push(locale === "en" ? import("./catalog.en") : import("./catalog.he"));
  if (staff && !hasCatalog(locale, { staff }))
    loads.push(locale === "en" ? import("./catalog.staff-en") : import("./catalog.staff-he"));
  await Promise.all(loads);
}

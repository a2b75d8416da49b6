// The he catalog as the browser loads it: a chunk of its own, run by a script in the page
// before hydration (app/i18n/catalog-script.tsx), or by load-catalog.ts when the language
// changes without a new document. It leaves the catalog where messages.ts looks (PAGE_CATALOGS,
// written out: importing the name would make this chunk import messages.ts).
import { he } from "./he";

const page = globalThis as { __broadlyCatalogs?: Record<string, unknown> };
page.__broadlyCatalogs = { ...page.__broadlyCatalogs, he };
